import AlignmentCore
import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// aggregates.csv's choices: the runs are the selected configuration's (the one pairwise.csv
/// uses), a label without values is left out, a τ-dependent metric measured at several τ has no
/// rows, and B = 0 leaves the interval cells empty. Expected values are recomputed here from
/// runs.csv with loops written out in the test.
struct AggregateTableTests {
    /// exact-only has a grid (selection matters; the per-run environment makes seeds differ);
    /// lambda-regularized evaluates the regularized metrics at its own τ = 0.5 ≠ 0.1 (no spec
    /// tau); failing fails every run.
    static let text = """
    {
      "name": "aggtable",
      "environments": [
        {"id": "r4", "kind": "random", "actions": 4, "contexts": 2, "seed": "per-run"},
        {"id": "rps", "kind": "cyclic"}
      ],
      "budget": {"iterations": 15},
      "record_every": 5,
      "seeds": 4,
      "algorithms": [
        {"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 2]}},
        {"id": "lambda-regularized", "params": {"lambda": 0.5, "eta": 0.3}},
        {"id": "failing", "params": {"fail_at": 2}}
      ]
    }
    """

    @Test func selectedRunsLabelsTauAndNoBootstrap() throws {
        let spec = try testSpec(Self.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let table = try readCSV(dir.appendingPathComponent("aggregates.csv"))
        let pairwise = try readCSV(dir.appendingPathComponent("pairwise.csv"))
        let col = { (rows: [[String]], name: String) in rows[0].firstIndex(of: name)! }
        let body = table.dropFirst()

        // Labels: failing (no ok run) has no row; no τ-dependent metric (τ 0.1 against 0.5).
        let exploitRows = body.filter { $0[0] == "exploitability" && $0[4] == "iqm" && $0[3] == "none" }
        #expect(exploitRows.map { $0[5] } == ["exact-only", "lambda-regularized"])
        #expect(!body.contains { $0[0] == "regularized_gap" || $0[0] == "kl_from_regularized_equilibrium" })
        // B = 0: every interval cell empty.
        #expect(body.allSatisfy { $0[11].isEmpty && $0[12].isEmpty })

        // The selected configuration per environment: lowest mean exploitability, ties to the
        // earlier grid point; it must be the one pairwise.csv compares with μ.
        let (env, alg, cfg, status, ex) = (col(runs, "environment"), col(runs, "algorithm"), col(runs, "config"),
                                           col(runs, "status"), col(runs, "exploitability"))
        var pooled: [Double] = []
        for e in ["r4", "rps"] {
            var best: (config: String, mean: Double, values: [Double])?
            for c in ["eta=0.1", "eta=2"] {
                let values = runs.dropFirst().filter { $0[env] == e && $0[alg] == "exact-only" && $0[cfg] == c && $0[status] == "ok" }
                    .map { Double($0[ex])! }
                guard !values.isEmpty else { continue }
                let mean = values.reduce(0, +) / Double(values.count)
                if best == nil || mean < best!.mean - 1e-12 * max(1, abs(mean)) { best = (c, mean, values) }
            }
            let chosen = try #require(best)
            let row = try #require(pairwise.first { $0[0] == e && $0[1] == "reference" && $0[3] == "exact-only" })
            #expect(row[4] == chosen.config, "\(e): pairwise.csv compares \(row[4]), the test chose \(chosen.config)")
            pooled += chosen.values
        }
        let sorted = pooled.sorted(), cut = sorted.count / 4
        var total = 0.0
        for v in sorted[cut..<(sorted.count - cut)] { total += v }
        let iqm = total / Double(sorted.count - 2 * cut)
        #expect(exploitRows[0][8] == "2" && exploitRows[0][9] == "8")
        #expect(abs(Double(exploitRows[0][10])! - iqm) <= 1e-12 * max(1, abs(iqm)), "IQM \(exploitRows[0][10]) vs \(iqm)")
        // One improvement row per metric with rows (one pair), none under min-max.
        #expect(body.filter { $0[4] == "probability_of_improvement" }.allSatisfy { $0[3] == "none" && $0[5] == "exact-only" && $0[6] == "lambda-regularized" })
        // 101 profile thresholds per label and normalisation, ascending, min-max spanning [0, 1].
        let profile = body.filter { $0[0] == "exploitability" && $0[3] == "min-max" && $0[4] == "profile" && $0[5] == "exact-only" }
        #expect(profile.count == 101)
        #expect(profile.first![7] == "0" && profile.last![7] == "1")
    }
}
