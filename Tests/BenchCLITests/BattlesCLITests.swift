import Foundation
import Testing

/// `bench env inspect` and the `battles` environment end to end through the real binary, on the
/// committed synthetic fixture (Experiments/data/synthetic-battles.*); expected numbers from
/// scripts/peers/battles_numpy.py (numpy/scipy) and from the generator's hand-written counts.
@Suite(.serialized)
struct BattlesCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A working directory holding a copy of the fixture as data/votes.csv and data/votes.jsonl.
    func directoryWithFixture(_ tag: String = #function) throws -> URL {
        let dir = try workingDirectory(tag)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        for ext in ["csv", "jsonl"] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Experiments/data/synthetic-battles.\(ext)"),
                                             to: dir.appendingPathComponent("data/votes.\(ext)"))
        }
        return dir
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The text report: counts by hand (generator), triads by hand, ratings and SEs (numpy, 4 decimals),
    /// accuracies (numpy: 0.6963562753…, 0.6882591093…, max 0.1400548… at alpha–charlie).
    @Test func inspectTextReport() throws {
        let dir = try directoryWithFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["env", "inspect", "data/votes.csv", "--bootstrap", "200"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty)
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(5)) == [
            "battles data/votes.csv",
            "  responses: 6 models (sorted by name); votes: 247, ties: 16 (5 \"tie (bothbad)\"), each half a win to both sides",
            "  judges: 2: judge-1 140 (56.7%), judge-2 107 (43.3%)",
            "  pairs: 14 of 15 compared; 1 never compared (P̂ = ½ there)",
            "  cyclic triads (majority relation): 1 of 16 decided triples; at most 8 for 6 models (Kendall & Babington Smith 1940)",
        ])
        #expect(lines[5] == "  Bradley–Terry ratings (maximum likelihood, mean 0), 95% intervals: sandwich (Huber–White) normal; bootstrap 200 replicates over votes, seed 0, 0 excluded (no finite fit)")
        #expect(lines[6].hasPrefix("    rank  model        votes  win_rate   rating  se_sandwich  sandwich_low  sandwich_high  bootstrap_low  bootstrap_high"))
        // Rank 1: syn-alpha, 91 votes, score 63/91 = 0.6923, rating 0.7639 ± 1.96·0.1852 → [0.4010, 1.1268].
        #expect(lines[7].hasPrefix("       1  syn-alpha       91    0.6923   0.7639       0.1852        0.4010         1.1268"))
        #expect(lines[12].hasPrefix("       6  syn-foxtrot     68    0.2059  -0.9652       0.2474       -1.4500        -0.4803"))
        #expect(lines[13] == "  accuracy on the votes: majority 0.6964, Bradley–Terry 0.6883 (loses 0.0081); 1 pair reversed")
        #expect(lines[14] == "  |P̂ − P_BT|: max 0.1401 (syn-alpha vs syn-charlie), vote-weighted mean 0.0433")
    }

    /// JSON: full-precision ratings and SEs against numpy at 1e-12; the bootstrap is deterministic
    /// per seed (same bytes twice), changes with the seed, and CSV and JSON Lines inputs agree.
    @Test func inspectJSONIsDeterministicAndMatchesNumpy() throws {
        let dir = try directoryWithFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["env", "inspect", "data/votes.csv", "--bootstrap", "300", "--seed", "5", "--format", "json"]
        let a = try BenchProcess.run(args, in: dir), b = try BenchProcess.run(args, in: dir)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout == b.stdout)
        let other = try BenchProcess.run(["env", "inspect", "data/votes.csv", "--bootstrap", "300", "--seed", "6", "--format", "json"], in: dir)
        #expect(other.stdout != a.stdout)
        let jsonl = try BenchProcess.run(["env", "inspect", "data/votes.jsonl", "--bootstrap", "300", "--seed", "5", "--format", "json"], in: dir)
        #expect(jsonl.stdout == a.stdout.replacingOccurrences(of: "data/votes.csv", with: "data/votes.jsonl"))
        let first = try #require((try json(a.stdout)["inspections"] as? [[String: Any]])?.first)
        #expect(first["votes"] as? Int == 247 && first["ties"] as? Int == 16 && first["ties_bothbad"] as? Int == 5)
        #expect(first["cyclic_triads"] as? Int == 1 && first["decided_triads"] as? Int == 16 && first["max_cyclic_triads"] as? Int == 8)
        #expect(first["pairs_never_compared"] as? Int == 1)
        let bt = try #require(first["bradley_terry"] as? [String: Any])
        let ratings = try #require(bt["ratings"] as? [Double]), se = try #require(bt["se_sandwich"] as? [Double])
        let wantR = [0.7639157321555066, 0.4848234022347941, 0.39972380642629296, -0.013679743235366205, -0.6696134679452985, -0.9651697296359288]
        let wantSE = [0.18516134784785404, 0.1795105414038506, 0.18425472689294525, 0.18698492037135575, 0.2255442207331424, 0.24736318183234582]
        for (x, y) in zip(ratings, wantR) { #expect(abs(x - y) < 1e-12) }
        for (x, y) in zip(se, wantSE) { #expect(abs(x - y) < 1e-12) }
        let boot = try #require(bt["bootstrap_intervals"] as? [[Double]])
        for (k, iv) in boot.enumerated() { #expect(iv[0] < wantR[k] && wantR[k] < iv[1]) }
        #expect(bt["bootstrap_excluded"] as? Int == 0 && bt["seed"] as? String == "5")
    }

    /// CSV: one row per model (name order), shortest round-trip numbers, blank bootstrap with B = 0.
    @Test func inspectCSVRows() throws {
        let dir = try directoryWithFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["env", "inspect", "data/votes.jsonl", "--bootstrap", "0", "--format", "csv"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try parseCSV(out.stdout)
        #expect(rows[0] == ["source", "environment", "model", "votes", "win_rate", "rating", "se_sandwich", "sandwich_low", "sandwich_high", "bootstrap_low", "bootstrap_high"])
        #expect(rows.count == 7)
        #expect(rows.dropFirst().map { $0[2] } == ["syn-alpha", "syn-bravo", "syn-charlie", "syn-delta", "syn-echo", "syn-foxtrot"])
        #expect(rows[1][3] == "91" && rows[1][9] == "" && rows[1][10] == "")
        #expect(abs(try #require(Double(rows[1][4])) - 63.0 / 91) < 1e-15)
    }

    /// Bad battles files: one line naming the file, line and column, exit 3 — given directly and
    /// through a spec (then with the spec's JSON path too); a spec without battles environments is a usage error.
    @Test func badFilesThroughTheBinary() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "model_a,model_b,winner\nx,y,model_a\ny,y,tie\n".write(to: dir.appendingPathComponent("same.csv"), atomically: true, encoding: .utf8)
        try "{\"model_a\": \"x\", \"model_b\": \"y\", \"winner\": \"model-a\"}\n".write(to: dir.appendingPathComponent("typo.jsonl"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("empty.csv"), atomically: true, encoding: .utf8)
        let same = try BenchProcess.run(["env", "inspect", "same.csv"], in: dir)
        #expect(same.status == 3)
        #expect(same.stdout.isEmpty)
        #expect(same.stderr == "error: battles file same.csv: line 3: model_a and model_b are the same model; allowed: two different models\n")
        let typo = try BenchProcess.run(["env", "inspect", "typo.jsonl"], in: dir)
        #expect(typo.status == 3)
        #expect(typo.stderr == "error: battles file typo.jsonl: line 1, key winner: \"model-a\" is not a verdict; allowed: \"model_a\", \"model_b\", \"tie\", \"tie (bothbad)\"\n")
        let empty = try BenchProcess.run(["env", "inspect", "empty.csv"], in: dir)
        #expect(empty.status == 3)
        #expect(empty.stderr == "error: battles file empty.csv: line 1: empty file (a header row is required); allowed: CSV with a header row model_a,model_b,winner[,judge][,turn]\n")
        try writeSpec(#"{"name": "b", "environments": [{"id": "v", "kind": "battles", "path": "same.csv"}], "budget": {"iterations": 1}, "algorithms": [{"id": "nash-md"}]}"#, name: "b", in: dir)
        let spec = try BenchProcess.run(["validate", "b"], in: dir)
        #expect(spec.status == 3)
        #expect(spec.stderr == "error: Experiments/b.json: $.environments[0].path: battles file same.csv: line 3: model_a and model_b are the same model; allowed: two different models\n")
        try writeSpec(#"{"name": "c", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 1}, "algorithms": [{"id": "nash-md"}]}"#, name: "c", in: dir)
        let none = try BenchProcess.run(["env", "inspect", "c"], in: dir)
        #expect(none.status == 2)
        #expect(none.stderr == "error: Experiments/c.json has no environment of kind \"battles\"; allowed: battles files and specs with battles environments\n")
    }

    /// A small sweep on the battles environments (empirical, judge mixture, Bradley–Terry) through
    /// the real binary; then one more vote in the file makes exactly those runs stale (exit 6).
    @Test func sweepOnBattlesAndStaleInput() throws {
        let dir = try directoryWithFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec("""
        {"name": "arena", "environments": [
           {"id": "empirical", "kind": "battles", "path": "data/votes.csv"},
           {"id": "judges", "kind": "battles", "path": "data/votes.jsonl", "judges": "mixture", "smoothing": 1},
           {"id": "bt", "kind": "battles", "path": "data/votes.csv", "model": "bradley-terry"}],
         "feedback": "exact", "budget": {"iterations": 40}, "record_every": 20, "tau": 0.1,
         "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}}, {"id": "rlhf-ppo", "params": {"beta": 0.1}}]}
        """, name: "arena", in: dir)
        let out = try BenchProcess.run(["sweep", "arena", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(out.status == 0, "\(out.stderr)")
        let runs = try parseCSV(try String(contentsOf: dir.appendingPathComponent("Results/arena/runs.csv"), encoding: .utf8))
        let status = try #require(runs[0].firstIndex(of: "status")), env = try #require(runs[0].firstIndex(of: "environment"))
        #expect(runs.count == 1 + 6)
        #expect(runs.dropFirst().allSatisfy { $0[status] == "ok" }, "\(runs)")
        #expect(Set(runs.dropFirst().map { $0[env] }) == ["empirical", "judges", "bt"])
        // The Bradley–Terry projection is transitive: Nash-MD's exploitability there is that of a
        // transitive game; the empirical environment (a cycle among three models) is not transitive.
        let solve = try BenchProcess.run(["env", "solve", "arena", "--format", "json"], in: dir)
        let envs = try #require(try json(solve.stdout)["environments"] as? [[String: Any]])
        #expect(envs.map { $0["transitive"] as? Bool } == [false, false, true])
        #expect(envs.allSatisfy { $0["actions"] as? Int == 6 })
        // One more vote in votes.csv: the runs on the two environments reading it are stale.
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("data/votes.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("syn-echo,syn-foxtrot,model_a,judge-1,1\n".utf8))
        try handle.close()
        let again = try BenchProcess.run(["sweep", "arena", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(again.status == 6)
        #expect(again.stderr.hasPrefix("error: Results/arena: 4 of the 6 runs done are stale: "), "\(again.stderr)")
        #expect(again.stderr.contains("data/votes.csv") && !again.stderr.contains("votes.jsonl"), "\(again.stderr)")
    }
}
