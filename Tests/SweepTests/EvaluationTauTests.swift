import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Values measured at different evaluation τ are labelled with their τ (`eval_tau`) and never
/// compared: tests.csv leaves the test cells empty, a τ-dependent best-configuration rule across
/// configurations of different τ is refused.
struct EvaluationTauTests {
    /// No top-level τ: a is measured at its own τ = 0.1, b at 0.5, c at 0.1.
    static let spec = """
    {
      "name": "taus",
      "environments": [{"id": "rps", "kind": "cyclic"}],
      "budget": {"iterations": 1},
      "seeds": 4,
      "algorithms": [
        {"id": "exact-only", "label": "a", "params": {"tau": 0.1}},
        {"id": "exact-only", "label": "b", "params": {"tau": 0.5}},
        {"id": "exact-only", "label": "c", "params": {"tau": 0.1}}
      ]
    }
    """
    static let gap: [String: [Double]] = ["a": [0.010, 0.012, 0.011, 0.013], "b": [0.050, 0.052, 0.049, 0.051],
                                          "c": [0.020, 0.022, 0.021, 0.023]]

    static func table() throws -> [[String]] {
        let spec = try testSpec(Self.spec)
        let (plans, records) = try AnalysisFixtures.records(spec) { label, _, seed in
            .init(policy: [[1, 0, 0]], metrics: ["exploitability": 0.1 + 0.01 * Double(seed), "regularized_gap": gap[label]![seed]])
        }
        return try AnalysisFixtures.rows(SignificanceTable.csv(AnalysisInput(spec: spec, plans: plans, records: records,
                                                                             selection: .default)))
    }

    @Test func testsAcrossDifferentTauAreLeftBlank() throws {
        let rows = try Self.table()
        func cell(_ a: String, _ b: String, _ metric: String, _ column: String) -> String? {
            AnalysisFixtures.cell(rows, key: ["rps", metric, a, "default", b, "default"], column: column)
        }
        // a (τ 0.1) vs b (τ 0.5): means kept, no test, τ of each side written.
        #expect(cell("a", "b", "regularized_gap", "eval_tau_a") == "0.1")
        #expect(cell("a", "b", "regularized_gap", "eval_tau_b") == "0.5")
        #expect(cell("a", "b", "regularized_gap", "mean_a").flatMap(Double.init).map { abs($0 - 0.0115) < 1e-15 } == true)
        for column in ["t", "df", "p_value", "p_holm", "prob_improvement"] {
            #expect(cell("a", "b", "regularized_gap", column) == "", "\(column)")
            #expect(cell("b", "c", "regularized_gap", column) == "", "\(column)")
        }
        // a vs c share τ = 0.1: tested, and alone in the Holm family (p_holm = p).
        #expect(cell("a", "c", "regularized_gap", "eval_tau_a") == "0.1")
        let p = try #require(cell("a", "c", "regularized_gap", "p_value").flatMap(Double.init))
        #expect(cell("a", "c", "regularized_gap", "p_holm").flatMap(Double.init) == p)
        // Every sample of a is below every sample of c, and the gap is lower-is-better: a is better
        // in every pair.
        #expect(cell("a", "c", "regularized_gap", "prob_improvement") == "1")
        // A τ-free metric is compared whatever the τ, with empty eval_tau cells.
        #expect(cell("a", "b", "exploitability", "eval_tau_a") == "")
        #expect(cell("a", "b", "exploitability", "p_value") != "")
    }

    @Test func runsAndSummaryCarryTheEvaluationTau() throws {
        let spec = try testSpec(Self.spec)
        let (plans, records) = try AnalysisFixtures.records(spec) { label, _, seed in
            .init(policy: [[1, 0, 0]], metrics: ["exploitability": 0.1, "regularized_gap": Self.gap[label]![seed]])
        }
        let runs = try AnalysisFixtures.rows(ResultStore.runsCSV(spec: spec, plans: plans, records: records))
        let c = try #require(runs[0].firstIndex(of: "eval_tau"))
        #expect(runs.dropFirst().map { $0[c] } == ["0.1", "0.1", "0.1", "0.1", "0.5", "0.5", "0.5", "0.5", "0.1", "0.1", "0.1", "0.1"])
        let summary = try AnalysisFixtures.rows(Summaries.summaryCSV(spec: spec, plans: plans, records: records, bootstrapSamples: 0))
        #expect(AnalysisFixtures.cell(summary, key: ["rps", "b", "default", "regularized_gap"], column: "eval_tau") == "0.5")
        #expect(AnalysisFixtures.cell(summary, key: ["rps", "b", "default", "exploitability"], column: "eval_tau") == "")
    }

    @Test func aTopLevelTauIsEveryRunsEvaluationTau() throws {
        let spec = try testSpec(Self.spec.replacingOccurrences(of: "\"seeds\": 4,", with: "\"seeds\": 4, \"tau\": 0.2,"))
        for a in spec.algorithms.indices { #expect(EvaluationTau.of(spec: spec, algorithm: a, point: 0) == 0.2) }
    }

    /// Choosing each label's best configuration by regularized_gap when its configurations have
    /// different τ would compare gaps at different τ: the spec is refused (status 3), and so is
    /// `bench summarize --select-by` (usage).
    @Test func selectingByATauMetricAcrossDifferentTauIsRefused() throws {
        let text = """
        {"name": "sel", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 1},
         "select_by": {"metric": "regularized_gap"},
         "algorithms": [{"id": "exact-only", "grid": {"tau": [0.1, 0.5]}}]}
        """
        #expect(throws: SweepError.spec(file: "spec.json", path: "$.select_by.metric",
                                        message: "regularized_gap depends on τ, and the configurations of \"exact-only\" are measured at different τ (0.1, 0.5)",
                                        allowed: "a metric that does not depend on τ, or a top-level \"tau\" so that every configuration is measured at the same τ")) {
            _ = try testSpec(text)
        }
        // With a top-level τ every configuration is measured at the same τ: accepted.
        _ = try testSpec(text.replacingOccurrences(of: "\"budget\"", with: "\"tau\": 0.1, \"budget\""))
        // A τ-free metric is always fine.
        let spec = try testSpec(text.replacingOccurrences(of: "regularized_gap", with: "exploitability"))
        #expect(EvaluationTau.selectionConflict(spec: spec, selection: .init(metric: "kl_from_regularized_equilibrium", goal: .min)) != nil)
        #expect(EvaluationTau.selectionConflict(spec: spec, selection: .default) == nil)
        // `bench summarize --select-by regularized_gap` on such a spec: a usage error, before any file is read.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SweepError.usage("--select-by regularized_gap:min: regularized_gap depends on τ, and the configurations of "
            + "\"exact-only\" are measured at different τ (0.1, 0.5); allowed: a metric that does not depend on τ, or a spec with a "
            + "top-level \"tau\"")) {
            try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 0,
                                           selection: .init(metric: "regularized_gap", goal: .min))
        }
    }
}
