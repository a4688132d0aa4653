/// Errors of the result-file module: reading or writing a CSV file of a results directory.
public enum ResultFilesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case missingFile(path: String)
    /// The file is not RFC 4180 CSV with a header (line is 1-based, of the record's first line).
    case malformed(path: String, line: Int, reason: String)
    /// A column the reader needs is not in the header.
    case missingColumn(path: String, column: String, header: [String])
    /// A cell does not hold what its column allows (line is the record's first line).
    case badCell(path: String, line: Int, column: String, cell: String, expected: String)
    /// A file-system error while writing or reading (`message` is the system's reason).
    case io(path: String, message: String)

    /// One line naming the file, the place and the problem.
    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path): cannot read the file"
        case let .malformed(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .missingColumn(path, column, header):
            return "\(path): missing column \"\(column)\" (header: \(header.joined(separator: ",")))"
        case let .badCell(path, line, column, cell, expected):
            return "\(path):\(line): column \(column): \"\(cell)\" is not \(expected)"
        case let .io(path, message):
            return "\(path): \(message)"
        }
    }
}
