import AlignmentCore

/// Builds CSV text: RFC 4180 quoting (fields containing a comma, quote, CR or LF are quoted, quotes
/// doubled), a header row, '\n' line endings, numbers via `CanonicalNumber.format`.
struct CSVWriter {
    private(set) var text = ""
    /// Number of columns (every row must have it).
    let columns: Int

    /// Starts a table with its header row.
    init(header: [String]) {
        columns = header.count
        append(header)
    }

    /// Appends one row.
    /// - Precondition: `fields.count == columns`.
    mutating func append(_ fields: [String]) {
        precondition(fields.count == columns, "CSV row has \(fields.count) fields, expected \(columns)")
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    /// One field, quoted when needed.
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        var out = "\""
        for ch in field {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }

    /// A number cell (empty for nil).
    static func cell(_ x: Double?) -> String { x.map(CanonicalNumber.format) ?? "" }
    /// An integer cell.
    static func cell(_ i: Int) -> String { String(i) }
}
