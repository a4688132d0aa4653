import AlignmentCore
import Foundation

/// Shared fixtures for the PreferenceLearning tests.
enum Fixture {
    /// σ(z).
    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// A Bradley–Terry preference matrix P(a ≻ b) = σ(r_a − r_b).
    static func bradleyTerry(_ r: [Double]) throws -> PreferenceMatrix {
        try PreferenceMatrix.fromUpperTriangle(size: r.count) { i, j in sigmoid(r[i] - r[j]) }
    }

    /// A one-context problem with the given rewards and μ.
    static func problem(rewards: [Double], mu: [Double]) throws -> Problem {
        try Problem(preferences: [bradleyTerry(rewards)], reference: Policy(probabilities: [mu]),
                    trueReward: [rewards], isTransitive: true)
    }

    /// A run context over `problem` whose recorder discards checkpoints.
    static func run(_ problem: Problem, mode: FeedbackMode, budget: Int?, seed: UInt64 = 7) -> RunContext {
        let rng = RandomSource(seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: mode, queryBudget: budget, rng: rng.child("oracle"))
        return RunContext(reference: problem.reference, contextWeights: problem.contextWeights, oracle: oracle, rng: rng,
                          iterations: 1, recordEvery: 1, recorder: { _ in })
    }

    /// max_i |a_i − b_i|.
    static func maxAbs(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// a − mean(a).
    static func centred(_ a: [Double]) -> [Double] {
        let m = a.reduce(0, +) / Double(a.count)
        return a.map { $0 - m }
    }
}
