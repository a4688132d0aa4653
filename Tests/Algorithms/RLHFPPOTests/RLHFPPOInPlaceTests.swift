import AlgorithmTestSupport
import AlignmentCore
import Foundation
import PreferenceLearning
import Testing
@testable import RLHFPPO

/// The exact tabular loop without allocation (`exactTabularLoop`) against the loop it replaced,
/// written out here with the allocating forms (`AdvantageTable`, `exactSurrogateGradient`,
/// `klToReference`, `Policy(logits:)` and `expectedReward`): every recorded checkpoint — policy
/// bits and the proxy_reward and beta diagnostics — equal, over 3 contexts, with a constant and a
/// linear schedule, several epochs × minibatches, a clip that binds and an adapted β.
struct RLHFPPOInPlaceTests {
    static let cases: [[String: ParameterValue]] = [
        [:],
        ["kl_target": .number(0.02), "beta": .number(0.3)],
        ["lr_schedule": .string("constant"), "epochs": .number(2), "minibatches": .number(3), "clip_epsilon": .number(0.02),
         "learning_rate": .number(0.5)],
    ]

    @Test(arguments: 0..<cases.count)
    func exactTabularLoopIsTheFormerLoop(_ index: Int) throws {
        let parameters = Self.cases[index]
        let problem = try Harness.random(actions: 6, seed: 21, contexts: 3)
        let iterations = 25
        let driven = try Harness.run(RLHFPPOAlgorithm.self, parameters, on: problem, iterations: iterations, recordEvery: 1, seed: 4)
        // The former loop, on a context of the same seed.
        let plugin = try RLHFPPOAlgorithm.make(parameters)
        var former: [Checkpoint] = []
        let run = RunDriver.context(problem: problem, mode: .exact, queryBudget: nil, labelNoise: 0, seed: 4,
                                    iterations: iterations, recordEvery: 1) { former.append($0) }
        let model = try RewardModelTraining.learn(run: run, pairs: plugin.rewardPairs, l2: plugin.l2).model.centred(under: run.reference)
        var beta = plugin.beta
        func diagnostics(_ p: Policy) -> [String: Double] {
            ["proxy_reward": model.expectedReward(p, contextWeights: run.contextWeights), "beta": beta]
        }
        try run.report(iteration: 0, policy: run.reference, diagnostics: diagnostics(run.reference))
        var logits = PolicyParameters(run: run)
        var adam = Adam(parameterCount: logits.count, learningRate: plugin.learningRate)
        for t in 0..<iterations {
            if plugin.linearSchedule { adam.learningRate = plugin.learningRate * (1 - Double(t) / Double(iterations)) }
            let table = AdvantageTable(old: try logits.policy(), logReference: run.reference.logProbabilities, rewards: model.rewards, beta: beta)
            for _ in 0..<(plugin.epochs * plugin.minibatches) {
                logits.step(&adam, logitGradient: plugin.exactSurrogateGradient(logits.logits, table: table, contextWeights: run.contextWeights))
            }
            logits.recentre()
            if let target = plugin.klTarget {
                beta = RLHFPPOAlgorithm.adaptedBeta(beta, kl: table.klToReference(contextWeights: run.contextWeights), target: target)
            }
            let policy = try logits.policy()
            try run.report(iteration: t + 1, policy: policy, diagnostics: diagnostics(policy))
        }
        #expect(driven.checkpoints.count == iterations + 1 && former.count == iterations + 1)
        for (a, b) in zip(driven.checkpoints, former) {
            #expect(a.policy.logProbabilities.flatMap { $0 }.map(\.bitPattern) == b.policy.logProbabilities.flatMap { $0 }.map(\.bitPattern),
                    "case \(index), iteration \(a.iteration)")
            #expect(a.diagnostics == b.diagnostics, "case \(index), iteration \(a.iteration)")
        }
        if index == 1 { #expect(former.last?.diagnostics["beta"] != 0.3, "β adapted") }
    }
}
