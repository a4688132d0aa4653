import AlignmentCore
import Environments
import Foundation

/// A plugin run driven the way the sweep's runner drives it: one oracle and one generator per run,
/// the run ended normally by an exhausted query budget, the final policy always recorded.
struct DrivenRun {
    /// Recorded checkpoints, in order.
    var checkpoints: [Checkpoint]
    /// The run's context (recorded iterations, last checkpoint).
    var context: RunContext
    /// Labels drawn.
    var queries: Int { context.oracle.queries }
    /// The final reported policy.
    var final: Policy { context.last!.policy }
}

enum Harness {
    /// A Bradley–Terry problem (one context unless given) with the given rewards and μ.
    static func bradleyTerry(rewards: [Double], mu: [Double], contexts: Int = 1) throws -> Problem {
        let env = try BradleyTerryEnvironment.make(["rewards": .array(rewards.map { .number($0) })])
        let truth = try env.groundTruth(contexts: contexts, seed: 1)
        return try Problem(preferences: truth.preferences, reference: ReferencePolicy.given([mu]).make(contexts: contexts, actions: rewards.count),
                           trueReward: truth.trueReward, isTransitive: true)
    }

    /// The KL-regularised optimum μ·exp(r/β)/Z of every context.
    static func regularisedOptimum(_ problem: Problem, beta: Double) throws -> Policy {
        try Policy(logits: (0..<problem.contexts).map { x in
            zip(problem.reference.logProbabilities[x], problem.trueReward![x]).map { $0 + $1 / beta }
        })
    }

    /// Runs `algorithm` on `problem`.
    static func run<A: Algorithm>(_ algorithm: A.Type, _ parameters: [String: ParameterValue] = [:], on problem: Problem,
                                  mode: FeedbackMode = .exact, iterations: Int, recordEvery: Int = 1,
                                  budget: Int? = nil, seed: UInt64 = 1) throws -> DrivenRun {
        let plugin = try A.make(parameters)
        let root = RandomSource(seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: mode, queryBudget: budget, rng: root.child("oracle"))
        var checkpoints: [Checkpoint] = []
        let context = RunContext(reference: problem.reference, contextWeights: problem.contextWeights, oracle: oracle,
                                 rng: root.child("algorithm"), iterations: iterations, recordEvery: recordEvery) {
            checkpoints.append($0)
        }
        do {
            try plugin.run(context)
        } catch AlignmentCoreError.budgetExhausted {
            // The budget ends the run normally; its last reported policy is final.
        }
        // As the sweep's runner: a run that ends before its iteration budget has its last policy recorded.
        try context.flushFinal()
        return DrivenRun(checkpoints: checkpoints, context: context)
    }

    /// max_y |p(y) − q(y)| over every context.
    static func maxAbs(_ p: Policy, _ q: Policy) -> Double {
        zip(p.probabilities.flatMap { $0 }, q.probabilities.flatMap { $0 }).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
