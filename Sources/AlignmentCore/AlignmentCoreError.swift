/// Errors raised by the core model: invalid preference matrices, policies, parameters,
/// exhausted budgets, unsupported feedback and numerical failures.
public enum AlignmentCoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A preference matrix is not square, has an entry outside [0, 1], or violates P + Pᵀ = 1.
    case invalidPreference(row: Int, column: Int, reason: String)
    /// A policy is malformed (wrong shape, NaN, empty support).
    case invalidPolicy(String)
    /// A parameter is unknown, of the wrong type, or out of range.
    case invalidParameter(name: String, reason: String)
    /// The query budget is exhausted (a run must never exceed it).
    case budgetExhausted(queries: Int)
    /// The algorithm asked for feedback that the run's mode does not allow.
    case unsupportedFeedback(String)
    /// A numerical failure (NaN, infinity, divergence) at an iteration.
    case numericalFailure(iteration: Int, reason: String)
    /// A GSL routine returned a non-zero status code.
    case gsl(status: Int32, routine: String, message: String)
    /// An LP solve (GLPK) failed.
    case linearProgram(String)
    /// A problem is malformed (shapes disagree between P, μ and the reward).
    case invalidProblem(String)

    public var description: String {
        switch self {
        case let .invalidPreference(row, column, reason):
            return "preference matrix entry [\(row)][\(column)]: \(reason)"
        case let .invalidPolicy(reason):
            return "invalid policy: \(reason)"
        case let .invalidParameter(name, reason):
            return "parameter '\(name)': \(reason)"
        case let .budgetExhausted(queries):
            return "query budget of \(queries) exhausted"
        case let .unsupportedFeedback(reason):
            return "unsupported feedback: \(reason)"
        case let .numericalFailure(iteration, reason):
            return "numerical failure at iteration \(iteration): \(reason)"
        case let .gsl(status, routine, message):
            return "GSL \(routine) failed with status \(status): \(message)"
        case let .linearProgram(reason):
            return "linear program failed: \(reason)"
        case let .invalidProblem(reason):
            return "invalid problem: \(reason)"
        }
    }
}
