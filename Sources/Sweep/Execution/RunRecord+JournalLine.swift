import AlignmentCore
import StableFloor

extension RunRecord {
    /// Appends the record's journal line — exactly the bytes of `json.compactText` followed by
    /// "\n" — to `out`, encoded directly (no `JSONValue` tree, no `String` per number): members in
    /// `json`'s order, the final metrics sorted by key, the curve in rows (`journalCurveFormat`),
    /// numbers by `CanonicalNumber.append` (the text of `JSONValue.number`), strings by
    /// `JSONString.quoted`.
    /// - Complexity: O(checkpoints · (metrics + diagnostics) + size of the policy).
    /// - Precondition: the checkpoints are in `curve`; a spilled record's line is written by
    ///   `Journal.append(_:)` from its parts and its `journalCurveText`.
    func appendJournalLine(to out: inout [UInt8]) {
        precondition(journalCurveText == nil, "a spilled record's journal line is streamed by Journal.append")
        appendJournalPrefix(to: &out)
        appendJournalCurve(to: &out)
        appendJournalSuffix(to: &out)
    }

    /// The journal line up to and including `"curve":` (run id, fingerprint, status, error,
    /// iterations, queries, final metrics).
    func appendJournalPrefix(to out: inout [UInt8]) {
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
        Self.appendDictionary(finalMetrics, to: &out)
        raw(",\"curve\":")
    }

    /// The journal's `"curve"` value for the checkpoints held in `curve` (a spilled record's is in
    /// `journalCurveText`, written by `CurveRecorder` in the same format): the columns are the
    /// metric and diagnostic names present at any checkpoint, each list sorted
    /// (`RunRecord.journalCurveFormat`).
    func appendJournalCurve(to out: inout [UInt8]) {
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        var metricSet = Set<String>(), diagnosticSet = Set<String>()
        for p in curve {
            metricSet.formUnion(p.metrics.keys)
            diagnosticSet.formUnion(p.diagnostics.keys)
        }
        let metrics = metricSet.sorted(), diagnostics = diagnosticSet.sorted()
        Self.appendCurveColumns(metrics: metrics, diagnostics: diagnostics, to: &out)
        func cell(_ v: Double?) {
            out.append(UInt8(ascii: ","))
            if let v { CanonicalNumber.append(v, to: &out) } else { raw("null") }
        }
        for (k, p) in curve.enumerated() {
            raw(k == 0 ? "[" : ",[")
            CanonicalNumber.appendInteger(p.iteration, to: &out)
            out.append(UInt8(ascii: ","))
            CanonicalNumber.appendInteger(p.queries, to: &out)
            for name in metrics { cell(p.metrics[name]) }
            for name in diagnostics { cell(p.diagnostics[name]) }
            raw("]")
        }
        out.append(contentsOf: Self.curveClosing)
    }

    /// The journal's `"curve"` value (format 2, `journalCurveFormat`): an object
    /// `{"m":[metric names],"d":[diagnostic names],"rows":[[i,q,v₁,…],…]}`, one row per recorded
    /// checkpoint holding the iteration, the labels drawn so far, then the value of every listed
    /// metric and then of every listed diagnostic in the lists' order, `null` where absent — the
    /// names once per run instead of once per checkpoint (format 1, still read: an array of
    /// `{"i":…,"q":…,"m":{name: value},"d":{name: value}}` objects, about twice the bytes).
    static let journalCurveFormat = 2

    /// Appends `{"m":[…],"d":[…],"rows":[` for these column names (strings as `JSONString.quoted`).
    static func appendCurveColumns(metrics: [String], diagnostics: [String], to out: inout [UInt8]) {
        func list(_ names: [String]) {
            out.append(UInt8(ascii: "["))
            for (k, n) in names.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: JSONString.quoted(n).utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: Array("{\"m\":".utf8))
        list(metrics)
        out.append(contentsOf: Array(",\"d\":".utf8))
        list(diagnostics)
        out.append(contentsOf: Array(",\"rows\":[".utf8))
    }

    /// The bytes that close a curve value after its last row.
    static let curveClosing = Array("]}".utf8)

    /// The journal line after the `"curve"` value to the newline (policy, seconds).
    func appendJournalSuffix(to out: inout [UInt8]) {
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        raw(",\"policy\":[")
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

    /// A dictionary as a JSON object, keys sorted.
    private static func appendDictionary(_ d: [String: Double], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, key) in d.keys.sorted().enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: (JSONString.quoted(key) + ":").utf8)
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
