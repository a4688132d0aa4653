import AlgorithmCatalog
import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing

/// Label noise in exact feedback: the exact accessors give the law of the noisy labels,
/// P̃ = ½ + (1 − 2ε)(P − ½), so every plugin run with exact feedback and noise ε behaves as the
/// noise-free run on P̃ (issue 9, "label_noise with exact feedback").
struct LabelNoiseConformanceTests {
    @Test func exactAccessorsReturnTheNoisyLabelLaw() throws {
        // RPS (strength 1): P(0 ≻ 1) = 1, P(1 ≻ 0) = 0, P(2 ≻ 0) = 1. With ε = 0.2 a label says
        // 0 ≻ 1 with probability 0.8, 1 ≻ 0 with 0.2, 2 ≻ 0 with 0.8; against q = e₀ the vector is
        // (½, 0.2, 0.8). Tolerance 1e-15.
        let problem = try Harness.rps(mu: [1.0 / 3, 1.0 / 3, 1.0 / 3])
        let oracle = FeedbackOracle(problem: problem, mode: .exact, queryBudget: nil, labelNoise: 0.2, rng: RandomSource(seed: 1))
        #expect(abs(try oracle.preference(context: 0, 0, 1) - 0.8) < 1e-15)
        #expect(abs(try oracle.preference(context: 0, 1, 0) - 0.2) < 1e-15)
        let v = try oracle.preferenceAgainst(context: 0, [1, 0, 0])
        for (a, e) in zip(v, [0.5, 0.2, 0.8]) { #expect(abs(a - e) < 1e-15) }
        #expect(try oracle.preferenceMatrix(context: 0)[2, 0] == v[2])
        // No noise: the true P.
        let clean = FeedbackOracle(problem: problem, mode: .exact, queryBudget: nil, rng: RandomSource(seed: 1))
        #expect(try clean.preference(context: 0, 0, 1) == 1)
    }

    /// Every plugin with exact feedback, on a 4-response random game in 2 contexts with noise
    /// ε = 0.3: the run equals the noise-free run on P̃ = ½ + 0.4(P − ½) (built here independently
    /// of the oracle) within 1e-9 in every probability after 20 iterations (the two P̃ differ by
    /// rounding only). And the noise is not ignored: at least one plugin ends elsewhere than its
    /// noise-free run on P (by more than 1e-3).
    @Test func everyExactPluginSeesTheNoisyPreference() throws {
        let problem = try Harness.random(actions: 4, seed: 9, contexts: 2)
        let noisy = try Problem(
            preferences: problem.preferences.map { p in
                try PreferenceMatrix.fromUpperTriangle(size: p.size) { i, j in 0.5 + 0.4 * (p[i, j] - 0.5) }
            },
            reference: problem.reference, isTransitive: problem.isTransitive, contextWeights: problem.contextWeights)
        var anyDiffers = false
        for id in AlgorithmCatalog.ids {
            let type = try ConformanceDriver.plugin(id)
            guard type.descriptor.feedbackModes.contains(.exact) else { continue }
            let withNoise = try ConformanceDriver.run(type, on: problem, mode: .exact, labelNoise: 0.3, iterations: 20,
                                                      recordEvery: 20, budget: nil, seed: 4)
            let onNoisy = try ConformanceDriver.run(type, on: noisy, mode: .exact, iterations: 20, recordEvery: 20,
                                                    budget: nil, seed: 4)
            let clean = try ConformanceDriver.run(type, on: problem, mode: .exact, iterations: 20, recordEvery: 20,
                                                  budget: nil, seed: 4)
            #expect(Harness.maxAbs(withNoise.final, onNoisy.final) < 1e-9, "\(id)")
            if Harness.maxAbs(withNoise.final, clean.final) > 1e-3 { anyDiffers = true }
        }
        #expect(anyDiffers)
    }
}
