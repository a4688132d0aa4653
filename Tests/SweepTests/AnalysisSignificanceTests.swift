import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// tests.csv against scipy 1.17: `ttest_ind(a, b, equal_var=False)` (t, p), the
/// Welch–Satterthwaite df computed with numpy, `mannwhitneyu(b, a).statistic / (n·m)` (both metrics
/// here are lower-is-better, so prob_improvement is P(X_a < X_b) + ½P(=)) and Holm's
/// adjustment written out by hand (sorted p-values, (m − j + 1)·p, running maximum).
struct AnalysisSignificanceTests {
    static let spec = """
    {
      "name": "sig",
      "environments": [{"id": "rps", "kind": "cyclic"}],
      "budget": {"iterations": 1},
      "seeds": 5,
      "algorithms": [
        {"id": "exact-only", "label": "a", "grid": {"eta": [0.1, 0.5]}},
        {"id": "exact-only", "label": "b"},
        {"id": "exact-only", "label": "c"},
        {"id": "exact-only", "label": "d"}
      ]
    }
    """
    /// Final exploitability per label and seed (ties across a, b and c on purpose).
    static let exploitability: [String: [Double]] = [
        "a": [0.12, 0.15, 0.11, 0.15, 0.13],
        "b": [0.15, 0.21, 0.18, 0.16, 0.22],
        "c": [0.30, 0.25, 0.31, 0.27, 0.15],
        "d": [0.40],  // seeds 1–4 failed: fewer than 2 observations
    ]
    /// Final KL to μ (a and b only; c and d lack the metric).
    static let kl: [String: [Double]] = ["a": [1.0, 1.2, 0.9, 1.1, 1.05], "b": [0.8, 0.85, 0.9, 0.7, 0.95]]

    static func table() throws -> [[String]] {
        let spec = try testSpec(Self.spec)
        let (plans, records) = try AnalysisFixtures.records(spec) { label, config, seed in
            // a's other configuration (eta=0.1) is worse (higher exploitability) and must not be used.
            if label == "a" && config == "eta=0.1" { return .init(policy: [[1, 0, 0]], metrics: ["exploitability": 0.45]) }
            guard let e = exploitability[label], seed < e.count else { return nil }
            var metrics = ["exploitability": e[seed]]
            metrics["kl_to_reference"] = kl[label]?[seed]
            return .init(policy: [[1, 0, 0]], metrics: metrics)
        }
        return try AnalysisFixtures.rows(SignificanceTable.csv(AnalysisInput(spec: spec, plans: plans, records: records,
                                                                             selection: .default)))
    }

    @Test func header() throws {
        #expect(try Self.table()[0] == ["environment", "metric", "algorithm_a", "config_a", "algorithm_b", "config_b", "n_a", "n_b",
                                        "mean_a", "mean_b", "t", "df", "p_value", "p_holm", "prob_improvement",
                                        "eval_tau_a", "eval_tau_b"])
    }

    /// Tolerances: 1e-12 relative for t, df and p (GSL's t CDF against scipy's), exact for means
    /// and probabilities of improvement (ratios of small integers).
    @Test(arguments: [
        // (a, b, mean_a, mean_b, t, df, p, p_holm, prob_improvement)
        ("a", "b", 0.132, 0.184, -3.288768766575114, 6.461283986353768, 0.01494610840651391, 0.030726648034202064, 0.96),
        ("a", "c", 0.132, 0.256, -4.1800391472721, 4.623614826136798, 0.010242216011400688, 0.030726648034202064, 0.96),
        ("b", "c", 0.184, 0.256, -2.2745664849836285, 5.7334635349745575, 0.06529550167890921, 0.06529550167890921, 0.82),
    ])
    func exploitabilityFamilyMatchesScipy(_ row: (String, String, Double, Double, Double, Double, Double, Double, Double)) throws {
        let rows = try Self.table()
        let configA = row.0 == "a" ? "eta=0.5" : "default"
        func v(_ column: String) -> Double? {
            AnalysisFixtures.cell(rows, key: ["rps", "exploitability", row.0, configA, row.1, "default"], column: column).flatMap(Double.init)
        }
        func close(_ x: Double?, _ y: Double) -> Bool { x.map { abs($0 - y) <= 1e-12 * max(1, abs(y)) } ?? false }
        #expect(v("n_a") == 5 && v("n_b") == 5)
        #expect(close(v("mean_a"), row.2) && close(v("mean_b"), row.3))
        #expect(close(v("t"), row.4))
        #expect(close(v("df"), row.5))
        #expect(close(v("p_value"), row.6))
        #expect(close(v("p_holm"), row.7))
        #expect(v("prob_improvement") == row.8)
    }

    /// Pairs with d (one observation): no t-test and no Holm entry, but means and the probability of
    /// improvement (1: d's 0.40 is above every value of a, b and c, so each of them has the lower,
    /// better exploitability).
    @Test func pairsWithOneObservationHaveBlankTestCells() throws {
        let rows = try Self.table()
        for a in ["a", "b", "c"] {
            let key = ["rps", "exploitability", a, a == "a" ? "eta=0.5" : "default", "d", "default"]
            #expect(AnalysisFixtures.cell(rows, key: key, column: "n_b") == "1")
            #expect(AnalysisFixtures.cell(rows, key: key, column: "mean_b") == "0.4")
            for c in ["t", "df", "p_value", "p_holm"] { #expect(AnalysisFixtures.cell(rows, key: key, column: c) == "") }
            #expect(AnalysisFixtures.cell(rows, key: key, column: "prob_improvement") == "1")
        }
    }

    /// The Holm family is one environment and one metric: kl_to_reference has a single tested pair,
    /// so p_holm = p. Pairs with c (no values) have n_b = 0 and empty cells; a metric nobody has gives
    /// no rows.
    @Test func familiesAreSeparatePerMetric() throws {
        let rows = try Self.table()
        let key = ["rps", "kl_to_reference", "a", "eta=0.5", "b", "default"]
        let p = Double(AnalysisFixtures.cell(rows, key: key, column: "p_value")!)!
        // scipy: t = 3.184011783031394, df = 7.825277849573534, p = 0.013295894975267335,
        // mannwhitneyu(b, a).statistic/(nm) = 0.06 (KL to μ is lower-is-better; a's values are larger).
        #expect(abs(p - 0.013295894975267335) < 1e-12 * 0.0133)
        #expect(AnalysisFixtures.cell(rows, key: key, column: "p_holm") == AnalysisFixtures.cell(rows, key: key, column: "p_value"))
        #expect(abs(Double(AnalysisFixtures.cell(rows, key: key, column: "t")!)! - 3.184011783031394) < 1e-12)
        #expect(abs(Double(AnalysisFixtures.cell(rows, key: key, column: "df")!)! - 7.825277849573534) < 1e-12)
        #expect(AnalysisFixtures.cell(rows, key: key, column: "prob_improvement") == "0.06")
        let withC = ["rps", "kl_to_reference", "a", "eta=0.5", "c", "default"]
        #expect(AnalysisFixtures.cell(rows, key: withC, column: "n_b") == "0")
        #expect(AnalysisFixtures.cell(rows, key: withC, column: "mean_b") == "")
        #expect(AnalysisFixtures.cell(rows, key: withC, column: "prob_improvement") == "")
        #expect(!rows.contains { $0[1] == "true_reward" || $0[1] == "win_rate_vs_reference" })
        // exploitability: all 6 pairs; kl_to_reference: 5 (c–d has no values on either side).
        #expect(rows.count == 1 + 6 + 5)
    }
}
