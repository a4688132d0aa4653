import AlgorithmTestSupport
import AlignmentCore
import BestOfN
import Environments
import Foundation
import Testing

/// Tied fitted rewards share probability in proportion to μ instead of being ordered by index
/// (issue 9, "ties broken by index").
struct BestOfNTieTests {
    /// The all-½ preference on three responses: no pair is distinguished.
    static func indifferent(mu: [Double]) throws -> Problem {
        let half = try PreferenceMatrix(rows: Array(repeating: [0.5, 0.5, 0.5], count: 3))
        return try Problem(preferences: [half], reference: Policy(probabilities: [mu]), isTransitive: true)
    }

    /// Best-of-4 with exact feedback where the exact Bradley–Terry fit gives every response the same
    /// reward (exactly 0 here: the fit's gradient vanishes at r = 0 by symmetry): cyclic RPS
    /// (strength 1) with uniform μ, the three-rater preset at ε = 0 with uniform μ, and the all-½
    /// matrix with μ = (0.5, 0.3, 0.2). No response is better, so the best of n draws is a uniformly
    /// chosen draw, distributed as μ. (Before: ties went to the largest index, giving (1, 15, 65)/81
    /// on RPS, exploitability 0.395.) Tolerance 1e-15.
    @Test(arguments: ["rps", "three-rater", "all-half"])
    func allTiedRewardsReturnMu(name: String) throws {
        let problem: Problem
        switch name {
        case "rps": problem = try Harness.rps(mu: [1.0 / 3, 1.0 / 3, 1.0 / 3])
        case "three-rater":
            problem = try Harness.problem(AnnotatorMixtureEnvironment.make(["preset": .string("three-rater"), "epsilon": .number(0)]),
                                          reference: .given([[1.0 / 3, 1.0 / 3, 1.0 / 3]]))
        default: problem = try Self.indifferent(mu: [0.5, 0.3, 0.2])
        }
        let run = try Harness.run(BestOfNSampling.self, ["n": .number(4)], on: problem, mode: .exact, iterations: 5)
        #expect(run.context.last?.iteration == 1)
        #expect(Harness.maxAbs(run.final, problem.reference) < 1e-15, "\(run.final.probabilities)")
        if name == "rps" { #expect(abs(GameMetrics.exploitability(problem, run.final)) < 1e-15) }
    }

    @Test func partialTieByHand() {
        // μ = (0.2, 0.3, 0.5), rewards (1, 0, 1): group {1} below group {0, 2} (mass 0.7). Best of 2:
        // P(best = 1) = 0.3² = 0.09; the tied group gets 1 − 0.09 = 0.91, shared 0.2 : 0.5 →
        // 0.26 and 0.65. Rewards differing by rounding (1 and 1 + 2⁻⁵²) are tied the same way.
        // Tolerance 1e-15.
        for top in [1.0, 1.0 + 0x1p-52] {
            let p = BestOfNSampling.distribution(reference: [0.2, 0.3, 0.5], rewards: [1, 0, top], n: 2)
            for (a, e) in zip(p, [0.26, 0.09, 0.65]) { #expect(abs(a - e) < 1e-15, "\(p)") }
        }
        // A genuine difference (10⁻⁹ > 10⁻¹²) is not a tie: response 2 is the best, 1 − 0.5² = 0.75.
        let q = BestOfNSampling.distribution(reference: [0.2, 0.3, 0.5], rewards: [1, 0, 1 + 1e-9], n: 2)
        #expect(abs(q[2] - 0.75) < 1e-15)
    }
}
