import AlignmentCore
import Foundation

extension MatrixFile {
    /// The keys a JSON matrix file may have. `id` is ignored and `actions`/`contexts` are checked
    /// against the data, so the output of `bench env export --format json` loads as is.
    public static let jsonKeys = ["preference", "reference", "log_reference", "reward", "context_weights", "id", "actions", "contexts"]

    /// Parses the JSON form (shapes are checked later by `validate`).
    static func parseJSON(_ text: String, fail: (String) -> AlignmentCoreError) throws -> MatrixFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        } catch {
            throw fail("is not valid JSON")
        }
        guard let dict = object as? [String: Any] else {
            throw fail("the top level must be an object with keys " + jsonKeys.joined(separator: ", "))
        }
        for key in dict.keys.sorted() where !jsonKeys.contains(key) {
            // The key is shown only when it is a near miss of an allowed key (a typo); the file may
            // be any file, so other content is never echoed.
            if let near = Suggestion.closest(to: key, among: jsonKeys), key.count <= 40 {
                throw fail("unknown key \(Self.shown(key)) (did you mean \"\(near)\"?); allowed: " + jsonKeys.joined(separator: ", "))
            }
            throw fail("an unknown key of \(key.utf8.count) bytes; allowed: " + jsonKeys.joined(separator: ", "))
        }
        func number(_ v: Any, _ at: String) throws -> Double {
            // JSON booleans arrive as NSNumber too, with the char type code "c".
            // JSONSerialization keeps numbers as decimals whose `doubleValue` is not correctly
            // rounded (-0.4987634389531037 came back one ulp off); the literal's text is, through
            // Double(String), so exported numbers load back bit for bit.
            if let n = v as? NSNumber, String(cString: n.objCType) != "c" { return Double(n.stringValue) ?? n.doubleValue }
            let type = v is String ? "a string" : v is NSNumber ? "a boolean" : v is NSNull ? "null" : v is [Any] ? "an array" : "an object"
            throw fail("\(at) is \(type), not a number")
        }
        func vector(_ v: Any, _ at: String) throws -> [Double] {
            guard let a = v as? [Any] else { throw fail("\(at) must be an array of numbers") }
            return try a.enumerated().map { try number($0.element, "\(at)[\($0.offset)]") }
        }
        func matrix(_ v: Any, _ at: String) throws -> [[Double]] {
            guard let a = v as? [Any], !a.isEmpty else { throw fail("\(at) must be a non-empty array of rows") }
            return try a.enumerated().map { try vector($0.element, "\(at)[\($0.offset)]") }
        }
        /// A matrix or a vector (one row).
        func rowsOrVector(_ v: Any, _ at: String) throws -> [[Double]] {
            if let a = v as? [Any], a.first is [Any] { return try matrix(v, at) }
            return [try vector(v, at)]
        }
        guard let rawP = dict["preference"] else { throw fail("missing key \"preference\"") }
        guard let top = rawP as? [Any], !top.isEmpty else { throw fail("preference must be a non-empty array") }
        let preferences: [[[Double]]]
        if let first = top.first as? [Any], first.first is [Any] {
            preferences = try top.enumerated().map { try matrix($0.element, "preference[\($0.offset)]") }
        } else {
            preferences = [try matrix(rawP, "preference")]
        }
        if let declared = dict["actions"] {
            let n = try number(declared, "actions")
            guard n == Double(preferences[0].count) else {
                throw fail("\"actions\" is \(declared) but the preference matrix has \(preferences[0].count) rows")
            }
        }
        if let declared = dict["contexts"] {
            let m = try number(declared, "contexts")
            guard m == Double(preferences.count) else {
                throw fail("\"contexts\" is \(declared) but the file has \(preferences.count) preference matrices")
            }
        }
        /// log μ rows: numbers, null for −∞.
        func logRows(_ v: Any) throws -> [[Double]] {
            guard let a = v as? [Any], !a.isEmpty else { throw fail("log_reference must be a non-empty array of rows") }
            return try a.enumerated().map { row in
                guard let r = row.element as? [Any] else { throw fail("log_reference[\(row.offset)] must be an array") }
                return try r.enumerated().map { $0.element is NSNull ? -.infinity : try number($0.element, "log_reference[\(row.offset)][\($0.offset)]") }
            }
        }
        let reward: [[Double]]?
        if let raw = dict["reward"], raw is NSNull { reward = nil } else {
            reward = try dict["reward"].map { try rowsOrVector($0, "reward") }
        }
        var file = MatrixFile(
            preferences: preferences,
            reference: try dict["reference"].map { try rowsOrVector($0, "reference") },
            reward: reward,
            contextWeights: try dict["context_weights"].map { try vector($0, "context_weights") })
        file.logReference = try dict["log_reference"].map(logRows)
        return file
    }

    /// Parses the CSV form.
    static func parseCSV(_ text: String, fail: (String) -> AlignmentCoreError) throws -> MatrixFile {
        var blocks: [[[Double]]] = [[]]
        var references: [[Double]?] = [nil]
        var rewards: [[Double]?] = [nil]
        var logReferences: [[Double]?] = [nil]
        var weights: [[Double]?] = [nil]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let lineNumber = index + 1
            if line.hasPrefix("#") { continue }
            if line.isEmpty {
                if !(blocks.last!.isEmpty) {
                    blocks.append([]); references.append(nil); rewards.append(nil)
                    logReferences.append(nil); weights.append(nil)
                }
                continue
            }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            var label: String?
            if let first = fields.first, ["reference", "reward", "log_reference", "weight"].contains(first.lowercased()) {
                label = first.lowercased()
                fields.removeFirst()
            }
            let values = try fields.enumerated().map { (column, field) -> Double in
                if label == "log_reference", field.lowercased() == "-inf" { return -.infinity }
                guard let v = Double(field), v.isFinite else {
                    throw fail("line \(lineNumber), field \(column + (label == nil ? 0 : 1)): \(Self.describeField(field)) is not a finite number")
                }
                return v
            }
            let b = blocks.count - 1
            switch label {
            case "reference"?:
                guard references[b] == nil else { throw fail("line \(lineNumber): a second reference row for the same context") }
                references[b] = values
            case "reward"?:
                guard rewards[b] == nil else { throw fail("line \(lineNumber): a second reward row for the same context") }
                rewards[b] = values
            case "log_reference"?:
                guard logReferences[b] == nil else { throw fail("line \(lineNumber): a second log_reference row for the same context") }
                logReferences[b] = values
            case "weight"?:
                guard weights[b] == nil else { throw fail("line \(lineNumber): a second weight row for the same context") }
                guard values.count == 1 else { throw fail("line \(lineNumber): a weight row holds one number, got \(values.count)") }
                weights[b] = values
            default:
                guard references[b] == nil, rewards[b] == nil, logReferences[b] == nil, weights[b] == nil else {
                    throw fail("line \(lineNumber): matrix rows must come before the reference/reward rows of their block")
                }
                blocks[b].append(values)
            }
        }
        if blocks.last!.isEmpty, blocks.count > 1 {
            blocks.removeLast(); references.removeLast(); rewards.removeLast()
            logReferences.removeLast(); weights.removeLast()
        }
        guard !blocks[0].isEmpty else { throw fail("contains no matrix rows") }
        func collect(_ rows: [[Double]?], _ name: String) throws -> [[Double]]? {
            if rows.allSatisfy({ $0 == nil }) { return nil }
            guard rows.allSatisfy({ $0 != nil }) else {
                throw fail("some contexts have a \(name) row and others do not (give one per block, or none)")
            }
            return rows.map { $0! }
        }
        var file = MatrixFile(preferences: blocks, reference: try collect(references, "reference"),
                              reward: try collect(rewards, "reward"), contextWeights: try collect(weights, "weight")?.map { $0[0] })
        file.logReference = try collect(logReferences, "log_reference")
        return file
    }

    /// A key shown in a message: JSON-quoted, quotes, backslashes, control and format
    /// characters written as `\uXXXX`.
    static func shown(_ key: String) -> String {
        var out = "\""
        for u in key.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.properties.generalCategory == .format || u == "\"" || u == "\\" {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A CSV field that is not a finite number, for a message. The file may be any file the spec
    /// names (say /etc/shadow), so its content is shown only when it looks like an attempted
    /// number (at most 32 characters of digits, signs, '.', 'e', or nan/inf/infinity); otherwise
    /// only its length.
    static func describeField(_ field: String) -> String {
        let numeric = field.unicodeScalars.allSatisfy { "0123456789.eE+-".unicodeScalars.contains($0) }
        let special = ["nan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity"].contains(field.lowercased())
        if !field.isEmpty && field.count <= 32 && (numeric || special) { return "\"\(field)\"" }
        let n = field.utf8.count
        return field.isEmpty ? "an empty field" : "a field of \(n) byte\(n == 1 ? "" : "s")"
    }
}
