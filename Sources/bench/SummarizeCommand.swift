import ArgumentParser
import Foundation
import Sweep

/// `bench summarize <results-dir>`: recompute the statistics files from the recorded runs.
struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Recompute the statistics files (summary, curve_summary, pairwise, tests, frontier, aggregates) without re-running, then the figures and the report drawn from them.",
        discussion: """
        Reads runs.csv, curves.csv and policies.csv of a results directory and the spec recorded in its \
        manifest.json (or --spec), which must be unchanged since the sweep (same spec hash). With the \
        sweep's bootstrap B (the default) the files are byte-identical to the ones the sweep wrote. \
        The spec's figures and the HTML report (<plots>/report.html unless --no-report) read these \
        files, so they are drawn again — a new --select-by or --bootstrap never leaves a figure or a \
        report showing the old statistics.

        Examples:
          bench summarize Results/intransitive
          bench summarize intransitive --select-by win_rate_vs_reference
          bench summarize intransitive --select-by exploitability:min --bootstrap 0
        """)

    @Argument(help: "The results directory (e.g. Results/<name>), or an experiment name.", completion: .directory)
    var results: String

    @Option(help: "The spec the results were produced from (default: the spec_file in manifest.json).",
            completion: .file(extensions: ["json"]))
    var spec: String?

    @Option(parsing: .unconditional, help: "Bootstrap resamples for the bootstrap intervals (default: the sweep's, from manifest.json; 0 turns them off; at most \(SweepOptions.bootstrapSampleRange.upperBound)).", transform: NumberArgument.whole(BootstrapOption.allowed))
    var bootstrap: Int?

    @Option(name: .customLong("select-by"),
            help: "Best-configuration rule for pairwise.csv and tests.csv: metric or metric:min|max (default: \(ConfigurationSelection.default); without a goal, the metric's better direction).",
            completion: .list(SelectionRule.allValueStrings), transform: SelectionRule.parse)
    var selectBy: SelectionRule?

    @Option(help: "Figures directory the figures and report.html are drawn into (default: Plots/<name>; for another results directory, Plots/<its last component>).", completion: .directory)
    var plots: String?

    @Flag(help: "Do not write the HTML report <plots>/report.html (see `bench report --help`).")
    var noReport = false

    func validate() throws {
        try BootstrapOption.validate(bootstrap)
    }

    func run() throws {
        try reportingErrors {
            let selection = selectBy?.selection
            let directory = resultsDirectoryArgument(results)
            let manifest = try RecordedManifest.read(directory: directory, display: displayPath(directory))
            let s: ExperimentSpec
            let copy = directory.appendingPathComponent("spec.json")
            let subset = try RunSubset.recorded(in: directory)
            if let given = spec {
                s = try loadSpec(given, subset: subset)
            } else if FileManager.default.fileExists(atPath: copy.path) {
                // The directory's own copies of the spec and its input files: works after a move.
                s = try ExperimentSpec.load(contentsOf: copy, displayName: displayPath(copy),
                                            inputs: ResultSummarizer.inputLocator(directory: directory), subset: subset)
            } else {
                do {
                    s = try loadSpec(manifest.specFile, subset: subset)
                } catch SweepError.specNotFound {
                    throw SweepError.specNotFound("\(displayPath(directory))/manifest.json: cannot find the spec "
                        + "\"\(manifest.specFile)\" from the current directory; pass it with --spec")
                }
            }
            try ResultSummarizer.check(s, against: manifest, directory: displayPath(directory))
            let plotsDirectory = DefaultLocations.plots(plots, results: directory, for: s)
            if !s.figures.isEmpty || !noReport {
                try SweepRunner.checkOutputDirectory(plotsDirectory, display: displayPath(plotsDirectory), what: "figures directory")
            }
            try refuseForeignPlots(plotsDirectory, figures: s.figures.map(\.id),
                                   reports: noReport ? [] : [DefaultLocations.report(plots, results: directory, for: s).lastPathComponent])
            let urls = try ResultSummarizer.summarize(spec: s, directory: directory,
                                                      bootstrapSamples: bootstrap ?? manifest.bootstrapSamples ?? SweepOptions.defaultBootstrapSamples,
                                                      selection: selection, display: displayPath(directory),
                                                      invocation: Invocation())
            print("\(s.name): recomputed \(displayPath(directory))/{\(urls.map(\.lastPathComponent).joined(separator: ","))}")
            if !noReport {
                try writeReport(s, results: directory, to: DefaultLocations.report(plots, results: directory, for: s))
            }
            try renderFigures(s, results: directory, plots: plotsDirectory, formats: ["png"],
                              rerun: ["bench", "figures", s.file] + s.subset.arguments + ["--out", displayPath(directory)] + (plots.map { ["--plots", $0] } ?? []))
        }
    }
}

/// A results-directory argument as a directory; a bare name that is not a directory means
/// Results/<name>.
func resultsDirectoryArgument(_ results: String) -> URL {
    let given = URL(fileURLWithPath: results, relativeTo: currentDirectory).standardizedFileURL
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory), isDirectory.boolValue { return given }
    if !results.contains("/") { return currentDirectory.appendingPathComponent("Results").appendingPathComponent(results) }
    return given
}
