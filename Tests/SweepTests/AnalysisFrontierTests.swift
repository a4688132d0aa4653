import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// frontier.csv: the exact reward–KL frontier π_β ∝ μ·exp(r/β).
struct AnalysisFrontierTests {
    /// Two actions, μ = (0.8, 0.2), r = (0, 1): π_β(1) = 0.2e^{1/β}/(0.8 + 0.2e^{1/β}), reward π_β(1),
    /// KL = (1 − p)·ln((1 − p)/0.8) + p·ln(p/0.2). Values from mpmath at 40 digits; tolerance 1e-14.
    @Test(arguments: [
        (0.5, 0.64878564428393929928, 0.47435629801018751345),
        (1.0, 0.40460967519168966482, 0.10921514607134201439),
        (2.0, 0.29187513274057832049, 0.02394628303101813357),
        (1000.0, 0.2001600480010629857, 8.0032000797055191182e-8),
        // β → 0: the argmax, KL → ln 5.
        (0.001, 1.0, 1.6094379124341003),
    ])
    func twoActionCaseMatchesHandFormula(beta: Double, reward: Double, kl: Double) throws {
        let problem = try Problem(preferences: [PreferenceMatrix(rows: [[0.5, 1 / (1 + exp(1.0))], [1 / (1 + exp(-1.0)), 0.5]])],
                                  reference: Policy(probabilities: [[0.8, 0.2]]), trueReward: [[0, 1]], isTransitive: true)
        let point = try RewardFrontier.points(problem, betas: [beta])![0]
        #expect(point.beta == beta)
        #expect(abs(point.reward - reward) < 1e-14)
        #expect(abs(point.kl - kl) < 1e-14 * max(1, kl) + 1e-20)
    }

    @Test func gridIsLogSpaced() {
        let g = RewardFrontier.betaGrid()
        #expect(g.count == 200)
        #expect(abs(g[0] - 1e-3) < 1e-18 && abs(g[199] - 1e3) < 1e-10)
        // Constant ratio 10^(6/199) between neighbours (relative 1e-12).
        let ratio = pow(10, 6.0 / 199)
        #expect(zip(g, g.dropFirst()).allSatisfy { abs($1 / $0 - ratio) < 1e-12 })
    }

    /// Gibbs variational principle: for every policy π and β > 0,
    /// E_π r − β·KL(π‖μ) ≤ E_{π_β} r − β·KL(π_β‖μ), so no policy lies above the frontier. Checked on
    /// a 3-context, 5-action problem with random rewards, μ and policies (fixed seed); tolerance 1e-12.
    /// Along the curve KL increases and reward increases as β decreases.
    @Test func noPolicyBeatsTheFrontier() throws {
        let rng = RandomSource(seed: 11)
        let reward = (0..<3).map { _ in (0..<5).map { _ in rng.normal(sd: 1) } }
        let mu = try Policy(logits: (0..<3).map { _ in (0..<5).map { _ in rng.normal(sd: 1) } })
        let problem = try Problem(preferences: Array(repeating: .init(rows: Array(repeating: Array(repeating: 0.5, count: 5), count: 5)), count: 3),
                                  reference: mu, trueReward: reward, isTransitive: true, contextWeights: [0.5, 0.3, 0.2])
        let betas = RewardFrontier.betaGrid(count: 25)
        let curve = try RewardFrontier.points(problem, betas: betas)!
        for _ in 0..<200 {
            let pi = try Policy(logits: (0..<3).map { _ in (0..<5).map { _ in 3 * rng.normal(sd: 1) } })
            let r = GameMetrics.trueReward(problem, pi)!, kl = GameMetrics.kl(problem, pi, mu)
            for p in curve { #expect(r - p.beta * kl <= p.reward - p.beta * p.kl + 1e-12) }
        }
        for (smaller, larger) in zip(curve, curve.dropFirst()) {  // the grid ascends in β
            #expect(smaller.kl >= larger.kl && smaller.reward >= larger.reward)
        }
    }

    /// frontier.csv from a spec: only environments with a true reward (bradley-terry with given
    /// rewards here; cyclic has none), 200 rows each, the header the figure reads.
    @Test func csvFromSpec() throws {
        let spec = try testSpec("""
        {"name": "fr", "environments": [{"id": "bt", "kind": "bradley-terry", "rewards": [0, 1]}, {"id": "rps", "kind": "cyclic"},
                                        {"id": "bt2", "kind": "bradley-terry", "actions": 3, "seed": "per-run"}],
         "budget": {"iterations": 1}, "algorithms": [{"id": "exact-only"}]}
        """)
        let rows = try AnalysisFixtures.rows(RewardFrontier.csv(spec))
        #expect(rows[0] == ["environment", "beta", "kl", "reward"])
        #expect(rows.dropFirst().filter { $0[0] == "bt" }.count == 200)
        #expect(rows.dropFirst().filter { $0[0] == "bt2" }.count == 200)  // replicate 0's problem
        #expect(!rows.contains { $0[0] == "rps" })
        // μ uniform on bt: at β = 1, π(1) = e/(1 + e), KL = ln 2 + p ln p + (1 − p) ln(1 − p).
        let one = try AnalysisFixtures.rows(RewardFrontier.csv(spec, betas: [1]))
        let bt = one.first { $0[0] == "bt" }!
        let p = exp(1.0) / (1 + exp(1.0))
        #expect(abs(Double(bt[3])! - p) < 1e-15)
        #expect(abs(Double(bt[2])! - (log(2) + p * log(p) + (1 - p) * log(1 - p))) < 1e-15)
        let bt2 = one.first { $0[0] == "bt2" }!
        let replicate0 = try ProblemFactory.problem(spec.environments[2], spec: spec, replicate: 0)
        let replicate0Reward = try RewardFrontier.points(replicate0, betas: [1])![0].reward
        #expect(Double(bt2[3])! == replicate0Reward)
    }
}
