import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import ReST
import Testing

/// ReST on a transitive (Bradley–Terry) environment.
struct ReSTTests {
    static let rewards = [0.5, -1.0, 1.5, 0.0, 2.0, -0.5]
    static let mu = [0.25, 0.25, 0.2, 0.1, 0.05, 0.15]
    /// The min-max normalised true reward (r + 1)/3 = (0.5, 0, 0.8333, 0.3333, 1, 0.1667): the exact
    /// reward model (l2 = 0) recovers r up to a shift, so this is the plugin's r̂ in exact mode.
    static let normalised = rewards.map { ($0 + 1) / 3 }

    static func problem() throws -> Problem { try Harness.bradleyTerry(rewards: rewards, mu: mu) }

    @Test(arguments: [1, 2])
    func trueRewardDoesNotDecreaseAcrossImproveSteps(growSteps: Int) throws {
        // 10 seeds, sampled feedback. For each Improve step k the per-seed change d = R_{k+1} − R_k of
        // the true reward must not be significantly negative: mean(d) + t_{0.975, 9}·sd(d)/√10 ≥ 0 with
        // t_{0.975, 9} = 2.262 (the upper end of the 95% CI of the mean change). The whole run must
        // improve significantly: the lower end of the CI of R_last − R_0 is above 0.
        let problem = try Self.problem()
        let seeds: [UInt64] = Array(1...10)
        let curves = try seeds.map { seed in
            try Harness.run(ReinforcedSelfTraining.self, ["grow_steps": .number(Double(growSteps))], on: problem,
                            mode: .sampled, iterations: 100, seed: seed)
                .checkpoints.map { GameMetrics.trueReward(problem, $0.policy)! }
        }
        #expect(curves.allSatisfy { $0.count == 1 + 6 * growSteps })
        func ci(_ d: [Double]) -> (mean: Double, half: Double) {
            let m = d.reduce(0, +) / Double(d.count)
            let sd = (d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(d.count - 1)).squareRoot()
            return (m, 2.262 * sd / Double(d.count).squareRoot())
        }
        for k in 0..<(curves[0].count - 1) {
            let (m, h) = ci(curves.map { $0[k + 1] - $0[k] })
            #expect(m + h >= 0, "Improve step \(k + 1) lowers the true reward: mean change \(m) ± \(h)")
        }
        let (m, h) = ci(curves.map { $0.last! - $0[0] })
        #expect(m - h > 0)
    }

    @Test(arguments: [1, 2], [3, 4] as [UInt64])
    func keptSetShrinksAsTheThresholdRises(growSteps: Int, seed: UInt64) throws {
        // Within a Grow step the dataset is fixed and the thresholds rise, so the kept sets are nested:
        // kept_fraction never increases across its Improve steps (and restarts at 1 with τ = 0).
        let run = try Harness.run(ReinforcedSelfTraining.self, ["grow_steps": .number(Double(growSteps))], on: try Self.problem(),
                                  mode: .sampled, iterations: 100, seed: seed)
        let kept = run.checkpoints.dropFirst().map { $0.diagnostics["kept_fraction"]! }
        for g in 0..<growSteps {
            let block = Array(kept[(6 * g)..<(6 * g + 6)])
            #expect(block[0] == 1)
            #expect(zip(block, block.dropFirst()).allSatisfy { $0.0 >= $0.1 })
            #expect(block.last! < 0.5)
        }
    }

    @Test func exactModeDiagnosticsMatchClosedForms() throws {
        // Exact mode, G = 1: the Grow data are N·μ twice (original and grown), so the kept fraction at
        // threshold τ is Σ_y μ(y)·1{r̄(y) ≥ τ}: by hand 1, 0.25 (responses 2 and 4: r̄ = 0.83, 1), 0.25,
        // 0.05 (response 4 only), 0.05, 0.05 for τ = 0, 0.7, 0.8, 0.9, 0.95, 0.99. proxy_reward is E_π r̄ with r̄ the normalised reward.
        let problem = try Self.problem()
        let run = try Harness.run(ReinforcedSelfTraining.self, ["l2": .number(0)], on: problem, mode: .exact, iterations: 100)
        let kept = run.checkpoints.dropFirst().map { $0.diagnostics["kept_fraction"]! }
        #expect(zip(kept, [1, 0.25, 0.25, 0.05, 0.05, 0.05]).allSatisfy { abs($0 - $1) < 1e-12 })
        for cp in run.checkpoints {
            let p = cp.policy.probabilities(context: 0)
            #expect(abs(cp.diagnostics["proxy_reward"]! - zip(p, Self.normalised).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-8)
        }
        #expect(run.queries == 0)
        // Deterministic: the exact run repeats itself for another seed.
        let again = try Harness.run(ReinforcedSelfTraining.self, ["l2": .number(0)], on: problem, mode: .exact, iterations: 100, seed: 99)
        #expect(again.final == run.final)
    }

    @Test func behaviourCloningApproachesTheKeptDistribution() throws {
        // Without early stopping, one Improve step at τ = 0.7 (exact mode) clones responses 2 and 4,
        // kept with weights μ = 0.2 and 0.05: the cross-entropy minimiser is (0, 0, 0.8, 0, 0.2, 0).
        // 3000 Adam steps (lr 0.05) reach it within 0.01 in every coordinate.
        let problem = try Self.problem()
        let run = try Harness.run(ReinforcedSelfTraining.self,
                                  ["l2": .number(0), "thresholds": .array([.number(0.7)]), "early_stopping": .bool(false),
                                   "bc_steps": .number(3000)],
                                  on: problem, mode: .exact, iterations: 10)
        #expect(Harness.maxAbs(run.final, try Policy(probabilities: [[0, 0, 0.8, 0, 0.2, 0].map { max($0, 1e-300) }])) < 0.01)
    }

    @Test func iterationBudgetAndQueryBudgetAreRespected() throws {
        let problem = try Self.problem()
        let run = try Harness.run(ReinforcedSelfTraining.self, ["grow_steps": .number(2), "reward_pairs": .number(1000)],
                                  on: problem, mode: .sampled, iterations: 4, recordEvery: 2, budget: 300)
        #expect(run.queries == 300)
        #expect(run.context.recordedIterations == [0, 2, 4])
    }

    @Test func rejectsDecreasingThresholds() {
        #expect(throws: AlignmentCoreError.self) {
            try ReinforcedSelfTraining.make(["thresholds": .array([.number(0.5), .number(0.4)])])
        }
        #expect(throws: AlignmentCoreError.self) {
            try ReinforcedSelfTraining.make(["thresholds": .array([.number(1.5)])])
        }
    }
}
