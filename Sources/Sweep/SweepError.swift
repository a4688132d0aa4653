import AlignmentCore

/// Errors of the sweep module: spec syntax and validation, spec look-up, the result store and
/// figure rendering. Every description is one line.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Malformed JSON at a line and column (1-based).
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A spec value is wrong: `<file>: <JSON path>: <message>; allowed: <allowed>`.
    case spec(file: String, path: String, message: String, allowed: String)
    /// A spec file could not be found or read.
    case specNotFound(String)
    /// A file-system operation in the result store failed.
    case io(path: String, message: String)
    /// The result store is unusable (locked by another sweep, inconsistent records).
    case store(String)
    /// A run's metric was NaN or infinite (fails that run, not the sweep).
    case nonFiniteMetric(metric: String, iteration: Int, value: Double)
    /// Figure generation or rendering failed.
    case figures(String)

    public var description: String {
        switch self {
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): invalid JSON: \(message)"
        case let .spec(file, path, message, allowed):
            return "\(file): \(path): \(message); allowed: \(allowed)"
        case let .specNotFound(message):
            return message
        case let .io(path, message):
            return "\(path): \(message)"
        case let .store(message):
            return message
        case let .nonFiniteMetric(metric, iteration, value):
            return "metric \(metric) is \(CanonicalNumber.format(value)) at iteration \(iteration)"
        case let .figures(message):
            return message
        }
    }
}
