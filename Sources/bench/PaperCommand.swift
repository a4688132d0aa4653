import ArgumentParser
import Figures
import Foundation
import Sweep
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bench paper`: run every spec of the project's paper (Experiments/paper/*.json; docs/ARCHITECTURE.md, "The paper"),
/// each into Results/paper/<name>/, and render all their figures into Plots/paper/.
struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Run the paper's specs (Experiments/paper/*.json) and render every figure into Plots/paper/.",
        discussion: """
        The specs run in file-name order, each into Results/paper/<name>/. Runs already in a spec's \
        journal are reused (resume), so committed results are not recomputed; the statistics files \
        (summary.csv, pairwise.csv, tests.csv, …) are always rewritten from the recorded runs. Figure \
        ids must be unique across the paper's specs: every figure is written to Plots/paper/<id>.gp and \
        rendered next to it. A spec that changed since its results were written is refused (like \
        `bench sweep`) unless --extend or --fresh; a failing spec is reported and the others still run \
        (the exit status is that of the first failure). Each spec's HTML report is written to \
        Plots/paper/report-<name>.html (`bench report --help`) unless --no-report. A file of one of \
        these names there that bench did not write (a <figure>.png without bench's <figure>.gp, a \
        page that is not a bench report) refuses the command before the first spec runs (status 9).

        Examples:
          bench paper --jobs 2
          bench paper --extend --format png,svg
          bench paper --results /tmp/paper-results --plots /tmp/paper-plots
        """)

    // Optional, so the help shows the default as words once, not also as this machine's number.
    @Option(name: .customLong("jobs"), parsing: .unconditional, help: ArgumentHelp("Runs executed at once (default: the number of cores).", valueName: "jobs"), transform: NumberArgument.whole("a whole number ≥ 1"))
    var requestedJobs: Int?

    /// --jobs, or the number of cores.
    var jobs: Int { requestedJobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Flag(help: "Delete each spec's existing results (Results/paper/<name>/) and run everything again.")
    var fresh = false

    @Flag(help: "For specs changed since their results were written: keep the unchanged runs, run new or changed ones, drop runs no longer planned.")
    var extend = false

    @Option(help: "Directory holding the paper's specs.", completion: .directory)
    var specs: String = DefaultLocations.paperSpecs

    @Option(help: "Results root: each spec writes <results>/<name>/.", completion: .directory)
    var results: String = DefaultLocations.paperResults

    @Option(help: "Directory of the figures (scripts, data files and renderings).", completion: .directory)
    var plots: String = DefaultLocations.paperPlots

    @Option(help: "Comma-separated figure formats among png, svg, pdf.", completion: .list(FigureFormats.allValueStrings),
            transform: FigureFormats.parse)
    var format: FigureFormats = .png

    @Option(parsing: .unconditional, help: "Bootstrap resamples for summary.csv and pairwise.csv (0 turns the bootstrap interval off; at most \(SweepOptions.bootstrapSampleRange.upperBound); default: the value the results directory records, else \(SweepOptions.defaultBootstrapSamples)).", transform: NumberArgument.whole(BootstrapOption.allowed))
    var bootstrap: Int?

    @Flag(help: "Do not write the HTML reports <plots>/report-<name>.html (see `bench report --help`).")
    var noReport = false

    @OptionGroup var progressOptions: ProgressOptions

    /// Prints a line on stdout and flushes it, so progress appears in order with the error lines
    /// on stderr even when stdout is a pipe.
    private func emit(_ line: String) {
        print(line)
        fflush(nil)  // all output streams (referencing `stdout` is not concurrency-safe in Swift 6)
    }

    /// This command with the user's spec, results and figures directories and formats (the
    /// defaults left out): what a hint tells the user to run again.
    var rerun: [String] {
        var words = ["bench", "paper"]
        if specs != DefaultLocations.paperSpecs { words += ["--specs", specs] }
        if results != DefaultLocations.paperResults { words += ["--results", results] }
        if plots != DefaultLocations.paperPlots { words += ["--plots", plots] }
        if format != .png { words += ["--format", format.extensions.joined(separator: ",")] }
        return words
    }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        try BootstrapOption.validate(bootstrap)
        guard !(fresh && extend) else { throw ValidationError("--fresh and --extend exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let clock = ContinuousClock()
            let start = clock.now
            let formats = format.extensions
            let specDirectory = URL(fileURLWithPath: specs, relativeTo: currentDirectory).standardizedFileURL
            // Every spec validates (and figure ids are unique) before anything runs.
            let plan = try PaperPlan.load(directory: specDirectory) { try loadSpec($0.path) }
            let resultsRoot = URL(fileURLWithPath: results, relativeTo: currentDirectory).standardizedFileURL
            let plotsDirectory = URL(fileURLWithPath: plots, relativeTo: currentDirectory).standardizedFileURL
            try SweepRunner.checkOutputDirectory(resultsRoot, display: displayPath(resultsRoot), what: "results directory")
            try SweepRunner.checkOutputDirectory(plotsDirectory, display: displayPath(plotsDirectory), what: "figures directory")
            // Every spec's figures and report share the directory: all are checked before any spec runs.
            try refuseForeignPlots(plotsDirectory, figures: plan.specs.flatMap { $0.figures.map(\.id) },
                                   reports: noReport ? [] : plan.specs.map { DefaultLocations.paperReportName($0.name) })
            emit("paper: \(counted(plan.specs.count, "spec")) in \(displayPath(specDirectory))/, \(counted(plan.figureCount, "figure")) → \(displayPath(plotsDirectory))/")
            var totalRuns = 0, executed = 0, failedRuns = 0
            var failures: [(name: String, error: Error)] = []
            for (k, spec) in plan.specs.enumerated() {
                let directory = resultsRoot.appendingPathComponent(spec.name)
                let tag = "[\(k + 1)/\(plan.specs.count)] \(spec.name)"
                do {
                    let progress = progressOptions.reporter(name: spec.name)
                    defer { progress.finish() }
                    var options = SweepOptions(jobs: jobs, resultsDirectory: directory, bootstrapSamples: bootstrap ?? SweepOptions.defaultBootstrapSamples,
                                               progress: progress)
                    options.keepRecordedBootstrap = bootstrap == nil
                    options.invocation = Invocation(jobs: jobs)
                    options.existingResults = fresh ? .fresh : extend ? .extend : .resume
                    options.displayDirectory = displayPath(directory)
                    options.note = { note("\(spec.name): \($0)") }
                    let report = try SweepRunner.run(spec, options: options)
                    totalRuns += report.planned
                    executed += report.executed
                    failedRuns += report.failed
                    var line = "\(tag): \(counted(report.planned, "run")) (\(report.executed) executed, \(report.resumed) resumed"
                        + (report.failed > 0 ? ", \(report.failed) failed" : "") + (report.dropped > 0 ? ", \(report.dropped) dropped" : "") + (report.staleRerun > 0 ? ", \(report.staleRerun) stale re-run" : "")
                        + ") in " + String(format: "%.1f", report.seconds) + "s → \(displayPath(directory))/"
                    if !noReport {
                        let file = DefaultLocations.paperReportName(spec.name)
                        try writeReport(spec, results: directory, to: plotsDirectory.appendingPathComponent(file), announce: false, progress: progress, jobs: jobs)
                        line += "; report \(file)"
                    }
                    let rendered = try PaperPlan.render(spec, results: directory, plots: plotsDirectory, formats: formats, rerun: rerun, progress: progress, jobs: jobs)
                    if !rendered.isEmpty { line += "; figures " + rendered.joined(separator: ", ") }
                    emit(line)
                } catch {
                    // Report and go on with the other specs; the exit status is the first failure's.
                    FileHandle.standardError.write(Data("error: \(tag): \(oneLine("\(error)"))\n".utf8))
                    failures.append((spec.name, error))
                }
            }
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            emit("paper: \(counted(totalRuns, "run")) (\(executed) executed\(failedRuns > 0 ? ", \(failedRuns) failed" : "")) and "
                + "\(counted(plan.figureCount, "figure")) in \(String(format: "%.1f", seconds))s"
                + (failures.isEmpty ? "" : "; \(counted(failures.count, "spec")) failed: " + failures.map(\.name).joined(separator: ", ")))
            if let first = failures.first {
                throw ExitCode((first.error as? SweepError)?.exitCode.rawValue ?? BenchExitCode.internalError.rawValue)
            }
        }
    }
}

/// The paper's specs, validated together: sorted by file name, unique experiment names and
/// figure ids unique across all of them (they share Plots/paper/).
struct PaperPlan {
    /// The specs in file-name order.
    var specs: [ExperimentSpec]

    /// The number of figures of all specs.
    var figureCount: Int { specs.reduce(0) { $0 + $1.figures.count } }

    /// Loads and checks every `*.json` of `directory` (sorted by file name).
    /// - Parameter load: validates one spec file (e.g. `loadSpec`).
    /// - Throws: `SweepError.specNotFound` when the directory has no spec, the spec's own errors,
    ///   and `SweepError.store` for a duplicate experiment name or figure id.
    static func load(directory: URL, load: (URL) throws -> ExperimentSpec) throws -> PaperPlan {
        let files = ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else {
            throw SweepError.specNotFound("\(displayPath(directory))/: no paper specs (*.json)")
        }
        var specs: [ExperimentSpec] = []
        var names: [String: String] = [:], figures: [String: String] = [:]
        for file in files {
            let spec = try load(file)
            if let other = names[spec.name] {
                throw SweepError.store("\(spec.file): experiment name \"\(spec.name)\" is also used by \(other); the paper's specs need unique names")
            }
            names[spec.name] = spec.file
            for f in spec.figures {
                if let other = figures[f.id] {
                    throw SweepError.store("\(spec.file): figure id \"\(f.id)\" is also used by \(other); figure ids must be unique across the paper's specs (they share Plots/paper/)")
                }
                figures[f.id] = spec.file
            }
            specs.append(spec)
        }
        return PaperPlan(specs: specs)
    }

    /// Writes the spec's figure scripts into `plots` and renders them (when gnuplot is installed).
    /// - Returns: the names of the files rendered (or of the scripts, without gnuplot).
    /// Figures with nothing to draw are skipped with a note (see `renderFigures`).
    /// - Throws: `SweepError.figures` (one line) when a script cannot be written or rendered.
    /// - Parameter rerun: the `bench paper` command with the user's directories and formats, for the hint.
    /// - Parameter jobs: the most gnuplot processes running at once.
    static func render(_ spec: ExperimentSpec, results: URL, plots: URL, formats: [String], rerun: [String], progress: SweepProgress? = nil,
                       jobs: Int = 1) throws -> [String] {
        guard !spec.figures.isEmpty else { return [] }
        if !Gnuplot.isAvailable {
            note("gnuplot is not installed: wrote the scripts only; install it (sudo apt-get install gnuplot-nox, or brew install gnuplot) and run `\(ShellCommand.line(rerun))` again")
        }
        return try renderFigures(spec, results: results, plots: plots, formats: formats, quiet: true, rerun: rerun, progress: progress, jobs: jobs)
    }
}
