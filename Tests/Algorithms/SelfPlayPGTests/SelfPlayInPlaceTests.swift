import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
@testable import SelfPlayPG

/// The exact step without allocation (`exactStep`) against the allocating forms the run used
/// before (`exactBatch`, then `gradient` per epoch, both unchanged): the same logits, bit for bit,
/// after three iterations, for every estimator with an exact form, both KL placements, one and
/// three epochs, a clip that binds, and a μ with a response outside its support (logit −∞).
struct SelfPlayInPlaceTests {
    /// (advantage, kl, epochs, clip ε, learning rate, seed).
    static let cases: [(String, String, Int, Double, Double, UInt64)] = [
        ("spo", "reward", 1, 0.2, 1, 1), ("rloo", "reward", 1, 0.2, 1, 2), ("dr-grpo", "reward", 1, 0.2, 1, 3),
        ("spo", "k3", 1, 0.2, 1, 4), ("rloo", "k3", 3, 0.2, 2, 5), ("dr-grpo", "reward", 3, 0.01, 5, 6),
        ("spo", "k3", 3, 0.05, 3, 7),
    ]

    @Test(arguments: 0..<cases.count, [3, 10])
    func exactStepIsTheFormerComposition(_ index: Int, actions n: Int) throws {
        let (advantage, kl, epochs, clip, lr, seed) = Self.cases[index]
        let plugin = try SelfPlayPolicyGradient.make(["advantage": .string(advantage), "kl": .string(kl), "epochs": .number(Double(epochs)),
                                                      "clip_epsilon": .number(clip), "learning_rate": .number(lr), "beta": .number(0.3)])
        let problem = try Harness.random(actions: n, seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: .exact, queryBudget: nil, rng: RandomSource(seed: seed))
        // μ with the last response outside its support; θ_0 = log μ plus seeded noise.
        let rng = RandomSource(seed: seed &+ 100)
        var mu = (0..<n).map { _ in 0.1 + rng.uniform() }
        mu[n - 1] = 0
        let total = mu.reduce(0, +)
        let logMu = mu.map { log($0 / total) }
        var former = logMu.map { $0 + ($0 == -.infinity ? 0 : rng.uniform() - 0.5) }
        var inPlace = former
        var workspace = SelfPlayPolicyGradient.ExactWorkspace(actions: n)
        for _ in 0..<3 {
            let batch = try plugin.exactBatch(logPi: LogSpace.normalize(former), logMu: logMu, context: 0, oracle: oracle)
            for _ in 0..<epochs {
                let g = plugin.gradient(batch, logPi: LogSpace.normalize(former), logMu: logMu)
                for y in former.indices { former[y] += lr * g[y] }
            }
            try plugin.exactStep(&inPlace, logMu: logMu, context: 0, oracle: oracle, workspace: &workspace)
        }
        #expect(former[n - 1] == -.infinity, "seed \(seed)")
        #expect(former.map(\.bitPattern) == inPlace.map(\.bitPattern), "seed \(seed): \(former) vs \(inPlace)")
    }
}
