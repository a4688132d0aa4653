import Foundation
import Testing

/// A spec's `metrics` through the real binary: a 1500-action game (above the old cap of 1000)
/// sweeps with exploitability only — no π*_τ, no Nash LP (which alone would take minutes at this
/// size) — leaving the other metric columns blank; a figure on an unlisted metric is refused in one
/// line naming the figure.
struct MetricSelectionCLITests {
    static let spec = """
    {"name": "big", "environments": [{"id": "r", "kind": "random", "actions": 1500}],
     "budget": {"iterations": 3}, "record_every": 1, "tau": 0.1, "metrics": ["exploitability"],
     "algorithms": [{"id": "nash-md"}],
     "figures": [{"id": "gap", "kind": "bars", "metric": "exploitability"}]}
    """

    @Test func largeGameWithExploitabilityOnly() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "big", in: dir)
        let out = try BenchProcess.run(["sweep", "big", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(out.status == 0, "\(out.stderr)")
        let runs = try parseCSV(String(contentsOf: dir.appendingPathComponent("Results/big/runs.csv"), encoding: .utf8))
        let curves = try parseCSV(String(contentsOf: dir.appendingPathComponent("Results/big/curves.csv"), encoding: .utf8))
        let metrics = ["exploitability", "regularized_gap", "win_rate_vs_reference", "kl_to_reference", "true_reward",
                       "kl_from_regularized_equilibrium", "nash_distance", "restricted_gap", "kl_from_restricted_equilibrium"]
        for table in [runs, curves] {
            let h = table[0]
            #expect(table.count > 1)
            for row in table.dropFirst() {
                for id in metrics {
                    let cell = row[try #require(h.firstIndex(of: id), "\(id) column")]
                    if id == "exploitability" {
                        // max_y P(y ≻ π) − ½ lies in [0, ½] for every policy.
                        let v = try #require(Double(cell))
                        #expect(v >= 0 && v <= 0.5)
                    } else {
                        #expect(cell.isEmpty, "\(id) = \(cell)")
                    }
                }
            }
        }
        #expect(runs[1][runs[0].firstIndex(of: "status")!] == "ok")
        #expect(curves.count == 1 + 4)  // iterations 0…3
    }

    @Test func figureOnAnUnlistedMetricIsRefused() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = Self.spec.replacingOccurrences(of: #""id": "gap", "kind": "bars", "metric": "exploitability""#,
                                                  with: #""id": "dist", "kind": "bars", "metric": "nash_distance""#)
        try writeSpec(spec, name: "big", in: dir)
        for command in ["validate", "sweep"] {
            let out = try BenchProcess.run([command, "big"], in: dir, path: "/nonexistent")
            #expect(out.status == 3)
            #expect(out.stderr == #"error: Experiments/big.json: $.figures[0].metric: figure "dist" needs metric "nash_distance", which the spec's "metrics" does not list (it is not computed); allowed: a metric listed in $.metrics (exploitability) or a diagnostic, or add "nash_distance" to $.metrics"# + "\n")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
    }
}
