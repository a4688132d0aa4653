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
        let (metrics, diagnostics) = curveColumnNames
        Self.appendCurveColumns(metrics: metrics, diagnostics: diagnostics, to: &out)
        for (k, p) in curve.enumerated() {
            out.append(contentsOf: k == 0 ? Self.rowOpen : Self.nextRowOpen)
            CanonicalNumber.appendInteger(p.iteration, to: &out)
            out.append(UInt8(ascii: ","))
            CanonicalNumber.appendInteger(p.queries, to: &out)
            for name in metrics { Self.appendCurveCell(p.metrics[name] ?? .nan, to: &out) }
            for name in diagnostics { Self.appendCurveCell(p.diagnostics[name] ?? .nan, to: &out) }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: Self.curveClosing)
    }

    /// The columns of the format-2 curve of the checkpoints held in `curve`: the metric and the
    /// diagnostic names present at any checkpoint, each list sorted.
    /// - Complexity: O(checkpoints · names).
    var curveColumnNames: (metrics: [String], diagnostics: [String]) {
        var metrics = Set<String>(), diagnostics = Set<String>()
        for p in curve {
            metrics.formUnion(p.metrics.keys)
            diagnostics.formUnion(p.diagnostics.keys)
        }
        return (metrics.sorted(), diagnostics.sorted())
    }

    /// "," and a curve value, or "null" for NaN (absent).
    @inline(__always)
    static func appendCurveCell(_ v: Double, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        if v.isNaN { out.append(contentsOf: null) } else { CanonicalNumber.append(v, to: &out) }
    }

    /// Appends the format-2 rows of every checkpoint of `spill` (",[" between rows) with the values
    /// of `columns` (indices into `spill.names`, in the order given), reading it block by block;
    /// `afterBlock` is called with the buffer after each block (to write it out).
    /// - Throws: `SweepError.io` when the spill cannot be read, and what `afterBlock` throws.
    /// - Complexity: O(checkpoints · columns); memory one block.
    static func appendCurveRows(_ spill: CurveSpill, columns: [Int], to out: inout [UInt8],
                                afterBlock: (inout [UInt8]) throws -> Void) throws {
        let reader = try CurveSpill.Reader(spill)
        for b in 0..<spill.blocks {
            let rows = spill.rows(inBlock: b)
            let block = try reader.columns(0..<spill.width, block: b)
            let base = block.startIndex
            for k in 0..<rows {
                out.append(contentsOf: b == 0 && k == 0 ? rowOpen : nextRowOpen)
                CanonicalNumber.appendInteger(Int(Int64(bitPattern: block[base + k])), to: &out)
                out.append(UInt8(ascii: ","))
                CanonicalNumber.appendInteger(Int(Int64(bitPattern: block[base + rows + k])), to: &out)
                for c in columns { appendCurveCell(Double(bitPattern: block[base + (c + 2) * rows + k]), to: &out) }
                out.append(UInt8(ascii: "]"))
            }
            try afterBlock(&out)
        }
    }

    private static let null = Array("null".utf8), rowOpen = Array("[".utf8), nextRowOpen = Array(",[".utf8)

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
