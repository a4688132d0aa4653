import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import NashMD

/// Munos et al. 2023, Theorem 1: with η_t = 2/(τ(t+2)), KL(π*_τ‖π_T) ≤ 8/(τ²(T+1)) for every T.
/// π*_τ comes from `RegularizedEquilibriumSolver` (Newton on the logit fixed point), which shares
/// no code with the plugin.
struct NashMDTheoremTests {
    /// Problems with non-uniform μ: `random` n = 10 (two seeds), rock–paper–scissors, and
    /// OpenSpiel's biased RPS, for τ = 0.1 and τ = 0.5.
    static func problems() throws -> [(String, Problem)] {
        let skewed = ReferencePolicy.given([[0.6, 0.3, 0.1]])
        let biased = try CyclicEnvironment.make(["payoffs": .array([[0, -25, 50], [25, 0, -5], [-50, 5, 0]].map { .array($0.map { .number($0) }) })])
        return [
            ("random-7", try Harness.random(actions: 10, seed: 7)),
            ("random-8", try Harness.random(actions: 10, seed: 8)),
            ("rps", try Harness.problem(CyclicEnvironment.make([:]), reference: skewed)),
            ("biased-rps", try Harness.problem(biased, reference: skewed)),
        ]
    }

    /// The bound holds at every one of T = 1…2000 (exact feedback; the comparison is exact, no
    /// tolerance beyond the bound itself), and the iterates really converge: KL(π*_τ‖π_2000) is
    /// below 1e-4, far inside the bound (0.4 for τ = 0.1, 0.016 for τ = 0.5).
    @Test(arguments: [0.1, 0.5])
    func klToRegularizedEquilibriumObeysTheorem1(tau: Double) throws {
        for (name, problem) in try Self.problems() {
            #expect(problem.reference != .uniform(contexts: 1, actions: problem.actions))
            let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            let run = try Harness.run(NashMDAlgorithm.self, ["tau": .number(tau), "schedule": .string("theory")],
                                      on: problem, iterations: 2000, recordEvery: 1)
            #expect(run.checkpoints.count == 2001)
            var violations = 0
            for cp in run.checkpoints where cp.iteration >= 1 {
                let kl = GameMetrics.kl(problem, star, cp.policy)
                if kl > 8 / (tau * tau * Double(cp.iteration + 1)) { violations += 1 }
            }
            #expect(violations == 0, "\(name), τ = \(tau)")
            #expect(GameMetrics.kl(problem, star, run.final) < 1e-4, "\(name), τ = \(tau)")
        }
    }

    /// Self-play Nash-MD-PG in exact-gradient mode converges to π*_τ itself (`random` n = 10,
    /// τ = 0.1, 20,000 iterations: the softmax gradient scales each coordinate by π(y), so the
    /// rarest action, π*_τ ≈ 0.006, contracts only by ≈ 1 − lr·τ·π(y) per step). Two checks:
    /// - the defining property π = BR_τ(π) ∝ μ·exp(Pπ/τ) holds to 1e-12 in log-probabilities;
    /// - the policy matches the solver's π*_τ within 1e-5 in log-probabilities. The solver stops
    ///   once its regularized gap is below 1e-12; the gap is quadratic in the error, so its
    ///   log-probabilities are only accurate to ≈ 1e-6 (measured fixed-point residual 1.3e-6).
    @Test func selfPlayPolicyGradientReachesTheSolverSolution() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        let run = try Harness.run(NashMDPGAlgorithm.self, ["beta": .number(0), "tau": .number(0.1), "learning_rate": .number(5)],
                                  on: problem, iterations: 20_000, recordEvery: 20_000)
        let lp = run.final.logProbabilities[0]
        let v = problem.preferences[0].times(run.final.probabilities(context: 0))
        let br = LogSpace.normalize(zip(problem.reference.logProbabilities[0], v).map { $0 + $1 / 0.1 })
        for (a, b) in zip(lp, br) { #expect(abs(a - b) < 1e-12) }
        for (a, b) in zip(lp, star.logProbabilities[0]) { #expect(abs(a - b) < 1e-5) }
    }

    /// The theory mixture schedule β_t = 2/(t+2) brings Nash-MD-PG to π*_τ as well:
    /// KL(π*_τ‖π_5000) < 1e-7 (`random` n = 10, τ = 0.1; numpy: 1.1e-8).
    @Test func theoryMixturePolicyGradientApproachesTheSolverSolution() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        let run = try Harness.run(NashMDPGAlgorithm.self, ["beta_schedule": .string("theory"), "tau": .number(0.1), "learning_rate": .number(2)],
                                  on: problem, iterations: 5000, recordEvery: 5000)
        #expect(GameMetrics.kl(problem, star, run.final) < 1e-7)
    }
}
