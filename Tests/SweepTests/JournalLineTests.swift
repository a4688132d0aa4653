import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// The journal's direct encoder writes exactly `json.compactText` + "\n" (the format the reader
/// decodes), for every kind of record, and the line decodes back to the same record.
struct JournalLineTests {
    static let fingerprint = RunFingerprint(definition: "d1", inputs: "i\"2", algorithm: "a3", harness: "h4", libraries: "l5")

    static let records: [RunRecord] = [
        // ok, metrics and diagnostics, a key set that changes between checkpoints, escapes in the note.
        RunRecord(runID: "r-1", fingerprint: fingerprint, status: .ok, error: "note: \"π*_τ\" unavailable\n\ttab",
                  iterations: 20, queries: 1_000_000,
                  finalMetrics: ["exploitability": 0.1, "kl_to_reference": 1e-5, "win_rate_vs_reference": 0.5],
                  curve: [CurvePoint(iteration: 0, queries: 0, metrics: ["exploitability": 0.25, "kl_to_reference": 0],
                                     diagnostics: ["wins": 2, "beta": -0.0]),
                          CurvePoint(iteration: 10, queries: 7, metrics: ["exploitability": 1.0 / 3.0, "kl_to_reference": 5e-324],
                                     diagnostics: ["wins": 1e16, "beta": 0.1]),
                          CurvePoint(iteration: 20, queries: 1_000_000,
                                     metrics: ["exploitability": 0.1, "kl_to_reference": 1e-5, "win_rate_vs_reference": 0.5],
                                     diagnostics: [:])],
                  policy: [[0.2, 0.30000000000000004, 0.5], [1, 0, 0]], seconds: 0.012345),
        // failed, nothing recorded.
        RunRecord(runID: "r,2", fingerprint: .legacy("old"), status: .failed, error: "NaN at iteration 3",
                  iterations: 3, queries: 0, finalMetrics: [:], curve: [], policy: [], seconds: 1),
        // ok without a note, one checkpoint, one context.
        RunRecord(runID: "r3", fingerprint: fingerprint, status: .ok, error: nil, iterations: 0, queries: 0,
                  finalMetrics: ["exploitability": 123456789012345.6], curve: [CurvePoint(iteration: 0, queries: 0,
                  metrics: ["exploitability": 123456789012345.6], diagnostics: [:])], policy: [[1]], seconds: 2.5e-7),
    ]

    @Test(arguments: 0..<records.count)
    func lineIsTheCompactJSON(_ k: Int) throws {
        let record = Self.records[k]
        let line = record.journalLine
        #expect(String(decoding: line, as: UTF8.self) == record.json.compactText + "\n")
        let decoded = Journal.decode(line)
        #expect(decoded.records == [record])
        #expect(decoded.goodEnd == line.count)
    }
}

/// The journal's curve formats (`RunRecord.journalCurveFormat`): format 2 written, with the
/// column names once per run; format 1 (one object per checkpoint, journals written before it)
/// still read, to the same records.
struct JournalCurveFormatTests {
    static let head = #"{"run_id":"r","fingerprint":{"definition":"d","inputs":"i","algorithm":"a","harness":"h","libraries":"l"},"status":"ok","error":null,"iterations":10,"queries":7,"final":{"exploitability":0.5},"curve":"#
    static let tail = #","policy":[[0.25,0.75]],"seconds":2}"# + "\n"

    /// The record both lines below hold: a metric absent at one checkpoint, a diagnostic at the other.
    static let record = RunRecord(
        runID: "r", fingerprint: RunFingerprint(definition: "d", inputs: "i", algorithm: "a", harness: "h", libraries: "l"),
        status: .ok, error: nil, iterations: 10, queries: 7, finalMetrics: ["exploitability": 0.5],
        curve: [CurvePoint(iteration: 0, queries: 0, metrics: ["exploitability": 0.25, "kl_to_reference": 0], diagnostics: [:]),
                CurvePoint(iteration: 10, queries: 7, metrics: ["exploitability": 0.5], diagnostics: ["beta": 1e-300])],
        policy: [[0.25, 0.75]], seconds: 2)

    /// Format 2, written by hand: names sorted, a column only for a name present at some checkpoint, null where absent.
    static let format2 = head + #"{"m":["exploitability","kl_to_reference"],"d":["beta"],"rows":[[0,0,0.25,0,null],[10,7,0.5,null,1e-300]]}"# + tail
    /// Format 1, written by hand (what bench wrote before format 2).
    static let format1 = head + #"[{"i":0,"q":0,"m":{"exploitability":0.25,"kl_to_reference":0},"d":{}},{"i":10,"q":7,"m":{"exploitability":0.5},"d":{"beta":1e-300}}]"# + tail

    @Test func writesFormat2() {
        #expect(String(decoding: Self.record.journalLine, as: UTF8.self) == Self.format2)
    }

    @Test(arguments: [format2, format1])
    func readsBothFormats(_ line: String) throws {
        let decoded = Journal.decode(Array(line.utf8))
        #expect(decoded.records == [Self.record])
        #expect(decoded.goodEnd == line.utf8.count)
    }

    /// A journal of format-1 lines read as a sweep reads it (checkpoints spilled, lines checked)
    /// and rewritten becomes format 2: a format-1 line is never copied, and the rewrite is the
    /// header followed by `journalLine` of each record.
    @Test func rewriteOfFormat1WritesFormat2() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let header = JournalHeader(experiment: "e", specHash: "s", resultsHash: "r")
        let headerLine = header.json.compactText + "\n"
        try Data((headerLine + Self.format1 + Self.format2).utf8).write(to: url)
        let scratch = try ScratchDirectory(in: dir)
        defer { scratch.remove() }
        let read = try Journal.read(url, curves: .spill(scratch), verifyCanonical: true)
        #expect(read.records.count == 2 && read.sources.map(\.canonical) == [false, true])
        let journal = try Journal.rewrite(url, header: header, records: read.records, sources: read.sources)
        journal.close()
        #expect(try String(contentsOf: url, encoding: .utf8) == headerLine + Self.format2 + Self.format2)
    }

    /// Malformed curve values: the line is not a record (the journal's valid prefix ends before it).
    @Test(arguments: [
        #"{"m":["exploitability"],"d":[],"rows":[[0,0]]}"#,                         // row shorter than its columns
        #"{"m":["exploitability"],"d":[],"rows":[[0,0,0.1,0.2]]}"#,                 // row longer
        #"{"m":["exploitability"],"d":[],"rows":[[0,0,"0.1"]]}"#,                   // a string value
        #"{"m":["exploitability"],"d":[],"rows":[[0.5,0,0.1]]}"#,                   // a fractional iteration
        #"{"m":["exploitability","exploitability"],"d":[],"rows":[[0,0,0.1,0.2]]}"#, // a repeated name
        #"{"m":[1],"d":[],"rows":[[0,0,0.1]]}"#,                                    // a name that is not a string
        #"{"m":["exploitability"],"d":[],"rows":[[0,0,0.1]],"x":1}"#,               // an unknown member
        #"{"m":["exploitability"],"rows":[[0,0,0.1]]}"#,                            // no diagnostics list
        #"[{"i":0,"q":0,"m":{"exploitability":null},"d":{}}]"#,                     // format 1 with a null value
    ])
    func rejectsMalformedCurves(_ curve: String) {
        let line = Self.head + curve + Self.tail
        let decoded = Journal.decode(Array(line.utf8))
        #expect(decoded.records.isEmpty && decoded.goodEnd == 0)
    }
}
