import Figures
import Foundation
import Sweep

/// Writes the gnuplot scripts of a spec's figures and renders them when gnuplot is installed;
/// otherwise prints one line on how to install it.
///
/// A figure with nothing to draw (no ok run, a metric that is 0 everywhere on a log axis, values of
/// different evaluation τ) is skipped with one `note:` line on stderr naming it and why; the others
/// are drawn. A figure that gnuplot fails on does not stop the others from rendering.
/// - Parameters:
///   - quiet: print nothing when gnuplot is missing (the caller says it).
///   - rerun: the command that renders these figures again, with the directories the user gave
///     (`--out`, `--plots`), named by the hint printed when gnuplot is missing.
///   - progress: gets the "figures" phase.
///   - jobs: the most gnuplot processes running at once (`--jobs`).
/// - Returns: the names of the rendered files (of the scripts, without gnuplot).
/// - Throws: `SweepError.figures` (one line) when a script cannot be written, or when gnuplot
///   failed on a figure (after rendering all the others).
@discardableResult
func renderFigures(_ spec: ExperimentSpec, results: URL, plots: URL, formats: [String], quiet: Bool = false,
                   rerun: [String], progress: SweepProgress? = nil, jobs: Int = 1) throws -> [String] {
    guard !spec.figures.isEmpty else { return [] }
    progress?.phase("figures (\(spec.figures.count) in \(displayPath(plots))/)")
    let batch: FigureBatch
    do {
        batch = try FigureWriter.writeAvailable(figures: spec.figures, experiment: spec.name, resultsDirectory: results,
                                                plotsDirectory: plots)
    } catch {
        throw SweepError.figures(oneLine("\(error)"))
    }
    for skipped in batch.skipped { note("\(oneLine(skipped.reason)) — skipped, the other figures are drawn") }
    let scripts = batch.scripts
    guard Gnuplot.isAvailable else {
        if !quiet {
            print("figures: wrote \(counted(scripts.count, "gnuplot script")) to \(displayPath(plots))/; gnuplot is not installed — "
                + "install it (sudo apt-get install gnuplot-nox, or brew install gnuplot) and run `\(ShellCommand.line(rerun))`")
        }
        return scripts.map(\.lastPathComponent)
    }
    // Up to `jobs` gnuplot processes at once; each writes only its own figure's files, and the
    // outcomes are read in script order, so what is printed does not depend on `jobs`.
    let outcomes = RenderOutcomes(count: scripts.count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, scripts.count))) { _ in
        while let i = outcomes.take() {
            do {
                try Gnuplot.render(script: scripts[i], formats: formats)
                outcomes.set(i, nil)
            } catch {
                outcomes.set(i, oneLine("\(error)"))
            }
        }
    }
    var failures: [String] = []
    var rendered: [URL] = []
    for (i, script) in scripts.enumerated() {
        if let failure = outcomes.failure(i) { failures.append(failure) } else { rendered.append(script) }
    }
    let names = rendered.flatMap { s in formats.map { s.deletingPathExtension().appendingPathExtension($0).lastPathComponent } }
    if !quiet && !names.isEmpty { print("figures: \(displayPath(plots))/{\(names.joined(separator: ","))}") }
    if let first = failures.first {
        throw SweepError.figures(failures.count == 1 ? first : "\(first) (and \(failures.count - 1) more figure\(failures.count == 2 ? "" : "s") failed)")
    }
    return names
}

/// Joins the lines of a multi-line message with "; ".
func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        .joined(separator: "; ")
}

/// The outcome of every figure's rendering (nil: rendered, else the one-line failure), filled by
/// the rendering threads, each index by one of them.
private final class RenderOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var failures: [String?]
    private let count: Int

    init(count: Int) {
        self.count = count
        failures = Array(repeating: nil, count: count)
    }

    /// The next figure to render, nil when all are taken.
    func take() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }

    func set(_ i: Int, _ failure: String?) { lock.withLock { failures[i] = failure } }

    func failure(_ i: Int) -> String? { lock.withLock { failures[i] } }
}
