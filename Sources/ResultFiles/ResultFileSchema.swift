import Foundation

/// The column schema of one result file, declared once: the file's name and its fixed columns in
/// file order (`Column`'s cases). Files whose width depends on the spec (metrics, diagnostics)
/// append those columns after the fixed ones. Writers take the header from here and readers look
/// columns up through `Column`, so a column's name is written in one place.
public protocol ResultFileSchema {
    /// The fixed columns, in file order; the raw value is the header cell.
    associatedtype Column: RawRepresentable, CaseIterable, Hashable, Sendable where Column.RawValue == String
    /// The file's name in a results directory.
    static var fileName: String { get }
    /// Fixed columns a reader accepts as absent (files written before the column existed); a
    /// missing optional column reads as "".
    static var optionalColumns: Set<Column> { get }
}

extension ResultFileSchema {
    /// No optional columns.
    public static var optionalColumns: Set<Column> { [] }

    /// The header row: the fixed columns, then `extra` (metric or diagnostic columns).
    public static func header(extra: [String] = []) -> [String] {
        Column.allCases.map(\.rawValue) + extra
    }

    /// A streaming writer of `directory/fileName` with the schema's header.
    /// - Throws: `ResultFilesError.io`.
    public static func writer(directory: URL, extra: [String] = []) throws -> CSVWriter {
        try CSVWriter(url: directory.appendingPathComponent(fileName), header: header(extra: extra))
    }

    /// A streaming reader of `directory/fileName` that checks the schema's columns and `extra`.
    /// - Parameters:
    ///   - display: the directory as shown in messages (default: its path).
    ///   - required: the fixed columns the caller reads (default: every non-optional one); the
    ///     others may be absent and then read as "".
    /// - Throws: `ResultFilesError.missingFile`, `.malformed`, `.missingColumn`.
    public static func reader(directory: URL, display: String? = nil, extra: [String] = [],
                              required: [Column]? = nil) throws -> ResultFileReader<Self> {
        let url = directory.appendingPathComponent(fileName)
        let csv = try CSVReader(url: url, display: display.map { $0 + "/" + fileName })
        return try ResultFileReader(csv, extra: extra, required: required)
    }
}

/// Reads a result file record by record, its cells looked up through the schema's columns.
public final class ResultFileReader<Schema: ResultFileSchema> {
    /// The underlying CSV reader (header, path).
    public let csv: CSVReader
    private let fixed: [Schema.Column: Int]
    private let extra: [String: Int]

    /// Checks that `csv` has every required fixed column and every `extra` column.
    /// - Parameter required: the fixed columns that must be present (default: every column but
    ///   `Schema.optionalColumns`); absent ones read as "".
    /// - Throws: `ResultFilesError.missingColumn` naming the first missing column.
    public init(_ csv: CSVReader, extra: [String] = [], required: [Schema.Column]? = nil) throws {
        self.csv = csv
        var fixed: [Schema.Column: Int] = [:]
        let needed = required.map(Set.init) ?? Set(Schema.Column.allCases).subtracting(Schema.optionalColumns)
        for c in Schema.Column.allCases {
            if let k = csv.header.firstIndex(of: c.rawValue) {
                fixed[c] = k
            } else if needed.contains(c) {
                throw ResultFilesError.missingColumn(path: csv.path, column: c.rawValue, header: csv.header)
            }
        }
        var extras: [String: Int] = [:]
        for name in extra {
            guard let k = csv.header.firstIndex(of: name) else {
                throw ResultFilesError.missingColumn(path: csv.path, column: name, header: csv.header)
            }
            extras[name] = k
        }
        self.fixed = fixed
        self.extra = extras
    }

    /// The next row, or nil at the end of the file.
    /// - Throws: `ResultFilesError.malformed`.
    public func next() throws -> ResultRow<Schema>? {
        try csv.next().map { ResultRow(record: $0, fixed: fixed, extra: extra, path: csv.path) }
    }

    /// Every remaining row, transformed (nil results dropped) — the file is still read record by
    /// record; only the transformed values are kept.
    /// - Throws: what `next()` or `transform` throws.
    public func compactMap<T>(_ transform: (ResultRow<Schema>) throws -> T?) throws -> [T] {
        var out: [T] = []
        while let row = try next() {
            if let t = try transform(row) { out.append(t) }
        }
        return out
    }
}

/// One row of a result file.
public struct ResultRow<Schema: ResultFileSchema> {
    /// The record (fields and line).
    public let record: CSVRecord
    fileprivate let fixed: [Schema.Column: Int]
    fileprivate let extra: [String: Int]
    /// The file (for messages).
    public let path: String

    /// The cell of a fixed column ("" for an absent column that was not required).
    public subscript(_ column: Schema.Column) -> String {
        fixed[column].map { record.fields[$0] } ?? ""
    }

    /// The cell of an extra column the reader was opened with.
    /// - Precondition: `name` was among the reader's `extra` columns.
    public subscript(extra name: String) -> String {
        guard let k = extra[name] else { preconditionFailure("column \(name) was not requested from \(Schema.fileName)") }
        return record.fields[k]
    }

    /// An integer cell.
    /// - Throws: `ResultFilesError.badCell`.
    public func integer(_ column: Schema.Column) throws -> Int {
        guard let v = Int(self[column]) else {
            throw ResultFilesError.badCell(path: path, line: record.line, column: column.rawValue, cell: self[column], expected: "an integer")
        }
        return v
    }

    /// A number cell read strictly: nil when empty (not applicable), `nan`, `inf`, `-inf`, or a
    /// decimal number (the shortest round-trip form the writers use, so every bit is restored).
    /// - Throws: `ResultFilesError.badCell` for anything else.
    public func number(_ column: Schema.Column) throws -> Double? {
        try Self.number(self[column], column: column.rawValue, path: path, line: record.line)
    }

    /// `number(_:)` for an extra column.
    /// - Throws: `ResultFilesError.badCell`.
    public func number(extra name: String) throws -> Double? {
        try Self.number(self[extra: name], column: name, path: path, line: record.line)
    }

    /// A finite number, or nil for an empty (not applicable) or non-finite (`nan`, `inf`) cell —
    /// what a figure can draw. Read as strictly as `number(_:)`: a cell that is not a number (a
    /// hand-edited file) is an error, never a silently missing point.
    /// - Throws: `ResultFilesError.badCell`.
    public func finite(_ column: Schema.Column) throws -> Double? {
        try number(column).flatMap { $0.isFinite ? $0 : nil }
    }

    static func number(_ cell: String, column: String, path: String, line: Int) throws -> Double? {
        switch cell {
        case "": return nil
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default:
            guard let v = Double(cell) else {
                throw ResultFilesError.badCell(path: path, line: line, column: column, cell: cell, expected: "a number")
            }
            return v
        }
    }
}
