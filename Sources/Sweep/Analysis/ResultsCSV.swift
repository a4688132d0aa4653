import Foundation

/// A results CSV file read back: RFC 4180 fields (quoted fields may hold commas, doubled quotes
/// and line breaks), a header row, LF or CRLF record ends.
struct ResultsCSV {
    /// Column names.
    var header: [String]
    /// Records after the header, each with `header.count` fields.
    var rows: [[String]]
    /// The file name used in messages.
    var path: String

    /// Parses CSV text.
    /// - Throws: `SweepError.store` (one line naming the file and line) for an unterminated quote,
    ///   a stray quote, an empty file or a record with the wrong number of fields.
    init(text: String, path: String) throws {
        self.path = path
        var records: [(fields: [String], line: Int)] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false, wasQuoted = false
        var line = 1, recordLine = 1
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty && !wasQuoted) { records.append((record, recordLine)) }
            record = []
            field = ""
            wasQuoted = false
        }
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            if inQuotes {
                if c == "\"" {
                    if i < scalars.count && scalars[i] == "\"" {
                        field.unicodeScalars.append(c)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                record.append(field)
                field = ""
                wasQuoted = false
            case "\"":
                guard field.isEmpty && !wasQuoted else { throw SweepError.store("\(path):\(line): quote inside an unquoted field") }
                inQuotes = true
                wasQuoted = true
            case "\r" where i < scalars.count && scalars[i] == "\n":
                break
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw SweepError.store("\(path):\(recordLine): unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty || wasQuoted { endRecord() }
        guard let first = records.first else { throw SweepError.store("\(path): empty file (a header row is required)") }
        for r in records where r.fields.count != first.fields.count {
            throw SweepError.store("\(path):\(r.line): \(r.fields.count) fields, but the header has \(first.fields.count)")
        }
        header = first.fields
        rows = records.dropFirst().map(\.fields)
    }

    /// Reads a file of the results directory.
    /// - Throws: `SweepError.store` when it is missing or malformed.
    init(directory: URL, name: String) throws {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SweepError.store("\(url.path): cannot read the file; run `bench sweep` first")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SweepError.store("\(url.path): not UTF-8") }
        try self.init(text: text, path: url.path)
    }

    /// The index of every named column.
    /// - Throws: `SweepError.store` naming the first missing column.
    func columns(_ names: [String]) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for n in names {
            guard let k = header.firstIndex(of: n) else {
                throw SweepError.store("\(path): missing column \"\(n)\" (header: \(header.joined(separator: ",")))")
            }
            out[n] = k
        }
        return out
    }

    /// An integer cell.
    /// - Throws: `SweepError.store` naming the file, row and column.
    func integer(_ row: Int, _ column: String, _ index: Int) throws -> Int {
        guard let v = Int(rows[row][index]) else {
            throw SweepError.store("\(path): row \(row + 2), column \(column): \"\(rows[row][index])\" is not an integer")
        }
        return v
    }

    /// A number cell: nil when empty (not applicable), else the value written by
    /// `CanonicalNumber.format` (shortest round-trip form, so every bit is restored).
    /// - Throws: `SweepError.store` for a cell that is not a number.
    func number(_ row: Int, _ column: String, _ index: Int) throws -> Double? {
        let cell = rows[row][index]
        if cell.isEmpty { return nil }
        switch cell {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default:
            guard let v = Double(cell) else {
                throw SweepError.store("\(path): row \(row + 2), column \(column): \"\(cell)\" is not a number")
            }
            return v
        }
    }
}
