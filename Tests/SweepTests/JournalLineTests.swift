import AlignmentCore
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
