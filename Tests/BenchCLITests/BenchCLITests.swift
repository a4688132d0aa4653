import AlignmentCore
import Foundation
import Testing

/// End-to-end tests of the `bench` executable in temporary directories.
@Suite(.serialized)
struct BenchCLITests {
    static let small = """
    {
      "name": "small",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"}
      ],
      "reference": {"kind": "softmax-normal"},
      "budget": {"iterations": 40},
      "record_every": 10,
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}}],
      "figures": [{"id": "exploitability", "kind": "bars", "metric": "exploitability", "by": ["environment", "algorithm"]}]
    }
    """
    static let deterministic = ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "curve_summary.csv"]

    @Test func executableIsBuilt() {
        #expect(BenchProcess.executable != nil)
    }

    @Test func sweepWritesTheDocumentedFiles() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.small, name: "small", in: dir)
        let out = try BenchProcess.run(["sweep", "experiments/small.json", "--jobs", "2", "--bootstrap", "200"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty)          // not a terminal: no progress line
        #expect(out.stdout.hasPrefix("small: 12 runs (12 executed, 0 resumed) in "))
        let results = dir.appendingPathComponent("Results/small")
        let runs = try header(results.appendingPathComponent("runs.csv"))
        #expect(runs == ["run_id", "environment", "algorithm", "config", "seed", "rng_seed", "status", "error", "iterations",
                         "queries", "eval_tau"] + Metric.ids)
        #expect(try header(results.appendingPathComponent("parameters.csv")) == ["run_id", "parameter", "value"])
        #expect(Array(try header(results.appendingPathComponent("curves.csv")).prefix(3 + Metric.ids.count))
                == ["run_id", "iteration", "queries"] + Metric.ids)
        #expect(try header(results.appendingPathComponent("policies.csv")) == ["run_id", "context", "action", "probability"])
        #expect(try header(results.appendingPathComponent("summary.csv")) == [
            "environment", "algorithm", "config", "metric", "n", "failed", "mean", "sd", "sem", "ci_low", "ci_high",
            "median", "iqm", "boot_low", "boot_high", "min", "max", "eval_tau"])
        #expect(try header(results.appendingPathComponent("curve_summary.csv")) == [
            "environment", "algorithm", "config", "metric", "iteration", "n", "mean", "ci_low", "ci_high", "queries", "eval_tau"])
        #expect(try header(results.appendingPathComponent("timings.csv")) == ["run_id", "seconds"])
        let manifest = try String(contentsOf: results.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"planned\": 12") && manifest.contains("\"spec_file\": \"Experiments/small.json\""))
        // 12 runs × 5 checkpoints (0, 10, 20, 30, 40); 12 runs × 3 actions (rps) or 4 actions (r4).
        let curves = try String(contentsOf: results.appendingPathComponent("curves.csv"), encoding: .utf8)
        #expect(curves.split(separator: "\n").count == 1 + 12 * 5)
        let policies = try String(contentsOf: results.appendingPathComponent("policies.csv"), encoding: .utf8)
        #expect(policies.split(separator: "\n").count == 1 + 6 * 3 + 6 * 4)
        // The figure script is written (and rendered when gnuplot is installed).
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/small/exploitability.gp").path))
        let fig = try BenchProcess.run(["figures", "small", "--format", "png"], in: dir)
        #expect(fig.status == 0, "\(fig.stderr)")
    }

    @Test func withoutGnuplotTheSweepSaysHowToInstallIt() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.small, name: "small", in: dir)
        let out = try BenchProcess.run(["sweep", "small", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        // The report lists the figure as not drawn (gnuplot missing); the install hint stays the last line.
        #expect(lines[1] == "report: Plots/small/report.html (0 figures, 5 tables)")
        #expect(lines.last == "figures: wrote 1 gnuplot script to Plots/small/; gnuplot is not installed — install it (sudo apt-get install gnuplot-nox, or brew install gnuplot) and run `bench figures small`")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/small/exploitability.png").path))
    }

    @Test func jobsOneAndTwoProduceIdenticalBytes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.small, name: "small", in: dir)
        let a = try BenchProcess.run(["sweep", "small", "--jobs", "1", "--out", "A", "--plots", "PA", "--bootstrap", "300"], in: dir)
        let b = try BenchProcess.run(["sweep", "small", "--jobs", "2", "--out", "B", "--plots", "PB", "--bootstrap", "300"], in: dir)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        for f in Self.deterministic {
            let x = try Data(contentsOf: dir.appendingPathComponent("A/\(f)"))
            let y = try Data(contentsOf: dir.appendingPathComponent("B/\(f)"))
            #expect(x == y, "\(f) differs between --jobs 1 and --jobs 2")
        }
    }

    @Test func killedSweepResumesToIdenticalBytes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = Self.small.replacingOccurrences(of: #""iterations": 40"#, with: #""iterations": 10000"#)
            .replacingOccurrences(of: #""record_every": 10"#, with: #""record_every": 1000"#)
        try writeSpec(long, name: "small", in: dir)
        let reference = try BenchProcess.run(["sweep", "small", "--out", "full", "--plots", "P1", "--bootstrap", "100"], in: dir)
        #expect(reference.status == 0, "\(reference.stderr)")

        let (process, _, _) = try BenchProcess.start(["sweep", "small", "--out", "cut", "--plots", "P2", "--bootstrap", "100"], in: dir)
        let journal = dir.appendingPathComponent("cut/journal.jsonl")
        // Wait (without a time assertion) until at least one run is journaled, then kill -9.
        var polls = 0
        while process.isRunning && polls < 6000 {
            // The header line, then at least one run.
            if let d = try? Data(contentsOf: journal), d.filter({ $0 == UInt8(ascii: "\n") }).count >= 2 { break }
            usleep(10_000)
            polls += 1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let resumed = try BenchProcess.run(["sweep", "small", "--out", "cut", "--plots", "P2", "--bootstrap", "100"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        // "small: 12 runs (k executed, m resumed) …": the killed sweep had journaled m ≥ 1 runs.
        let counts = resumed.stdout.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(counts.count >= 3 && counts[0] == 12 && counts[1] + counts[2] == 12 && counts[2] >= 1, "\(resumed.stdout)")
        for f in Self.deterministic {
            let x = try Data(contentsOf: dir.appendingPathComponent("full/\(f)"))
            let y = try Data(contentsOf: dir.appendingPathComponent("cut/\(f)"))
            #expect(x == y, "\(f) differs after kill -9 and resume")
        }
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 12)      // header + one line per run
    }

    @Test(arguments: [
        (#"{"name": "bad", "seedz": 1, "environments": [], "budget": {"iterations": 1}, "algorithms": []}"#,
         "error: Experiments/bad.json: $.seedz: unknown key \"seedz\" (did you mean \"seeds\"?); allowed: $schema, name, description, environments, reference, feedback, budget, seeds, seed, record_every, tau, metrics, select_by, defaults, algorithms, figures\n"),
        ("{\"name\": \"bad\",\n \"seeds\": 2,,\n}",
         "error: Experiments/bad.json:2:13: invalid JSON: unexpected ','; expected a key in double quotes\n"),
        (#"{"name": "bad", "environments": [{"id": "e", "kind": "cyclic"}], "budget": {"iterations": 1}, "algorithms": [{"id": "nash-md", "grid": {"eta": []}}]}"#,
         "error: Experiments/bad.json: $.algorithms[0].grid.eta: empty grid; allowed: a non-empty array of values, each a number in (0, ∞)\n"),
    ])
    func invalidSpecFailsWithOneLineAndWritesNothing(spec: String, message: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(spec, name: "bad", in: dir)
        for command in ["sweep", "validate"] {
            let out = try BenchProcess.run([command, "experiments/bad.json"], in: dir)
            #expect(out.status == 3)        // BenchExitCode.invalidSpec
            #expect(out.stderr == message)
            #expect(out.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots").path))
    }

    @Test func validateResolvesBareNamesAndMissingSpecsFail() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.small, name: "small", in: dir)
        let ok = try BenchProcess.run(["validate", "small"], in: dir)
        #expect(ok.status == 0)
        #expect(ok.stdout == "Experiments/small.json: ok — 2 environments, 1 algorithm entry, 12 runs, 1 figure\n")
        let missing = try BenchProcess.run(["sweep", "smal"], in: dir)
        #expect(missing.status == 4)        // BenchExitCode.io
        #expect(missing.stderr == "error: smal: no such spec file (did you mean \"small\"?); experiments: small\n")
        let noResults = try BenchProcess.run(["figures", "small"], in: dir)
        #expect(noResults.status == 9)      // BenchExitCode.results
        #expect(noResults.stderr == "error: Results/small/: no results; run `bench sweep small` first\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
    }

    @Test func listAndDescribe() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = try BenchProcess.run(["list", "algorithms"], in: dir)
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("nash-md ") })
        let all = try BenchProcess.run(["list"], in: dir)
        #expect(all.stdout.contains("algorithms:") && all.stdout.contains("environments:") && all.stdout.contains("metrics:"))
        #expect(all.stdout.contains("  exploitability "))
        let metrics = try BenchProcess.run(["list", "metrics"], in: dir)
        #expect(metrics.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) } == Metric.ids)
        // Diagnostics: the algorithms' own columns, each with the plugins declaring it (from the descriptors).
        let diagnostics = try BenchProcess.run(["list", "diagnostics"], in: dir)
        #expect(diagnostics.status == 0 && diagnostics.stdout.contains("proxy_reward                diagnostic of rlhf-ppo, rest, best-of-n\n")
                && diagnostics.stdout.contains("first_response_probability  diagnostic of dpo\n"), "\(diagnostics.stdout)")
        let diagnostic = try BenchProcess.run(["describe", "preference_model_accuracy"], in: dir)
        #expect(diagnostic.status == 0 && diagnostic.stdout.hasPrefix("diagnostic preference_model_accuracy\n  declared by: nash-md, nash-md-pg\n"), "\(diagnostic.stdout)")
        let describe = try BenchProcess.run(["describe", "nash-md"], in: dir)
        #expect(describe.status == 0)
        #expect(describe.stdout.hasPrefix("algorithm nash-md\n"))
        #expect(describe.stdout.contains("  paper: Munos et al."))
        #expect(describe.stdout.contains("    tau: a number in [0, ∞); default 0.1"))
        #expect(describe.stdout.contains("  feedback: exact"))
        let env = try BenchProcess.run(["describe", "cyclic"], in: dir)
        #expect(env.stdout.hasPrefix("environment cyclic\n") && env.stdout.contains("    strength: "))
        let unknown = try BenchProcess.run(["describe", "nash-dm"], in: dir)
        #expect(unknown.status == 2)        // BenchExitCode.usage
        #expect(unknown.stderr.hasPrefix("error: The value 'nash-dm' is invalid for '<id>': unknown algorithm, environment, metric, figure kind or diagnostic \"nash-dm\" (did you mean \"nash-md\"?); allowed: "))
        #expect(unknown.stderr.filter { $0 == "\n" }.count == 1)
        let badList = try BenchProcess.run(["list", "algoritms"], in: dir)
        #expect(badList.status == 2)
        #expect(badList.stderr == "error: The value 'algoritms' is invalid for '<section>': unknown list \"algoritms\" (did you mean \"algorithms\"?); allowed: algorithms, environments, metrics, diagnostics, figures (see `bench list --help`)\n")
    }
}
