import AlignmentCore
import Foundation

/// Where reading a journal puts each record's checkpoints (its `"curve"` array).
enum JournalCurves {
    /// Nowhere: the records' `curve` is empty and `spill` nil (the curve is still checked, so the
    /// records kept are the same). For readers that need only run ids, fingerprints and statuses
    /// (`bench status`).
    case skip
    /// In the records' `curve` (tests, small journals).
    case memory
    /// Into a `CurveSpill` file per record in the scratch directory (`RunRecord.spill`), as an
    /// executed run's checkpoints are: memory does not grow with the checkpoints.
    case spill(ScratchDirectory)
}

/// Where a record's line is in the journal file, and whether it is exactly the line the writer
/// would write for the decoded record (then a rewrite copies its bytes instead of re-encoding it).
struct JournalLineSource: Sendable, Equatable {
    /// The line's bytes in the file, newline included.
    var range: Range<Int>
    /// Whether the bytes equal `RunRecord.appendJournalLine` of the decoded record (only
    /// determined when the reader is asked to; false otherwise).
    var canonical: Bool
}

/// Reads a journal line by line through `JournalBytes`, with exactly the outcome of parsing each
/// line as one JSON document (`JSONParser.parse`) and decoding it (`JournalHeader(json:)`,
/// `RunRecord(json:)`), but without building the line's `"curve"` array as a JSON tree: the line's
/// other member values are parsed by `JSONParser` one value at a time, and the curve element by
/// element — by `JournalCheckpoint.parseFast` when the element has the writer's form, else by
/// `JSONParser` — into the `JournalCurves` destination.
///
/// A line is accepted when the whole line (up to its newline) is one JSON object: the same
/// grammar (whitespace other than a newline, escapes, duplicate keys, nesting depth at most
/// `JSONParser.maximumDepth`) and the same numbers (`Double(String)` of each literal).
final class JournalReader {
    private var bytes: JournalBytes
    private let curves: JournalCurves
    private let verifyCanonical: Bool
    private var pos = 0
    private var fast = JournalCheckpoint()
    private var numberText: [UInt8] = []

    /// One decoded line.
    enum Line {
        /// The journal header (first line only).
        case header(JournalHeader)
        /// A run record and where its line is.
        case record(RunRecord, JournalLineSource)
    }

    /// A reader of `bytes` from offset 0.
    /// - Parameter verifyCanonical: whether to determine `JournalLineSource.canonical` (costs
    ///   formatting every number of the curve once).
    init(bytes: JournalBytes, curves: JournalCurves, verifyCanonical: Bool) {
        self.bytes = bytes
        self.curves = curves
        self.verifyCanonical = verifyCanonical
    }

    /// Offset just past the last complete line returned.
    private(set) var goodEnd = 0
    /// The `"bench_journal"` value of a first line that is a journal header of another format
    /// (another version of bench wrote it), as JSON text; nil otherwise. Reading stops there.
    private(set) var foreignFormat: String?
    /// Offset just past the last byte read from the source (its size when it was read to the end).
    var readEnd: Int { bytes.readEnd }
    /// The `errno` of a failed read (0 when none).
    var readError: Int32 { bytes.error }

    /// The next line, or nil when it is absent, partial (no newline) or not decodable: reading
    /// stops there and `goodEnd` stays at its start.
    /// - Throws: `SweepError.io` when a spill file cannot be written.
    func next() throws -> Line? {
        let start = goodEnd
        pos = start
        bytes.keep = start
        var spill: JournalCurveSpill?
        defer { spill?.discard() }
        guard let outcome = try parseObject(start: start, spill: &spill) else { return nil }
        guard bytes.byte(pos) == 0x0A else { return nil }
        let end = pos + 1
        let object = JSONValue.object(outcome.members)
        if start == 0, let header = JournalHeader(json: object) {
            goodEnd = end
            return .header(header)
        }
        if start == 0, let format = object["bench_journal"], format.integerValue != JournalHeader.format {
            foreignFormat = format.compactText
            return nil
        }
        guard var record = RunRecord(json: object), let curve = outcome.curve, curve.valid else { return nil }
        var canonical = false
        switch curves {
        case .skip: break
        case .memory: record.curve = curve.points
        case .spill: record.spill = try spill?.finish()
        }
        spill = nil
        if verifyCanonical, curve.canonical {
            var head: [UInt8] = [], tail: [UInt8] = []
            record.appendJournalPrefix(to: &head)
            record.appendJournalSuffix(to: &tail)
            canonical = head == curve.head && tail == bytes.bytes(curve.end..<end)
        }
        goodEnd = end
        return .record(record, JournalLineSource(range: start..<end, canonical: canonical))
    }

    /// What parsing a line's `"curve"` value found.
    private struct CurveOutcome {
        /// Every checkpoint decodes (format 1: {"i": integer, "q": integer, "m": numbers, "d":
        /// numbers}; format 2: rows of the listed columns).
        var valid = true
        /// The value is exactly what the writer writes for its checkpoints (format 2, no
        /// whitespace, canonical numbers, sorted names each with a value at some checkpoint).
        var canonical = true
        var points: [CurvePoint] = []
        /// The line's bytes before the curve value.
        var head: [UInt8] = []
        /// Offset just past the curve value.
        var end = 0
    }

    /// Parses the line's object from `start`, leaving `pos` after its "}" and the whitespace after it.
    private func parseObject(start: Int, spill: inout JournalCurveSpill?) throws -> (members: [JSONMember], curve: CurveOutcome?)? {
        skipSpace()
        guard bytes.byte(pos) == UInt8(ascii: "{") else { return nil }
        pos += 1
        var members: [JSONMember] = []
        var seen: Set<String> = []
        var curve: CurveOutcome?
        skipSpace()
        if bytes.byte(pos) == UInt8(ascii: "}") {
            pos += 1
            skipSpace()
            return (members, nil)
        }
        while true {
            skipSpace()
            guard bytes.byte(pos) == UInt8(ascii: "\""), let keyEnd = scanValue(from: pos)?.end,
                  case let .string(key)? = parse(pos..<keyEnd, depth: 1), seen.insert(key).inserted else { return nil }
            pos = keyEnd
            skipSpace()
            guard bytes.byte(pos) == UInt8(ascii: ":") else { return nil }
            pos += 1
            skipSpace()
            if key == "curve", bytes.byte(pos) == UInt8(ascii: "[") {  // format 1
                var outcome = CurveOutcome()
                outcome.head = bytes.bytes(start..<pos)
                outcome.canonical = false  // the writer writes format 2
                if case let .spill(scratch) = curves { spill = JournalCurveSpill(scratch: scratch) }
                guard try parseCurve(&outcome, spill: spill) else { return nil }
                outcome.end = pos
                curve = outcome
                members.append(JSONMember(key, .array([])))
            } else if key == "curve", bytes.byte(pos) == UInt8(ascii: "{") {  // format 2
                var outcome = CurveOutcome()
                outcome.head = bytes.bytes(start..<pos)
                let valueStart = pos
                if case let .spill(scratch) = curves { spill = JournalCurveSpill(scratch: scratch) }
                switch try parseRows(&outcome, spill: spill) {
                case .parsed: break
                case .invalid: return nil
                case .notInWriterForm:
                    // Not in the writer's form: the value parsed whole, as `RunRecord(json:)` reads it.
                    spill?.discard()
                    spill = nil
                    pos = valueStart
                    outcome = CurveOutcome()
                    outcome.head = bytes.bytes(start..<pos)
                    outcome.canonical = false
                    bytes.keep = valueStart
                    guard let (end, depth) = scanValue(from: pos), let value = parse(pos..<end, depth: 1 + depth) else { return nil }
                    pos = end
                    if let points = RunRecord.curve(json: value) {
                        if case let .spill(scratch) = curves { spill = JournalCurveSpill(scratch: scratch) }
                        for p in points {
                            fast.set(point: p)
                            try add(fast, &outcome, spill: spill)
                        }
                    } else {
                        outcome.valid = false
                    }
                }
                outcome.end = pos
                curve = outcome
                members.append(JSONMember(key, .array([])))
            } else {
                guard let (end, depth) = scanValue(from: pos), let value = parse(pos..<end, depth: 1 + depth) else { return nil }
                members.append(JSONMember(key, value))
                pos = end
            }
            skipSpace()
            switch bytes.byte(pos) {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "}"):
                pos += 1
                skipSpace()
                return (members, curve)
            default: return nil
            }
        }
    }

    /// Parses the `"curve"` array at `pos` ("[") element by element.
    private func parseCurve(_ outcome: inout CurveOutcome, spill: JournalCurveSpill?) throws -> Bool {
        pos += 1
        if skipSpace() { outcome.canonical = false }
        if bytes.byte(pos) == UInt8(ascii: "]") {
            bytes.keep = pos
            pos += 1
            return true
        }
        while true {
            if skipSpace() { outcome.canonical = false }
            bytes.keep = pos
            guard let (end, depth) = scanValue(from: pos), 2 + depth <= JSONParser.maximumDepth else { return false }
            let parsedFast = bytes.withBytes(pos..<end) { fast.parse($0, canonical: verifyCanonical && outcome.canonical, numberText: &numberText) }
            if parsedFast {
                if !fast.canonical { outcome.canonical = false }
                if outcome.valid { try add(fast, &outcome, spill: spill) }
            } else {
                outcome.canonical = false
                guard let value = parse(pos..<end, depth: 2 + depth) else { return false }
                if outcome.valid {
                    if fast.set(json: value) { try add(fast, &outcome, spill: spill) } else { outcome.valid = false }
                }
            }
            pos = end
            if skipSpace() { outcome.canonical = false }
            switch bytes.byte(pos) {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "]"):
                bytes.keep = pos
                pos += 1
                return true
            default: return false
            }
        }
    }

    /// How parsing a format-2 curve value row by row ended.
    private enum RowsOutcome {
        /// Every row read and added.
        case parsed
        /// The value does not start `{"m":[names],"d":[names],"rows":[` (another member order,
        /// whitespace): nothing was added or dropped, and the caller parses the value whole.
        case notInWriterForm
        /// Not valid JSON, or a curve that does not decode (a row that does not fit the names,
        /// trailing members): the line is not a record, as when it is parsed whole.
        case invalid
    }

    /// Parses a format-2 `"curve"` value at `pos` ("{") that starts in the writer's form
    /// `{"m":[names],"d":[names],"rows":[`, then its rows one at a time (whitespace allowed between
    /// them, as JSON allows): each row by `JournalCheckpoint.parseRow` when it has the writer's
    /// form, else by `JSONParser`, decoded as `RunRecord.curve(json:)` decodes it; then `]}`.
    /// Rows are added as they are read, so the bytes before the current row can be dropped.
    private func parseRows(_ outcome: inout CurveOutcome, spill: JournalCurveSpill?) throws -> RowsOutcome {
        let valueStart = pos
        func literal(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            let ok = s.withUTF8Buffer { lit in (0..<n).allSatisfy { bytes.byte(pos + $0) == lit[$0] } }
            if ok { pos += n }
            return ok
        }
        func names() -> [String]? {
            guard bytes.byte(pos) == UInt8(ascii: "["), let (end, depth) = scanValue(from: pos),
                  let strings = parse(pos..<end, depth: 2 + depth).flatMap(RunRecord.names) else { return nil }
            pos = end
            return strings
        }
        guard literal("{\"m\":"), let metrics = names(), literal(",\"d\":"), let diagnostics = names(),
              literal(",\"rows\":[") else { return .notInWriterForm }
        if verifyCanonical && outcome.canonical {
            var expected: [UInt8] = []
            RunRecord.appendCurveColumns(metrics: metrics, diagnostics: diagnostics, to: &expected)
            outcome.canonical = metrics == metrics.sorted() && diagnostics == diagnostics.sorted()
                && bytes.bytes(valueStart..<pos) == expected
        }
        let metricKeys = metrics.map { Array($0.utf8) }, diagnosticKeys = diagnostics.map { Array($0.utf8) }
        var present = [Bool](repeating: false, count: metrics.count + diagnostics.count)
        if skipSpace() { outcome.canonical = false }
        if bytes.byte(pos) != UInt8(ascii: "]") {
            while true {
                if skipSpace() { outcome.canonical = false }
                bytes.keep = pos
                guard let (end, depth) = scanValue(from: pos) else { return .invalid }
                let fastRow = bytes.byte(pos) == UInt8(ascii: "[") && depth == 1 && bytes.withBytes(pos..<end) {
                    fast.parseRow($0, metricNames: metricKeys, diagnosticNames: diagnosticKeys,
                                  canonical: verifyCanonical && outcome.canonical, present: &present, numberText: &numberText)
                }
                if fastRow {
                    if !fast.canonical { outcome.canonical = false }
                } else {
                    outcome.canonical = false
                    guard let value = parse(pos..<end, depth: 3 + depth),
                          let points = RunRecord.curve(json: .object([JSONMember("m", .array(metrics.map { .string($0) })),
                                                                      JSONMember("d", .array(diagnostics.map { .string($0) })),
                                                                      JSONMember("rows", .array([value]))])),
                          let point = points.first else { return .invalid }
                    fast.set(point: point)
                }
                try add(fast, &outcome, spill: spill)
                pos = end
                if skipSpace() { outcome.canonical = false }
                if literal(",") { continue }
                break
            }
        }
        guard literal("]") else { return .invalid }
        if skipSpace() { outcome.canonical = false }
        guard literal("}") else { return .invalid }
        if present.contains(false) { outcome.canonical = false }  // the writer lists only columns with a value
        return .parsed
    }

    private func add(_ c: JournalCheckpoint, _ outcome: inout CurveOutcome, spill: JournalCurveSpill?) throws {
        switch curves {
        case .skip: break
        case .memory: outcome.points.append(c.point)
        case .spill: try spill!.add(c)
        }
    }

    /// Skips JSON whitespace other than a newline (a line's end). Returns whether it skipped any.
    @discardableResult
    private func skipSpace() -> Bool {
        let start = pos
        pos = Self.skipSpace(in: &bytes, from: start)
        return pos != start
    }

    /// The first offset at or after `from` that is not JSON whitespace other than a newline. A
    /// static function over the buffer passed `inout`: the loop then reads it without the dynamic
    /// exclusivity check a class's stored property costs on every access (about half of a
    /// journal read's time when each byte was read through `self`).
    private static func skipSpace(in bytes: inout JournalBytes, from: Int) -> Int {
        var i = from
        while let b = bytes.byte(i), b == 0x20 || b == 0x09 || b == 0x0D { i += 1 }
        return i
    }

    /// The end of the value starting at `from` and its nesting depth (objects and arrays), found by
    /// matching brackets outside strings; a scalar ends before the next delimiter. nil at a newline
    /// or the end of the file before the value ends (the value is then not on this line).
    private func scanValue(from: Int) -> (end: Int, depth: Int)? {
        Self.scanValue(in: &bytes, from: from)
    }

    /// `scanValue(from:)` over the buffer passed `inout` (see `skipSpace(in:from:)`).
    private static func scanValue(in bytes: inout JournalBytes, from: Int) -> (end: Int, depth: Int)? {
        var i = from
        var depth = 0, deepest = 0
        var inString = false
        guard let first = bytes.byte(i) else { return nil }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"") {
            while let b = bytes.byte(i) {
                switch b {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0D, 0x0A: return (i, 0)
                default: i += 1
                }
            }
            return nil
        }
        while let b = bytes.byte(i) {
            i += 1
            if b == 0x0A { return nil }
            if inString {
                if b == UInt8(ascii: "\\") {
                    guard let e = bytes.byte(i), e != 0x0A else { return nil }
                    i += 1
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return (i, 0) }
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return (i, deepest) }
            default: break
            }
        }
        return nil
    }

    /// `JSONParser.parse` of one value's bytes, nil when it is not valid JSON or nests deeper than
    /// the parser allows (`depth` counts the containers around it on the line too).
    private func parse(_ range: Range<Int>, depth: Int) -> JSONValue? {
        guard depth <= JSONParser.maximumDepth else { return nil }
        return try? JSONParser.parse(bytes.withBytes(range) { String(decoding: $0, as: UTF8.self) }, file: "journal")
    }
}
