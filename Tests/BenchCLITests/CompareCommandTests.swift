import Foundation
import ResultFiles
import Testing

/// `bench compare <A> <B>` end to end through the built binary.
@Suite(.serialized)
struct CompareCommandTests {
    /// 30 runs: nash-md (one group of 10 seeds) and online-mirror-descent with two grid points.
    static let spec = """
    {
      "name": "cmp",
      "environments": [{"id": "rps", "kind": "cyclic"}],
      "budget": {"iterations": 20},
      "record_every": 10,
      "seeds": 10,
      "tau": 0.1,
      "algorithms": [
        {"id": "nash-md", "params": {"tau": 0.1}},
        {"id": "online-mirror-descent", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}}
      ]
    }
    """

    /// A working directory with the spec swept into Results/a (--jobs 1) and Results/b (--jobs 2).
    static func sweptTwice(_ tag: String = #function) throws -> URL {
        let dir = try workingDirectory(tag)
        try writeSpec(spec, name: "cmp", in: dir)
        for (out, jobs) in [("Results/a", "1"), ("Results/b", "2")] {
            let sweep = try BenchProcess.run(["sweep", "cmp", "--out", out, "--jobs", jobs, "--bootstrap", "0"], in: dir, path: "/nonexistent")
            #expect(sweep.status == 0, "\(sweep.stderr)")
        }
        return dir
    }

    /// Rewrites runs.csv of `directory`: `edit` gets the records (header first).
    static func editRuns(_ directory: URL, _ edit: (inout [[String]]) -> Void) throws {
        let url = directory.appendingPathComponent("runs.csv")
        var records = try parseCSV(try String(contentsOf: url, encoding: .utf8))
        edit(&records)
        let text = records.map { $0.map(CSVWriter.escape).joined(separator: ",") + "\n" }.joined()
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Sets `column` of the k-th run of `algorithm` (and config, when given), in file order, to
    /// `value(k, old value)`; a cell whose value is unchanged keeps its bytes.
    static func set(_ records: inout [[String]], algorithm: String, config: String? = nil, column: String,
                    _ value: (Int, Double) -> Double) {
        let h = records[0]
        let (alg, cfg, col) = (h.firstIndex(of: "algorithm")!, h.firstIndex(of: "config")!, h.firstIndex(of: column)!)
        var k = 0
        for i in records.indices.dropFirst() where records[i][alg] == algorithm && (config == nil || records[i][cfg] == config) {
            let old = Double(records[i][col])!
            let new = value(k, old)
            if new != old { records[i][col] = "\(new)" }
            k += 1
        }
    }

    /// The CSV rows of `bench compare --format csv`, keyed by "algorithm|config|metric".
    static func csvRows(_ text: String) throws -> [String: [String: String]] {
        let records = try parseCSV(text)
        var rows: [String: [String: String]] = [:]
        for r in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(records[0], r))
            rows["\(row["algorithm"]!)|\(row["config"]!)|\(row["metric"]!)"] = row
        }
        return rows
    }

    @Test func theSameSpecRunTwiceIsIdenticalInEveryFormat() throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = try BenchProcess.run(["compare", "Results/a", "Results/b"], in: dir)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr.isEmpty)
        #expect(table.stdout.hasPrefix("A = Results/a, B = Results/b: 30 runs of one plan; B − A per run, paired over seeds"))
        let verdicts = table.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("nash-md:") || $0.hasPrefix("online-mirror-descent:") }
        #expect(verdicts == [
            "nash-md: identical — 10 of 10 runs byte-identical on every metric and status",
            "online-mirror-descent: identical — 20 of 20 runs byte-identical on every metric and status",
        ])
        // CSV: every group (3) × metric measured on cyclic with τ and a unique equilibrium (no
        // true_reward) is identical, over 10 pairs with B − A = 0, t = 0, p = 1.
        let csv = try BenchProcess.run(["compare", "a", "b", "--format", "csv"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let records = try parseCSV(csv.stdout)
        #expect(records[0] == ["environment", "algorithm", "config", "metric", "direction", "runs", "identical", "only_a", "only_b",
                               "n", "mean_a", "mean_b", "mean_diff", "ci_low", "ci_high", "t", "df", "p_value", "p_holm", "outcome"])
        #expect(records.count == 1 + 3 * 6)
        for r in records.dropFirst() {
            let row = Dictionary(uniqueKeysWithValues: zip(records[0], r))
            #expect(row["outcome"] == "identical" && row["identical"] == "10" && row["runs"] == "10" && row["n"] == "10")
            #expect(row["mean_diff"] == "0" && row["ci_low"] == "0" && row["ci_high"] == "0" && row["t"] == "0")
            #expect(row["df"] == "9" && row["p_value"] == "1" && row["p_holm"] == "")
            #expect(row["metric"] != "true_reward")
        }
        let json = try BenchProcess.run(["compare", "Results/a", "Results/b", "--format", "json"], in: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["runs"] as? Int == 30)
        let v = object["verdicts"] as! [[String: Any]]
        #expect(v.map { $0["verdict"] as? String } == ["identical", "identical"])
        #expect((object["rows"] as! [[String: Any]]).count == 18)
    }

    @Test func oneEditedCellIsNamedInTheVerdict() throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.editRuns(dir.appendingPathComponent("Results/b")) { records in
            Self.set(&records, algorithm: "nash-md", column: "exploitability") { k, x in k == 3 ? x + 0.001 : x }
        }
        let out = try BenchProcess.run(["compare", "Results/a", "Results/b"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains(
            "\nnash-md: same within noise — exploitability differs in 1 of 10 runs (no significant paired difference)\n"))
        #expect(out.stdout.contains("\nonline-mirror-descent: identical — 20 of 20 runs byte-identical on every metric and status\n"))
        // d = (0, …, 0.001, …, 0): d̄ = 1e-4, t = 1 for any δ; p = 2·t.sf(1, 9) = 0.3434363961379136
        // (scipy); the family has this one row, so Holm's p is p.
        let csv = try BenchProcess.run(["compare", "Results/a", "Results/b", "--format", "csv"], in: dir)
        let row = try Self.csvRows(csv.stdout)["nash-md|default|exploitability"]!
        #expect(row["identical"] == "9" && row["n"] == "10" && row["outcome"] == "within noise")
        #expect(abs(Double(row["mean_diff"]!)! - 1e-4) < 1e-15)
        #expect(abs(Double(row["t"]!)! - 1) < 1e-9)
        #expect(abs(Double(row["p_value"]!)! - 0.3434363961379136) < 1e-9)
        #expect(row["p_holm"] == row["p_value"])
    }

    @Test func aShiftOfEverySeedIsBetterOrWorseByTheMetricsDirection() throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.editRuns(dir.appendingPathComponent("Results/b")) { records in
            // exploitability: lower is better; win_rate_vs_reference: higher is better.
            Self.set(&records, algorithm: "nash-md", column: "exploitability") { _, x in x + 0.01 }
            Self.set(&records, algorithm: "online-mirror-descent", config: "eta=0.1", column: "win_rate_vs_reference") { _, x in x + 0.01 }
        }
        let out = try BenchProcess.run(["compare", "Results/a", "Results/b"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\nnash-md: worse on exploitability — exploitability in rps default: B − A = 0.01 [0.01, 0.01], Holm p = 0\n"))
        #expect(out.stdout.contains("\nonline-mirror-descent: better on win_rate_vs_reference — win_rate_vs_reference in rps eta=0.1: B − A = 0.01 [0.01, 0.01], Holm p = 0\n"))
        let rows = try Self.csvRows(try BenchProcess.run(["compare", "a", "b", "--format", "csv"], in: dir).stdout)
        #expect(rows["nash-md|default|exploitability"]?["t"] == "inf")
        #expect(rows["nash-md|default|exploitability"]?["outcome"] == "worse")
        #expect(rows["online-mirror-descent|eta=0.1|win_rate_vs_reference"]?["outcome"] == "better")
        #expect(rows["online-mirror-descent|eta=0.5|win_rate_vs_reference"]?["outcome"] == "identical")
        // Infinite t in JSON is the string "inf".
        let json = try BenchProcess.run(["compare", "a", "b", "--format", "json"], in: dir)
        #expect(json.stdout.contains(#""t": "inf""#))
    }

    /// Fixed values written into both files, with scipy 1.17's `ttest_rel(b, a)` and
    /// `.confidence_interval(0.95)`; Holm over nash-md's two differing rows by hand:
    /// p_holm = (min(1, 2·0.02373359164215538), max(that, 0.4225716281341954)).
    @Test func statisticsMatchScipyAndHolm() throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = [0.0125, 0.0131, 0.0118, 0.0129, 0.0134, 0.0122, 0.0127, 0.0130, 0.0124, 0.0126]
        let b = [0.0129, 0.0130, 0.0125, 0.0133, 0.0132, 0.0128, 0.0126, 0.0135, 0.0129, 0.0127]
        let a2 = [0.41, 0.39, 0.44, 0.40, 0.42, 0.38, 0.43, 0.41, 0.40, 0.39]
        let b2 = [0.40, 0.41, 0.43, 0.42, 0.40, 0.39, 0.44, 0.40, 0.41, 0.41]
        for (side, x, y) in [("a", a, a2), ("b", b, b2)] {
            try Self.editRuns(dir.appendingPathComponent("Results/\(side)")) { records in
                Self.set(&records, algorithm: "nash-md", column: "exploitability") { k, _ in x[k] }
                Self.set(&records, algorithm: "nash-md", column: "kl_to_reference") { k, _ in y[k] }
            }
        }
        let rows = try Self.csvRows(try BenchProcess.run(["compare", "a", "b", "--format", "csv"], in: dir).stdout)
        let e = rows["nash-md|default|exploitability"]!, kl = rows["nash-md|default|kl_to_reference"]!
        func value(_ row: [String: String], _ key: String) -> Double { Double(row[key]!)! }
        // Tolerances: 1e-15 absolute on means and differences, 1e-9 on t, the interval and p.
        #expect(abs(value(e, "mean_a") - 0.01266) < 1e-15 && abs(value(e, "mean_b") - 0.012939999999999998) < 1e-15)
        #expect(abs(value(e, "mean_diff") - 0.00027999999999999987) < 1e-15)
        #expect(abs(value(e, "ci_low") - 4.685265965454207e-05) < 1e-9 && abs(value(e, "ci_high") - 0.0005131473403454577) < 1e-9)
        #expect(abs(value(e, "t") - 2.71675415488323) < 1e-9 && e["df"] == "9")
        #expect(abs(value(e, "p_value") - 0.02373359164215538) < 1e-9)
        #expect(abs(value(e, "p_holm") - 0.04746718328431076) < 1e-9)
        #expect(abs(value(kl, "mean_diff") - 0.003999999999999998) < 1e-15)
        #expect(abs(value(kl, "ci_low") - -0.006770022314825938) < 1e-9 && abs(value(kl, "ci_high") - 0.014770022314825935) < 1e-9)
        #expect(abs(value(kl, "t") - 0.8401680504168072) < 1e-9)
        #expect(abs(value(kl, "p_value") - 0.4225716281341954) < 1e-9 && abs(value(kl, "p_holm") - 0.4225716281341954) < 1e-9)
        #expect(e["outcome"] == "worse" && kl["outcome"] == "within noise")
        let out = try BenchProcess.run(["compare", "a", "b"], in: dir)
        #expect(out.stdout.contains("\nnash-md: worse on exploitability — exploitability in rps default: B − A = 0.00028 "
            + "[4.685e-05, 0.0005131], Holm p = 0.04747; kl_to_reference differs in 10 of 10 runs (no significant paired difference)\n"))
    }

    /// Run ids depend on the run key alone (environment id, label, hyperparameters, replicate): a
    /// changed environment parameter, budget or feedback mode keeps every id but makes another
    /// problem, which the two recorded specs (spec.json) tell apart — refused, naming what differs.
    @Test(arguments: [
        (#""environments": [{"id": "rps", "kind": "cyclic"}]"#, #""environments": [{"id": "rps", "kind": "cyclic", "strength": 0.3}]"#,
         #"30 runs with the same ids are different problems (first: "#, #"environment "rps" differs: A {"id":"rps","kind":"cyclic"}, B {"id":"rps","kind":"cyclic","strength":0.3})"#),
        (#""budget": {"iterations": 20}"#, #""budget": {"iterations": 30}"#,
         "30 runs with the same ids are different problems (first: ", #"the shared settings differ: A {"feedback":"exact","iterations":20,"#),
        (#""seeds": 10,"#, #""seeds": 10, "feedback": "sampled", "budget": {"iterations": 20, "queries": 1000},"#,
         "are different problems (first: ", #""queries":null,"#),
    ])
    func differentProblemsWithTheSameRunIDsAreRefused(from: String, to: String, count: String, what: String) throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = Self.spec.replacingOccurrences(of: from, with: to)
        if to.contains("budget") && from.contains("seeds") { text = text.replacingOccurrences(of: #""budget": {"iterations": 20},"#, with: "") }
        #expect(text != Self.spec)
        try writeSpec(text, name: "cmp", in: dir)
        let other = try BenchProcess.run(["sweep", "cmp", "--out", "Results/e", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(other.status == 0, "\(other.stderr)")
        let c = try BenchProcess.run(["compare", "Results/a", "Results/e"], in: dir)
        #expect(c.status == 9, "\(c.stdout)")
        #expect(c.stdout.isEmpty)
        #expect(c.stderr.hasPrefix("error: Results/a (A) and Results/e (B) are not results of one plan: "), "\(c.stderr)")
        #expect(c.stderr.contains(count), "\(c.stderr)")
        #expect(c.stderr.contains(what), "\(c.stderr)")
        #expect(c.stderr.hasSuffix("; allowed: two results directories of the same spec (the environments, shared settings and input files may not change; code and libraries may)\n"))
        #expect(c.stderr.filter { $0 == "\n" }.count == 1)
    }

    /// A matrix environment whose file changed between the sweeps: the same spec text, the same
    /// run ids, another P — refused as different input files.
    @Test func aChangedInputFileIsAnotherProblem() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = """
        {"name": "mat", "environments": [{"id": "m", "kind": "matrix", "path": "m.csv"}], "budget": {"iterations": 10},
         "seeds": 3, "tau": 0.1, "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}}]}
        """
        try writeSpec(spec, name: "mat", in: dir)
        for (out, p) in [("Results/a", "0.8"), ("Results/b", "0.7")] {
            try "0.5,\(p)\n\(1 - Double(p)!),0.5\n".write(to: dir.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
            let sweep = try BenchProcess.run(["sweep", "mat", "--out", out, "--bootstrap", "0"], in: dir, path: "/nonexistent")
            #expect(sweep.status == 0, "\(sweep.stderr)")
        }
        let c = try BenchProcess.run(["compare", "Results/a", "Results/b"], in: dir)
        #expect(c.status == 9)
        #expect(c.stderr.contains(#"3 runs with the same ids are different problems (first: "#), "\(c.stderr)")
        #expect(c.stderr.contains(#"the input files of environment "m" differ (contents digest A "#), "\(c.stderr)")
        let same = try BenchProcess.run(["compare", "Results/b", "Results/b"], in: dir)
        #expect(same.status == 0, "\(same.stderr)")
    }

    @Test func differentPlansAreRefusedInOneLine() throws {
        let dir = try Self.sweptTwice()
        defer { try? FileManager.default.removeItem(at: dir) }
        // More seeds: 6 runs only in B.
        try writeSpec(Self.spec.replacingOccurrences(of: #""seeds": 10"#, with: #""seeds": 12"#), name: "cmp", in: dir)
        let more = try BenchProcess.run(["sweep", "cmp", "--out", "Results/c", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(more.status == 0, "\(more.stderr)")
        let c = try BenchProcess.run(["compare", "Results/a", "Results/c"], in: dir)
        #expect(c.status == 9)
        #expect(c.stdout.isEmpty)
        #expect(c.stderr.hasPrefix("error: Results/a (A) and Results/c (B) are not results of one plan: runs only in B: 6 (first: "))
        // Named by the run key from the recorded spec, which shows the hyperparameters.
        #expect(c.stderr.contains(": env=rps|alg=nash-md|eta=0.1;heldout_pairs=0;"))
        #expect(c.stderr.contains(";tau=0.1|seed=10); allowed: two results directories of the same spec"))
        #expect(c.stderr.filter { $0 == "\n" }.count == 1)
        // Another spec seed: same run ids, other rng seeds.
        try writeSpec(Self.spec.replacingOccurrences(of: #""seeds": 10,"#, with: #""seeds": 10, "seed": 7,"#), name: "cmp", in: dir)
        let seeded = try BenchProcess.run(["sweep", "cmp", "--out", "Results/d", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let d = try BenchProcess.run(["compare", "Results/a", "Results/d"], in: dir)
        #expect(d.status == 9)
        #expect(d.stderr.contains(": rng_seed differs in 30 runs (first: "))
        #expect(!d.stderr.contains("runs only in"))
        // A configuration edited by hand in a copy.
        try Self.editRuns(dir.appendingPathComponent("Results/b")) { records in
            let cfg = records[0].firstIndex(of: "config")!
            records[1][cfg] = "eta=9"
        }
        let edited = try BenchProcess.run(["compare", "Results/a", "Results/b"], in: dir)
        #expect(edited.status == 9)
        #expect(edited.stderr.contains(#": config differs in 1 run (first: "#))
        #expect(edited.stderr.contains(#": A "default", B "eta=9")"#))
        // A directory without results.
        let missing = try BenchProcess.run(["compare", "Results/a", "Results/none"], in: dir)
        #expect(missing.status == 9)
        #expect(missing.stderr == "error: Results/none/runs.csv: cannot read the file; run `bench sweep` first\n")
        let format = try BenchProcess.run(["compare", "a", "b", "--format", "xml"], in: dir)
        #expect(format.status == 2)
        #expect(format.stderr.contains("unknown format \"xml\"; allowed: table, csv, json"))
    }
}
