import Foundation
import Testing

/// `bench summarize <results-dir>` end to end.
@Suite(.serialized)
struct SummarizeCommandTests {
    /// Two algorithms (one with a grid), a per-run environment and one with a true reward.
    static let spec = """
    {
      "name": "summ",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"},
        {"id": "bt", "kind": "bradley-terry", "actions": 3}
      ],
      "reference": {"kind": "softmax-normal"},
      "budget": {"iterations": 20},
      "record_every": 10,
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [
        {"id": "nash-md", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}},
        {"id": "online-mirror-descent", "params": {"tau": 0.1, "eta": 0.2}}
      ]
    }
    """
    static let statistics = ["summary.csv", "curve_summary.csv", "pairwise.csv", "tests.csv", "frontier.csv", "aggregates.csv"]

    @Test func sweepWritesTheAnalysisFilesAndSummarizeReproducesThemByteForByte() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "summ", in: dir)
        let sweep = try BenchProcess.run(["sweep", "summ", "--bootstrap", "250"], in: dir, path: "/nonexistent")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let results = dir.appendingPathComponent("Results/summ")
        #expect(try header(results.appendingPathComponent("pairwise.csv")) == [
            "environment", "algorithm_a", "config_a", "algorithm_b", "config_b", "n", "mean", "ci_low", "ci_high", "sd",
            "boot_low", "boot_high"])
        #expect(try header(results.appendingPathComponent("tests.csv")) == [
            "environment", "metric", "algorithm_a", "config_a", "algorithm_b", "config_b", "n_a", "n_b", "mean_a", "mean_b",
            "t", "df", "p_value", "p_holm", "prob_improvement", "eval_tau_a", "eval_tau_b"])
        #expect(try header(results.appendingPathComponent("frontier.csv")) == ["environment", "beta", "kl", "reward"])
        var original: [String: Data] = [:]
        for f in Self.statistics {
            original[f] = try Data(contentsOf: results.appendingPathComponent(f))
            try FileManager.default.removeItem(at: results.appendingPathComponent(f))
        }
        let out = try BenchProcess.run(["summarize", "Results/summ"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("summ: recomputed Results/summ/{\(Self.statistics.joined(separator: ","))}\nreport: Plots/summ/report.html ("))
        for f in Self.statistics {
            #expect(try Data(contentsOf: results.appendingPathComponent(f)) == original[f], "\(f) differs")
        }
        // A bare experiment name, an explicit spec and another B.
        let named = try BenchProcess.run(["summarize", "summ", "--spec", "experiments/summ.json", "--bootstrap", "0"], in: dir)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try Data(contentsOf: results.appendingPathComponent("summary.csv")) != original["summary.csv"])
        #expect(try Data(contentsOf: results.appendingPathComponent("tests.csv")) == original["tests.csv"])
    }

    @Test func refusesAChangedSpecAndMissingResults() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "summ", in: dir)
        let sweep = try BenchProcess.run(["sweep", "summ", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        // A new description changes no result: summarize still accepts the spec.
        try writeSpec(Self.spec.replacingOccurrences(of: #""name": "summ","#, with: #""name": "summ", "description": "x","#),
                      name: "summ", in: dir)
        let described = try BenchProcess.run(["summarize", "Results/summ"], in: dir)
        #expect(described.status == 0, "\(described.stderr)")
        try writeSpec(Self.spec.replacingOccurrences(of: #""seeds": 3"#, with: #""seeds": 4"#), name: "summ", in: dir)
        // Without --spec, summarize reads the directory's own copy (spec.json), so an edited spec
        // file does not matter; a changed spec passed with --spec is refused.
        let fromCopy = try BenchProcess.run(["summarize", "Results/summ"], in: dir)
        #expect(fromCopy.status == 0, "\(fromCopy.stderr)")
        let changed = try BenchProcess.run(["summarize", "Results/summ", "--spec", "Experiments/summ.json"], in: dir)
        #expect(changed.status == 6)  // BenchExitCode.specChanged
        #expect(changed.stderr.hasPrefix("error: Results/summ: Experiments/summ.json changed since these results were written (hash "))
        #expect(changed.stderr.filter { $0 == "\n" }.count == 1)
        let missing = try BenchProcess.run(["summarize", "Results/nothing"], in: dir)
        #expect(missing.status == 9)  // BenchExitCode.results
        #expect(missing.stderr.hasPrefix("error: Results/nothing/manifest.json: cannot read the manifest"))
        let badSelect = try BenchProcess.run(["summarize", "summ", "--select-by", "exploitabilty"], in: dir)
        #expect(badSelect.status == 2)  // BenchExitCode.usage
        #expect(badSelect.stderr.hasPrefix("error: The value 'exploitabilty' is invalid for '--select-by <select-by>': unknown metric \"exploitabilty\" (did you mean \"exploitability\"?); allowed: "))
    }

    /// The report reads pairwise.csv and summary.csv, so summarize draws it again: after
    /// `--select-by kl_to_reference:max` the page differs from the sweep's and equals what
    /// `bench report` writes from the recomputed files; with `--no-report` the page is left alone.
    @Test func summarizeRefreshesTheReport() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "summ", in: dir)
        let sweep = try BenchProcess.run(["sweep", "summ", "--bootstrap", "0"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let page = dir.appendingPathComponent("Plots/summ/report.html")
        let before = try Data(contentsOf: page)
        let selected = try BenchProcess.run(["summarize", "summ", "--select-by", "kl_to_reference:max"], in: dir)
        #expect(selected.status == 0, "\(selected.stderr)")
        #expect(selected.stdout.contains("report: Plots/summ/report.html ("))
        let after = try Data(contentsOf: page)
        #expect(after != before, "the report still shows the sweep's selection")
        let fresh = try BenchProcess.run(["report", "summ", "--output", "fresh.html"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("fresh.html")) == after)
        let quiet = try BenchProcess.run(["summarize", "summ", "--no-report"], in: dir)
        #expect(quiet.status == 0 && !quiet.stdout.contains("report:"), "\(quiet.stderr)")
        #expect(try Data(contentsOf: page) == after)
    }
}
