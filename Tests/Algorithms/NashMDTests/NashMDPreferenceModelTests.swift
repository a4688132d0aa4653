import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import PreferenceLearning
import Testing
@testable import NashMD

/// The Bradley–Terry preference model of nash-md (`preference_model` = bradley-terry) and the
/// accuracy diagnostic in exact feedback.
@Suite struct NashMDPreferenceModelTests {
    static let bradleyTerryModel: [String: ParameterValue] = [
        "tau": .number(0.5), "schedule": .string("theory"), "preference": .string("model"),
        "preference_model": .string("bradley-terry"), "model_pairs": .number(20_000), "heldout_pairs": .number(20_000),
    ]

    /// On a Bradley–Terry environment (rewards 1, 0, −1, uniform μ) the Bradley–Terry model is well
    /// specified: its held-out accuracy is within 5 binomial standard errors
    /// (5·√(0.78·0.22/20000) ≈ 0.015) of the Bayes-optimal accuracy (σ(1) + σ(1) + σ(2))/3 =
    /// 0.780971 (hand computation), and Nash-MD against it ends within 0.02 total variation of
    /// Nash-MD against the true P (r̂ is within ≈ 0.03 of r with 20,000 labels).
    @Test func bradleyTerryModelIsWellSpecifiedOnBradleyTerry() throws {
        let env = try BradleyTerryEnvironment.make(["rewards": .array([1, 0, -1].map { .number($0) })])
        let problem = try Harness.problem(env, reference: .uniform)
        let learned = try Harness.run(NashMDAlgorithm.self, Self.bradleyTerryModel, on: problem, mode: .sampled,
                                      iterations: 300, recordEvery: 100)
        #expect(learned.queries == 40_000)
        let accuracy = try #require(learned.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        let sigma = { (z: Double) in 1 / (1 + exp(-z)) }
        let bayes = (2 * sigma(1) + sigma(2)) / 3
        #expect(abs(bayes - 0.780971) < 1e-6)
        #expect(abs(accuracy - bayes) < 0.015)
        let exact = try Harness.run(NashMDAlgorithm.self, ["tau": .number(0.5), "schedule": .string("theory")],
                                    on: problem, iterations: 300, recordEvery: 300)
        #expect(GameMetrics.totalVariation(problem, exact.final, learned.final) < 0.02)
    }

    /// On rock–paper–scissors with strength 0.6 (winners win with 0.8) and μ = (0.5, 0.3, 0.2), the
    /// infinite-data Bradley–Terry fit is r̂ ≈ (0.123, −0.368, 0.245) (scipy BFGS on the population
    /// loss): it ranks 2 > 0 > 1 and so predicts the pair {0, 2} against the cycle. Its expected
    /// accuracy is 0.683871 (same computation), far below the Bayes-optimal 0.8. The fitted model's
    /// held-out accuracy is within 5 binomial standard errors (5·√(0.68·0.32/20000) ≈ 0.017) of it.
    @Test func bradleyTerryModelCannotRepresentACycle() throws {
        let env = try CyclicEnvironment.make(["strength": .number(0.6)])
        let problem = try Harness.problem(env, reference: .given([[0.5, 0.3, 0.2]]))
        let learned = try Harness.run(NashMDAlgorithm.self, Self.bradleyTerryModel, on: problem, mode: .sampled,
                                      iterations: 10, recordEvery: 10)
        let accuracy = try #require(learned.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        #expect(abs(accuracy - 0.683871) < 0.017)
        var pairwise = Self.bradleyTerryModel
        pairwise["preference_model"] = .string("pairwise")
        let tabular = try Harness.run(NashMDAlgorithm.self, pairwise, on: problem, mode: .sampled, iterations: 10, recordEvery: 10)
        let tabularAccuracy = try #require(tabular.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        #expect(abs(tabularAccuracy - 0.8) < 0.015)
    }

    /// In exact feedback against the environment, a positive `heldout_pairs` reports the exact
    /// accuracy of P itself — the Bayes-optimal accuracy, 0.8 on rock–paper–scissors with strength
    /// 0.6 for any μ (every pair's majority label has probability 0.8) — to 1e-12, drawing no label;
    /// with the default `heldout_pairs` = 0 nothing is reported.
    @Test(arguments: [[1.0 / 3, 1.0 / 3, 1.0 / 3], [0.5, 0.3, 0.2]])
    func exactFeedbackReportsTheBayesOptimalAccuracy(mu: [Double]) throws {
        let env = try CyclicEnvironment.make(["strength": .number(0.6)])
        let problem = try Harness.problem(env, reference: .given([mu]))
        let run = try Harness.run(NashMDAlgorithm.self, ["heldout_pairs": .number(1)], on: problem, iterations: 5, recordEvery: 5)
        #expect(run.queries == 0)
        let accuracy = try #require(run.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        #expect(abs(accuracy - 0.8) < 1e-12)
        let plain = try Harness.run(NashMDAlgorithm.self, [:], on: problem, iterations: 5, recordEvery: 5)
        #expect(plain.checkpoints.allSatisfy { $0.diagnostics.isEmpty })
    }

    /// The Bayes-optimal accuracy weights pairs by their law under μ: on a Bradley–Terry environment
    /// with rewards (2, 0, 0) and μ = (0.5, 0.25, 0.25), the pairs {0,1} and {0,2} each have
    /// probability 0.25/0.625 = 0.4 and are won with σ(2) = 0.880797, the pair {1,2} has probability
    /// 0.2 and is a coin flip: 0.8·0.880797 + 0.2·0.5 = 0.804638 (hand computation).
    @Test func bayesOptimalAccuracyWeightsPairsByTheirLaw() throws {
        let env = try BradleyTerryEnvironment.make(["rewards": .array([2, 0, 0].map { .number($0) })])
        let problem = try Harness.problem(env, reference: .given([[0.5, 0.25, 0.25]]))
        let run = try Harness.run(NashMDPGAlgorithm.self, ["heldout_pairs": .number(10)], on: problem, iterations: 2, recordEvery: 1)
        let accuracy = try #require(run.checkpoints.last?.diagnostics[NashPreferenceSetting.accuracyDiagnostic])
        let expected = 0.8 / (1 + exp(-2.0)) + 0.2 * 0.5
        #expect(abs(expected - 0.804638) < 1e-6)
        #expect(abs(accuracy - expected) < 1e-12)
    }
}
