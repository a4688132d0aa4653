import Foundation
import Testing

/// Issue 9 through the real binary: a changed input file is never silently resumed (the issue's
/// reproduction), manifest.json says exactly what produced the results and keeps every invocation,
/// a results directory is self-contained, and analysis choices survive a resume.
struct ProvenanceCLITests {
    static let game = "0.5,0.8,0.2\n0.2,0.5,0.8\n0.8,0.2,0.5\n"
    static let reversed = "0.5,0.2,0.8\n0.8,0.5,0.2\n0.2,0.8,0.5\n"
    static let spec = """
    {"name": "m", "environments": [{"id": "m", "kind": "matrix", "path": "game.csv"}],
     "budget": {"iterations": 50}, "seeds": 2, "algorithms": [{"id": "mmd"}]}
    """

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// The issue's reproduction: sweep, replace game.csv by the reversed game, sweep again. Before:
    /// "0 executed, 2 resumed", exit 0, runs.csv of the old game. Now: exit 6 naming the file,
    /// then `--extend` re-runs both runs and every file equals a fresh sweep of the new game.
    @Test func replacedMatrixFileIsNotResumed() throws {
        let dir = try workingDirectory(), other = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: other) }
        for d in [dir, other] { try writeSpec(Self.spec, name: "m", in: d) }
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        try Self.reversed.write(to: other.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        let first = try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(first.status == 0, "\(first.stderr)")
        try Self.reversed.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        let refused = try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(refused.status == 6)
        #expect(refused.stderr == "error: Results/m: 2 of the 2 runs done are stale: 2 runs on environment m (its input file game.csv changed since they were computed); rerun with --extend to re-run exactly these 2 runs and keep the other 0, or with --fresh to delete these results and start over\n")
        let extended = try BenchProcess.run(["sweep", "m", "--extend"], in: dir, path: "/nonexistent")
        #expect(extended.status == 0, "\(extended.stderr)")
        #expect(extended.stdout.hasPrefix("m: 2 runs (2 executed, 0 resumed, 2 stale re-run) in "), "\(extended.stdout)")
        #expect(extended.stderr == "note: Results/m: re-running 2 stale runs: 2 runs on environment m (its input file game.csv changed since they were computed)\n")
        let fresh = try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: other, path: "/nonexistent")
        #expect(fresh.status == 0)
        for f in ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "pairwise.csv", "tests.csv", "aggregates.csv"] {
            #expect(try Data(contentsOf: dir.appendingPathComponent("Results/m/\(f)")) == Data(contentsOf: other.appendingPathComponent("Results/m/\(f)")), "\(f)")
        }
    }

    /// manifest.json's provenance, checked against independent sources (pkg-config, gnuplot
    /// --version, the command line given); the first invocation's entry survives later ones; the
    /// spec and its input file are copied (SHA-256 as sha256sum prints it).
    @Test func manifestRecordsProvenanceAndHistory() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        let args = ["sweep", "m", "--jobs", "1", "--bootstrap", "0"]
        #expect(try BenchProcess.run(args, in: dir, path: "/nonexistent").status == 0)
        let manifestURL = dir.appendingPathComponent("Results/m/manifest.json")
        let m1 = try Self.json(manifestURL)
        let p = try #require(m1["provenance"] as? [String: Any])
        #expect((p["command"] as? [String]).map { Array($0.dropFirst()) } == args)
        #expect(p["jobs"] as? Int == 1)
        #expect(p["host"] as? String == ProcessInfo.processInfo.hostName)
        #expect(p["build_configuration"] as? String == "debug")
        #expect(p["gsl"] as? String == (try? Self.output("/usr/bin/env", ["pkg-config", "--modversion", "gsl"])))
        #expect((p["glpk"] as? String)?.range(of: #"^\d+\.\d+$"#, options: .regularExpression) != nil)
        // openblas_get_config(): "OpenBLAS <version> <options> <kernel> MAX_THREADS=<n>".
        #expect((p["openblas"] as? String)?.range(of: #"^OpenBLAS \d+\.\d+\.\d+ "#, options: .regularExpression) != nil)
        #expect(p["gnuplot"] is NSNull)  // PATH hides gnuplot in this run
        #expect(p["git_dirty"] is Bool || p["git_dirty"] is NSNull)
        if let commit = p["git_commit"] as? String { #expect(commit.range(of: "^[0-9a-f]{40}$", options: .regularExpression) != nil) }
        let started = try #require(p["started"] as? String), ended = try #require(p["ended"] as? String)
        #expect(started <= ended && started.hasSuffix("Z"))
        let code = try #require(p["code"] as? [String: Any])
        #expect((code["harness"] as? String)?.count == 64)
        #expect(((code["algorithms"] as? [String: String])?["mmd"])?.count == 64)
        #expect(try String(contentsOf: dir.appendingPathComponent("Results/m/spec.json"), encoding: .utf8) == Self.spec)
        let input = try #require((m1["inputs"] as? [[String: Any]])?.first)
        let sha = try Self.output("/usr/bin/env", ["sha256sum", "game.csv"], in: dir).prefix(64)
        #expect(input["sha256"] as? String == String(sha) && input["path"] as? String == "game.csv")
        #expect(try String(contentsOf: dir.appendingPathComponent("Results/m/" + (input["copy"] as! String)), encoding: .utf8) == Self.game)
        // A second sweep and a summarize append; the first entry is unchanged.
        let first = try #require((m1["history"] as? [Any])?.first as? NSDictionary)
        #expect(try BenchProcess.run(["sweep", "m"], in: dir).status == 0)  // gnuplot on PATH, if installed
        #expect(try BenchProcess.run(["summarize", "m"], in: dir).status == 0)
        let m3 = try Self.json(manifestURL)
        let history = try #require(m3["history"] as? [NSDictionary])
        #expect(history.map { $0["action"] as? String } == ["sweep", "sweep", "summarize"])
        #expect(history[0] == first)
        // The second sweep asked gnuplot for its version while it ran (`Gnuplot.VersionProbe`):
        // the first line `gnuplot --version` prints, or null without gnuplot.
        let gnuplot = (try? Self.output("/usr/bin/env", ["gnuplot", "--version"])).flatMap { $0.isEmpty ? nil : $0 }
        let recorded = history[1]["gnuplot"]
        if let gnuplot { #expect(recorded as? String == gnuplot.components(separatedBy: "\n")[0]) } else { #expect(recorded is NSNull) }
        #expect(history[1]["dropped"] as? Int == 0 && history[1]["executed"] as? Int == 0 && history[1]["resumed"] as? Int == 2)
    }

    /// The recorded gnuplot version is the first non-blank line of `gnuplot --version`, trimmed,
    /// whatever its line breaks: a gnuplot (here a script at $GNUPLOT) that prints a blank line,
    /// then its version with spaces and CRLF, then more lines.
    @Test func gnuplotVersionIsItsFirstNonBlankLine() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        let fake = dir.appendingPathComponent("fake-gnuplot")
        try "#!/bin/sh\nprintf '\\r\\n  gnuplot 9.9 patchlevel 1 \\r\\nCopyright\\r\\n'\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let run = try BenchProcess.run(["sweep", "m", "--bootstrap", "0", "--no-report"], in: dir, environment: ["GNUPLOT": fake.path])
        #expect(run.status == 0, "\(run.stderr)")
        let p = try #require(try Self.json(dir.appendingPathComponent("Results/m/manifest.json"))["provenance"] as? [String: Any])
        #expect(p["gnuplot"] as? String == "gnuplot 9.9 patchlevel 1")
    }

    /// `bench summarize` on a copied directory whose spec and input file are gone: it reads the
    /// directory's own copies and writes the same bytes.
    @Test func summarizeWorksOnAMovedDirectory() throws {
        let dir = try workingDirectory(), moved = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: moved) }
        try writeSpec(Self.spec, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        #expect(try BenchProcess.run(["sweep", "m", "--bootstrap", "300"], in: dir, path: "/nonexistent").status == 0)
        let target = moved.appendingPathComponent("elsewhere/m")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: dir.appendingPathComponent("Results/m"), to: target)
        try FileManager.default.removeItem(at: dir)
        let before = try ["summary.csv", "pairwise.csv", "tests.csv"].map { try Data(contentsOf: target.appendingPathComponent($0)) }
        let summarized = try BenchProcess.run(["summarize", "elsewhere/m"], in: moved)
        #expect(summarized.status == 0, "\(summarized.stderr)")
        #expect(try ["summary.csv", "pairwise.csv", "tests.csv"].map { try Data(contentsOf: target.appendingPathComponent($0)) } == before)
    }

    /// `bench summarize --select-by` and `--bootstrap` are recorded, and the next resume keeps them
    /// (before, a resume recomputed pairwise.csv with the spec's rule and B = 10000).
    @Test func summarizeChoicesSurviveAResume() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // With μ = (0.6, 0.3, 0.1) and 50 iterations, τ = 2 ends less exploitable (0.101 vs 0.155):
        // the default rule picks τ = 2, exploitability:max picks τ = 0.05.
        try writeSpec(Self.spec.replacingOccurrences(of: #"{"id": "mmd"}"#, with: #"{"id": "mmd", "grid": {"tau": [0.05, 2]}}"#)
            .replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "reference": {"kind": "given", "probabilities": [0.6, 0.3, 0.1]},"#), name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        #expect(try BenchProcess.run(["sweep", "m", "--bootstrap", "100"], in: dir, path: "/nonexistent").status == 0)
        let results = dir.appendingPathComponent("Results/m")
        let byExploitability = try Data(contentsOf: results.appendingPathComponent("pairwise.csv"))
        let s = try BenchProcess.run(["summarize", "m", "--select-by", "exploitability:max", "--bootstrap", "200"], in: dir)
        #expect(s.status == 0, "\(s.stderr)")
        let bySelection = try Data(contentsOf: results.appendingPathComponent("pairwise.csv"))
        let summary = try Data(contentsOf: results.appendingPathComponent("summary.csv"))
        #expect(bySelection != byExploitability, "the two rules must pick different configurations here")
        let resumed = try BenchProcess.run(["sweep", "m"], in: dir, path: "/nonexistent")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("selecting configurations by exploitability:max, as recorded by `bench summarize --select-by`"))
        #expect(try Data(contentsOf: results.appendingPathComponent("pairwise.csv")) == bySelection)
        #expect(try Data(contentsOf: results.appendingPathComponent("summary.csv")) == summary)
        let m = try Self.json(results.appendingPathComponent("manifest.json"))
        #expect((m["select_by"] as? [String: String]) == ["metric": "exploitability", "goal": "max", "source": "bench summarize", "spec_rule": "exploitability:min"])
        #expect(m["bootstrap_samples"] as? Int == 200)
    }

    /// `bench summarize` refuses input files that are not the bytes the runs were computed from:
    /// a tampered copy under inputs/, or (copies removed) an edited original.
    @Test func summarizeRefusesChangedInputs() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        #expect(try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: dir, path: "/nonexistent").status == 0)
        let inputs = dir.appendingPathComponent("Results/m/inputs")
        let copy = try #require(FileManager.default.contentsOfDirectory(atPath: inputs.path).first)
        try Self.reversed.write(to: inputs.appendingPathComponent(copy), atomically: true, encoding: .utf8)
        let tampered = try BenchProcess.run(["summarize", "m"], in: dir)
        #expect(tampered.status == 6)
        #expect(tampered.stderr.hasPrefix("error: Results/m: input file game.csv of environment m has SHA-256 "), "\(tampered.stderr)")
        try FileManager.default.removeItem(at: inputs)
        try Self.reversed.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        let edited = try BenchProcess.run(["summarize", "m"], in: dir)
        #expect(edited.status == 6 && edited.stderr.contains("but the results were computed from "), "\(edited.stderr)")
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        #expect(try BenchProcess.run(["summarize", "m"], in: dir).status == 0)
    }

    /// A recorded --select-by gives way to a later explicit choice in the spec, and to a plan in
    /// which it would compare values measured at different τ; --fresh keeps the history.
    @Test func recordedSelectionYieldsToTheSpecAndToDifferentTau() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = Self.spec.replacingOccurrences(of: #"{"id": "mmd"}"#, with: #"{"id": "mmd", "grid": {"tau": [0.1], "eta": [0.1, 0.5]}}"#)
        try writeSpec(base, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        #expect(try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: dir, path: "/nonexistent").status == 0)
        #expect(try BenchProcess.run(["summarize", "m", "--select-by", "kl_from_regularized_equilibrium:min"], in: dir).status == 0)
        // The grid now spans two τ: the recorded τ-dependent rule no longer applies.
        try writeSpec(base.replacingOccurrences(of: #""tau": [0.1]"#, with: #""tau": [0.1, 0.3]"#), name: "m", in: dir)
        let extended = try BenchProcess.run(["sweep", "m", "--extend"], in: dir, path: "/nonexistent")
        #expect(extended.status == 0, "\(extended.stderr)")
        #expect(extended.stderr.contains("the rule kl_from_regularized_equilibrium:min recorded by `bench summarize --select-by` no longer applies"), "\(extended.stderr)")
        let manifestURL = dir.appendingPathComponent("Results/m/manifest.json")
        #expect((try Self.json(manifestURL)["select_by"] as? [String: String])?["source"] == "spec")
        // A spec edit of select_by wins over a recorded rule.
        #expect(try BenchProcess.run(["summarize", "m", "--select-by", "exploitability:max"], in: dir).status == 0)
        try writeSpec(base.replacingOccurrences(of: #""tau": [0.1]"#, with: #""tau": [0.1, 0.3]"#)
            .replacingOccurrences(of: #""seeds": 2,"#, with: #""seeds": 2, "select_by": {"metric": "kl_to_reference", "goal": "min"},"#), name: "m", in: dir)
        #expect(try BenchProcess.run(["sweep", "m", "--extend"], in: dir, path: "/nonexistent").status == 0)
        #expect((try Self.json(manifestURL)["select_by"] as? [String: String]) == ["metric": "kl_to_reference", "goal": "min", "source": "spec", "spec_rule": "kl_to_reference:min"])
        // --fresh starts the results over but keeps the history of invocations.
        #expect(try BenchProcess.run(["sweep", "m", "--fresh"], in: dir, path: "/nonexistent").status == 0)
        let fresh = try Self.json(manifestURL)
        let entries = try #require(fresh["history"] as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String } == ["sweep", "summarize", "sweep --extend", "summarize", "sweep --extend", "sweep --fresh"])
        // Its history entry counts the runs --fresh deleted, as runs.dropped does (8: τ ∈ {0.1, 0.3} × η ∈ {0.1, 0.5} × 2 seeds).
        #expect(entries.last?["dropped"] as? Int == 8 && (fresh["runs"] as? [String: Any])?["dropped"] as? Int == 8)
    }

    /// A symbolic link in place of inputs/ is refused (exit 4), and an input file the system
    /// reports as empty but that never ends (/proc) is read only up to the limit (exit 3).
    @Test func inputsAreNeverWrittenThroughALinkAndReadsAreBounded() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "m", in: dir)
        try Self.game.write(to: dir.appendingPathComponent("game.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("victim"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Results/m"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("Results/m/inputs").path, withDestinationPath: "../../victim")
        let linked = try BenchProcess.run(["sweep", "m", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(linked.status == 4)
        #expect(linked.stderr == "error: Results/m/inputs: is a symbolic link; refusing to write through it\n", "\(linked.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("victim").path).isEmpty)
        try writeSpec(#"{"name": "p", "environments": [{"id": "m", "kind": "matrix", "path": "/proc/self/pagemap", "format": "csv"}], "budget": {"iterations": 5}, "algorithms": [{"id": "mmd"}]}"#, name: "p", in: dir)
        let proc = try BenchProcess.run(["validate", "p"], in: dir)
        #expect(proc.status == 3)
        #expect(proc.stderr == "error: Experiments/p.json: $.environments[0].path: /proc/self/pagemap has more than 67108864 bytes; allowed: values accepted by environment kind \"matrix\" (see `bench describe matrix`)\n", "\(proc.stderr)")
    }

    /// A 5000-character input path is quoted in errors like every user string: its first 60
    /// characters, then its length.
    @Test func longInputPathsAreBoundedInErrors() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = String(repeating: "a", count: 5000) + ".csv"
        try writeSpec(#"{"name": "p", "environments": [{"id": "m", "kind": "matrix", "path": ""# + long + #""}], "budget": {"iterations": 5}, "algorithms": [{"id": "mmd"}]}"#, name: "p", in: dir)
        let r = try BenchProcess.run(["validate", "p"], in: dir)
        #expect(r.status == 3)
        #expect(r.stderr.count < 600, "\(r.stderr.count) characters")
        #expect(r.stderr.contains(String(repeating: "a", count: 60) + "…(5004 bytes)"), "\(r.stderr)")
    }

    /// Standard output of a command, trimmed.
    static func output(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
