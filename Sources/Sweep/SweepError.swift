import AlignmentCore
import Figures

/// Errors of the sweep module: spec syntax and validation, spec look-up, the result store and
/// figure rendering. Every description is one line; `exitCode` is the `bench` exit status of
/// its class (see `BenchExitCode`).
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Malformed JSON at a line and column (1-based).
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A spec value is wrong: `<file>: <JSON path>: <message>; allowed: <allowed>`.
    case spec(file: String, path: String, message: String, allowed: String)
    /// A spec file could not be found or read.
    case specNotFound(String)
    /// A file-system operation failed (reading the spec, creating or writing the results).
    case io(path: String, message: String)
    /// A results directory is missing, incomplete or inconsistent (e.g. `bench figures` before
    /// `bench sweep`, a malformed CSV).
    case store(String)
    /// A run's metric was NaN or infinite (fails that run, not the sweep).
    case nonFiniteMetric(metric: String, iteration: Int, value: Double)
    /// Figure generation or rendering failed.
    case figures(String)
    /// A command-line argument or option is wrong (unknown list, format, conflicting options).
    case usage(String)
    /// The spec expands to more runs or recorded checkpoints than the limit:
    /// `<file>: <JSON path>: <message>; allowed: <allowed>`.
    case tooLarge(file: String, path: String, message: String, allowed: String)
    /// Another `bench sweep` holds the results directory's lock (its pid when known).
    case locked(directory: String, pid: Int32?)
    /// The spec changed since the results in the directory were written; the message explains
    /// `--extend` and `--fresh`.
    case specChanged(directory: String, message: String)

    /// The message on one line. This is the one place errors are rendered: user strings are
    /// quoted through `SpecText.quoted` (at most 60 characters, then `…(N bytes)`) where the
    /// message is built, and here every character that could split, hide or reorder the line
    /// (`FigureText.isUnsafe`: control, line/paragraph separator and format characters such as
    /// bidirectional overrides) is shown escaped, as in JSON; a message longer than
    /// `maximumLength` characters is cut (a backstop for text not quoted at its source).
    public var description: String {
        let scalars = text.unicodeScalars
        guard scalars.count > Self.maximumLength || scalars.contains(where: FigureText.isUnsafe) else { return text }
        var out = ""
        var count = 0
        for u in scalars {
            if count == Self.maximumLength {
                out += "…(\(text.utf8.count) bytes)"
                break
            }
            count += 1
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where FigureText.isUnsafe(u): out += SpecText.escaped(u)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Most characters of a rendered message (see `description`).
    public static let maximumLength = 4_000

    private var text: String {
        switch self {
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): invalid JSON: \(message)"
        case let .spec(file, path, message, allowed), let .tooLarge(file, path, message, allowed):
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
        case let .usage(message):
            return message
        case let .locked(directory, pid):
            let holder = pid.map { "another bench sweep (pid \($0))" } ?? "another bench sweep"
            let stop = pid.map { " (kill \($0))" } ?? ""
            return "\(directory): \(holder) is writing these results; wait for it to finish or stop it\(stop), then run again to resume"
        case let .specChanged(directory, message):
            return "\(directory): \(message)"
        }
    }

    /// The `bench` exit status of this error's class.
    public var exitCode: BenchExitCode {
        switch self {
        case .syntax, .spec: return .invalidSpec
        case .specNotFound, .io: return .io
        case .store: return .results
        case .nonFiniteMetric: return .internalError
        case .figures: return .figures
        case .usage: return .usage
        case .tooLarge: return .tooLarge
        case .locked: return .locked
        case .specChanged: return .specChanged
        }
    }
}

/// The exit statuses of `bench`, one per class of failure, so scripts can tell them apart.
public enum BenchExitCode: Int32, CaseIterable, Sendable {
    /// Success (also when some runs failed numerically: they are recorded as failed).
    case success = 0
    /// An unexpected internal error (a bug; please report it).
    case internalError = 1
    /// Wrong command-line usage: unknown option or subcommand, missing or invalid argument.
    case usage = 2
    /// The spec (or a file it names, e.g. a `matrix` environment's file) is invalid.
    case invalidSpec = 3
    /// A file could not be read or written: spec file missing, unreadable or a directory; results
    /// or figures directory not creatable; a write failed (disk full, file too large, permission).
    case io = 4
    /// Another `bench sweep` is writing the same results directory.
    case locked = 5
    /// The spec changed since the results were written; rerun with `--extend` or `--fresh`.
    case specChanged = 6
    /// Figures could not be written or rendered (the results are complete).
    case figures = 7
    /// The spec expands to more runs or checkpoints than the limit; `--force` raises it.
    case tooLarge = 8
    /// A results directory is missing, incomplete or inconsistent (run `bench sweep` first), or a
    /// results or figures directory holds files of bench's names that bench did not write.
    case results = 9

    /// One line describing when this status is returned.
    public var meaning: String {
        switch self {
        case .success: return "success (numerically failed runs are recorded, not fatal)"
        case .internalError: return "internal error (a bug)"
        case .usage: return "usage: unknown option or subcommand, missing or invalid argument"
        case .invalidSpec: return "invalid spec: syntax, key, type, value, unknown name, matrix file"
        case .io: return "I/O: spec unreadable, output not writable, write failed (disk full)"
        case .locked: return "locked: another bench sweep (pid named) writes these results"
        case .specChanged: return "spec changed since the results were written: use --extend or --fresh"
        case .figures: return "figures could not be written or rendered (results are complete)"
        case .tooLarge:
            return "grid above \(SpecLimits.standard.maximumRuns) runs or \(SpecLimits.standard.maximumCheckpoints) checkpoints: check it or use --force"
        case .results: return "results missing or inconsistent (run bench sweep first), or --out/--plots holds files bench did not write"
        }
    }

    /// The table as text, one `  <code>  <meaning>` line per status (for `--help`).
    public static var table: String {
        allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }
}
