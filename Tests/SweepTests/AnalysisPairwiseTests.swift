import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// pairwise.csv: P(π_a ≻ π_b) between the final policies of μ and the best configuration of every
/// algorithm, against hand derivations and scipy.
struct AnalysisPairwiseTests {
    /// RPS with strength ½: P(0 ≻ 1) = P(1 ≻ 2) = P(2 ≻ 0) = ¾; μ = (0.5, 0.3, 0.2); two seeds.
    static let spec = """
    {
      "name": "pw",
      "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.5}],
      "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
      "budget": {"iterations": 1},
      "seeds": 2,
      "algorithms": [
        {"id": "exact-only", "label": "alpha", "grid": {"eta": [0.1, 0.5]}},
        {"id": "exact-only", "label": "beta"},
        {"id": "exact-only", "label": "gamma"}
      ]
    }
    """

    /// alpha eta=0.5 (exploitability 0.1, chosen over eta=0.1 with 0.3): e₀ then (½, ½, 0);
    /// beta: e₁ then e₂; gamma: e₂ on seed 0, failed on seed 1.
    static func outcome(_ label: String, _ config: String, _ seed: Int) -> AnalysisFixtures.Outcome? {
        switch (label, config, seed) {
        case ("alpha", "eta=0.1", _): return .init(policy: [[0, 0, 1]], metrics: ["exploitability": 0.3])
        case ("alpha", "eta=0.5", 0): return .init(policy: [[1, 0, 0]], metrics: ["exploitability": 0.1])
        case ("alpha", "eta=0.5", _): return .init(policy: [[0.5, 0.5, 0]], metrics: ["exploitability": 0.1])
        case ("beta", _, 0): return .init(policy: [[0, 1, 0]], metrics: ["exploitability": 0.25])
        case ("beta", _, _): return .init(policy: [[0, 0, 1]], metrics: ["exploitability": 0.25])
        case ("gamma", _, 0): return .init(policy: [[0, 0, 1]], metrics: ["exploitability": 0.25])
        default: return nil
        }
    }

    static func table(bootstrap: Int = 0) throws -> [[String]] {
        let spec = try testSpec(Self.spec)
        let (plans, records) = try AnalysisFixtures.records(spec, Self.outcome)
        let input = AnalysisInput(spec: spec, plans: plans, records: records, selection: .default)
        return try AnalysisFixtures.rows(PairwiseTable.csv(input, bootstrapSamples: bootstrap))
    }

    @Test func headerHasTheColumnsTheHeatmapReads() throws {
        let rows = try Self.table()
        #expect(rows[0] == ["environment", "algorithm_a", "config_a", "algorithm_b", "config_b", "n", "mean", "ci_low",
                            "ci_high", "sd", "boot_low", "boot_high"])
        // μ, alpha (best config only), beta, gamma: every ordered pair including the diagonal.
        #expect(rows.count == 1 + 16)
        #expect(rows.dropFirst().map { $0[1] }.prefix(4) == ["reference", "reference", "reference", "reference"])
        #expect(!rows.contains { $0[2] == "eta=0.1" || $0[4] == "eta=0.1" })
    }

    /// Hand values: P(e₀ ≻ e₁) = ¾, P((½,½,0) ≻ e₂) = ½·¼ + ½·¾ = ½; mean ⅝, sd √2/8, 95% t CI
    /// with t_{0.975,1} = 12.706204736174707 (scipy.stats.t.ppf); tolerance 1e-12.
    @Test func valuesMatchHandDerivation() throws {
        let rows = try Self.table()
        func number(_ a: String, _ b: String, _ column: String) -> Double? {
            let configA = a == "alpha" ? "eta=0.5" : "default", configB = b == "alpha" ? "eta=0.5" : "default"
            return AnalysisFixtures.cell(rows, key: ["rps", a, configA, b, configB], column: column).flatMap(Double.init)
        }
        let expected: [(String, String, Double, Double, Double, Double)] = [
            // (a, b, mean, ci_low, ci_high, sd) from numpy/scipy
            ("alpha", "beta", 0.625, -0.9632755920218368, 2.2132755920218368, 0.1767766952966369),
            ("beta", "alpha", 0.375, -1.2132755920218368, 1.9632755920218368, 0.1767766952966369),
            // μ vs alpha: 0.475 = 0.5·½ + 0.3·¼ + 0.2·¾, then 0.525.
            ("reference", "alpha", 0.5, 0.18234488159563272, 0.8176551184043672, 0.03535533905932737),
            // μ vs beta: 0.575 = 0.5·¾ + 0.3·½ + 0.2·¼, then 0.45.
            ("reference", "beta", 0.5125, -0.2816377960109191, 1.306637796010919, 0.08838834764831852),
        ]
        for (a, b, mean, lo, hi, sd) in expected {
            #expect(abs(number(a, b, "mean")! - mean) < 1e-12, "\(a) vs \(b)")
            #expect(abs(number(a, b, "ci_low")! - lo) < 1e-12, "\(a) vs \(b)")
            #expect(abs(number(a, b, "ci_high")! - hi) < 1e-12, "\(a) vs \(b)")
            #expect(abs(number(a, b, "sd")! - sd) < 1e-12, "\(a) vs \(b)")
            #expect(number(a, b, "n") == 2)
        }
        // gamma failed on seed 1: one pair, mean only (P(μ ≻ e₂) = 0.5·¼ + 0.3·¾ + 0.2·½ = 0.45).
        #expect(abs(number("reference", "gamma", "mean")! - 0.45) < 1e-14)
        #expect(number("reference", "gamma", "n") == 1)
        #expect(number("reference", "gamma", "ci_low") == nil && number("reference", "gamma", "sd") == nil)
        #expect(abs(number("gamma", "beta", "mean")! - 0.25) < 1e-14)  // P(e₂ ≻ e₁) = P(2 ≻ 1) = ¼ (1 beats 2)
        // The diagonal is ½ with no spread; bootstrap cells are empty with B = 0.
        for p in ["reference", "alpha", "beta"] {
            #expect(number(p, p, "mean") == 0.5 && number(p, p, "sd") == 0)
            #expect(number(p, p, "boot_low") == nil)
        }
    }

    /// Per seed, P_ab + P_ba = 1 exactly and P_aa = ½; each entry agrees with a direct
    /// Σ_x w_x π_aᵀ P π_b of that replicate's problem to 1e-14 — on a per-run random environment
    /// with two contexts, where every replicate has its own P and μ.
    @Test func antisymmetricPerSeedOnPerRunEnvironment() throws {
        let spec = try testSpec("""
        {"name": "anti", "environments": [{"id": "r4", "kind": "random", "actions": 4, "contexts": 2, "seed": "per-run"}],
         "reference": {"kind": "softmax-normal", "scale": 1}, "budget": {"iterations": 20}, "record_every": 10, "seeds": 3,
         "tau": 0.1, "algorithms": [{"id": "exact-only", "label": "a", "params": {"eta": 0.5}},
                                    {"id": "exact-only", "label": "b", "params": {"eta": 2, "tau": 0.2}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
        let records = Dictionary(uniqueKeysWithValues: Journal.decode(try bytes(dir.appendingPathComponent(ResultStore.journalName)))
            .records.map { ($0.runID, $0) })
        let plans = try GridExpansion.plan(spec)
        let input = AnalysisInput(spec: spec, plans: plans, records: records, selection: .default)
        let participants = try input.pairwiseParticipants(environment: 0)
        #expect(participants.map(\.algorithm) == ["reference", "a", "b"])
        let values = try PairwiseTable.preferences(spec, environment: 0, participants: participants)
        let problems = try PairwiseTable.problems(spec, environment: 0)
        #expect(problems[0].preferences != problems[1].preferences)  // per-run: a new instance per replicate
        for i in 0..<3 {
            // Independent evaluation: explicit triple sum over contexts and action pairs.
            let problem = problems[i]
            func final(_ k: Int) -> [[Double]] {
                k == 0 ? problem.reference.probabilities : participants[k].runs[i]!.policy
            }
            for a in 0..<3 {
                #expect(values[a][a][i] == 0.5)
                for b in 0..<3 where b != a {
                    #expect(values[a][b][i] + values[b][a][i] == 1)
                    var direct = 0.0
                    for x in 0..<problem.contexts {
                        for y in 0..<4 {
                            for z in 0..<4 { direct += problem.contextWeights[x] * final(a)[x][y] * problem.preferences[x][y, z] * final(b)[x][z] }
                        }
                    }
                    #expect(abs(values[a][b][i] - direct) < 1e-14, "replicate \(i): \(a) vs \(b)")
                }
            }
        }
        // The file the sweep wrote is the table computed here.
        let written = try String(contentsOf: dir.appendingPathComponent("pairwise.csv"), encoding: .utf8)
        #expect(written == (try PairwiseTable.csv(input, bootstrapSamples: 0)))
    }

    /// A plugin that returns before `iterations` still has its last reported policy recorded as
    /// final (RunExecutor calls flushFinal on normal completion): iteration 7 in runs.csv and the
    /// curve, (0.7, 0.2, 0.1) in policies.csv, and P(π ≻ μ) from it in pairwise.csv.
    @Test func earlyStoppingPluginsFinalPolicyIsUsed() throws {
        let spec = try ExperimentSpec.parse("""
        {"name": "early", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.5}],
         "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]}, "budget": {"iterations": 30}, "record_every": 5, "seeds": 2, "algorithms": [{"id": "early-stopper"}]}
        """, file: "early.json", catalog: analysisCatalog)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let iterations = runs[0].firstIndex(of: "iterations")!
        #expect(runs.dropFirst().allSatisfy { $0[iterations] == "7" })
        let curves = try readCSV(dir.appendingPathComponent("curves.csv"))
        #expect(curves.dropFirst().map { $0[1] } == ["0", "7", "0", "7"])
        let policies = try readCSV(dir.appendingPathComponent("policies.csv"))
        #expect(policies.dropFirst().allSatisfy { abs(Double($0[3])! - EarlyStopper.final[Int($0[2])!]) < 1e-14 })
        // P(π ≻ μ) = πᵀPμ with Pμ = (0.525, 0.425, 0.55): 0.7·0.525 + 0.2·0.425 + 0.1·0.55 = 0.5075
        // (μ itself, the iteration-0 policy, would give ½).
        let table = try AnalysisFixtures.rows(String(contentsOf: dir.appendingPathComponent("pairwise.csv"), encoding: .utf8))
        let p = Double(AnalysisFixtures.cell(table, key: ["rps", "early-stopper", "default", "reference", "default"], column: "mean")!)!
        #expect(abs(p - 0.5075) < 1e-14)
        #expect(AnalysisFixtures.cell(table, key: ["rps", "early-stopper", "default", "reference", "default"], column: "n") == "2")
    }
}
