import Foundation
import Testing

/// `label_noise` with exact feedback is applied, not silently ignored (issue 9): `bench validate`
/// accepts it, and `bench sweep` runs the algorithm against the noisy-label law.
struct LabelNoiseCLITests {
    static let spec = """
    {"name": "noise", "feedback": "exact", "budget": {"iterations": 20},
     "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
     "environments": [{"id": "noisy", "kind": "cyclic", "label_noise": 0.5}, {"id": "clean", "kind": "cyclic"}],
     "algorithms": [{"id": "nash-md"}]}
    """

    /// With ε = ½ every label is a fair coin: P̃ = ½ + 0·(P − ½) = ½, so Nash-MD's step
    /// π ∝ (π^{1−ητ}μ^{ητ})·exp(η·P̃π) = (π^{1−ητ}μ^{ητ})·e^{η/2} leaves π = μ = (0.5, 0.3, 0.2)
    /// unchanged (tolerance 1e-15). Without noise, rock–paper–scissors moves π away from μ (by more
    /// than 0.01 in some probability after 20 steps of η = 0.1: the first step alone changes
    /// log π by η·(Pμ − mean) with Pμ = (0.55, 0.35, 0.6)).
    @Test func exactFeedbackSeesTheNoisyLabelLaw() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "noise", in: dir)
        let validate = try BenchProcess.run(["validate", "noise"], in: dir)
        #expect(validate.status == 0 && validate.stderr.isEmpty)
        #expect(validate.stdout.hasPrefix("Experiments/noise.json: ok — 2 environments, 1 algorithm entry, 2 runs"))
        let sweep = try BenchProcess.run(["sweep", "noise", "--jobs", "1"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let runs = try String(contentsOf: dir.appendingPathComponent("Results/noise/runs.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = runs[0]
        let envOf = Dictionary(uniqueKeysWithValues: runs.dropFirst().map { ($0[h.firstIndex(of: "run_id")!], $0[h.firstIndex(of: "environment")!]) })
        let policies = try String(contentsOf: dir.appendingPathComponent("Results/noise/policies.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var final: [String: [Double]] = [:]
        for row in policies { final[envOf[row[0]]!, default: []].append(Double(row[3])!) }
        let mu = [0.5, 0.3, 0.2]
        let noisy = try #require(final["noisy"]), clean = try #require(final["clean"])
        #expect(noisy.count == 3 && zip(noisy, mu).allSatisfy { abs($0 - $1) < 1e-15 }, "\(noisy)")
        #expect(zip(clean, mu).contains { abs($0 - $1) > 0.01 }, "\(clean)")
    }
}
