import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import RLHFPPO
import Testing

/// rlhf-ppo against its analytic fixed point: the KL-regularised optimum π*_β = μ·exp(r̂/β)/Z, which
/// for an exact Bradley–Terry reward model (r̂ = r + const) is μ·exp(r/β)/Z.
struct RLHFPPOTests {
    static let rewards = [1.0, 0.0, -0.5, 2.0]
    static let mu = [0.1, 0.4, 0.3, 0.2]

    @Test(arguments: [0.25, 0.5, 1.0, 2.0])
    func exactRewardConvergesToTheRegularisedOptimum(beta: Double) throws {
        // Exact mode: r̂ is the exact BT fit (l2 = 0, so r̂ = r − E_μ r) and every PPO step uses the
        // exact expectation over π_old. With the step size annealed linearly to 0 over 2000 iterations
        // (4 epochs × 4 minibatches each) the last iterate sits at the fixed point; observed TV ≈ 1e-12,
        // tolerance 1e-8.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: beta)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["beta": .number(beta), "l2": .number(0), "lr_schedule": .string("linear")],
                                  on: problem, mode: .exact, iterations: 2000, recordEvery: 500)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 1e-8)
        #expect(GameMetrics.kl(problem, target, run.final) < 1e-12)
        #expect(run.queries == 0)
        // proxy_reward = E_π r̂ with r̂ centred under μ: 0 at μ, and E_π r − E_μ r at the end.
        let eMu = zip(Self.mu, Self.rewards).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(run.checkpoints[0].diagnostics["proxy_reward"]!) < 1e-12)
        #expect(abs(run.checkpoints.last!.diagnostics["proxy_reward"]! - (GameMetrics.trueReward(problem, run.final)! - eMu)) < 1e-8)
    }

    @Test func everyContextReachesItsOwnOptimum() throws {
        // Three contexts with their own drawn rewards, softmax-normal μ and weights 1:2:3; exact mode,
        // default PPO settings (annealed step): each context ends at μ_x·exp(r_x/β)/Z (tolerance 1e-8).
        let problem = try Harness.multiContext(contexts: 3, actions: 5, seed: 21)
        let target = try Harness.regularisedOptimum(problem, beta: 0.7)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["beta": .number(0.7), "l2": .number(0)], on: problem, mode: .exact,
                                  iterations: 2000, recordEvery: 2000)
        #expect(Harness.maxAbs(run.final, target) < 1e-8)
    }

    @Test func constantStepSingleUpdateAlsoReachesTheFixedPoint() throws {
        // One exact Adam step per iteration at a constant step size is a plain fixed-point iteration
        // of the clipped objective; for β = 1 it converges (observed TV ≈ 6e-13 after 1000 iterations).
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: 1)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["beta": .number(1), "l2": .number(0), "epochs": .number(1), "minibatches": .number(1),
                                                          "lr_schedule": .string("constant")],
                                  on: problem, mode: .exact, iterations: 1000, recordEvery: 1000)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 1e-8)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func sampledRunApproachesTheOptimum(seed: UInt64) throws {
        // 20,000 labelled pairs from μ give a reward model whose differences have standard errors
        // ≈ 0.02–0.04 (μ is non-uniform); PPO on sampled batches with an annealed step then lands within
        // TV ≈ 0.01 of π*_0.5 (observed 0.007–0.008). Tolerance 0.03.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: 0.5)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["beta": .number(0.5), "reward_pairs": .number(20_000), "lr_schedule": .string("linear")],
                                  on: problem, mode: .sampled, iterations: 2000, recordEvery: 100, seed: seed)
        #expect(run.queries == 20_000)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 0.03)
        // Far from μ: the optimum is at TV 0.70 from μ.
        #expect(GameMetrics.totalVariation(problem, problem.reference, target) > 0.6)
    }

    @Test(arguments: [0.5, 1.0])
    func adaptiveKLControllerFindsTheBetaOfItsTarget(beta: Double) throws {
        // KL(π*_β‖μ) is strictly decreasing in β, so kl_target = KL(π*_β‖μ) has the unique fixed point
        // β of the controller. Starting from β = 0.2 (exact mode, linear annealing) the controller
        // ends within 1e-3 of β (observed 1e-4) and the policy at π*_β.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: beta)
        let kl = GameMetrics.kl(problem, target, problem.reference)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["beta": .number(0.2), "kl_target": .number(kl), "l2": .number(0),
                                                          "lr_schedule": .string("linear")],
                                  on: problem, mode: .exact, iterations: 3000, recordEvery: 100)
        #expect(abs(run.checkpoints.last!.diagnostics["beta"]! - beta) < 1e-3)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 1e-6)
    }

    @Test func adaptedBetaFollowsZieglerEtAl() {
        // β(1 + 0.1·clip(KL/target − 1, −0.2, 0.2)): by hand.
        #expect(abs(RLHFPPOAlgorithm.adaptedBeta(0.1, kl: 2, target: 1) - 0.1 * 1.02) < 1e-15)
        #expect(abs(RLHFPPOAlgorithm.adaptedBeta(0.1, kl: 1.1, target: 1) - 0.1 * 1.01) < 1e-15)
        #expect(abs(RLHFPPOAlgorithm.adaptedBeta(0.1, kl: 0, target: 1) - 0.1 * 0.98) < 1e-15)
    }

    @Test func rewardPairsAreCappedByTheBudget() throws {
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let run = try Harness.run(RLHFPPOAlgorithm.self, ["reward_pairs": .number(1000)], on: problem, mode: .sampled,
                                  iterations: 20, recordEvery: 5, budget: 300)
        #expect(run.queries == 300)
        #expect(run.context.recordedIterations == [0, 5, 10, 15, 20])
        // No label at all: the run reports μ and ends.
        let empty = try Harness.run(RLHFPPOAlgorithm.self, on: problem, mode: .sampled, iterations: 20, budget: 0)
        #expect(empty.context.recordedIterations == [0] && empty.final == problem.reference)
    }

    @Test func rejectsInconsistentParameters() {
        #expect(throws: AlignmentCoreError.self) { try RLHFPPOAlgorithm.make(["batch_size": .number(4), "minibatches": .number(8)]) }
        #expect(throws: AlignmentCoreError.self) { try RLHFPPOAlgorithm.make(["clip_epsilon": .number(1)]) }
        #expect(throws: AlignmentCoreError.self) { try RLHFPPOAlgorithm.make(["betta": .number(1)]) }
    }
}
