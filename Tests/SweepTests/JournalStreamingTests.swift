import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// The streaming journal reader (`JournalReader`, `Journal.read`/`decode`) accepts exactly the
/// lines the whole-line reader accepted — each line parsed by `JSONParser` as one document, then
/// `JournalHeader(json:)` / `RunRecord(json:)` — with bit-identical values, whatever the read
/// buffer's size; spilled curves hold the same checkpoints; a rewrite is byte-identical to
/// encoding every record.
struct JournalStreamingTests {
    /// The reader before streaming, kept here as the reference: split at newlines, parse each line
    /// whole, stop at the first line that is not a header (line 1) or a record.
    static func wholeLineDecode(_ bytes: [UInt8]) -> (header: JournalHeader?, records: [RunRecord], goodEnd: Int) {
        var header: JournalHeader?
        var records: [RunRecord] = []
        var goodEnd = 0, start = 0
        while start < bytes.count {
            guard let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            guard let value = try? JSONParser.parse(String(decoding: bytes[start..<nl], as: UTF8.self), file: "journal") else { break }
            if start == 0, let h = JournalHeader(json: value) {
                header = h
            } else if let r = RunRecord(json: value) {
                records.append(r)
            } else {
                break
            }
            start = nl + 1
            goodEnd = start
        }
        return (header, records, goodEnd)
    }

    static let header = #"{"bench_journal":1,"experiment":"e","spec_hash":"s","results_hash":"r"}"#
    static let fingerprint = #"{"definition":"d","inputs":"i","algorithm":"a","harness":"h","libraries":"l"}"#

    /// A record line with `curve` as the curve array's text.
    static func line(_ id: String = "r1", curve: String, tail: String = #","policy":[[0.25,0.75]],"seconds":0.5}"#) -> String {
        #"{"run_id":"\#(id)","fingerprint":\#(fingerprint),"status":"ok","error":null,"iterations":2,"queries":4,"final":{"exploitability":0.125},"curve":[\#(curve)]\#(tail)"#
    }

    /// A record line with `curve` as the whole curve value (format 2 is an object).
    static func line2(_ id: String = "r1", curve: String) -> String {
        #"{"run_id":"\#(id)","fingerprint":\#(fingerprint),"status":"ok","error":null,"iterations":2,"queries":4,"final":{"exploitability":0.125},"curve":\#(curve),"policy":[[0.25,0.75]],"seconds":0.5}"#
    }

    static let canonicalCurve2 = #"{"m":["exploitability","kl_to_reference"],"d":["beta"],"rows":[[0,0,0.5,1e-05,0.1],[2,4,0.125,null,null]]}"#

    static let canonicalCurve = #"{"i":0,"q":0,"m":{"exploitability":0.5,"kl_to_reference":1e-05},"d":{"beta":0.1}},{"i":2,"q":4,"m":{"exploitability":0.125},"d":{}}"#

    /// Lines the reader must treat exactly as the whole-line reader: writer's form, other valid
    /// JSON forms (whitespace, member order, escapes, extra members, number spellings), and
    /// invalid ones (syntax, semantics, depth, duplicates).
    static let lines: [String] = [
        line(curve: canonicalCurve),
        line(curve: ""),
        line(curve: #" { "i" : 0 , "q":0,"m":{"exploitability":1.50},"d":{} } , {"i":1,"q":1,"m":{},"d":{"x":-0}} "#),
        line(curve: #"{"q":0,"i":0,"d":{},"m":{"b":1,"a":2}}"#),
        line(curve: #"{"i":0,"q":0,"m":{"\u0061":1E+2},"d":{},"extra":[[{"deep":[1,2,{"x":null}]}]]}"#),
        line(curve: #"{"i":0,"q":0,"m":{"a":1},"d":{},"m":{}}"#),           // duplicate key in an element
        line(curve: #"{"i":0,"q":0,"m":{"a":1,"a":2},"d":{}}"#),           // duplicate metric
        line(curve: #"{"i":0.0,"q":0,"m":{},"d":{}}"#),                    // "i" not an integer
        line(curve: #"{"i":-0,"q":0,"m":{},"d":{}}"#),
        line(curve: #"{"i":99999999999999999999,"q":0,"m":{},"d":{}}"#),   // does not fit an Int
        line(curve: #"{"i":0,"q":0,"m":{"a":1e400},"d":{}}"#),             // out of range
        line(curve: #"{"i":0,"q":0,"m":{"a":1e-400},"d":{}}"#),            // reads as 0
        line(curve: #"{"i":0,"q":0,"m":{"a":0e-400},"d":{}}"#),
        line(curve: #"{"i":0,"q":0,"m":{"a":NaN},"d":{}}"#),
        line(curve: #"{"i":0,"q":0,"m":{"a":01},"d":{}}"#),
        line(curve: #"{"i":0,"q":0,"m":{"a":1.},"d":{}}"#),
        line(curve: #"{"i":0,"q":0,"m":{"a":1},"d":{}},"#),                // trailing comma
        line(curve: #"1,2"#),                                              // elements not checkpoints
        line(curve: #"{"i":0,"q":0,"m":{"a":"1"},"d":{}}"#),
        line(curve: String(repeating: "[", count: 62) + String(repeating: "]", count: 62)),  // depth 64: valid JSON, no checkpoint
        line(curve: String(repeating: "[", count: 63) + String(repeating: "]", count: 63)),  // depth 65: invalid JSON
        #"{"run_id":"r1","curve":5,"fingerprint":"legacy"}"#,
        #"{"curve":[],"seconds":1,"policy":[],"final":{},"queries":0,"iterations":0,"error":"e\"\u00e9","status":"failed","fingerprint":"old","run_id":"r\n"}"#,
        "  " + line(curve: canonicalCurve) + " \t\r",
        line(curve: canonicalCurve) + " x",
        line(curve: canonicalCurve, tail: #","policy":[],"seconds":0.5,"curve":[]}"#),  // duplicate top-level key
        line(curve: canonicalCurve, tail: #","policy":[],"seconds":0.5,"more":{"curve":[1]}}"#),
        "[" + line(curve: "") + "]",
        "{}",
        "\u{FEFF}" + line(curve: ""),
        line(curve: #"{"i":0,"q":0,"m":{"a":1},"d":{}}"#).replacingOccurrences(of: "\"a\"", with: "\"\u{00e9}\""),
        // Format 2: the writer's form, other valid forms (whitespace, member order, escapes,
        // spellings), and invalid ones.
        line2(curve: canonicalCurve2),
        line2(curve: #"{"m":[],"d":[],"rows":[]}"#),
        line2(curve: #"{"m":["a"],"d":["b"],"rows":[]}"#),                           // names without rows
        line2(curve: #"{"m":["a"],"d":[],"rows":[ [0,0,1] , [1,1,null] ]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0, 0, 1.50],[1,1,1E+2]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,null]]}"#),                     // a column with no value
        line2(curve: #"{"rows":[[0,0,1]],"d":[],"m":["a"]}"#),                        // another member order
        line2(curve: #"{ "m" : ["a"], "d":[],"rows":[[0,0,1]]}"#),
        line2(curve: #"{"m":["\u0061","b"],"d":[],"rows":[[0,0,1,2]]}"#),
        line2(curve: #"{"m":["b","a"],"d":[],"rows":[[0,0,1,2]]}"#),                  // names not sorted
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0]]}"#),                          // row too short
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1,2]]}"#),                      // row too long
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,"1"]]}"#),                      // a string value
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,[1]]]}"#),                      // a nested value
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0.5,0,1]]}"#),                      // iteration not an integer
        line2(curve: #"{"m":["a"],"d":[],"rows":[[-0,0,1]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[null,0,1]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1e400]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1e-400]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,NaN]]}"#),
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1],]}"#),                       // trailing comma
        line2(curve: #"{"m":["a","a"],"d":[],"rows":[[0,0,1,2]]}"#),                  // a repeated name
        line2(curve: #"{"m":[1],"d":[],"rows":[[0,0,1]]}"#),                          // a name not a string
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1]],"x":1}"#),                  // an unknown member
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1]],"rows":[]}"#),              // a repeated member
        line2(curve: #"{"m":["a"],"d":[],"rows":[[0,0,1]]"#),                         // not closed
        line2(curve: #"{"m":["a"],"d":[]}"#),                                          // no rows
    ]

    /// Each line, as line 2 after a header and as line 1, followed by a good line: the same
    /// header, records (bit for bit) and valid prefix as the whole-line reader, for read buffers
    /// of 1, 7, 64 bytes and 1 MiB.
    @Test(arguments: lines.indices)
    func sameOutcomeAsTheWholeLineReader(_ k: Int) throws {
        for text in [Self.header + "\n" + Self.lines[k] + "\n" + Self.line("after", curve: "") + "\n",
                     Self.lines[k] + "\n" + Self.line("after", curve: "") + "\n"] {
            let bytes = Array(text.utf8)
            let expected = Self.wholeLineDecode(bytes)
            for blockSize in [1, 7, 64, 1 << 20] {
                let got = Journal.decode(bytes, blockSize: blockSize)
                #expect(got.header == expected.header, "line \(k), block \(blockSize)")
                #expect(got.goodEnd == expected.goodEnd, "line \(k), block \(blockSize)")
                #expect(got.records == expected.records, "line \(k), block \(blockSize)")
                #expect(zip(got.records, expected.records).allSatisfy { Self.bits($0) == Self.bits($1) }, "line \(k): values differ in their bits")
            }
        }
    }

    /// Every value of a record as bit patterns (so -0 and +0 differ).
    static func bits(_ r: RunRecord) -> [UInt64] {
        func d(_ x: [String: Double]) -> [UInt64] { x.keys.sorted().map { x[$0]!.bitPattern } }
        return d(r.finalMetrics) + r.curve.flatMap { [UInt64(bitPattern: Int64($0.iteration)), UInt64(bitPattern: Int64($0.queries))] + d($0.metrics) + d($0.diagnostics) }
            + r.policy.flatMap { $0.map(\.bitPattern) } + [r.seconds.bitPattern]
    }

    /// Number literals in a curve decode to `Double(literal)` bit for bit (the value written here
    /// is computed independently by the standard library's parser); -0 stays -0 when written so.
    @Test(arguments: ["0", "-0", "-0.0", "5e-324", "4.9406564584124654e-324", "1e-320", "2.2250738585072014e-308",
                      "2.225073858507201e-308", "1.7976931348623157e308", "1e308", "0.1", "0.30000000000000004",
                      "-1.5E+10", "1.0", "123456789012345678", "9007199254740993", "1e-05", "123456789012345.6"])
    func numbersDecodeBitForBit(_ literal: String) throws {
        let text = Self.line(curve: #"{"i":0,"q":0,"m":{"a":\#(literal)},"d":{"b":\#(literal)}}"#) + "\n"
        let expected = try #require(Double(literal))
        for blockSize in [3, 1 << 20] {
            let got = Journal.decode(Array(text.utf8), blockSize: blockSize)
            let point = try #require(got.records.first?.curve.first)
            #expect(point.metrics["a"]?.bitPattern == expected.bitPattern)
            #expect(point.diagnostics["b"]?.bitPattern == expected.bitPattern)
        }
    }

    /// A partial last line and a corrupt middle line: the valid prefix is the lines before them,
    /// byte for byte (goodEnd = header + the complete lines kept), the rest is discarded.
    @Test func partialAndCorruptLinesEndThePrefix() throws {
        let good = Self.line(curve: Self.canonicalCurve) + "\n"
        let head = Self.header + "\n"
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let cases: [(text: String, kept: Int, goodEnd: Int)] = [
            (head + good + good + String(good.dropLast(20)), 2, head.utf8.count + 2 * good.utf8.count),
            (head + good + String(good.dropLast()), 1, head.utf8.count + good.utf8.count),          // no newline
            (head + good + good.replacingOccurrences(of: "0.125}", with: "0.125") + good, 1, head.utf8.count + good.utf8.count),
            (head + good.replacingOccurrences(of: "\"i\":2", with: "\"i\":2x") + good, 0, head.utf8.count),
        ]
        for c in cases {
            try Data(c.text.utf8).write(to: url)
            for blockSize in [5, 1 << 20] {
                let contents = try Journal.read(url, curves: .memory, blockSize: blockSize)
                #expect(contents.records.count == c.kept && contents.goodEnd == c.goodEnd)
                #expect(contents.discardedBytes == c.text.utf8.count - c.goodEnd)
                #expect(contents.header?.experiment == "e")
            }
        }
    }
}
