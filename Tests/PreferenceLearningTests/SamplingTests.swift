import AlignmentCore
import Foundation
import PreferenceLearning
import Testing

/// Sampling of responses and distinct pairs, and labelling through the oracle.
struct SamplingTests {
    @Test func pairLawIsTheConditionedProductLaw() {
        // q(a, b) = ρ_a ρ_b / (1 − Σ ρ²); by hand for ρ = (0.5, 0.3, 0.2): 1 − Σρ² = 0.62, so
        // q(0, 1) = 0.15/0.62 and the six ordered pairs sum to 1.
        let q = PairDistribution(probabilities: [0.5, 0.3, 0.2])
        #expect(abs(q.probability(0, 1) - 0.15 / 0.62) < 1e-15)
        #expect(q.probability(2, 2) == 0)
        var s = 0.0
        for a in 0..<3 { for b in 0..<3 { s += q.probability(a, b) } }
        #expect(abs(s - 1) < 1e-15)
        // A point mass falls back to uniform distinct pairs.
        let point = PairDistribution(probabilities: [1, 0, 0])
        #expect(point.isDegenerate && abs(point.probability(1, 2) - 1.0 / 6) < 1e-15)
    }

    @Test func sampledPairsFollowThePairLaw() throws {
        // 120,000 draws; each cell's frequency has sd ≤ √(0.25/120000) ≈ 0.0015, so 0.008 is > 5σ.
        let rho = [0.5, 0.3, 0.15, 0.05]
        let sampler = PolicySampler(policy: try Policy(probabilities: [rho]), contextWeights: [1])
        let rng = RandomSource(seed: 11)
        let draws = 120_000
        var freq = Array(repeating: Array(repeating: 0.0, count: 4), count: 4)
        for _ in 0..<draws {
            let (a, b) = sampler.distinctPair(context: 0, using: rng)
            freq[a][b] += 1 / Double(draws)
        }
        let q = PairDistribution(probabilities: rho)
        for a in 0..<4 { for b in 0..<4 { #expect(abs(freq[a][b] - q.probability(a, b)) < 0.008) } }
    }

    @Test func sampledResponsesAndContextsFollowTheirLaws() throws {
        // 100,000 draws each; tolerance 0.008 is > 5σ for every frequency.
        let policy = try Policy(probabilities: [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        let sampler = PolicySampler(policy: policy, contextWeights: [0.25, 0.75])
        let rng = RandomSource(seed: 5)
        var ctx = [0.0, 0.0]
        var resp = Array(repeating: [0.0, 0, 0], count: 2)
        let draws = 100_000
        for _ in 0..<draws {
            let x = sampler.context(using: rng)
            ctx[x] += 1
            resp[x][sampler.response(context: x, using: rng)] += 1
        }
        #expect(abs(ctx[0] / Double(draws) - 0.25) < 0.008)
        for x in 0..<2 {
            for y in 0..<3 { #expect(abs(resp[x][y] / ctx[x] - policy.probabilities(context: x)[y]) < 0.008) }
        }
    }

    @Test func labelsFollowThePreference() throws {
        // P(0 ≻ 1) = σ(1) ≈ 0.731 with μ = (½, ½): every pair is {0, 1}; 50,000 labels → sd ≈ 0.002.
        let problem = try Fixture.problem(rewards: [1, 0], mu: [0.5, 0.5])
        let run = Fixture.run(problem, mode: .sampled, budget: 50_000)
        let pairs = try PreferenceSampling.labelledPairs(count: 50_000, from: problem.reference, contextWeights: [1],
                                                         oracle: run.oracle, rng: run.rng)
        let wins = Double(pairs.filter { $0.chosen == 0 }.count) / 50_000
        #expect(abs(wins - Fixture.sigmoid(1)) < 0.01)
        #expect(run.oracle.queries == 50_000)
    }

    @Test func aBatchThatDoesNotFitIsNotDrawn() throws {
        let problem = try Fixture.problem(rewards: [1, 0, 2], mu: [0.2, 0.3, 0.5])
        let run = Fixture.run(problem, mode: .sampled, budget: 10)
        _ = try PreferenceSampling.labelledPairs(count: 7, from: problem.reference, contextWeights: [1], oracle: run.oracle, rng: run.rng)
        #expect(throws: AlignmentCoreError.budgetExhausted(queries: 10)) {
            try PreferenceSampling.labelledPairs(count: 4, from: problem.reference, contextWeights: [1], oracle: run.oracle, rng: run.rng)
        }
        #expect(run.oracle.queries == 7)
        #expect(try PreferenceSampling.affordable(100, oracle: run.oracle) == 3)
    }
}
