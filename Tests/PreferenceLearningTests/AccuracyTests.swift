import AlignmentCore
import Foundation
import PreferenceLearning
import Testing

/// Held-out and expected accuracy of pairwise predictors.
struct AccuracyTests {
    @Test func heldOutAccuracyCountsAgreementsAndHalfCreditForTies() {
        let model = BradleyTerryRewardModel(rewards: [[1, 0, 0]])
        let pairs = [
            LabelledPair(context: 0, chosen: 0, rejected: 1),  // agrees
            LabelledPair(context: 0, chosen: 2, rejected: 0),  // disagrees
            LabelledPair(context: 0, chosen: 1, rejected: 2),  // tie: ½
            LabelledPair(context: 0, chosen: 0, rejected: 2),  // agrees
        ]
        #expect(model.accuracy(on: pairs) == 2.5 / 4)
        #expect(model.accuracy(on: []) == nil)
    }

    @Test func trueBradleyTerryModelIsBayesOptimal() throws {
        // The Bayes-optimal predictor picks the more likely winner; a BT model with the true reward
        // does exactly that. By hand for r = (1, 0), μ = (½, ½): every pair is {0, 1}, accuracy σ(1).
        let problem = try Fixture.problem(rewards: [1, 0], mu: [0.5, 0.5])
        let truth = BradleyTerryRewardModel(rewards: [[1, 0]])
        let acc = truth.expectedAccuracy(preferences: problem.preferences, pairPolicy: problem.reference, contextWeights: [1])
        #expect(abs(acc - Fixture.sigmoid(1)) < 1e-15)
        let bayes = PairAccuracy.bayesOptimal(preferences: problem.preferences, pairPolicy: problem.reference, contextWeights: [1])
        #expect(abs(bayes - acc) < 1e-15)
        // The reversed model gets 1 − σ(1).
        let wrong = BradleyTerryRewardModel(rewards: [[0, 1]])
        #expect(abs(wrong.expectedAccuracy(preferences: problem.preferences, pairPolicy: problem.reference, contextWeights: [1])
                    - (1 - Fixture.sigmoid(1))) < 1e-15)
    }

    @Test func noRewardModelBeatsChanceOnDeterministicRockPaperScissors() throws {
        // On RPS with deterministic verdicts and uniform μ, any strict ranking gets 2 of the 3
        // unordered pairs right (a cycle cannot be ordered), i.e. 2/3, while the Bayes-optimal
        // (pairwise) predictor gets 1. The exact fit of a BT model ties everything: accuracy ½.
        let p = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        let mu = Policy.uniform(contexts: 1, actions: 3)
        let ranking = BradleyTerryRewardModel(rewards: [[2, 1, 0]])
        #expect(abs(ranking.expectedAccuracy(preferences: [p], pairPolicy: mu, contextWeights: [1]) - 2.0 / 3) < 1e-15)
        #expect(abs(PairAccuracy.bayesOptimal(preferences: [p], pairPolicy: mu, contextWeights: [1]) - 1) < 1e-15)
        let fit = BradleyTerryRewardModel.fit(PairwiseCounts.expected(preferences: [p], pairPolicy: mu), l2: 0)
        #expect(fit.rewards[0].allSatisfy { abs($0) < 1e-12 })
        #expect(abs(fit.expectedAccuracy(preferences: [p], pairPolicy: mu, contextWeights: [1]) - 0.5) < 1e-15)
    }
}
