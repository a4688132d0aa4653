import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// The recorder's journal text (`CurveRecorder`, written while the run executes) is byte for byte
/// the `"curve"` value `RunRecord.appendJournalCurve` encodes for the same checkpoints held in
/// memory: a column for each metric and diagnostic with a value at any checkpoint, whatever the
/// pattern of absent values — a declared diagnostic never reported, one reported only from a later
/// checkpoint (the text is then re-printed from the spill), one only at the first, a metric absent
/// at the first checkpoint or at every other.
struct CurveRecorderTests {
    /// Values of `name` at checkpoint k of `count` under `pattern` (NaN: absent).
    static func value(_ pattern: String, _ k: Int, _ count: Int) -> Double {
        let v = 1.0 / Double(k + 3) + (pattern == "always" ? 0 : 0.25)
        switch pattern {
        case "always": return v
        case "never": return .nan
        case "first": return k == 0 ? v : .nan
        case "late": return k >= count / 2 && k > 0 ? v : .nan
        case "last": return k == count - 1 && k > 0 ? v : .nan
        case "alternate": return k % 2 == 1 ? v : .nan
        default: preconditionFailure(pattern)
        }
    }

    /// (metric patterns, diagnostic patterns); metric names are real metric ids, in `Metric.ids` order.
    static let cases: [([String], [String])] = [
        (["always", "always"], []),
        (["always", "always"], ["never"]),
        (["always", "late"], ["never", "late"]),
        (["first", "alternate"], ["last", "always", "never"]),
        (["never", "always"], ["first"]),
        (["never", "never"], ["never"]),
    ]

    @Test(arguments: cases.indices, [1, 2, 9, 3001])
    func textIsTheInMemoryEncoding(_ c: Int, checkpoints: Int) throws {
        let (metricPatterns, diagnosticPatterns) = Self.cases[c]
        let metricNames = Array(Metric.ids.prefix(metricPatterns.count))
        let diagnosticNames = diagnosticPatterns.indices.map { "diag\($0)" }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scratch = try ScratchDirectory(in: dir)
        let recorder = try CurveRecorder(scratch: scratch, runID: "r", metricNames: metricNames, diagnosticNames: diagnosticNames)
        recorder.journalMetrics(Array(metricNames.indices))
        var points: [CurvePoint] = []
        for k in 0..<checkpoints {
            let values = metricPatterns.map { Self.value($0, k, checkpoints) } + diagnosticPatterns.map { Self.value($0, k, checkpoints) }
            recorder.append(iteration: 3 * k, queries: 7 * k, values: values)
            var metrics: [String: Double] = [:], diagnostics: [String: Double] = [:]
            for (i, n) in metricNames.enumerated() where !values[i].isNaN { metrics[n] = values[i] }
            for (i, n) in diagnosticNames.enumerated() where !values[metricNames.count + i].isNaN { diagnostics[n] = values[metricNames.count + i] }
            points.append(CurvePoint(iteration: 3 * k, queries: 7 * k, metrics: metrics, diagnostics: diagnostics))
        }
        let (spill, textURL) = try recorder.finish()
        #expect(spill.count == checkpoints)
        let record = RunRecord(runID: "r", fingerprint: JournalLineTests.fingerprint, status: .ok, error: nil, iterations: 3 * (checkpoints - 1),
                               queries: 0, finalMetrics: [:], curve: points, policy: [[1]], seconds: 0)
        var expected: [UInt8] = []
        record.appendJournalCurve(to: &expected)
        let text = try [UInt8](Data(contentsOf: textURL))
        #expect(text == expected, "case \(c), \(checkpoints) checkpoints: \(String(decoding: text.prefix(120), as: UTF8.self))")
    }
}
