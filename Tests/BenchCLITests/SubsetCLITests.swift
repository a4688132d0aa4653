import Foundation
import Testing

/// `--only`: a subset of a spec's runs through the real binary (sweep, validate --plan, shards and
/// merge, status, summarize, figures).
@Suite(.serialized)
struct SubsetCLITests {
    /// Two algorithm entries on two environments, 2 seeds (8 runs); the second figure shows only
    /// online-mirror-descent, so it is left out of a nash-md subset.
    static let two = """
    {
      "name": "two",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"}
      ],
      "budget": {"iterations": 30},
      "record_every": 10,
      "seeds": 2,
      "tau": 0.1,
      "algorithms": [
        {"id": "nash-md", "params": {"tau": 0.1, "eta": 0.2}},
        {"id": "online-mirror-descent", "label": "omd", "params": {"tau": 0.1, "eta": 0.3}}
      ],
      "figures": [
        {"id": "ex", "kind": "bars", "metric": "exploitability", "by": ["environment", "algorithm"]},
        {"id": "omd-curve", "kind": "curves", "metric": "exploitability", "algorithms": ["omd"]}
      ]
    }
    """

    /// The data lines of a CSV file (header dropped).
    static func rows(_ url: URL) throws -> [String] {
        Array(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init))
    }

    /// A subset's runs are the whole spec's runs: the same run ids in `validate --plan`, and
    /// byte-identical lines of runs.csv, curves.csv and policies.csv; the subset has its own
    /// directories, its manifest records the selection, and a figure that shows only algorithms
    /// outside the subset is left out.
    @Test(arguments: [
        (["--only", "algorithm=nash-md"], "two.only.algorithm=nash-md", "algorithm", ["nash-md"]),
        (["--only", "algorithm=online-mirror-descent"], "two.only.algorithm=online-mirror-descent", "algorithm", ["omd"]),
        (["--only", "environment=r4"], "two.only.environment=r4", "environment", ["r4"]),
    ])
    func subsetRunsAreTheWholeSpecsRuns(only: [String], folder: String, column: String, kept: [String]) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.two, name: "two", in: dir)
        let whole = try BenchProcess.run(["sweep", "two", "--jobs", "1", "--bootstrap", "0"], in: dir)
        #expect(whole.status == 0, "\(whole.stderr)")
        let part = try BenchProcess.run(["sweep", "two", "--jobs", "2", "--bootstrap", "0"] + only, in: dir)
        #expect(part.status == 0, "\(part.stderr)")
        #expect(part.stdout.hasPrefix("two: 4 runs (4 executed, 0 resumed) in "), "\(part.stdout)")
        #expect(part.stdout.contains("→ Results/\(folder)/"), "\(part.stdout)")
        let wholeDir = dir.appendingPathComponent("Results/two"), partDir = dir.appendingPathComponent("Results/\(folder)")
        // runs.csv: the rows of the kept labels or environments; curves.csv and policies.csv
        // (keyed by run_id alone): the rows of those runs' ids.
        let cols = try header(wholeDir.appendingPathComponent("runs.csv"))
        let k = try #require(cols.firstIndex(of: column))
        let keptRuns = try Self.rows(wholeDir.appendingPathComponent("runs.csv")).filter {
            kept.contains(String($0.split(separator: ",", omittingEmptySubsequences: false)[k]))
        }
        #expect(keptRuns.count == 4)
        #expect(try Self.rows(partDir.appendingPathComponent("runs.csv")) == keptRuns)
        let ids = Set(keptRuns.map { String($0.prefix { $0 != "," }) })
        // Diagnostic columns are the union over the plugins present (nash-md's
        // preference_model_accuracy is absent without it): compare the subset's columns, which
        // are a prefix of the whole spec's.
        for file in ["curves.csv", "policies.csv"] {
            let wholeHeader = try header(wholeDir.appendingPathComponent(file)), partHeader = try header(partDir.appendingPathComponent(file))
            #expect(wholeHeader.first == "run_id" && Array(wholeHeader.prefix(partHeader.count)) == partHeader, "\(file)")
            let expected = try Self.rows(wholeDir.appendingPathComponent(file)).filter { ids.contains(String($0.prefix { $0 != "," })) }
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(partHeader.count).joined(separator: ",") }
            #expect(!expected.isEmpty)
            #expect(try Self.rows(partDir.appendingPathComponent(file)) == expected, "\(file)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: partDir.appendingPathComponent("manifest.json"))) as? [String: Any]
        let recorded = try #require(manifest?["only"] as? [String: [String]])
        #expect(recorded == [column: [String(only[1].split(separator: "=")[1])]])
        let wholeManifest = try JSONSerialization.jsonObject(with: Data(contentsOf: wholeDir.appendingPathComponent("manifest.json"))) as? [String: Any]
        #expect(wholeManifest?["only"] is NSNull)
        // The plan lists the same run ids as the whole spec's plan for those runs.
        let planWhole = try BenchProcess.run(["validate", "two", "--plan", "--format", "csv"], in: dir)
        let planPart = try BenchProcess.run(["validate", "two", "--plan", "--format", "csv"] + only, in: dir)
        #expect(planPart.status == 0, "\(planPart.stderr)")
        let key = column == "algorithm" ? 2 : 1
        let wholeLines = planWhole.stdout.split(separator: "\n").dropFirst().filter { kept.contains(String($0.split(separator: ",")[key])) }
        #expect(Array(planPart.stdout.split(separator: "\n").dropFirst()) == wholeLines)
        // The curve figure of omd alone is drawn only when omd is in the subset.
        let plots = dir.appendingPathComponent("Plots/\(folder)")
        let drawn = (try? FileManager.default.contentsOfDirectory(atPath: plots.path)) ?? []
        #expect(drawn.contains { $0.hasPrefix("ex.") }, "\(drawn)")
        #expect(drawn.contains { $0.hasPrefix("omd-curve.") } == (kept.contains("omd") || column == "environment"), "\(drawn)")
        // A second sweep of the subset resumes everything; the whole spec's results are untouched.
        let again = try BenchProcess.run(["sweep", "two", "--bootstrap", "0"] + only, in: dir)
        #expect(again.stdout.hasPrefix("two: 4 runs (0 executed, 4 resumed) in "), "\(again.stdout)")
        let figures = try BenchProcess.run(["figures", "two"] + only, in: dir)
        #expect(figures.status == 0, "\(figures.stderr)")
    }

    /// A subset run in two shards merges (the merge reads the selection from the shards' journals)
    /// to the bytes of the unsharded subset; status and summarize plan the subset too.
    @Test func shardedSubsetMergesToTheUnshardedBytes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.two, name: "two", in: dir)
        let local = try BenchProcess.run(["sweep", "two", "--only", "environment=rps", "--out", "local", "--plots", "PL",
                                          "--jobs", "1", "--bootstrap", "200"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        for k in 1...2 {
            let shard = try BenchProcess.run(["sweep", "two", "--only", "environment=rps", "--shard", "\(k)/2", "--bootstrap", "200"], in: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
            #expect(shard.stdout.hasSuffix(" → Results/two.only.environment=rps/journal-\(k)-of-2.jsonl\n"), "\(shard.stdout)")
        }
        let status = try BenchProcess.run(["status", "Results/two.only.environment=rps"], in: dir)
        #expect(status.stdout.hasPrefix("two: 4 runs planned, 4 done "), "\(status.stdout)")
        let merge = try BenchProcess.run(["merge", "Results/two.only.environment=rps", "--bootstrap", "200"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.hasPrefix("two: merged 4 runs in "), "\(merge.stdout)")
        for f in ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "curve_summary.csv", "pairwise.csv", "tests.csv"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("local/\(f)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("Results/two.only.environment=rps/\(f)"))
            #expect(a == b, "\(f) differs between the unsharded and the merged subset")
        }
        let summarize = try BenchProcess.run(["summarize", "Results/two.only.environment=rps", "--bootstrap", "200"], in: dir)
        #expect(summarize.status == 0, "\(summarize.stderr)")
    }

    /// Bad selections: one line on stderr naming --only, what is wrong and what is allowed;
    /// status 2; nothing written.
    @Test(arguments: [
        ("algorithm=nash-dm", "error: --only algorithm=\"nash-dm\": no algorithm label or plugin id \"nash-dm\" in Experiments/two.json (did you mean \"nash-md\"?); allowed: nash-md, omd, online-mirror-descent"),
        ("environment=rsp", "error: --only environment=\"rsp\": no environment id \"rsp\" in Experiments/two.json (did you mean \"rps\"?); allowed: rps, r4"),
        ("algoritm=nash-md", "error: --only \"algoritm=nash-md\": unknown dimension \"algoritm\" (did you mean \"algorithm\"?); allowed: algorithm=<value>[,<value>…] or environment=<value>[,<value>…]"),
        ("algorithm=nash-md,", "error: --only \"algorithm=nash-md,\": an empty value; allowed: algorithm=<value>[,<value>…] or environment=<value>[,<value>…]"),
        ("nash-md", "error: --only \"nash-md\": expected <dimension>=<values>; allowed: algorithm=<value>[,<value>…] or environment=<value>[,<value>…]"),
    ])
    func badSelectionsAreOneLine(argument: String, expected: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.two, name: "two", in: dir)
        for command in [["sweep", "two"], ["validate", "two", "--plan"], ["slurm", "two", "--shards", "2"]] {
            let out = try BenchProcess.run(command + ["--only", argument], in: dir)
            #expect(out.status == 2, "\(command): \(out.stderr)")
            #expect(out.stdout.isEmpty && out.stderr == expected + "\n", "\(command): \(out.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
    }

    /// `bench slurm --only` passes the selection to every shard and writes to the subset's folder.
    @Test func slurmPassesTheSelectionToTheShards() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.two, name: "two", in: dir)
        let out = try BenchProcess.run(["slurm", "two", "--shards", "2", "--only", "algorithm=omd"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains(" --out Results/two.only.algorithm=omd --progress lines --only algorithm=omd"), "\(out.stdout)")
        #expect(out.stdout.contains(" merge Results/two.only.algorithm=omd "), "\(out.stdout)")
    }
}
