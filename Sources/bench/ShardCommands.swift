import ArgumentParser
import Foundation
import Sweep

/// The results directory and spec of `bench status` / `bench merge`'s argument: an existing
/// directory is read with the spec it recorded (`specOfResults`); an experiment name that is not
/// a directory here (`bench status intransitive`), or a spec file (`bench status
/// Experiments/intransitive.json`), means that spec as it is now, as `bench sweep` reads it, and
/// its default results directory — so "done" and "stale" are judged against the spec as it is
/// now, not as the sweep started.
/// - Parameters:
///   - argument: the positional argument.
///   - given: `--spec`, which wins over both.
/// - Throws: `SweepError` for a spec that does not load, or a directory without spec.json.
func resultsAndSpec(_ argument: String, given: String?) throws -> (directory: URL, spec: ExperimentSpec) {
    let literal = URL(fileURLWithPath: argument, relativeTo: currentDirectory).standardizedFileURL
    var isDirectory: ObjCBool = false
    let isExistingDirectory = FileManager.default.fileExists(atPath: literal.path, isDirectory: &isDirectory) && isDirectory.boolValue
    let isExistingFile = !isDirectory.boolValue && FileManager.default.fileExists(atPath: literal.path)
    if given == nil, !isExistingDirectory, !argument.contains("/") || isExistingFile,
       let url = try? SpecLocator.resolve(argument, relativeTo: currentDirectory) {
        let s = try loadSpec(url.path, force: true)
        return (DefaultLocations.results(nil, for: s), s)
    }
    let directory = resultsDirectoryArgument(argument)
    return (directory, try specOfResults(directory, given: given))
}

/// The spec of a results directory: `given` (`--spec`), else the directory's copy spec.json with
/// its recorded input copies and `--only` selection.
/// - Throws: `SweepError.store` when the directory has no spec.json; `SweepError` from loading.
func specOfResults(_ directory: URL, given: String?) throws -> ExperimentSpec {
    let subset = try RunSubset.recorded(in: directory)
    if let given { return try loadSpec(given, force: true, subset: subset) }
    let copy = directory.appendingPathComponent("spec.json")
    guard FileManager.default.fileExists(atPath: copy.path) else {
        throw SweepError.store("\(displayPath(directory))/spec.json: not found (no sweep or shard has started in this directory); "
            + "pass the spec with --spec, or start one with `bench sweep <spec> --shard K/N"
            + ShellCommand.outOption(displayPath(directory), name: directory.lastPathComponent).map { " " + ShellCommand.quoted($0) }.joined()
            + "`")
    }
    return try ExperimentSpec.load(contentsOf: copy, displayName: displayPath(copy), limits: .forced,
                                   inputs: ResultSummarizer.inputLocator(directory: directory), subset: subset)
}

/// `bench merge <results-dir>`.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write the result files and figures of a sharded sweep once all its shards are done.",
        discussion: """
        Reads every journal of the results directory (journal-K-of-N.jsonl of each shard, and \
        journal.jsonl if any) and, when every planned run has a record computed from the current spec, \
        input files and code, writes runs.csv, curves.csv, policies.csv, parameters.csv byte-identical \
        to an unsharded `bench sweep --jobs 1` of the same spec, then the statistics, the figures and \
        the HTML report <plots>/report.html (unless --no-report; see `bench report --help`). \
        Otherwise it writes nothing and names, on one line, each shard that is not started, not \
        finished or stale (status 9, or 6 when one is stale). The spec is, for an experiment name \
        that is not a directory (`bench merge intransitive`), the current spec file of that name (and \
        for a spec file, that file), with its default results directory; for \
        a results directory, its copy spec.json; --spec overrides both (give it when the spec reads \
        input files and no merge has recorded their copies yet, or when the shards ran with input \
        files that changed since the last merge: the copy reads the copies that merge recorded).

        Examples:
          bench sweep intransitive --shard 1/2 & bench sweep intransitive --shard 2/2; wait
          bench merge Results/intransitive
          bench merge /shared/results/intransitive --spec Experiments/intransitive.json --plots /tmp/plots

        Exit status:
        \(BenchExitCode.table)
        """)

    @Argument(help: "The results directory (e.g. Results/<name>), an experiment name or a spec file.", completion: .directory)
    var results: String

    @Option(help: "The spec the shards ran (default: the directory's spec.json).", completion: .file(extensions: ["json"]))
    var spec: String?

    @Option(help: "Figures directory (default: Plots/<name>; for another results directory, Plots/<its last component>).", completion: .directory)
    var plots: String?

    @Option(parsing: .unconditional, help: "Bootstrap resamples for summary.csv (0 to \(SweepOptions.bootstrapSampleRange.upperBound); default: the value the results directory records, else \(SweepOptions.defaultBootstrapSamples)).", transform: NumberArgument.whole(BootstrapOption.allowed))
    var bootstrap: Int?

    @Flag(help: "Do not write the HTML report <plots>/report.html (see `bench report --help`).")
    var noReport = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        try BootstrapOption.validate(bootstrap)
    }

    func run() throws {
        try reportingErrors {
            let (resultsURL, s) = try resultsAndSpec(results, given: spec)
            let progress = progressOptions.reporter(name: "\(s.name) merge")
            defer { progress.finish() }
            let plotsDirectory = DefaultLocations.plots(plots, results: resultsURL, for: s)
            if !s.figures.isEmpty || !noReport {
                try SweepRunner.checkOutputDirectory(plotsDirectory, display: displayPath(plotsDirectory), what: "figures directory")
            }
            try refuseForeignPlots(plotsDirectory, figures: s.figures.map(\.id),
                                   reports: noReport ? [] : [DefaultLocations.report(plots, results: resultsURL, for: s).lastPathComponent])
            var options = SweepOptions(jobs: 1, resultsDirectory: resultsURL, bootstrapSamples: bootstrap ?? SweepOptions.defaultBootstrapSamples)
            options.keepRecordedBootstrap = bootstrap == nil
            options.invocation = Invocation(jobs: 1)
            options.displayDirectory = displayPath(resultsURL)
            options.note = { note($0) }
            options.progress = progress
            let report = try SweepRunner.merge(s, options: options)
            var line = "\(s.name): merged \(counted(report.planned, "run"))"
            line += report.failed > 0 ? " (\(report.failed) failed)" : ""
            print(line + " in \(String(format: "%.1f", report.seconds))s → \(displayPath(resultsURL))/")
            if !noReport {
                try writeReport(s, results: resultsURL, to: DefaultLocations.report(plots, results: resultsURL, for: s), progress: progress)
            }
            try renderFigures(s, results: resultsURL, plots: plotsDirectory, formats: ["png"],
                              rerun: ["bench", "figures", s.file] + s.subset.arguments + ["--out", displayPath(resultsURL)] + (plots.map { ["--plots", $0] } ?? []), progress: progress)
        }
    }
}

/// `bench status <results-dir>`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how far a sweep or each of its shards got: done/total, failed, stale.",
        discussion: """
        One line per journal: the unsharded journal.jsonl, and every shard K/N of each shard count N \
        that has a journal (shards without one as not started). "done" counts runs whose record \
        matches the spec, input files and code; "stale" runs have a record that does not. The spec \
        is, for an experiment name, the current spec file of that name (as `bench sweep <name>` \
        reads it), and for a spec file that file, each with its default results directory; for a results directory, the copy spec.json the sweep recorded when it started \
        (with its input copies); --spec overrides both. Nothing is locked or changed, so it can \
        watch running shards.

        Examples:
          bench status Results/intransitive
          watch bench status intransitive
        """)

    @Argument(help: "The results directory (e.g. Results/<name>), an experiment name or a spec file.", completion: .directory)
    var results: String

    @Option(help: "The spec (default: the current spec for an experiment name, the directory's spec.json for a directory).", completion: .file(extensions: ["json"]))
    var spec: String?

    func run() throws {
        try reportingErrors {
            let (directory, s) = try resultsAndSpec(results, given: spec)
            let progress = try ResultsProgress.read(spec: s, directory: directory)
            let display = displayPath(directory)
            let sweep = ShellCommand.line(["bench", "sweep", s.file] + s.subset.arguments + ShellCommand.outOption(display, name: s.folderName))
            print(Self.text(s.name, progress, directory: display, sweep: sweep))
        }
    }

    /// The report: a title line, one line per journal, and whether the results can be merged.
    /// - Parameter sweep: the command that writes the result files of a complete unsharded sweep.
    static func text(_ name: String, _ p: ResultsProgress, directory: String, sweep: String) -> String {
        var lines = ["\(name): \(counted(p.planned, "run")) planned, \(p.covered) done (\(directory)/)"]
        for j in p.journals {
            var line = "  \(j.label): \(j.done)/\(j.total) done, \(j.failed) failed, \(j.stale) stale"
            if !j.exists { line += " (not started)" } else if j.stale > 0 { line += " (\(j.staleDescription))" }
            if j.specChanged && j.stale == 0 { line += "; \(JournalProgress.specChangedNote)" }
            if let corruption = j.corruption { line += "; \(corruption)" }
            lines.append(line)
        }
        let sharded = p.journals.contains { $0.shard != nil }
        if p.covered == p.planned {
            if p.filesWritten {
                lines.append("complete: the result files in \(directory)/ are written from these journals")
            } else {
                // Every run is journaled but the result files are older than a journal (or absent):
                // never a bare "complete" that could be read as "the files are current".
                lines.append(sharded ? "complete: `bench merge \(directory)` writes the result files"
                             : "complete, but the result files in \(directory)/ are not written from these journals yet: `\(sweep)` writes them")
            }
        } else {
            let left = p.planned - p.covered
            lines.append("incomplete: \(left) run\(left == 1 ? "" : "s") to do: " + Self.resumeHint(p, directory: directory, sweep: sweep, sharded: sharded))
        }
        return lines.joined(separator: "\n")
    }

    /// The commands that finish an incomplete directory: the sweep (with --extend when its journal
    /// needs it), or for shards the sweep of each shard that holds runs up (with --extend for one
    /// that needs it), then the merge.
    static func resumeHint(_ p: ResultsProgress, directory: String, sweep: String, sharded: Bool) -> String {
        guard sharded else {
            let extend = p.journals.contains { $0.shard == nil && $0.needsExtend }
            return "`\(sweep)\(extend ? " --extend" : "")` runs them"
        }
        let shards = p.journals.filter { $0.shard != nil && $0.uncovered > 0 }
        let parts = shards.compactMap { j in j.shard.map { "\($0)" + (j.needsExtend ? " (with --extend)" : "") } }
        return "run `\(sweep) --shard K/N` for K/N = \(parts.joined(separator: ", ")), then `bench merge \(ShellCommand.quoted(directory))`"
    }
}
