import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import MPO

/// MPO: MMD toward a magnet reset to the current policy every K iterations. Before the first reset
/// it is MMD toward μ (so it reaches π*_τ when K exceeds the run); with resets the last iterate
/// converges to the Nash equilibrium of the original game. The comparison with Nash-MD and
/// extragradient at the same τ, and the identity with `comal` (inner "mmd"), are in the catalogue
/// tests (LastIterateComparisonTests).
struct MagneticPreferenceOptimizationTests {
    /// Two iterations by hand on rock–paper–scissors, μ = (½, ¼, ¼), η = 1, τ = 1, K = 1: the magnet
    /// is μ for the first step and π_1 for the second, so π_1 ∝ [μ·μ·exp(Pμ)]^{1/2} with
    /// Pμ = (½, ⅜, ⅝), and π_2 ∝ [π_1·π_1·exp(Pπ_1)]^{1/2} = π_1·exp(Pπ_1/2), where
    /// (Pq) = (q₀/2 + q₁, q₁/2 + q₂, q₀ + q₂/2). With K = 2 the second step keeps the magnet μ:
    /// π_2 ∝ [π_1·μ·exp(Pπ_1)]^{1/2}. Tolerance 1e-15.
    @Test func magnetResetByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        func times(_ q: [Double]) -> [Double] { [q[0] / 2 + q[1], q[1] / 2 + q[2], q[0] + q[2] / 2] }
        func normalised(_ w: [Double]) -> [Double] { let z = w.reduce(0, +); return w.map { $0 / z } }
        let pi1 = normalised((0..<3).map { (mu[$0] * mu[$0] * exp([0.5, 0.375, 0.625][$0])).squareRoot() })
        let p1 = times(pi1)
        let reset = normalised((0..<3).map { pi1[$0] * exp(p1[$0] / 2) })
        let kept = normalised((0..<3).map { (pi1[$0] * mu[$0] * exp(p1[$0])).squareRoot() })
        for (k, expected) in [(1, reset), (2, kept)] {
            let run = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self,
                                      ["eta": .number(1), "tau": .number(1), "reset_every": .number(Double(k))],
                                      on: problem, iterations: 2)
            let got1 = run.checkpoints.first { $0.iteration == 1 }!.policy.probabilities(context: 0)
            for y in 0..<3 { #expect(abs(got1[y] - pi1[y]) < 1e-15, "K = \(k)") }
            for y in 0..<3 { #expect(abs(run.final.probabilities(context: 0)[y] - expected[y]) < 1e-15, "K = \(k)") }
        }
    }

    /// Without a reset inside the run (K = 10⁶ > 1000 iterations) MPO is MMD toward μ and converges
    /// to π*_τ: on `random` n = 10 (seed 7), η = 1, τ = 0.1, KL(π*_τ‖π_1000) < 1e-10 with π*_τ from
    /// the independent `RegularizedEquilibriumSolver`.
    @Test func withoutResetItReachesPiStarTau() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self,
                                  ["eta": .number(1), "tau": .number(0.1), "reset_every": .number(1_000_000)],
                                  on: problem, iterations: 1000, recordEvery: 1000)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.final) < 1e-10)
    }

    /// With resets the last iterate converges to the Nash equilibrium of the original game: with
    /// the defaults (η = 1, τ = 0.05, K = 100), exploitability below 1e-6 after `iterations` on
    /// `random` n = 10 (seeds 7, 8, 9; measured values in the catalogue comparison test).
    @Test(arguments: [7 as UInt64, 8, 9])
    func lastIterateReachesTheNashEquilibriumOnRandomGames(seed: UInt64) throws {
        let problem = try Harness.random(actions: 10, seed: seed)
        let run = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self, [:], on: problem,
                                  iterations: Self.iterations, recordEvery: Self.iterations)
        #expect(GameMetrics.exploitability(problem, run.final) < 1e-6)
    }

    /// On the three-rater population (ε = 0.2, from μ = (0.6, 0.3, 0.1)) the last iterate ends
    /// within 1e-8 of the equilibrium (13/30, 13/30, 2/15) in every probability (defaults, 3000
    /// iterations).
    @Test func convergesToTheThreeRaterEquilibrium() throws {
        let env = try AnnotatorMixtureEnvironment.make(["preset": .string("three-rater"), "epsilon": .number(0.2)])
        let problem = try Harness.problem(env, reference: .given([[0.6, 0.3, 0.1]]))
        let run = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self, [:], on: problem, iterations: 3000, recordEvery: 3000)
        for (p, q) in zip(run.final.probabilities(context: 0), [13.0 / 30, 13.0 / 30, 2.0 / 15]) { #expect(abs(p - q) < 1e-8) }
    }

    /// Sampled feedback: at most n·samples labels per context and iteration; budget respected.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 4, seed: 3, contexts: 2)
        let run = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self, ["samples": .number(3)], on: problem,
                                  mode: .sampled, iterations: 15)
        #expect(run.queries <= 15 * 2 * 4 * 3)
        #expect(run.queries > 0)
        let short = try Harness.run(MagneticPreferenceOptimizationAlgorithm.self, [:], on: problem, mode: .sampled,
                                    iterations: 50, budget: 33)
        #expect(short.queries <= 33)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }

    /// Iterations of the random-game convergence test.
    static let iterations = 20_000
}
