/// The run lifecycle, in one place for the sweep's executor and the plugin test harness: one
/// feedback oracle and one plugin generator derived from the run seed, the plugin run through its
/// `RunContext` (which checks every report and watches for divergence, `DivergenceMonitor`), an
/// exhausted query budget ending the run normally, and the last reported policy always recorded.
public enum RunDriver {
    /// Creates a run's context. The oracle draws from the run seed's child stream "oracle" and the
    /// plugin from "algorithm" (`RandomSource.child`, `SeedDerivation.child`), so the labels a run
    /// sees do not depend on how many numbers the plugin draws.
    /// - Parameters:
    ///   - problem: the problem; the plugin sees μ, the context weights and the oracle.
    ///   - mode: the feedback mode of the oracle.
    ///   - queryBudget: the label budget (nil: unlimited).
    ///   - labelNoise: probability that a sampled label is flipped.
    ///   - seed: the run seed.
    ///   - iterations: the iteration budget.
    ///   - recordEvery: checkpoints are recorded at 0, every `recordEvery` iterations and at the end.
    ///   - policyClass: the run's policy class (default tabular).
    ///   - recorder: receives each recorded checkpoint (the harness measures it).
    public static func context(problem: Problem, mode: FeedbackMode, queryBudget: Int?, labelNoise: Double,
                               seed: UInt64, iterations: Int, recordEvery: Int, policyClass: PolicyClass = .tabular,
                               recorder: @escaping (Checkpoint) throws -> Void) -> RunContext {
        let root = RandomSource(seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: mode, queryBudget: queryBudget, labelNoise: labelNoise,
                                    rng: root.child("oracle"))
        return RunContext(reference: problem.reference, contextWeights: problem.contextWeights, oracle: oracle,
                          rng: root.child("algorithm"), iterations: iterations, recordEvery: recordEvery,
                          policyClass: policyClass, recorder: recorder)
    }

    /// Runs `plugin` in `context` to its end: an `AlignmentCoreError.budgetExhausted` ends the run
    /// normally with its last reported policy, and `RunContext.flushFinal()` records that policy
    /// when the run stopped between recorded iterations.
    /// - Returns: whether the run ended on an exhausted query budget.
    /// - Throws: `AlignmentCoreError.invalidProblem` when the plugin does not declare the context's
    ///   policy class; any other error of the run (the run fails; `context.last` and the oracle's count
    ///   still say how far it got).
    public static func run(_ plugin: some Algorithm, in context: RunContext) throws -> Bool {
        let kind = context.policyClass.kind
        guard type(of: plugin).descriptor.policyClasses.contains(kind) else {
            throw AlignmentCoreError.invalidProblem("algorithm '\(type(of: plugin).descriptor.id)' does not support the \(kind.rawValue) policy class")
        }
        var endedByBudget = false
        do {
            try plugin.run(context)
        } catch AlignmentCoreError.budgetExhausted {
            endedByBudget = true
        }
        try context.flushFinal()
        return endedByBudget
    }
}
