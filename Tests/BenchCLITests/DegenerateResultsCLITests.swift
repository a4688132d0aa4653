import Foundation
import Testing

/// Results at the equilibrium, through the real binary: a bars figure of exploitability (exactly 0
/// for every run) is drawn, not failed (it exited 7: gnuplot refused `set yrange [0:0]`), and a
/// best-configuration rule on a metric the spec never measures is refused instead of emptying
/// pairwise.csv and tests.csv.
@Suite(.serialized)
struct DegenerateResultsCLITests {
    /// Cyclic RPS with the uniform reference, exact feedback: uniform is its unique equilibrium and
    /// both algorithms' first iterate (mirror steps from μ = uniform move along (Pπ − ½) = 0), so
    /// every exploitability is 0.
    static let spec = """
    {"name": "eq", "environments": [{"id": "rps", "kind": "cyclic", "actions": 3}],
     "budget": {"iterations": 20}, "record_every": 10, "seeds": 2, "feedback": "exact",
     "algorithms": [{"id": "mmd"}, {"id": "online-mirror-descent"}],
     "figures": [{"id": "g1", "kind": "bars", "metric": "exploitability"}]}
    """

    static var gnuplotInstalled: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/gnuplot")
        }
    }

    @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed"))
    func barsOfZerosAreDrawn() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "eq", in: dir)
        let out = try BenchProcess.run(["sweep", "eq", "--bootstrap", "0"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("note: figure"), "\(out.stderr)")
        // summary.csv: mean exploitability 0 for both algorithms (the degenerate case itself).
        let summary = try String(contentsOf: dir.appendingPathComponent("Results/eq/summary.csv"), encoding: .utf8)
        let rows = summary.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let mean = try #require(rows.first?.firstIndex(of: "mean"))
        let exploitability = rows.filter { $0.count > 3 && $0[3] == "exploitability" }
        #expect(exploitability.map { $0[1] } == ["mmd", "online-mirror-descent"])
        #expect(exploitability.allSatisfy { $0[mean] == "0" })
        let plots = dir.appendingPathComponent("Plots/eq")
        let script = try String(contentsOf: plots.appendingPathComponent("g1.gp"), encoding: .utf8)
        #expect(script.contains("set yrange [0:0.05]"))
        let png = try Data(contentsOf: plots.appendingPathComponent("g1.png"))
        #expect(png.count > 1_000 && Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test func selectionOnAMetricNoEnvironmentMeasuresIsRefused() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let allowed = "a metric measured on every environment and for every algorithm of the spec "
            + "(exploitability, win_rate_vs_reference and kl_to_reference always are)"
        // In the spec: status 3, one line naming $.select_by.metric and the environment.
        try writeSpec(Self.spec.replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "select_by": {"metric": "true_reward"},"#),
                      name: "sel", in: dir)
        let refused = try BenchProcess.run(["sweep", "sel", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(refused.status == 3)
        #expect(refused.stderr == "error: Experiments/sel.json: $.select_by.metric: true_reward is not measured on environment \"rps\": "
            + "it has no true reward; allowed: \(allowed)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/sel").path))
        // With bench summarize --select-by: status 2, and the files stay as the sweep wrote them.
        try writeSpec(Self.spec, name: "eq", in: dir)
        let sweep = try BenchProcess.run(["sweep", "eq", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let pairwise = dir.appendingPathComponent("Results/eq/pairwise.csv")
        let before = try Data(contentsOf: pairwise)
        let summarize = try BenchProcess.run(["summarize", "eq", "--select-by", "true_reward:max"], in: dir)
        #expect(summarize.status == 2)
        #expect(summarize.stderr == "error: --select-by true_reward:max: true_reward is not measured on environment \"rps\": "
            + "it has no true reward; allowed: \(allowed)\n")
        #expect(try Data(contentsOf: pairwise) == before)
        // Rows for the algorithms, not only the reference μ.
        #expect(String(decoding: before, as: UTF8.self).split(separator: "\n").count > 3)
    }
}
