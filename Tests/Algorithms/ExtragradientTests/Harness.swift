import AlignmentCore
import Environments
import Foundation

/// A plugin run driven the way the harness drives it: one oracle and one generator per run, the
/// run ended normally by an exhausted query budget, every recorded checkpoint kept.
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
    /// A problem from an environment with a reference policy.
    static func problem(_ environment: some Environment, contexts: Int = 1, seed: UInt64 = 7,
                        reference: ReferencePolicy) throws -> Problem {
        let truth = try environment.groundTruth(contexts: contexts, seed: seed)
        let n = truth.preferences[0].size
        return try Problem(preferences: truth.preferences, reference: reference.make(contexts: contexts, actions: n),
                           isTransitive: truth.isTransitive)
    }

    /// rock–paper–scissors (strength 1) with the given μ.
    static func rps(mu: [Double]) throws -> Problem {
        try problem(CyclicEnvironment.make([:]), reference: .given([mu]))
    }

    /// A `random` game with n actions and a softmax-normal μ.
    static func random(actions n: Int, seed: UInt64 = 7, contexts: Int = 1) throws -> Problem {
        try problem(RandomEnvironment.make(["actions": .number(Double(n))]), contexts: contexts, seed: seed,
                    reference: .softmaxNormal(scale: 1, seed: seed &+ 1))
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
            try context.flushFinal()
        }
        return DrivenRun(checkpoints: checkpoints, context: context)
    }
}
