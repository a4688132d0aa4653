import AlignmentCore
import Environments
import Foundation
import PreferenceLearning
import Testing

/// The tabular pairwise preference model: hand-computed smoothed counts, validity, consistency,
/// and that it represents cycles a reward model cannot.
struct PairwisePreferenceModelTests {
    static func pairs(_ list: [(Int, Int, Int)]) -> [LabelledPair] {
        list.map { LabelledPair(context: $0.0, chosen: $0.1, rejected: $0.2) }
    }

    /// 3 labels "0 ≻ 1" and 1 label "1 ≻ 0": with α = 1, P̂(0 ≻ 1) = (3 + 1)/(4 + 2) = 2/3 and
    /// P̂(1 ≻ 0) = 1/3; with α = 0, 3/4. The unobserved pair (0, 2) is ½; the diagonal is ½.
    @Test func smoothedCountsByHand() {
        let data = Self.pairs([(0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 1, 0)])
        let laplace = PairwisePreferenceModel(pairs: data, contexts: 1, actions: 3, smoothing: 1)
        #expect(abs(laplace.probability(context: 0, 0, 1) - 2.0 / 3) < 1e-15)
        #expect(abs(laplace.probability(context: 0, 1, 0) - 1.0 / 3) < 1e-15)
        #expect(laplace.probability(context: 0, 0, 2) == 0.5)
        #expect(laplace.probability(context: 0, 1, 1) == 0.5)
        #expect(laplace.comparisons(context: 0, 1, 0) == 4)
        let raw = PairwisePreferenceModel(pairs: data, contexts: 1, actions: 3, smoothing: 0)
        #expect(raw.probability(context: 0, 0, 1) == 0.75)
        #expect(raw.probability(context: 0, 2, 1) == 0.5)
    }

    /// P̂ is a valid preference matrix (P̂ + P̂ᵀ = 1 exactly below the diagonal), and P̂ q is the
    /// matrix–vector product computed by hand: for the counts above (α = 1) and q = (½, ¼, ¼),
    /// (P̂q)(0) = ½·½ + ⅔·¼ + ½·¼ = 0.5416…, (P̂q)(1) = ⅓·½ + ½·¼ + ½·¼ = 0.4166…,
    /// (P̂q)(2) = ½·½ + ½·¼ + ½·¼ = ½.
    @Test func matrixAndPreferenceAgainst() throws {
        let data = Self.pairs([(0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 1, 0)])
        let model = PairwisePreferenceModel(pairs: data, contexts: 1, actions: 3, smoothing: 1)
        let m = try model.matrix(context: 0)
        #expect(m[0, 1] + m[1, 0] == 1)
        let v = model.preferenceAgainst(context: 0, [0.5, 0.25, 0.25])
        let expected = [0.25 + 2.0 / 12 + 0.125, 1.0 / 6 + 0.25, 0.5]
        for y in 0..<3 { #expect(abs(v[y] - expected[y]) < 1e-15) }
        #expect(zip(v, m.times([0.5, 0.25, 0.25])).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    /// Fitted to exact expected counts of N labelled pairs from μ (soft labels), P̂ converges to
    /// P: with N = 10⁶ every entry of a `random` n = 5 game is recovered within 1e-3 (the
    /// smoothing bias is α(1 − 2P)/(N q + 2α) with N·q ≥ 10⁴ here).
    @Test func recoversThePreferenceFromExpectedCounts() throws {
        let truth = try RandomEnvironment.make(["actions": .number(5)]).groundTruth(contexts: 1, seed: 3)
        let mu = try ReferencePolicy.softmaxNormal(scale: 0.5, seed: 4).make(contexts: 1, actions: 5)
        let expected = PairwiseCounts.expected(preferences: truth.preferences, pairPolicy: mu)
        var counts = PairwiseCounts(contexts: 1, actions: 5)
        for a in 0..<5 {
            for b in 0..<5 where a != b {
                counts.add(LabelledPair(context: 0, chosen: a, rejected: b), weight: 1_000_000 * expected.wins(context: 0, a, b))
            }
        }
        let model = PairwisePreferenceModel(counts: counts, smoothing: 1)
        for a in 0..<5 {
            for b in 0..<5 { #expect(abs(model.probability(context: 0, a, b) - truth.preferences[0][a, b]) < 1e-3) }
        }
    }

    /// Labels from rock–paper–scissors (strength 0.6: each winner wins with probability 0.8),
    /// drawn through the oracle: the model recovers the cycle P̂(0 ≻ 1), P̂(1 ≻ 2), P̂(2 ≻ 0) > ½
    /// — which no reward model r can, since r_0 > r_1 > r_2 > r_0 is impossible — and its held-out
    /// accuracy on fresh labels is within 5 binomial standard errors (5·√(0.16/20000) ≈ 0.014) of
    /// the Bayes-optimal 0.8; its exact expected accuracy equals the Bayes-optimal accuracy.
    @Test func representsCyclesAndReachesBayesAccuracy() throws {
        let truth = try CyclicEnvironment.make(["strength": .number(0.6)]).groundTruth(contexts: 1, seed: 0)
        let mu = try Policy(probabilities: [[0.5, 0.3, 0.2]])
        let problem = try Problem(preferences: truth.preferences, reference: mu, isTransitive: false)
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: 11))
        let rng = RandomSource(seed: 12)
        let train = try PreferenceSampling.labelledPairs(count: 5000, from: mu, contextWeights: [1], oracle: oracle, rng: rng)
        let model = PairwisePreferenceModel(pairs: train, contexts: 1, actions: 3, smoothing: 1)
        #expect(model.probability(context: 0, 0, 1) > 0.5)
        #expect(model.probability(context: 0, 1, 2) > 0.5)
        #expect(model.probability(context: 0, 2, 0) > 0.5)
        let heldout = try PreferenceSampling.labelledPairs(count: 20_000, from: mu, contextWeights: [1], oracle: oracle, rng: rng)
        let bayes = PairAccuracy.bayesOptimal(preferences: problem.preferences, pairPolicy: mu, contextWeights: [1])
        #expect(abs(bayes - 0.8) < 1e-12)
        #expect(abs(try #require(model.accuracy(on: heldout)) - bayes) < 0.014)
        #expect(abs(model.expectedAccuracy(preferences: problem.preferences, pairPolicy: mu, contextWeights: [1]) - bayes) < 1e-12)
    }

    /// Online updates and batch fitting give the same model.
    @Test func addMatchesBatchFit() {
        let data = Self.pairs([(0, 0, 1), (1, 2, 0), (0, 1, 0), (1, 2, 1)])
        var online = PairwisePreferenceModel(counts: PairwiseCounts(contexts: 2, actions: 3), smoothing: 0.5)
        for p in data { online.add(p) }
        #expect(online == PairwisePreferenceModel(pairs: data, contexts: 2, actions: 3, smoothing: 0.5))
    }
}
