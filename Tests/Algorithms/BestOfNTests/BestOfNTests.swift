import AlgorithmTestSupport
import AlignmentCore
import BestOfN
import Environments
import Foundation
import Testing

/// The exact best-of-n distribution against hand computations and Monte Carlo.
struct BestOfNTests {
    @Test func twoResponsesByHand() {
        // μ = (½, ½), response 1 better: the best of two is response 0 only if both draws are 0: ¼.
        let p = BestOfNSampling.distribution(reference: [0.5, 0.5], rewards: [0, 1], n: 2)
        #expect(abs(p[0] - 0.25) < 1e-15 && abs(p[1] - 0.75) < 1e-15)
        // n = 1 is μ itself.
        let mu = [0.1, 0.2, 0.3, 0.4]
        #expect(zip(BestOfNSampling.distribution(reference: mu, rewards: [3, 1, 2, 0], n: 1), mu).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test(arguments: [2, 3, 8])
    func exactDistributionMatchesMonteCarlo(n: Int) {
        // Rewards with a tie (responses 1 and 3), broken uniformly among the tied draws (each draw
        // holding the best reward is equally likely to be returned). 200,000 simulated best-of-n
        // draws; every frequency within 5σ = 5·√(p(1−p)/200000) ≤ 0.0056.
        let mu = [0.3, 0.25, 0.05, 0.25, 0.15]
        let rewards = [0.0, 1.0, 2.0, 1.0, -1.0]
        let exact = BestOfNSampling.distribution(reference: mu, rewards: rewards, n: n)
        #expect(abs(exact.reduce(0, +) - 1) < 1e-12)
        let rng = RandomSource(seed: 2024)
        let trials = 200_000
        var freq = [Double](repeating: 0, count: mu.count)
        for _ in 0..<trials {
            let draws = (0..<n).map { _ in rng.categorical(mu) }
            let top = draws.map { rewards[$0] }.max()!
            let tied = draws.filter { rewards[$0] == top }
            freq[tied[rng.integer(below: tied.count)]] += 1 / Double(trials)
        }
        for y in mu.indices {
            let sd = (exact[y] * (1 - exact[y]) / Double(trials)).squareRoot()
            #expect(abs(freq[y] - exact[y]) <= 5 * sd + 1e-12, "response \(y): MC \(freq[y]) vs exact \(exact[y])")
        }
    }

    @Test func largeNStaysADistributionWithoutUnderflow() {
        // n = 10⁵: the worst response needs all draws to be itself, μ(4)^n = 0.15^100000 — far below the
        // smallest double, yet the log-probability stays finite: n·log 0.15.
        let mu = [0.3, 0.25, 0.05, 0.25, 0.15]
        let lp = BestOfNSampling.logDistribution(logReference: mu.map { log($0) }, rewards: [0.0, 1.0, 2.0, 1.5, -1.0], n: 100_000)
        #expect(lp.allSatisfy { $0.isFinite })
        #expect(abs(lp[4] - 100_000 * log(0.15)) < 1e-6)
        #expect(abs(lp.reduce(0) { $0 + exp($1) } - 1) < 1e-12)
        // The best response takes 1 − 0.95^n of the mass.
        #expect(abs(exp(lp[2]) - (1 - pow(0.95, 100_000))) < 1e-12)
    }

    @Test(arguments: [1, 4, 16])
    func exactModeReportsTheBestOfNPolicyOfTheTrueReward(n: Int) throws {
        // Exact feedback: the reward model is the exact BT fit, which orders responses like the true
        // reward, so the reported policy is the best-of-n distribution of the true reward.
        let rewards = [1.0, 0.0, -0.5, 2.0]
        let mu = [0.1, 0.4, 0.3, 0.2]
        let problem = try Harness.bradleyTerry(rewards: rewards, mu: mu)
        let run = try Harness.run(BestOfNSampling.self, ["n": .number(Double(n))], on: problem, mode: .exact, iterations: 50, recordEvery: 10)
        let expected = try Policy(probabilities: [BestOfNSampling.distribution(reference: mu, rewards: rewards, n: n)])
        #expect(Harness.maxAbs(run.final, expected) < 1e-12)
        #expect(run.context.recordedIterations == [0, 1])
        #expect(run.queries == 0)
        // The true reward of best-of-n rises with n.
        #expect(GameMetrics.trueReward(problem, run.final)! >= GameMetrics.trueReward(problem, problem.reference)! - 1e-12)
    }

    @Test func sampledModeLearnsTheRankingFromLabels() throws {
        // 5,000 labelled pairs: reward gaps ≥ 0.5 are resolved (standard errors ≈ 0.05), so the learned
        // ranking — hence the policy — equals the true one; the labels count against the budget.
        let rewards = [1.0, 0.0, -0.5, 2.0]
        let mu = [0.1, 0.4, 0.3, 0.2]
        let problem = try Harness.bradleyTerry(rewards: rewards, mu: mu)
        let run = try Harness.run(BestOfNSampling.self, ["n": .number(4), "reward_pairs": .number(5000)], on: problem,
                                  mode: .sampled, iterations: 10, seed: 3)
        #expect(run.queries == 5000)
        let expected = try Policy(probabilities: [BestOfNSampling.distribution(reference: mu, rewards: rewards, n: 4)])
        #expect(Harness.maxAbs(run.final, expected) < 1e-12)
    }
}
