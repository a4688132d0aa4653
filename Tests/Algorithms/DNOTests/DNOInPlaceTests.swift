import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
@testable import DNO

/// The exact step without allocation (`exactStep`) against the allocating forms the run used
/// before (`exactPairs`, then `gradient` per epoch, both unchanged): the same logits, bit for bit,
/// after three iterations, for one and several epochs and a μ with a response outside its support
/// (logit −∞, so no pair uses it).
struct DNOInPlaceTests {
    /// (epochs, η, learning rate, seed).
    static let cases: [(Int, Double, Double, UInt64)] = [(1, 1, 1, 1), (1, 0.5, 3, 2), (3, 2, 1, 3), (4, 0.1, 10, 4)]

    @Test(arguments: 0..<cases.count, [3, 10])
    func exactStepIsTheFormerComposition(_ index: Int, actions n: Int) throws {
        let (epochs, eta, lr, seed) = Self.cases[index]
        let plugin = try DirectNashOptimization.make(["epochs": .number(Double(epochs)), "eta": .number(eta), "learning_rate": .number(lr)])
        let problem = try Harness.random(actions: n, seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: .exact, queryBudget: nil, rng: RandomSource(seed: seed))
        let rng = RandomSource(seed: seed &+ 100)
        var former = (0..<n).map { y in y == n - 1 ? -Double.infinity : rng.uniform() * 2 - 1 }
        var inPlace = former
        var workspace = DirectNashOptimization.ExactWorkspace(actions: n)
        for _ in 0..<3 {
            let logRef = LogSpace.normalize(former)
            let pairs = try plugin.exactPairs(logPi: logRef, context: 0, oracle: oracle)
            for _ in 0..<epochs {
                let g = plugin.gradient(pairs, logPi: LogSpace.normalize(former), logReference: logRef)
                for y in former.indices { former[y] += lr * g[y] }
            }
            try plugin.exactStep(&inPlace, context: 0, oracle: oracle, workspace: &workspace)
        }
        #expect(former[n - 1] == -.infinity && workspace.pairs.count == (n - 1) * (n - 2), "seed \(seed)")
        #expect(former.map(\.bitPattern) == inPlace.map(\.bitPattern), "seed \(seed): \(former) vs \(inPlace)")
    }
}
