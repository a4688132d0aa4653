import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import OMWU

/// OMWU: the last iterate converges to the Nash equilibrium of the original game (τ = 0) where
/// Hedge cycles (the comparison with the `online-mirror-descent` plugin is in the catalogue tests,
/// LastIterateComparisonTests); with τ > 0 it converges to π*_τ.
struct OptimisticMultiplicativeWeightsTests {
    /// τ = 0, η = ½ on rock–paper–scissors from μ = (½, 0.3, 0.2): exploitability at iteration 2000
    /// below 1e-8 (numpy, same recursion: 6.9e-11) and falling linearly — at 2000 below 1e-3 of its
    /// value at 1000 (numpy: 2.9e-6 → 6.9e-11) —, and the last iterate within 1e-8 of the uniform
    /// equilibrium in every probability.
    @Test func lastIterateConvergesOnRockPaperScissors() throws {
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        let run = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["eta": .number(0.5), "tau": .number(0)],
                                  on: problem, iterations: 2000, recordEvery: 1000)
        let e = { (t: Int) in GameMetrics.exploitability(problem, run.checkpoints.first { $0.iteration == t }!.policy) }
        #expect(e(2000) < 1e-8)
        #expect(e(2000) < 1e-3 * e(1000))
        for p in run.final.probabilities(context: 0) { #expect(abs(p - 1.0 / 3) < 1e-8) }
    }

    /// The three-rater population (annotator-mixture preset, ε = 0.2) has the full-support Nash
    /// equilibrium (1/3 + ε/2, 1/3 + ε/2, 1/3 − ε) = (13/30, 13/30, 2/15) (Munos et al. 2023, §3.2;
    /// derived in the environment's documentation). τ = 0, η = 2, from μ = (0.6, 0.3, 0.1): after
    /// 3000 iterations every probability is within 1e-8 of it (numpy, same recursion: 3.9e-16). The
    /// step is larger than on RPS because A = P − ½ has entries of at most 0.22 here, and OMWU's
    /// contraction per step is of order η²‖A‖² (with η = ½ the error is still 0.012 at 3000).
    @Test func convergesToTheThreeRaterEquilibrium() throws {
        let env = try AnnotatorMixtureEnvironment.make(["preset": .string("three-rater"), "epsilon": .number(0.2)])
        let problem = try Harness.problem(env, reference: .given([[0.6, 0.3, 0.1]]))
        let run = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["eta": .number(2), "tau": .number(0)],
                                  on: problem, iterations: 3000, recordEvery: 3000)
        let nash = [13.0 / 30, 13.0 / 30, 2.0 / 15]
        for (p, q) in zip(run.final.probabilities(context: 0), nash) { #expect(abs(p - q) < 1e-8) }
    }

    /// Two iterations by hand on rock–paper–scissors, μ = (½, ¼, ¼), η = 1, τ = 0. With no previous
    /// feedback the first step is plain: π_1 ∝ μ·exp(Pμ), Pμ = (½, ⅜, ⅝); then
    /// π_2 ∝ π_1·exp(2Pπ_1 − Pμ), where (Pq) = (q₀/2 + q₁, q₁/2 + q₂, q₀ + q₂/2) for RPS.
    /// Tolerance 1e-15.
    @Test func twoIterationsByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let run = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["eta": .number(1), "tau": .number(0)],
                                  on: problem, iterations: 2)
        func times(_ q: [Double]) -> [Double] { [q[0] / 2 + q[1], q[1] / 2 + q[2], q[0] + q[2] / 2] }
        func normalised(_ w: [Double]) -> [Double] { let z = w.reduce(0, +); return w.map { $0 / z } }
        let pMu = [0.5, 0.375, 0.625]
        let pi1 = normalised((0..<3).map { mu[$0] * exp(pMu[$0]) })
        let p1 = times(pi1)
        let pi2 = normalised((0..<3).map { pi1[$0] * exp(2 * p1[$0] - pMu[$0]) })
        let got1 = run.checkpoints.first { $0.iteration == 1 }!.policy.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(got1[y] - pi1[y]) < 1e-15) }
        for y in 0..<3 { #expect(abs(run.final.probabilities(context: 0)[y] - pi2[y]) < 1e-15) }
    }

    /// With τ > 0 the fixed point is π*_τ: on `random` n = 10 (seed 7), τ = 0.1, η = 1, the
    /// regularized gap is below 1e-10 after 1000 iterations and KL(π*_τ‖π_1000) < 1e-10 with π*_τ
    /// from the independent `RegularizedEquilibriumSolver` (accurate to ≈ 1e-12 in KL).
    @Test func regularizedLastIterateConvergesToPiStarTau() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["eta": .number(1), "tau": .number(0.1)],
                                  on: problem, iterations: 1000, recordEvery: 1000)
        #expect(GameMetrics.regularizedGap(problem, run.final, tau: 0.1) < 1e-10)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.final) < 1e-10)
    }

    /// Sampled feedback: at most n·samples labels per context and iteration (the previous estimate
    /// is reused, not queried again); the run stops at the budget.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 5, seed: 3, contexts: 2)
        let run = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["samples": .number(2)], on: problem,
                                  mode: .sampled, iterations: 20)
        #expect(run.queries <= 20 * 2 * 5 * 2)
        #expect(run.queries > 20 * 2 * 5 * 2 / 2)
        let short = try Harness.run(OptimisticMultiplicativeWeightsAlgorithm.self, ["samples": .number(2)], on: problem,
                                    mode: .sampled, iterations: 20, budget: 77)
        #expect(short.queries <= 77)
        #expect((short.context.last?.iteration ?? 99) < 20)
    }

    @Test func rejectsStepsBeyondTheMixture() {
        #expect(throws: AlignmentCoreError.self) {
            try OptimisticMultiplicativeWeightsAlgorithm.make(["eta": .number(11), "tau": .number(0.1)])
        }
    }
}
