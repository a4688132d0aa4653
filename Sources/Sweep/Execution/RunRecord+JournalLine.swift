import AlignmentCore
import StableFloor

extension RunRecord {
    /// Appends the record's journal line — exactly the bytes of `json.compactText` followed by
    /// "\n" — to `out`, encoded directly (no `JSONValue` tree, no `String` per number): members in
    /// `json`'s order, metric and diagnostic dictionaries sorted by key, numbers by
    /// `CanonicalNumber.append` (the text of `JSONValue.number`), strings by `JSONString.quoted`.
    /// - Complexity: O(checkpoints · (metrics + diagnostics) + size of the policy); keys are
    ///   sorted only when a checkpoint's key set differs from the previous one's.
    /// - Precondition: the checkpoints are in `curve`; a spilled record's line is written by
    ///   `Journal.append(_:)` from its parts and its `journalCurveText`.
    func appendJournalLine(to out: inout [UInt8]) {
        precondition(journalCurveText == nil, "a spilled record's journal line is streamed by Journal.append")
        appendJournalPrefix(to: &out)
        appendJournalCurve(to: &out)
        appendJournalSuffix(to: &out)
    }

    /// The journal line up to and including `"curve":[` (run id, fingerprint, status, error,
    /// iterations, queries, final metrics).
    func appendJournalPrefix(to out: inout [UInt8]) {
        var metricKeys = SortedKeys()
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func string(_ s: String) { out.append(contentsOf: JSONString.quoted(s).utf8) }
        raw("{\"run_id\":")
        string(runID)
        raw(",\"fingerprint\":")
        out.append(contentsOf: fingerprint.json.compactText.utf8)
        raw(",\"status\":")
        string(status.rawValue)
        raw(",\"error\":")
        if let error { string(error) } else { raw("null") }
        raw(",\"iterations\":")
        CanonicalNumber.appendInteger(iterations, to: &out)
        raw(",\"queries\":")
        CanonicalNumber.appendInteger(queries, to: &out)
        raw(",\"final\":")
        Self.appendDictionary(finalMetrics, &metricKeys, to: &out)
        raw(",\"curve\":[")
    }

    /// The elements of the journal's `"curve"` array for the checkpoints held in `curve` (a
    /// spilled record's are in `journalCurveText`, written by `CurveRecorder` with the same bytes).
    func appendJournalCurve(to out: inout [UInt8]) {
        var metricKeys = SortedKeys(), diagnosticKeys = SortedKeys()
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        for (k, p) in curve.enumerated() {
            raw(k == 0 ? "{\"i\":" : ",{\"i\":")
            CanonicalNumber.appendInteger(p.iteration, to: &out)
            raw(",\"q\":")
            CanonicalNumber.appendInteger(p.queries, to: &out)
            raw(",\"m\":")
            Self.appendDictionary(p.metrics, &metricKeys, to: &out)
            raw(",\"d\":")
            Self.appendDictionary(p.diagnostics, &diagnosticKeys, to: &out)
            raw("}")
        }
    }

    /// The journal line from the `"curve"` array's closing bracket to the newline (policy, seconds).
    func appendJournalSuffix(to out: inout [UInt8]) {
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        raw("],\"policy\":[")
        for (x, row) in policy.enumerated() {
            raw(x == 0 ? "[" : ",[")
            for (y, p) in row.enumerated() {
                if y > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalNumber.append(p, to: &out)
            }
            raw("]")
        }
        raw("],\"seconds\":")
        CanonicalNumber.append(seconds, to: &out)
        raw("}\n")
    }

    /// A dictionary as a JSON object, keys sorted (`keys` caches the order between calls).
    private static func appendDictionary(_ d: [String: Double], _ keys: inout SortedKeys, to out: inout [UInt8]) {
        keys.update(for: d)
        out.append(UInt8(ascii: "{"))
        for (i, key) in keys.keys.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: keys.quoted[i])
            CanonicalNumber.append(d[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The record's journal line as bytes, newline included (`appendJournalLine(to:)`).
    var journalLine: [UInt8] {
        var out: [UInt8] = []
        appendJournalLine(to: &out)
        return out
    }
}

/// The sorted keys of a dictionary and their quoted forms followed by ":", kept while the next
/// dictionary has the same key set (the checkpoints of a run do).
private struct SortedKeys {
    var keys: [String] = []
    var quoted: [[UInt8]] = []

    /// Re-sorts when `d`'s keys differ from `keys`.
    mutating func update(for d: [String: Double]) {
        if d.count == keys.count && keys.allSatisfy({ d[$0] != nil }) { return }
        keys = d.keys.sorted()
        quoted = keys.map { Array((JSONString.quoted($0) + ":").utf8) }
    }
}
