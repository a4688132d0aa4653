import Foundation

/// A parsed RFC 4180 CSV file with a header row: the results files the figures read.
///
/// Fields may be quoted (`"a,b"`, `"say ""hi"""`) and may contain line breaks inside quotes;
/// records end with LF or CRLF; a UTF-8 byte-order mark is ignored. Every record must have as
/// many fields as the header.
struct CSVTable: Sendable {
    /// Column names, in file order.
    var header: [String]
    /// Data records (without the header), each with `header.count` fields.
    var rows: [[String]]
    /// Where the table came from (for error messages).
    var path: String

    /// Parses CSV text.
    /// - Throws: `FiguresError.malformedCSV` for an unterminated quote, a stray quote inside an
    ///   unquoted field, an empty file or a record whose field count differs from the header's.
    init(text: String, path: String) throws {
        self.path = path
        var records: [[String]] = []
        var lineOfRecord: [Int] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endRecord() {
            record.append(field)
            // A blank line (one empty unquoted field) is skipped.
            if !(record.count == 1 && record[0].isEmpty && !fieldWasQuoted) {
                records.append(record)
                lineOfRecord.append(recordLine)
            }
            record = []
            field = ""
            fieldWasQuoted = false
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case ",":
                    record.append(field)
                    field = ""
                    fieldWasQuoted = false
                case "\"":
                    guard field.isEmpty && !fieldWasQuoted else {
                        throw FiguresError.malformedCSV(path: path, line: line, reason: "quote inside an unquoted field")
                    }
                    inQuotes = true
                    fieldWasQuoted = true
                case "\r":
                    if i + 1 < scalars.count && scalars[i + 1] == "\n" { break }
                    endRecord()
                    line += 1
                    recordLine = line
                case "\n":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw FiguresError.malformedCSV(path: path, line: recordLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { endRecord() }
        guard let header = records.first else {
            throw FiguresError.malformedCSV(path: path, line: 1, reason: "empty file (a header row is required)")
        }
        for (k, r) in records.enumerated() where r.count != header.count {
            throw FiguresError.malformedCSV(
                path: path, line: lineOfRecord[k],
                reason: "\(r.count) fields, but the header has \(header.count)")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// Reads and parses a CSV file.
    /// - Throws: `FiguresError.missingFile` (attributed to `figure`) or `.malformedCSV`.
    init(contentsOf url: URL, figure: String) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FiguresError.missingFile(path: url.path, figure: figure)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FiguresError.missingFile(path: url.path, figure: figure)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FiguresError.malformedCSV(path: url.path, line: 1, reason: "not UTF-8")
        }
        try self.init(text: text, path: url.path)
    }

    /// The index of each named column.
    /// - Throws: `FiguresError.malformedCSV` naming the first missing column.
    func columns(_ names: [String]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for name in names {
            guard let k = header.firstIndex(of: name) else {
                throw FiguresError.malformedCSV(
                    path: path, line: 1,
                    reason: "missing column '\(name)' (header: \(header.joined(separator: ",")))")
            }
            result[name] = k
        }
        return result
    }
}

extension CSVTable {
    /// A finite number from a cell, or nil for an empty, non-numeric or non-finite cell.
    static func number(_ cell: String) -> Double? {
        guard !cell.isEmpty, let v = Double(cell.trimmingCharacters(in: .whitespaces)), v.isFinite else { return nil }
        return v
    }
}
