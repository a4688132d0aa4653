import AlignmentCore
import Foundation

/// One checkpoint of a journal line's `"curve"` (a format-1 element or a format-2 row), decoded:
/// iteration, queries, and the metric and diagnostic values with their keys (as UTF-8 bytes, in
/// the order written). Reused from checkpoint to checkpoint, so decoding a curve allocates nothing
/// per checkpoint but number texts.
struct JournalCheckpoint {
    /// "i".
    var iteration = 0
    /// "q".
    var queries = 0
    /// The keys' UTF-8 bytes, one after the other (`metricKeys` and `diagnosticKeys` index into it).
    var keys: [UInt8] = []
    /// The metrics' keys ("m") as ranges of `keys`, in the order written.
    var metricKeys: [Range<Int>] = []
    /// The metrics' values, in the same order.
    var metricValues: [Double] = []
    /// The diagnostics' keys ("d") as ranges of `keys`.
    var diagnosticKeys: [Range<Int>] = []
    /// The diagnostics' values.
    var diagnosticValues: [Double] = []
    /// Whether the element's bytes are exactly what the writer writes for these values
    /// (`CurveRecorder`, `RunRecord.appendJournalCurve`); set by `parse` when asked to check.
    var canonical = false

    private mutating func reset() {
        keys.removeAll(keepingCapacity: true)
        metricKeys.removeAll(keepingCapacity: true)
        metricValues.removeAll(keepingCapacity: true)
        diagnosticKeys.removeAll(keepingCapacity: true)
        diagnosticValues.removeAll(keepingCapacity: true)
    }

    /// Decodes an element of the writer's form `{"i":I,"q":Q,"m":{…},"d":{…}}` — no whitespace,
    /// keys of printable ASCII without escapes, each object's keys strictly ascending (so none
    /// repeats), integers that fit an `Int`, numbers by `Double(String)` of their literal exactly as
    /// `JSONParser` reads them (finite; a literal with a non-zero digit that reads as 0 is refused).
    /// Anything else returns false, and the caller parses the element with `JSONParser` instead,
    /// so what is accepted and every value decoded are the same either way.
    /// - Parameters:
    ///   - check: whether to determine `canonical` (formats every number once with
    ///     `CanonicalNumber.append` and compares; integers are canonical unless written "-0").
    ///   - numberText: a reused buffer.
    /// - Complexity: O(bytes).
    mutating func parse(_ p: UnsafeBufferPointer<UInt8>, canonical check: Bool, numberText: inout [UInt8]) -> Bool {
        reset()
        canonical = check
        var c = Cursor(p: p)
        guard c.literal("{\"i\":"), let i = c.integer(&canonical), c.literal(",\"q\":"), let q = c.integer(&canonical),
              c.literal(",\"m\":"), c.dictionary(&keys, &metricKeys, &metricValues, &canonical, &numberText),
              c.literal(",\"d\":"), c.dictionary(&keys, &diagnosticKeys, &diagnosticValues, &canonical, &numberText),
              c.literal("}"), c.i == p.count else { return false }
        iteration = i
        queries = q
        return true
    }

    /// Decodes a row of a format-2 curve (`RunRecord.journalCurveFormat`) in the writer's form
    /// `[I,Q,v₁,…,v_k]` — no whitespace, k = the number of metric and diagnostic names, each v a
    /// number (read as `parse` reads one) or `null` (absent) — taking the names of the present
    /// values from `metricNames` then `diagnosticNames`, and marking in `present` the columns that
    /// have a value. Anything else returns false (the caller then parses the whole curve with
    /// `JSONParser`).
    /// - Complexity: O(bytes).
    mutating func parseRow(_ p: UnsafeBufferPointer<UInt8>, metricNames: [[UInt8]], diagnosticNames: [[UInt8]],
                           canonical check: Bool, present: inout [Bool], numberText: inout [UInt8]) -> Bool {
        reset()
        canonical = check
        var c = Cursor(p: p)
        guard c.literal("["), let i = c.integer(&canonical), c.literal(","), let q = c.integer(&canonical) else { return false }
        for column in 0..<(metricNames.count + diagnosticNames.count) {
            guard c.literal(",") else { return false }
            if c.literal("null") { continue }
            guard let x = c.number(&canonical, &numberText) else { return false }
            present[column] = true
            let start = keys.count
            if column < metricNames.count {
                keys.append(contentsOf: metricNames[column])
                metricKeys.append(start..<keys.count)
                metricValues.append(x)
            } else {
                keys.append(contentsOf: diagnosticNames[column - metricNames.count])
                diagnosticKeys.append(start..<keys.count)
                diagnosticValues.append(x)
            }
        }
        guard c.literal("]"), c.i == p.count else { return false }
        iteration = i
        queries = q
        return true
    }

    /// Takes a decoded checkpoint (keys in sorted order). `canonical` is false.
    mutating func set(point: CurvePoint) {
        reset()
        canonical = false
        for (key, value) in point.metrics.sorted(by: { $0.key < $1.key }) {
            let start = keys.count
            keys.append(contentsOf: key.utf8)
            metricKeys.append(start..<keys.count)
            metricValues.append(value)
        }
        for (key, value) in point.diagnostics.sorted(by: { $0.key < $1.key }) {
            let start = keys.count
            keys.append(contentsOf: key.utf8)
            diagnosticKeys.append(start..<keys.count)
            diagnosticValues.append(value)
        }
        iteration = point.iteration
        queries = point.queries
    }

    /// Takes the element from a parsed JSON value, as `RunRecord(json:)` reads one; false when it
    /// is not a checkpoint ("i", "q" integers; "m", "d" objects of numbers). `canonical` is false.
    mutating func set(json c: JSONValue) -> Bool {
        reset()
        canonical = false
        guard let i = c["i"]?.integerValue, let q = c["q"]?.integerValue,
              let m = c["m"]?.objectMembers, let d = c["d"]?.objectMembers else { return false }
        for (members, isMetric) in [(m, true), (d, false)] {
            for member in members {
                guard let x = member.value.numberValue else { return false }
                let start = keys.count
                keys.append(contentsOf: member.key.utf8)
                if isMetric {
                    metricKeys.append(start..<keys.count)
                    metricValues.append(x)
                } else {
                    diagnosticKeys.append(start..<keys.count)
                    diagnosticValues.append(x)
                }
            }
        }
        iteration = i
        queries = q
        return true
    }

    /// The element as a `CurvePoint` (what `RunRecord(json:)` builds).
    var point: CurvePoint {
        func dictionary(_ k: [Range<Int>], _ v: [Double]) -> [String: Double] {
            var out: [String: Double] = [:]
            for (r, x) in zip(k, v) { out[String(decoding: keys[r], as: UTF8.self)] = x }
            return out
        }
        return CurvePoint(iteration: iteration, queries: queries, metrics: dictionary(metricKeys, metricValues),
                          diagnostics: dictionary(diagnosticKeys, diagnosticValues))
    }

    /// A position in an element's bytes.
    private struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0

        func at(_ b: UInt8) -> Bool { i < p.count && p[i] == b }
        func digit(_ k: Int) -> Bool { k < p.count && p[k] >= 0x30 && p[k] <= 0x39 }

        mutating func literal(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard i + n <= p.count else { return false }
            let ok = s.withUTF8Buffer { lit in (0..<n).allSatisfy { p[i + $0] == lit[$0] } }
            if ok { i += n }
            return ok
        }

        /// `-?(0|[1-9][0-9]*)` that fits an `Int`.
        mutating func integer(_ canonical: inout Bool) -> Int? {
            let start = i
            let negative = at(UInt8(ascii: "-"))
            if negative { i += 1 }
            guard digit(i) else { return nil }
            if p[i] == 0x30 {
                i += 1
                if digit(i) { return nil }
                if negative { canonical = false }  // "-0" is written "0"
                return 0
            }
            var value = 0
            while digit(i) {
                let d = Int(p[i] - 0x30)
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                guard !o1, !o2 else { return nil }
                value = s
                i += 1
            }
            return i > start ? value : nil
        }

        /// `{}` or `{"k":x,…}` with keys strictly ascending.
        mutating func dictionary(_ keys: inout [UInt8], _ ranges: inout [Range<Int>], _ values: inout [Double],
                                 _ canonical: inout Bool, _ numberText: inout [UInt8]) -> Bool {
            guard literal("{") else { return false }
            if literal("}") { return true }
            var previous: Range<Int>?
            while true {
                guard at(UInt8(ascii: "\"")) else { return false }
                i += 1
                let start = i
                while i < p.count, p[i] >= 0x20, p[i] < 0x7F, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\") { i += 1 }
                guard at(UInt8(ascii: "\"")) else { return false }
                let key = keys.count
                keys.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                let range = key..<keys.count
                if let previous, !keys[previous].lexicographicallyPrecedes(keys[range]) { return false }
                previous = range
                i += 1
                guard literal(":"), let x = number(&canonical, &numberText) else { return false }
                ranges.append(range)
                values.append(x)
                if literal(",") { continue }
                return literal("}")
            }
        }

        /// A JSON number followed by ",", "}" or "]", read as `JSONParser` reads it.
        mutating func number(_ canonical: inout Bool, _ numberText: inout [UInt8]) -> Double? {
            let start = i
            var nonZeroDigit = false
            if at(UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { return nil }
            if p[i] == 0x30 {
                i += 1
                if digit(i) { return nil }
            } else {
                nonZeroDigit = true
                while digit(i) { i += 1 }
            }
            if at(UInt8(ascii: ".")) {
                i += 1
                guard digit(i) else { return nil }
                while digit(i) {
                    if p[i] != 0x30 { nonZeroDigit = true }
                    i += 1
                }
            }
            if at(UInt8(ascii: "e")) || at(UInt8(ascii: "E")) {
                i += 1
                if at(UInt8(ascii: "+")) || at(UInt8(ascii: "-")) { i += 1 }
                guard digit(i) else { return nil }
                while digit(i) { i += 1 }
            }
            guard at(UInt8(ascii: ",")) || at(UInt8(ascii: "}")) || at(UInt8(ascii: "]")) else { return nil }
            let token = UnsafeBufferPointer(rebasing: p[start..<i])
            guard let value = Double(String(decoding: token, as: UTF8.self)), value.isFinite, value != 0 || !nonZeroDigit else { return nil }
            if canonical {
                numberText.removeAll(keepingCapacity: true)
                CanonicalNumber.append(value, to: &numberText)
                if !numberText.elementsEqual(token) { canonical = false }
            }
            return value
        }
    }
}
