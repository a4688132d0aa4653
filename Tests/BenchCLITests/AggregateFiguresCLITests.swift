import Foundation
import Testing

/// aggregates.csv and the figure kinds `aggregate`, `improvement` and `profile` through the real
/// binary: a small sampled sweep, every point estimate recomputed here from runs.csv by an
/// independent implementation (loops over the rows, written out in this file), the figures' data
/// blocks equal to the file's rows, and the bad options as one-line errors.
@Suite(.serialized)
struct AggregateFiguresCLITests {
    static let spec = """
    {"name": "agg", "feedback": "sampled", "budget": {"iterations": 30}, "record_every": 10, "seeds": 5, "tau": 0.1,
     "environments": [{"id": "rps", "kind": "cyclic", "actions": 3, "strength": 0.8},
                      {"id": "bt", "kind": "bradley-terry", "actions": 4}],
     "algorithms": [{"id": "online-mirror-descent", "params": {"tau": 0.1, "eta": 0.5}},
                    {"id": "mmd", "params": {"tau": 0.1, "eta": 0.5}},
                    {"id": "nash-md", "params": {"tau": 0.1}}],
     "figures": [{"id": "aggregate", "kind": "aggregate", "metric": "exploitability"},
                 {"id": "aggregate-mm", "kind": "aggregate", "metric": "exploitability", "normalize": "min-max"},
                 {"id": "improvement", "kind": "improvement", "metric": "exploitability", "algorithms": ["nash-md", "mmd"]},
                 {"id": "profile", "kind": "profile", "metric": "win_rate_vs_reference"}]}
    """

    /// scores[label][environment] from runs.csv (ok runs, spec order of environments).
    static func scores(_ runs: [[String]], metric: String) -> [String: [[Double]]] {
        let head = runs[0]
        let (env, alg, status, col) = (head.firstIndex(of: "environment")!, head.firstIndex(of: "algorithm")!,
                                       head.firstIndex(of: "status")!, head.firstIndex(of: metric)!)
        var out: [String: [[Double]]] = [:]
        for r in runs.dropFirst() where r[status] == "ok" {
            let e = r[env] == "rps" ? 0 : 1
            out[r[alg], default: [[], []]][e].append(Double(r[col])!)
        }
        return out
    }

    static func trimmedMean(_ x: [Double]) -> Double {
        let s = x.sorted(), cut = s.count / 4
        var total = 0.0
        for v in s[cut..<(s.count - cut)] { total += v }
        return total / Double(s.count - 2 * cut)
    }

    @Test func sweepWritesAggregatesThatMatchAnIndependentComputationAndTheFiguresDrawThem() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "agg", in: dir)
        let out = try BenchProcess.run(["sweep", "agg", "--bootstrap", "300", "--no-report"], in: dir, path: "/nonexistent")
        #expect(out.status == 0 || out.stderr.contains("gnuplot"), "\(out.stderr)")
        let results = dir.appendingPathComponent("Results/agg")
        let runs = try parseCSV(String(contentsOf: results.appendingPathComponent("runs.csv"), encoding: .utf8))
        let table = try parseCSV(String(contentsOf: results.appendingPathComponent("aggregates.csv"), encoding: .utf8))
        #expect(table[0] == ["metric", "eval_tau", "direction", "normalization", "statistic", "algorithm", "opponent", "threshold",
                             "environments", "runs", "estimate", "boot_low", "boot_high"])
        let rows = table.dropFirst()
        func find(_ m: String, _ norm: String, _ stat: String, _ alg: String, opponent: String = "") -> [String]? {
            rows.first { $0[0] == m && $0[3] == norm && $0[4] == stat && $0[5] == alg && $0[6] == opponent }
        }
        let labels = ["online-mirror-descent", "mmd", "nash-md"]
        let close = { (a: Double, b: Double) in abs(a - b) <= 1e-12 * max(1, abs(b)) }
        let exploit = Self.scores(runs, metric: "exploitability")
        for label in labels {
            let raw = exploit[label]!
            let iqm = try #require(find("exploitability", "none", "iqm", label))
            let mean = try #require(find("exploitability", "none", "mean", label))
            #expect(iqm[1] == "" && iqm[2] == "lower" && iqm[8] == "2" && iqm[9] == "10")
            #expect(close(Double(iqm[10])!, Self.trimmedMean(raw[0] + raw[1])), "\(label) iqm \(iqm)")
            #expect(close(Double(mean[10])!, (raw[0] + raw[1]).reduce(0, +) / 10), "\(label) mean")
            for r in [iqm, mean] { #expect(Double(r[11])! <= Double(r[12])!, "\(r)") }
            // min–max per environment over the three labels' runs.
            let normalised = (0..<2).map { e -> [Double] in
                let all = labels.flatMap { exploit[$0]![e] }
                return raw[e].map { ($0 - all.min()!) / (all.max()! - all.min()!) }
            }
            let mm = try #require(find("exploitability", "min-max", "iqm", label))
            #expect(close(Double(mm[10])!, Self.trimmedMean(normalised[0] + normalised[1])), "\(label) min-max iqm")
        }
        // P(a lower than b), ties ½, averaged over the two environments; pairs in spec order only.
        for (i, a) in labels.enumerated() {
            for b in labels[(i + 1)...] {
                var p = 0.0
                for e in 0..<2 {
                    var u = 0.0
                    for x in exploit[a]![e] { for y in exploit[b]![e] { u += x < y ? 1 : (x == y ? 0.5 : 0) } }
                    p += u / 25 / 2
                }
                let row = try #require(find("exploitability", "none", "probability_of_improvement", a, opponent: b))
                #expect(close(Double(row[10])!, p), "P(\(a) better than \(b))")
                #expect(find("exploitability", "none", "probability_of_improvement", b, opponent: a) == nil)
            }
        }
        #expect(find("exploitability", "min-max", "probability_of_improvement", "mmd", opponent: "nash-md") == nil)
        // Profile of a higher-is-better metric: fraction of runs with score > τ, mean over environments.
        let win = Self.scores(runs, metric: "win_rate_vs_reference")
        let pooled = labels.flatMap { win[$0]![0] + win[$0]![1] }
        let profile = rows.filter { $0[0] == "win_rate_vs_reference" && $0[3] == "none" && $0[4] == "profile" && $0[5] == "mmd" }
        #expect(profile.count == 101)
        #expect(Double(profile.first![7])! == pooled.min()! && Double(profile.last![7])! == pooled.max()!)
        for r in profile {
            let tau = Double(r[7])!
            let f = (0..<2).map { e in Double(win["mmd"]![e].filter { $0 > tau }.count) / 5 }.reduce(0, +) / 2
            #expect(close(Double(r[10])!, f), "profile at \(tau)")
        }

        // Data blocks: aggregate draws aggregates.csv's rows; improvement orients pairs as listed.
        let plots = dir.appendingPathComponent("Plots/agg")
        let blocks = try Self.blocks(String(contentsOf: plots.appendingPathComponent("aggregate.dat"), encoding: .utf8))
        #expect(blocks.map(\.0) == ["statistic=iqm algorithm=online-mirror-descent", "statistic=iqm algorithm=mmd",
                                    "statistic=iqm algorithm=nash-md", "statistic=mean algorithm=online-mirror-descent",
                                    "statistic=mean algorithm=mmd", "statistic=mean algorithm=nash-md"])
        for (name, values) in blocks {
            let parts = name.split(separator: " ").map { String($0.split(separator: "=")[1]) }
            let row = try #require(find("exploitability", "none", parts[0], parts[1]))
            #expect(values.dropFirst() == [Double(row[10])!, Double(row[11])!, Double(row[12])!], "\(name)")
        }
        let pairs = try Self.blocks(String(contentsOf: plots.appendingPathComponent("improvement.dat"), encoding: .utf8))
        let forward = try #require(find("exploitability", "none", "probability_of_improvement", "mmd", opponent: "nash-md"))
        #expect(pairs.map(\.0) == ["pair=nash-md vs mmd"])
        #expect(pairs[0].1 == [0, 1 - Double(forward[10])!, 1 - Double(forward[12])!, 1 - Double(forward[11])!])
        let profileBlocks = try Self.blocks(String(contentsOf: plots.appendingPathComponent("profile.dat"), encoding: .utf8))
        #expect(profileBlocks.map(\.0) == labels.map { "algorithm=\($0)" })
        let script = try String(contentsOf: plots.appendingPathComponent("profile.gp"), encoding: .utf8)
        #expect(script.contains("fraction of runs with score > τ"))
    }

    /// The blocks of a .dat file: (name after "# index k: ", the first row's numbers).
    static func blocks(_ text: String) throws -> [(String, [Double])] {
        text.components(separatedBy: "\n\n\n").map { chunk in
            let lines = chunk.split(separator: "\n").map(String.init)
            let name = lines.first { $0.hasPrefix("# index") }.map { String($0.split(separator: ":", maxSplits: 1)[1].dropFirst()) } ?? ""
            let row = lines.first { !$0.hasPrefix("#") }.map { $0.split(separator: " ").map { Double($0)! } } ?? []
            return (name, row)
        }
    }

    /// Bad options of the new kinds: one line naming the file, the JSON path, what is wrong and what
    /// is allowed, status 3, nothing run.
    @Test(arguments: [
        (#"{"id": "a", "kind": "aggregate", "metric": "exploitability", "normalize": "zscore"}"#,
         #"error: Experiments/bad.json: $.figures[0].normalize: unknown value "zscore"; allowed: "none", "min-max""#),
        (#"{"id": "a", "kind": "profile", "metric": "exploitability", "environments": ["rps"]}"#,
         "error: Experiments/bad.json: $.figures[0].environments: profile figures pool every environment of the sweep (aggregates.csv) and take no environments filter; allowed: environments only for curves, bars, heatmap, frontier, lines, policy and versus figures"),
        (#"{"id": "a", "kind": "improvement", "metric": "exploitability", "normalize": "min-max"}"#,
         "error: Experiments/bad.json: $.figures[0].normalize: improvement figures have no normalize; allowed: normalize only for aggregate and profile figures"),
    ])
    func badOptionsAreOneLineErrors(figure: String, expected: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec("""
        {"name": "bad", "environments": [{"id": "rps", "kind": "cyclic", "actions": 3}], "budget": {"iterations": 5},
         "algorithms": [{"id": "mmd"}], "figures": [\(figure)]}
        """, name: "bad", in: dir)
        let out = try BenchProcess.run(["validate", "bad"], in: dir)
        #expect(out.status == 3)
        #expect(out.stderr == expected + "\n", "\(out.stderr)")
    }
}
