import AlignmentCore

/// Shared test support for algorithm plugins: drives a plugin through `RunDriver`, the run lifecycle
/// the sweep's executor uses too, and builds the small problems the plugin tests use
/// (Harness+Problems.swift).
public enum Harness {
    /// Creates `algorithm` from `parameters` and runs it on `problem`.
    /// - Parameters:
    ///   - algorithm: the plugin type.
    ///   - parameters: raw hyperparameters, validated against the plugin's descriptor.
    ///   - problem: the problem; the plugin sees μ, the context weights and the oracle.
    ///   - mode: the feedback mode of the oracle.
    ///   - labelNoise: probability that a sampled label is flipped.
    ///   - iterations: the iteration budget.
    ///   - recordEvery: checkpoints are recorded at 0, every `recordEvery` iterations and at the end.
    ///   - budget: the query budget (nil: unlimited).
    ///   - seed: the run seed; the oracle uses its child stream "oracle", the plugin "algorithm".
    ///   - policyClass: the run's policy class (default tabular).
    /// - Throws: `AlignmentCoreError.invalidParameter` for bad parameters, or any error of the run
    ///   other than `budgetExhausted` (which ends the run normally).
    public static func run<A: Algorithm>(_ algorithm: A.Type, _ parameters: [String: ParameterValue] = [:],
                                         on problem: Problem, mode: FeedbackMode = .exact, labelNoise: Double = 0,
                                         iterations: Int, recordEvery: Int = 1, budget: Int? = nil,
                                         seed: UInt64 = 1, policyClass: PolicyClass = .tabular) throws -> DrivenRun {
        try drive(A.make(parameters), on: problem, mode: mode, labelNoise: labelNoise, iterations: iterations,
                  recordEvery: recordEvery, budget: budget, seed: seed, policyClass: policyClass)
    }

    /// Runs an already-made plugin on `problem` through `RunDriver`: one oracle and one generator
    /// derived from `seed`, an exhausted query budget ending the run normally, and the last reported
    /// policy recorded when the run ends before its iteration budget.
    /// - Parameters:
    ///   - plugin: the algorithm instance.
    ///   - problem: the problem; the plugin sees μ, the context weights and the oracle.
    ///   - mode: the feedback mode of the oracle.
    ///   - labelNoise: probability that a sampled label is flipped.
    ///   - iterations: the iteration budget.
    ///   - recordEvery: checkpoints are recorded at 0, every `recordEvery` iterations and at the end.
    ///   - budget: the query budget (nil: unlimited).
    ///   - seed: the run seed; the oracle uses its child stream "oracle", the plugin "algorithm".
    ///   - policyClass: the run's policy class (default tabular).
    /// - Throws: any error of the run other than `budgetExhausted`.
    public static func drive(_ plugin: some Algorithm, on problem: Problem, mode: FeedbackMode = .exact,
                             labelNoise: Double = 0, iterations: Int, recordEvery: Int = 1, budget: Int? = nil,
                             seed: UInt64 = 1, policyClass: PolicyClass = .tabular) throws -> DrivenRun {
        var checkpoints: [Checkpoint] = []
        let context = RunDriver.context(problem: problem, mode: mode, queryBudget: budget, labelNoise: labelNoise, seed: seed,
                                        iterations: iterations, recordEvery: recordEvery, policyClass: policyClass) { checkpoints.append($0) }
        let endedByBudget = try RunDriver.run(plugin, in: context)
        return DrivenRun(checkpoints: checkpoints, context: context, endedByBudget: endedByBudget)
    }

    /// The largest probability difference max_{x,y} |p(y|x) − q(y|x)| over every context.
    /// - Precondition: `p` and `q` have the same shape (extra entries of the larger are ignored).
    public static func maxAbs(_ p: Policy, _ q: Policy) -> Double {
        zip(p.probabilities.flatMap { $0 }, q.probabilities.flatMap { $0 }).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
