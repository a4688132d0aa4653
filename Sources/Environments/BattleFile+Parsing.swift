import AlignmentCore
import Foundation
import ResultFiles

extension BattleFile {
    /// Parses the CSV form with the project's RFC 4180 reader (`CSVReader`): a header naming at
    /// least `model_a`, `model_b` and `winner`, then one vote per record.
    static func parseCSV(_ text: String, path: String, into builder: inout Builder) throws {
        let fail = builder.fail
        let reader: CSVReader
        do { reader = try CSVReader(text: text, path: path) } catch let ResultFilesError.malformed(_, line, reason) {
            throw fail("line \(line): \(reason); allowed: CSV with a header row model_a,model_b,winner[,judge][,turn]")
        }
        let header = reader.header.map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for name in requiredColumns + optionalColumns {
            let hits = header.indices.filter { header[$0] == name }
            guard hits.count <= 1 else {
                throw fail("line 1: column \"\(name)\" appears \(hits.count) times; allowed: each column once")
            }
            column[name] = hits.first
        }
        for name in requiredColumns where column[name] == nil {
            // A near miss in the header is named (a typo); other header text is not echoed.
            let known = requiredColumns + optionalColumns
            let near = header.first { $0.count <= 40 && !known.contains($0) && Suggestion.closest(to: $0, among: [name]) != nil }
            let hint = near.map { " (the header has \(MatrixFile.shown($0)); did you mean \"\(name)\"?)" } ?? " (the header has \(header.count) column\(header.count == 1 ? "" : "s"))"
            throw fail("line 1: missing column \"\(name)\"\(hint); allowed: a header with "
                + requiredColumns.joined(separator: ", ") + " and optionally " + optionalColumns.joined(separator: ", "))
        }
        while true {
            let record: CSVRecord?
            do { record = try reader.next() } catch let ResultFilesError.malformed(_, line, reason) {
                throw fail("line \(line): \(reason); allowed: one vote per row with as many fields as the header")
            }
            guard let record else { break }
            func field(_ name: String) -> String? {
                column[name].map { record.fields[$0].trimmingCharacters(in: .whitespaces) }
            }
            try builder.add(a: field("model_a")!, b: field("model_b")!, winner: field("winner")!,
                            judge: field("judge"), turn: field("turn"), line: record.line,
                            column: { "column \($0)" })
        }
    }

    /// Parses JSON Lines: every non-blank line one object with string keys `model_a`, `model_b`,
    /// `winner`, optional `judge` (string or null) and `turn` (positive integer or null); other
    /// keys are ignored. Lines are parsed by Foundation's `JSONSerialization`.
    static func parseJSONLines(_ text: String, into builder: inout Builder) throws {
        let fail = builder.fail
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (k, raw) in lines.enumerated() {
            let line = k + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: []),
                  let dict = object as? [String: Any] else {
                throw fail("line \(line): not a JSON object; allowed: one object per line with keys model_a, model_b, winner and optionally judge, turn")
            }
            func string(_ key: String, required: Bool) throws -> String? {
                guard let v = dict[key], !(v is NSNull) else {
                    if required {
                        throw fail("line \(line): missing key \"\(key)\"; allowed: an object with keys "
                            + requiredColumns.joined(separator: ", ") + " and optionally " + optionalColumns.joined(separator: ", "))
                    }
                    return nil
                }
                guard let s = v as? String else {
                    throw fail("line \(line), key \(key): \(Self.jsonType(v)), not a string; allowed: a string")
                }
                return s.trimmingCharacters(in: .whitespaces)
            }
            var turn: String?
            if let t = dict["turn"], !(t is NSNull) {
                // An integer literal arrives as an NSNumber whose text is its digits.
                guard let n = t as? NSNumber, String(cString: n.objCType) != "c" else {
                    throw fail("line \(line), key turn: \(Self.jsonType(t)), not a turn count; allowed: a positive integer or null")
                }
                turn = n.stringValue
            }
            try builder.add(a: try string("model_a", required: true)!, b: try string("model_b", required: true)!,
                            winner: try string("winner", required: true)!, judge: try string("judge", required: false),
                            turn: turn, line: line, column: { "key \($0)" })
        }
    }

    /// The JSON type of a value, for messages ("a number", "an array", …).
    static func jsonType(_ v: Any) -> String {
        if let n = v as? NSNumber { return String(cString: n.objCType) == "c" ? "a boolean" : "a number" }
        return v is String ? "a string" : v is [Any] ? "an array" : v is NSNull ? "null" : "an object"
    }
}
