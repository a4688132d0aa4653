import Foundation
import Testing

/// `policy_class` on an algorithm entry and `features` on an environment entry, through the real
/// binary (issue 13).
struct PolicyClassCLITests {
    /// Two environments with features (random without a seed, indicator), a tabular and a
    /// log-linear dpo entry, 2 seeds.
    static let spec = """
    {"name": "ll", "feedback": "exact", "seed": 7, "seeds": 2, "budget": {"iterations": 30},
     "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
     "environments": [{"id": "g", "kind": "cyclic", "features": {"kind": "random", "dimension": 1}},
                      {"id": "ind", "kind": "cyclic", "features": {"kind": "indicator"}}],
     "algorithms": [{"id": "dpo", "label": "tab", "params": {"learning_rate": 0.5}},
                    {"id": "dpo", "label": "lin", "policy_class": "log-linear", "params": {"learning_rate": 0.5}}]}
    """

    /// A plugin that does not declare the log-linear class is refused in one line naming the JSON
    /// path, the plugin and the classes it supports (status 3, nothing written); so is a log-linear
    /// entry when an environment has no features, and an unknown class.
    @Test func unsupportedClassIsRefusedInOneLine() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            (Self.spec.replacingOccurrences(of: #""id": "dpo", "label": "lin""#, with: #""id": "nash-md", "label": "lin""#)
                .replacingOccurrences(of: #", "params": {"learning_rate": 0.5}}]"#, with: "}]"),
             #"error: Experiments/ll.json: $.algorithms[1].policy_class: algorithm "nash-md" does not support the log-linear policy class; allowed: "tabular""#),
            (Self.spec.replacingOccurrences(of: #", "features": {"kind": "indicator"}"#, with: ""),
             #"error: Experiments/ll.json: $.algorithms[1].policy_class: the log-linear class needs features, and environment "ind" ($.environments[1]) has no "features" block; allowed: "tabular", or a "features" block in every environment entry"#),
            (Self.spec.replacingOccurrences(of: #""policy_class": "log-linear""#, with: #""policy_class": "linear""#),
             #"error: Experiments/ll.json: $.algorithms[1].policy_class: unknown value "linear"; allowed: "tabular", "log-linear""#),
        ]
        for (spec, line) in cases {
            try writeSpec(spec, name: "ll", in: dir)
            for command in ["validate", "sweep"] {
                let out = try BenchProcess.run([command, "ll"], in: dir, path: "/nonexistent")
                #expect(out.status == 3, "\(command): \(out.stderr)")
                #expect(out.stderr == line + "\n")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
    }

    /// Random features: the same spec gives the same bytes (--jobs 1 and 2), `bench validate`
    /// reports the seed — derived as SplitMix64(7 ⊕ FNV-1a 64("features|g")) = 11810682351158148168
    /// (computed by an independent Python implementation) — and a given seed is used instead.
    /// A tabular entry's run ids do not depend on the features block (the key has no class
    /// segment), the log-linear entry's key has one; with indicator features its final policy
    /// equals the tabular one within 1e-9.
    @Test func randomFeaturesAreReproducibleAndTheirSeedReported() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "ll", in: dir)
        let validate = try BenchProcess.run(["validate", "ll"], in: dir)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("\n  environment g: random features, d = 1, seed = 11810682351158148168\n  environment ind: indicator features\n"),
                "\(validate.stdout)")
        for jobs in ["1", "2"] {
            let out = try BenchProcess.run(["sweep", "ll", "--jobs", jobs, "--out", "R\(jobs)", "--no-report", "--plots", "P\(jobs)"], in: dir, path: "/nonexistent")
            #expect(out.status == 0, "\(out.stderr)")
        }
        for file in ["runs.csv", "curves.csv", "policies.csv"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("R1/\(file)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("R2/\(file)"))
            #expect(a == b, "\(file)")
        }
        // Final policies per (environment, label), seed 0.
        let runs = try String(contentsOf: dir.appendingPathComponent("R1/runs.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = runs[0]
        let col = { (name: String) in h.firstIndex(of: name)! }
        #expect(runs.dropFirst().allSatisfy { $0[col("status")] == "ok" })
        var final: [String: [Double]] = [:]
        let key = Dictionary(uniqueKeysWithValues: runs.dropFirst().filter { $0[col("seed")] == "0" }
            .map { ($0[col("run_id")], $0[col("environment")] + "/" + $0[col("algorithm")]) })
        for row in try String(contentsOf: dir.appendingPathComponent("R1/policies.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let cells = row.split(separator: ",").map(String.init)
            if let k = key[cells[0]] { final[k, default: []].append(Double(cells[3])!) }
        }
        let tab = try #require(final["ind/tab"]), lin = try #require(final["ind/lin"])
        #expect(tab.count == 3 && zip(tab, lin).allSatisfy { abs($0 - $1) < 1e-9 }, "\(tab) \(lin)")
        let restricted = try #require(final["g/lin"])
        #expect(zip(restricted, lin).contains { abs($0 - $1) > 1e-6 }, "random features must restrict the class: \(restricted)")

        // Run ids: the tabular entry's do not change without the features blocks; the log-linear key has its class.
        let plan = try BenchProcess.run(["validate", "ll", "--plan", "--format", "csv"], in: dir)
        let plainSpec = """
        {"name": "plain", "feedback": "exact", "seed": 7, "seeds": 2, "budget": {"iterations": 30},
         "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
         "environments": [{"id": "g", "kind": "cyclic"}, {"id": "ind", "kind": "cyclic"}],
         "algorithms": [{"id": "dpo", "label": "tab", "params": {"learning_rate": 0.5}}]}
        """
        try writeSpec(plainSpec,
                      name: "plain", in: dir)
        let plain = try BenchProcess.run(["validate", "plain", "--plan", "--format", "csv"], in: dir)
        #expect(plain.status == 0 && !plain.stdout.contains(",lin,"), "\(plain.stderr)")
        let linRows = plan.stdout.split(separator: "\n").filter { $0.contains(",lin,") }
        #expect(linRows.count == 4 && linRows.allSatisfy { !plain.stdout.contains($0.prefix(12)) })
        let tabRows = plan.stdout.split(separator: "\n").filter { $0.contains(",tab,") }
        #expect(tabRows.count == 4 && tabRows == plain.stdout.split(separator: "\n").filter { $0.contains(",tab,") }, "\(plan.stdout)\n\(plain.stdout)")

        // A given seed replaces the derived one (and changes the features, hence the run).
        try writeSpec(Self.spec.replacingOccurrences(of: #""dimension": 1}"#, with: #""dimension": 1, "seed": 5}"#), name: "ll", in: dir)
        let seeded = try BenchProcess.run(["validate", "ll"], in: dir)
        #expect(seeded.stdout.contains("\n  environment g: random features, d = 1, seed = 5\n"), "\(seeded.stdout)")
    }

    /// Given features from a JSON file (`{"kind": "given", "path": …}`): the runs equal those of the
    /// same values inline (final policies bit-equal); the file is fingerprinted and copied into the
    /// results directory; changing its bytes makes the environment's runs stale (status 6, the
    /// file named); a bad file or block is one line naming the file or JSON path (status 3,
    /// nothing written).
    @Test func givenFeaturesFromAFile() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let values = "[[[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]]]"
        try Data(values.utf8).write(to: dir.appendingPathComponent("phi.json"))
        func spec(_ name: String, _ features: String) -> String {
            """
            {"name": "\(name)", "feedback": "exact", "seed": 7, "seeds": 1, "budget": {"iterations": 30},
             "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
             "environments": [{"id": "g", "kind": "cyclic", "features": \(features)}],
             "algorithms": [{"id": "dpo", "label": "lin", "policy_class": "log-linear", "params": {"learning_rate": 0.5}}]}
            """
        }
        try writeSpec(spec("file", #"{"kind": "given", "path": "phi.json"}"#), name: "file", in: dir)
        try writeSpec(spec("inline", #"{"kind": "given", "values": \#(values)}"#), name: "inline", in: dir)
        for name in ["file", "inline"] {
            let out = try BenchProcess.run(["sweep", name, "--no-report"], in: dir, path: "/nonexistent")
            #expect(out.status == 0, "\(name): \(out.stderr)")
        }
        func finalPolicy(_ name: String) throws -> [String] {
            try String(contentsOf: dir.appendingPathComponent("Results/\(name)/policies.csv"), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().joined(separator: ",") }
        }
        #expect(try finalPolicy("file") == finalPolicy("inline"))
        let inputs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Results/file/inputs").path)
        #expect(inputs.count == 1 && inputs[0].hasSuffix(".json"), "\(inputs)")
        let copy = try Data(contentsOf: dir.appendingPathComponent("Results/file/inputs/\(inputs[0])"))
        #expect(copy == Data(values.utf8))
        // The copy is named by the SHA-256 of the bytes (`sha256sum` of this exact text).
        #expect(inputs[0] == "4ae12e66e8640748f832deaf245f44c380a70af723c90743dec924d8493a0b2f.json")
        // A changed file: the runs are stale, and the message names the file.
        try Data("[[[1.0, 0.0], [0.0, 1.0], [0.5, -0.25]]]".utf8).write(to: dir.appendingPathComponent("phi.json"))
        let again = try BenchProcess.run(["sweep", "file", "--no-report"], in: dir, path: "/nonexistent")
        #expect(again.status == 6 && again.stderr.contains("phi.json"), "\(again.stderr)")
        // Bad blocks and files: one line each, status 3.
        try Data("[[[1.0], [0.0, 1.0], [0.5]]]".utf8).write(to: dir.appendingPathComponent("ragged.json"))
        try Data("[[[1.0], [0.0], [0.5]], [[1.0], [2.0], [3.0]]]".utf8).write(to: dir.appendingPathComponent("twocontexts.json"))
        let cases: [(String, String)] = [
            (#"{"kind": "given", "path": "missing.json"}"#, "error: Experiments/bad.json: $.environments[0].features.path: no such file missing.json"),
            (#"{"kind": "given", "path": "ragged.json"}"#, "error: ragged.json: $[0][1]: 2 features, φ(0, 0) has 1; allowed: an array of contexts, each an array of actions, each an array of d finite numbers (the same d everywhere)"),
            (#"{"kind": "given", "path": "twocontexts.json"}"#, #"error: Experiments/bad.json: $.environments[0].features.values: features for 2 context(s), environment "g" has 1"#),
            (#"{"kind": "given", "path": "phi.json", "values": [[[1]]]}"#, #"error: Experiments/bad.json: $.environments[0].features: a "given" block needs exactly one of "values" and "path""#),
            (#"{"kind": "given"}"#, #"error: Experiments/bad.json: $.environments[0].features: a "given" block needs exactly one of "values" and "path""#),
        ]
        for (features, prefix) in cases {
            try writeSpec(spec("bad", features), name: "bad", in: dir)
            let out = try BenchProcess.run(["validate", "bad"], in: dir, path: "/nonexistent")
            #expect(out.status == 3 && out.stderr.hasPrefix(prefix) && out.stderr.split(separator: "\n").count == 1, "\(features): \(out.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/bad").path))
    }
}
