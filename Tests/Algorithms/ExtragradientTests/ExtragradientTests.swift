import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import Extragradient

/// Extragradient (mirror prox): linear last-iterate convergence to π*_τ, and last-iterate
/// convergence to the Nash equilibrium even without regularization, where Hedge cycles.
struct ExtragradientTests {
    /// Regularized gap below 1e-10 on `random` n = 10, τ = 0.1 within 1000 iterations (η = 1), and
    /// the convergence is linear: the gap at 400 iterations is below 1e-3 of the gap at 100
    /// (a sublinear O(1/t) rate would give only 1/4); KL(π*_τ‖π_1000) < 1e-10 with π*_τ from
    /// `RegularizedEquilibriumSolver`. Checked on three seeds.
    @Test(arguments: [7 as UInt64, 8, 9])
    func linearConvergenceToRegularizedEquilibrium(seed: UInt64) throws {
        let problem = try Harness.random(actions: 10, seed: seed)
        let run = try Harness.run(ExtragradientAlgorithm.self, ["eta": .number(1), "tau": .number(0.1)],
                                  on: problem, iterations: 1000, recordEvery: 100)
        let gap = { (t: Int) in GameMetrics.regularizedGap(problem, run.checkpoints.first { $0.iteration == t }!.policy, tau: 0.1) }
        #expect(gap(1000) < 1e-10)
        #expect(gap(400) < 1e-3 * gap(100))
        // Against the independent solver's π*_τ (accurate to ≈ 1e-6 in log-probabilities, so KL
        // to ≈ 1e-12): KL(π*_τ‖π_1000) < 1e-10.
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.checkpoints.last!.policy) < 1e-10)
    }

    /// Without regularization (τ = 0, η = 0.5) on rock–paper–scissors from μ = (½, 0.3, 0.2), the
    /// extragradient last iterate converges to the uniform Nash equilibrium (exploitability below
    /// 1e-8 after 2000 iterations; numpy: 1.8e-10), where Hedge's last iterate keeps exploitability
    /// above 0.15 (OnlineMirrorDescentTests).
    @Test func unregularizedLastIterateConvergesOnRPS() throws {
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        let run = try Harness.run(ExtragradientAlgorithm.self, ["eta": .number(0.5), "tau": .number(0)],
                                  on: problem, iterations: 2000, recordEvery: 2000)
        #expect(GameMetrics.exploitability(problem, run.final) < 1e-8)
    }

    /// One iteration by hand on rock–paper–scissors with τ = 0, η = 1, μ = (½, ¼, ¼): the half step
    /// is h ∝ μ·exp(Pμ) with Pμ = (½, ⅜, ⅝); the full step is π_1 ∝ μ·exp(P h). Tolerance 1e-15.
    @Test func oneIterationByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let run = try Harness.run(ExtragradientAlgorithm.self, ["eta": .number(1), "tau": .number(0)], on: problem, iterations: 1)
        let hw = [0.5 * exp(0.5), 0.25 * exp(0.375), 0.25 * exp(0.625)]
        let hz = hw.reduce(0, +)
        let h = hw.map { $0 / hz }
        // RPS: P h = (½h₀ + h₁, ½h₁ + h₂, h₀ + ½h₂).
        let ph = [0.5 * h[0] + h[1], 0.5 * h[1] + h[2], h[0] + 0.5 * h[2]]
        let w = (0..<3).map { mu[$0] * exp(ph[$0]) }
        let z = w.reduce(0, +)
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - w[y] / z) < 1e-15) }
    }

    /// Sampled feedback: two estimates per iteration, at most 2·n·samples labels per context and
    /// iteration; the budget is respected.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 4, seed: 3, contexts: 2)
        let run = try Harness.run(ExtragradientAlgorithm.self, ["samples": .number(3)], on: problem, mode: .sampled, iterations: 15)
        #expect(run.queries <= 15 * 2 * 2 * 4 * 3)
        #expect(run.context.last?.iteration == 15)
        let short = try Harness.run(ExtragradientAlgorithm.self, [:], on: problem, mode: .sampled, iterations: 50, budget: 60)
        #expect(short.queries <= 60)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }

    @Test func rejectsStepsBeyondTheMixture() {
        #expect(throws: AlignmentCoreError.self) { try ExtragradientAlgorithm.make(["eta": .number(11), "tau": .number(0.1)]) }
    }
}
