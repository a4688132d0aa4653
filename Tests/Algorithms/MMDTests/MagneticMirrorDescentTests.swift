import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import MMD

/// Magnetic mirror descent: linear last-iterate convergence to π*_τ.
struct MagneticMirrorDescentTests {
    /// Regularized gap below 1e-10 on `random` n = 10, τ = 0.1 within 1000 iterations (η = 1), with
    /// a linear rate: the gap at 400 iterations is below 1e-3 of the gap at 100; KL(π*_τ‖π_1000)
    /// < 1e-10 with π*_τ from `RegularizedEquilibriumSolver`. Three seeds.
    @Test(arguments: [7 as UInt64, 8, 9])
    func linearConvergenceToRegularizedEquilibrium(seed: UInt64) throws {
        let problem = try Harness.random(actions: 10, seed: seed)
        let run = try Harness.run(MagneticMirrorDescentAlgorithm.self, ["eta": .number(1), "tau": .number(0.1)],
                                  on: problem, iterations: 1000, recordEvery: 100)
        let gap = { (t: Int) in GameMetrics.regularizedGap(problem, run.checkpoints.first { $0.iteration == t }!.policy, tau: 0.1) }
        #expect(gap(1000) < 1e-10)
        #expect(gap(400) < 1e-3 * gap(100))
        // Against the independent solver's π*_τ (accurate to ≈ 1e-6 in log-probabilities, so KL
        // to ≈ 1e-12): KL(π*_τ‖π_1000) < 1e-10.
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.checkpoints.last!.policy) < 1e-10)
    }

    /// Large steps are proper updates too (no η·τ ≤ 1 restriction): η = 50, τ = 0.1 still
    /// converges to π*_τ (gap below 1e-10 in 1000 iterations) on `random` n = 5.
    @Test func largeStepsStillConverge() throws {
        let problem = try Harness.random(actions: 5, seed: 4)
        let run = try Harness.run(MagneticMirrorDescentAlgorithm.self, ["eta": .number(50), "tau": .number(0.1)],
                                  on: problem, iterations: 1000, recordEvery: 1000)
        #expect(GameMetrics.regularizedGap(problem, run.final, tau: 0.1) < 1e-10)
    }

    /// One iteration by hand on rock–paper–scissors, μ = (½, ¼, ¼), η = 1, τ = 1: from π_0 = μ,
    /// π_1 ∝ [μ · μ · exp(Pμ)]^{1/2} with Pμ = (½, ⅜, ⅝). Tolerance 1e-15.
    @Test func oneIterationByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let run = try Harness.run(MagneticMirrorDescentAlgorithm.self, ["eta": .number(1), "tau": .number(1)], on: problem, iterations: 1)
        let pm = [0.5, 0.375, 0.625]
        let w = (0..<3).map { (mu[$0] * mu[$0] * exp(pm[$0])).squareRoot() }
        let z = w.reduce(0, +)
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - w[y] / z) < 1e-15) }
    }

    /// Sampled feedback: at most n·samples labels per context and iteration; budget respected.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 4, seed: 3, contexts: 2)
        let run = try Harness.run(MagneticMirrorDescentAlgorithm.self, ["samples": .number(3)], on: problem, mode: .sampled, iterations: 15)
        #expect(run.queries <= 15 * 2 * 4 * 3)
        let short = try Harness.run(MagneticMirrorDescentAlgorithm.self, [:], on: problem, mode: .sampled, iterations: 50, budget: 33)
        #expect(short.queries <= 33)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }
}
