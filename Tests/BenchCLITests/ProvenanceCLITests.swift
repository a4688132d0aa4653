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
        for f in ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "pairwise.csv", "tests.csv"] {
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
        #expect(try BenchProcess.run(["sweep", "m"], in: dir, path: "/nonexistent").status == 0)
        #expect(try BenchProcess.run(["summarize", "m"], in: dir).status == 0)
        let m3 = try Self.json(manifestURL)
        let history = try #require(m3["history"] as? [NSDictionary])
        #expect(history.map { $0["action"] as? String } == ["sweep", "sweep", "summarize"])
        #expect(history[0] == first)
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
        #expect((m["select_by"] as? [String: String]) == ["metric": "exploitability", "goal": "max", "source": "bench summarize"])
        #expect(m["bootstrap_samples"] as? Int == 200)
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
