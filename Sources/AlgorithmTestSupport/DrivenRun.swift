import AlignmentCore

/// A plugin run driven by `RunDriver`, as the sweep's executor drives it: one oracle and one
/// generator per run, both derived from the run seed; the run ended normally by an exhausted query
/// budget; the last reported policy always recorded.
///
/// Not `Sendable`: it holds the run's `RunContext`, which belongs to one thread.
public struct DrivenRun {
    /// Recorded checkpoints, in order (iteration 0, every `recordEvery`, and the last reported one).
    public var checkpoints: [Checkpoint]
    /// The run's context (recorded iterations, last checkpoint, oracle).
    public var context: RunContext
    /// Whether the run ended on `AlignmentCoreError.budgetExhausted`.
    public var endedByBudget: Bool

    /// Creates a driven run from its recorded checkpoints and context.
    /// - Parameters:
    ///   - checkpoints: the checkpoints handed to the recorder, in order.
    ///   - context: the context the run used.
    ///   - endedByBudget: whether the run ended on an exhausted query budget.
    public init(checkpoints: [Checkpoint], context: RunContext, endedByBudget: Bool) {
        self.checkpoints = checkpoints
        self.context = context
        self.endedByBudget = endedByBudget
    }

    /// Labels drawn from the oracle.
    public var queries: Int { context.oracle.queries }

    /// The final reported policy.
    /// - Precondition: the plugin reported at least one policy (every plugin reports iteration 0).
    public var final: Policy {
        guard let last = context.last else { preconditionFailure("the algorithm reported no policy") }
        return last.policy
    }
}
