import Foundation
import Testing

/// End-to-end tests of `bench env solve` / `bench env export` (issue 3) and of re-rendering several
/// experiments with `bench figures` (issue 5).
@Suite(.serialized)
struct EnvCommandTests {
    static let spec = """
    {
      "name": "worlds",
      "environments": [
        {"id": "brps", "kind": "cyclic", "preset": "biased-rps"},
        {"id": "raters", "kind": "annotator-mixture", "preset": "three-rater", "epsilon": 0.2},
        {"id": "bt", "kind": "bradley-terry", "rewards": [0, 1, 2]}
      ],
      "reference": {"kind": "given", "probabilities": [[0.5, 0.3, 0.2]]},
      "budget": {"iterations": 1},
      "algorithms": [{"id": "nash-md"}]
    }
    """

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Nash equilibria against hand-derived values, π*_τ against an independent fixed-point check.
    @Test func solveReportsKnownEquilibria() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "worlds", in: dir)
        let out = try BenchProcess.run(["env", "solve", "worlds", "--tau", "0.1", "--format", "json"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let envs = try #require(try json(out.stdout)["environments"] as? [[String: Any]])
        #expect(envs.map { $0["id"] as? String } == ["brps", "raters", "bt"])
        // Hand-derived equilibria: OpenSpiel's biased RPS → (1/16, 10/16, 5/16); the three-rater
        // population (Munos et al. §3.2) → (1/3+ε/2, 1/3+ε/2, 1/3−ε); Bradley–Terry → the best response.
        let expected: [[Double]] = [[1.0 / 16, 10.0 / 16, 5.0 / 16], [1.0 / 3 + 0.1, 1.0 / 3 + 0.1, 1.0 / 3 - 0.2], [0, 0, 1]]
        for (e, want) in zip(envs, expected) {
            #expect(e["actions"] as? Int == 3)
            #expect(e["contexts"] as? Int == 1)
            #expect(e["tau"] as? Double == 0.1)
            let nash = try #require((e["nash"] as? [[Double]])?.first)
            for (a, b) in zip(nash, want) { #expect(abs(a - b) < 1e-9, "\(e["id"]!): \(nash)") }
            let exploitability = try #require((e["exploitability"] as? [Double])?.first)
            #expect(exploitability < 1e-9)
            let gap = try #require((e["regularized_gap"] as? [Double])?.first)
            #expect(gap >= 0 && gap < 1e-12)
        }
        #expect(envs[2]["transitive"] as? Bool == true)
        #expect(envs[0]["transitive"] as? Bool == false)

        // π*_τ of the biased RPS satisfies π ∝ μ·exp(Pπ/τ), checked here from the exported P and μ.
        let export = try BenchProcess.run(["env", "export", "worlds", "--env", "brps", "--format", "json"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        let ex = try json(export.stdout)
        let p = try #require((ex["preference"] as? [[[Double]]])?.first)
        let mu = try #require((ex["reference"] as? [[Double]])?.first)
        let pi = try #require((envs[0]["regularized"] as? [[Double]])?.first)
        let v = p.map { row in zip(row, pi).reduce(0) { $0 + $1.0 * $1.1 } }
        let w = zip(mu, v).map { $0 * exp($1 / 0.1) }
        let z = w.reduce(0, +)
        for (a, b) in zip(w.map { $0 / z }, pi) { #expect(abs(a - b) < 1e-12) }
    }

    /// The exported preference matches the biased-RPS formula P = ½ + ½·A/max|A| entry by entry; the
    /// true reward is null without one and present for Bradley–Terry.
    @Test func exportWritesPreferenceReferenceAndReward() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "worlds", in: dir)
        let out = try BenchProcess.run(["env", "export", "worlds", "--env", "brps"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let ex = try json(out.stdout)
        #expect(ex["id"] as? String == "brps")
        #expect(ex["actions"] as? Int == 3 && ex["contexts"] as? Int == 1)
        let p = try #require((ex["preference"] as? [[[Double]]])?.first)
        // A = [[0,−25,50],[25,0,−5],[−50,5,0]], max|A| = 50.
        let want: [[Double]] = [[0.5, 0.25, 1.0], [0.75, 0.5, 0.45], [0.0, 0.55, 0.5]]
        for i in 0..<3 { for j in 0..<3 { #expect(abs(p[i][j] - want[i][j]) < 1e-15) } }
        #expect((ex["reference"] as? [[Double]])?.first == [0.5, 0.3, 0.2])
        #expect(ex["reward"] is NSNull)
        let bt = try json(try BenchProcess.run(["env", "export", "worlds", "--env", "bt"], in: dir).stdout)
        #expect((bt["reward"] as? [[Double]])?.first == [0, 1, 2])
    }

    /// An exported CSV loads back as a `matrix` environment with the same equilibrium.
    @Test func exportedCSVRoundTripsThroughTheMatrixEnvironment() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "worlds", in: dir)
        let csv = try BenchProcess.run(["env", "export", "worlds", "--env", "raters", "--format", "csv"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        try csv.stdout.write(to: dir.appendingPathComponent("raters.csv"), atomically: true, encoding: .utf8)
        try writeSpec("""
        {"name": "back", "environments": [{"id": "m", "kind": "matrix", "path": "raters.csv"}],
         "budget": {"iterations": 1}, "algorithms": [{"id": "nash-md"}]}
        """, name: "back", in: dir)
        let out = try BenchProcess.run(["env", "solve", "back", "--format", "json"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let envs = try #require(try json(out.stdout)["environments"] as? [[String: Any]])
        let nash = try #require((envs.first?["nash"] as? [[Double]])?.first)
        for (a, b) in zip(nash, [1.0 / 3 + 0.1, 1.0 / 3 + 0.1, 1.0 / 3 - 0.2]) { #expect(abs(a - b) < 1e-9) }
    }

    @Test func unknownEnvironmentIsOneLineWithAHint() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "worlds", in: dir)
        let out = try BenchProcess.run(["env", "solve", "worlds", "--env", "brp"], in: dir)
        #expect(out.status != 0)
        #expect(out.stderr.split(separator: "\n").count == 1)
        #expect(out.stderr.contains("did you mean \"brps\"?"))
    }

    /// `bench figures a b` re-renders several experiments; `--out` needs exactly one.
    @Test func figuresRendersSeveralExperiments() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["one", "two"] {
            try writeSpec(BenchCLITests.small.replacingOccurrences(of: "\"small\"", with: "\"\(name)\""), name: name, in: dir)
            let sweep = try BenchProcess.run(["sweep", name, "--bootstrap", "0"], in: dir)
            #expect(sweep.status == 0, "\(sweep.stderr)")
        }
        let both = try BenchProcess.run(["figures", "one", "two", "--format", "svg"], in: dir)
        #expect(both.status == 0, "\(both.stderr)")
        for name in ["one", "two"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/\(name)/exploitability.svg").path))
        }
        let all = try BenchProcess.run(["figures", "--format", "png"], in: dir)
        #expect(all.status == 0, "\(all.stderr)")
        let misuse = try BenchProcess.run(["figures", "one", "two", "--out", "x"], in: dir)
        #expect(misuse.status == 2)
        #expect(misuse.stderr == "error: --out/--plots: allowed only with one experiment, got 2\n")
    }
}
