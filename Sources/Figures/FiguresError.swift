import Foundation

/// Errors from figure generation and rendering.
public enum FiguresError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A results file the figure needs does not exist.
    case missingFile(path: String, figure: String)
    /// A CSV file is malformed (unterminated quote, ragged row, missing column, …).
    case malformedCSV(path: String, line: Int, reason: String)
    /// The figure spec is inconsistent (e.g. `frontier` without `x`).
    case invalidSpec(figure: String, reason: String)
    /// After filtering, nothing is left to plot.
    case noData(figure: String, reason: String)
    /// The figure would put values of a τ-dependent metric measured at different evaluation τ side
    /// by side (summary.csv/curve_summary.csv `eval_tau`).
    case mixedTau(figure: String, reason: String)
    /// Writing a script or data file failed.
    case writeFailed(path: String, reason: String)
    /// A figures directory holds files of the names bench would write or remove there that bench did
    /// not write (`PlotsDirectory.refuseForeignFiles`); nothing was written.
    /// `option` names the command-line option that chooses the destination (`--plots`, `--output`).
    case foreignFiles(directory: String, files: [String], option: String)
    /// gnuplot is not installed (not on PATH).
    case gnuplotNotFound
    /// An output format other than png, svg or pdf was requested.
    case unsupportedFormat(String)
    /// gnuplot lacks a terminal a format needs (e.g. pngcairo).
    case terminalUnavailable(terminal: String, format: String)
    /// gnuplot exited with a non-zero status or produced no output; carries its stderr.
    case renderFailed(script: String, status: Int32, stderr: String)

    /// Whether the error means "this figure has nothing (comparable) to draw" — a property of the
    /// results, not a fault: the figure is skipped and the others are drawn (`FigureWriter.writeAvailable`).
    public var isSkip: Bool {
        switch self {
        case .noData, .mixedTau: return true
        default: return false
        }
    }

    /// A one-line (renderFailed: multi-line) message naming the file or figure and the problem.
    public var description: String {
        switch self {
        case let .missingFile(path, figure):
            return "figure '\(figure)': results file \(path) does not exist"
        case let .malformedCSV(path, line, reason):
            return "\(path):\(line): malformed CSV: \(reason)"
        case let .invalidSpec(figure, reason):
            return "figure '\(figure)': \(reason)"
        case let .noData(figure, reason):
            return "figure '\(figure)': nothing to plot: \(reason)"
        case let .mixedTau(figure, reason):
            return "figure '\(figure)': not drawn: \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        case let .foreignFiles(directory, files, option):
            let them = files.count == 1 ? "it" : "them"
            return "\(directory): holds \(PlotsDirectory.list(files)), which bench did not write (its figure files sit next to "
                + "an <id>.gp script with its generator line, its reports carry its note), and bench would overwrite or remove \(them); "
                + "choose another \(option) or move \(them) away"
        case .gnuplotNotFound:
            return "gnuplot is not installed; install it with `sudo apt-get install gnuplot-nox` "
                + "(Debian/Ubuntu) or `brew install gnuplot` (macOS), then run `bench figures <name>`"
        case let .unsupportedFormat(format):
            return "unsupported figure format '\(format)'; allowed: png, svg, pdf"
        case let .terminalUnavailable(terminal, format):
            return "gnuplot has no '\(terminal)' terminal, needed for \(format) output; "
                + "install a cairo-enabled gnuplot (e.g. gnuplot-nox on Debian)"
        case let .renderFailed(script, status, stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "gnuplot failed on \(script) (exit status \(status))" + (detail.isEmpty ? "" : ":\n\(detail)")
        }
    }
}
