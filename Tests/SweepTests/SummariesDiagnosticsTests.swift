import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Plugin diagnostics in summary.csv: one further metric row per group and declared diagnostic,
/// the value of a run being the diagnostic at its last recorded checkpoint.
struct SummariesDiagnosticsTests {
    static let text = """
    {"name": "diag", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 10}, "seeds": 4,
     "feedback": "sampled",
     "algorithms": [{"id": "label-spender", "params": {"per_iteration": 3}}, {"id": "failing", "params": {"fail_at": 2}}]}
    """

    /// Records of label-spender whose "wins" is `2·v` at iteration 0 and `v` = values[i] at the last
    /// checkpoint (iteration 10) of replicate i; the failing entry's runs all failed.
    static func records(_ spec: ExperimentSpec, _ plans: [RunPlan], values: [Double]) -> [String: RunRecord] {
        var out: [String: RunRecord] = [:]
        for p in plans {
            let v = values[p.replicate]
            let ok = p.algorithm == 0
            out[p.runID] = RunRecord(
                runID: p.runID, fingerprint: p.fingerprint, status: ok ? .ok : .failed, error: ok ? nil : "diverged",
                iterations: 10, queries: 30, finalMetrics: ok ? ["exploitability": 0] : [:],
                curve: ok ? [CurvePoint(iteration: 0, queries: 0, metrics: ["exploitability": 0], diagnostics: ["wins": 2 * v]),
                             CurvePoint(iteration: 10, queries: 30, metrics: ["exploitability": 0], diagnostics: ["wins": v])]
                    : [CurvePoint(iteration: 0, queries: 0, metrics: ["exploitability": 0], diagnostics: [:])],
                policy: ok ? [[1.0 / 3, 1.0 / 3, 1.0 / 3]] : [], seconds: 0)
        }
        return out
    }

    /// Last-checkpoint values 0.1, 0.2, 0.4, 0.7 by hand: mean 0.35, sd = √(0.21/3) = √0.07,
    /// median 0.3, IQM = mean(0.2, 0.4) = 0.3, min 0.1, max 0.7 (tolerance 1e-12; the iteration-0
    /// values, twice as large, must not enter). The failing plugin declares no diagnostic, so its
    /// group has no "wins" row even though its runs failed.
    @Test func diagnosticRowUsesTheLastCheckpoint() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        let csv = try Summaries.summaryCSV(spec: spec, plans: plans, records: Self.records(spec, plans, values: [0.1, 0.2, 0.4, 0.7]),
                                           bootstrapSamples: 200)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let wins = rows.filter { $0[3] == "wins" }
        #expect(wins.count == 1)
        let r = try #require(wins.first)
        #expect(Array(r[0..<6]) == ["rps", "label-spender", "default", "wins", "4", "0"])
        #expect(r.last == "")   // eval_tau: a diagnostic does not depend on the evaluation τ
        let x = r[6..<(r.count - 1)].map { Double($0)! }
        #expect(abs(x[0] - 0.35) < 1e-12)
        #expect(abs(x[1] - 0.07.squareRoot()) < 1e-12)
        #expect(abs(x[5] - 0.3) < 1e-12 && abs(x[6] - 0.3) < 1e-12)
        #expect(x[9] == 0.1 && x[10] == 0.7)
        // The diagnostic row follows the metric rows of its group.
        let labelRows = rows.filter { $0[1] == "label-spender" }.map { $0[3] }
        #expect(labelRows.last == "wins" && labelRows.dropLast().allSatisfy { Metric.ids.contains($0) })
        // The failing group keeps its blank metric rows (runs failed) but gets no diagnostic row.
        let failingRows = rows.filter { $0[1] == "failing" }
        #expect(failingRows.map { $0[3] } == Metric.ids)
    }

    /// A real sweep: summary.csv's "wins" mean equals the mean over runs of the last curves.csv
    /// row's "wins", computed here from curves.csv (tolerance 1e-12, rounding of a 4-term mean).
    @Test func sweepSummaryMatchesCurvesByHand() throws {
        let spec = try testSpec("""
        {"name": "diag-sweep", "environments": [{"id": "rps", "kind": "cyclic", "label_noise": 0.3}],
         "budget": {"iterations": 7}, "record_every": 3, "seeds": 4, "feedback": "sampled",
         "algorithms": [{"id": "label-spender", "params": {"per_iteration": 5}}, {"id": "exact-only", "feedback": "exact"}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 100))
        let curves = try readCSV(dir.appendingPathComponent("curves.csv"))
        let (id, it, w) = (curves[0].firstIndex(of: "run_id")!, curves[0].firstIndex(of: "iteration")!, curves[0].firstIndex(of: "wins")!)
        var last: [String: (Int, Double)] = [:]
        for row in curves.dropFirst() where !row[w].isEmpty {
            let t = Int(row[it])!
            if t >= (last[row[id]]?.0 ?? -1) { last[row[id]] = (t, Double(row[w])!) }
        }
        #expect(last.count == 4 && last.values.allSatisfy { $0.0 == 7 })  // the final iteration is always recorded
        let mean = last.values.map(\.1).reduce(0, +) / 4
        let summary = try readCSV(dir.appendingPathComponent("summary.csv"))
        let wins = summary.filter { $0.count > 3 && $0[3] == "wins" }
        #expect(wins.count == 1)
        #expect(wins.first.map { Array($0[0..<5]) } == ["rps", "label-spender", "default", "wins", "4"])
        #expect(abs(Double(wins.first![6])! - mean) < 1e-12)
        // bench summarize recomputes the same bytes.
        let before = try bytes(dir.appendingPathComponent("summary.csv"))
        try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 100)
        #expect(try bytes(dir.appendingPathComponent("summary.csv")) == before)
    }
}
