import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import PreferenceLearning
import Testing
@testable import NashMD

/// Sampled-feedback Nash-MD: the label estimator, query accounting, and the preference model.
struct NashMDSampledTests {
    /// `estimatePreferenceAgainst` is unbiased for P q: the mean of R = 20,000 estimates (k = 1)
    /// lies within 5 standard errors (each estimate is a Bernoulli, sd ≤ ½, so 5·½/√R ≈ 0.018).
    @Test func labelEstimatorIsUnbiased() throws {
        let problem = try Harness.random(actions: 5, seed: 3)
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: 1))
        let rng = RandomSource(seed: 2)
        let q = [0.1, 0.4, 0.2, 0.2, 0.1]
        let r = 20_000
        var mean = [Double](repeating: 0, count: 5)
        for _ in 0..<r {
            let e = try oracle.estimatePreferenceAgainst(context: 0, q, labelsPerResponse: 1, rng: rng)
            for y in 0..<5 { mean[y] += e[y] / Double(r) }
        }
        let exact = problem.preferences[0].times(q)
        for y in 0..<5 { #expect(abs(mean[y] - exact[y]) < 5 * 0.5 / Double(r).squareRoot()) }
    }

    /// Against a point mass on response 0, response 0 always meets itself (½, no query) and the
    /// other n − 1 responses use k labels each: exactly (n − 1)·k queries.
    @Test func selfComparisonsCostNothing() throws {
        let problem = try Harness.random(actions: 4, seed: 5)
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: 1))
        let e = try oracle.estimatePreferenceAgainst(context: 0, [1, 0, 0, 0], labelsPerResponse: 7, rng: RandomSource(seed: 9))
        #expect(e[0] == 0.5)
        #expect(oracle.queries == 3 * 7)
    }

    /// Sampled Nash-MD uses n·k labels per context and iteration at most, never exceeds its
    /// budget, and ends early (normally) when the budget runs out.
    @Test func respectsTheQueryBudget() throws {
        let problem = try Harness.random(actions: 4, seed: 5, contexts: 2)
        let full = try Harness.run(NashMDAlgorithm.self, ["samples": .number(3)], on: problem, mode: .sampled, iterations: 10)
        #expect(full.context.last?.iteration == 10)
        #expect(full.queries <= 10 * 2 * 4 * 3)
        let short = try Harness.run(NashMDAlgorithm.self, ["samples": .number(3)], on: problem, mode: .sampled,
                                    iterations: 10, budget: 101)
        #expect(short.queries <= 101)
        #expect((short.context.last?.iteration ?? 99) < 10)
        #expect(short.checkpoints.allSatisfy { $0.queries <= 101 })
    }

    /// With many labels per response the sampled run tracks the exact one: 100 iterations on
    /// `random` n = 5 (η = 0.2, τ = 0.5) with 500 labels per response and iteration. Each estimate
    /// has sd ≤ 0.023, each step moves logits by η times that, and the map contracts by 1 − ητ, so
    /// the accumulated error is ≈ 0.2·0.023/√(2·0.1) ≈ 0.01 in logits; tolerance 0.03 in total
    /// variation (measured 0.004; the exact run itself moved ≥ 0.05 away from μ, so the check is
    /// not vacuous).
    @Test func sampledRunTracksExactRun() throws {
        let problem = try Harness.random(actions: 5, seed: 21)
        let params: [String: ParameterValue] = ["eta": .number(0.2), "tau": .number(0.5), "samples": .number(500)]
        let exact = try Harness.run(NashMDAlgorithm.self, params, on: problem, iterations: 100, recordEvery: 100)
        let sampled = try Harness.run(NashMDAlgorithm.self, params, on: problem, mode: .sampled, iterations: 100, recordEvery: 100)
        #expect(GameMetrics.totalVariation(problem, exact.final, problem.reference) > 0.05)
        let distance = GameMetrics.totalVariation(problem, exact.final, sampled.final)
        #expect(distance < 0.03)
    }

    /// The preference model needs sampled feedback.
    @Test func modelRejectsExactFeedback() throws {
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        #expect(throws: AlignmentCoreError.self) {
            _ = try Harness.run(NashMDAlgorithm.self, ["preference": .string("model")], on: problem, iterations: 3)
        }
    }

    /// Preference model on RPS with strength 0.6 (winners win with 0.8): all labels are spent up
    /// front (model_pairs + heldout_pairs, nothing during the iterations); the held-out accuracy is
    /// within 5 binomial standard errors (5·√(0.8·0.2/20000) ≈ 0.014) of 0.8, the Bayes-optimal
    /// accuracy (every pair's majority label is predicted once the model has the right signs); and
    /// Nash-MD on the model ends within 0.02 total variation of Nash-MD on the true P (P̂ is within
    /// ≈ 0.01 of P per pair; π*_τ moves by about that over τ = 0.5).
    @Test func modelSourceSpendsLabelsUpFrontAndTracksTheTruth() throws {
        let env = try CyclicEnvironment.make(["strength": .number(0.6)])
        let problem = try Harness.problem(env, reference: .given([[0.5, 0.3, 0.2]]))
        let base: [String: ParameterValue] = ["tau": .number(0.5), "schedule": .string("theory")]
        var model = base
        model["preference"] = .string("model")
        model["model_pairs"] = .number(20_000)
        model["heldout_pairs"] = .number(20_000)
        let learned = try Harness.run(NashMDAlgorithm.self, model, on: problem, mode: .sampled, iterations: 300, recordEvery: 100)
        #expect(learned.queries == 40_000)
        #expect(learned.context.last?.iteration == 300)
        let accuracy = try #require(learned.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        let bayes = PairAccuracy.bayesOptimal(preferences: problem.preferences, pairPolicy: problem.reference,
                                              contextWeights: problem.contextWeights)
        #expect(abs(bayes - 0.8) < 1e-12)
        #expect(abs(accuracy - bayes) < 0.014)
        let exact = try Harness.run(NashMDAlgorithm.self, base, on: problem, iterations: 300, recordEvery: 300)
        #expect(GameMetrics.totalVariation(problem, exact.final, learned.final) < 0.02)
    }
}
