import CGSL

/// Errors from the statistics module.
public enum StatisticsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Not enough observations for the requested statistic.
    case tooFewObservations(needed: Int, got: Int, statistic: String)
    /// An observation is NaN or infinite.
    case nonFinite(statistic: String)
    /// A GSL routine returned a non-zero status.
    case gsl(status: Int32, routine: String)
    /// An argument is out of its domain.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .tooFewObservations(needed, got, statistic):
            return "\(statistic) needs at least \(needed) observations, got \(got)"
        case let .nonFinite(statistic):
            return "\(statistic): observations must be finite"
        case let .gsl(status, routine):
            let msg = gsl_strerror(status).map { String(cString: $0) } ?? "unknown"
            return "GSL \(routine) failed with status \(status): \(msg)"
        case let .invalidArgument(why):
            return "invalid argument: \(why)"
        }
    }
}

