import ArgumentParser
import Foundation
import Sweep

/// `bench report <results-dir>`: one self-contained HTML page of a results directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page of a results directory: provenance, best configurations, tests, figures, failed runs.",
        discussion: """
        Reads manifest.json (what was run: spec and results hashes, tool version, run counts, the \
        code and libraries of every invocation), pairwise.csv and summary.csv (the best configuration \
        of each algorithm per environment under the rule in force, with its 95% t and bootstrap \
        intervals), tests.csv (Welch tests, Holm-adjusted p, probability of improvement) and runs.csv \
        (failed runs with their errors), and draws the spec's figures with gnuplot's svg terminal. \
        The page has its style sheet and figures inline and loads nothing (no script, no link, no \
        URL); its bytes depend only on the result files. It is written to <plots>/report.html \
        (Plots/<name>/ unless --plots) through a temporary file, so no half-written page is left; \
        an existing file there that is not a bench report is refused, not overwritten (status 9). \
        `bench sweep` and `bench merge` write it too (unless --no-report), `bench paper` as \
        <plots>/report-<name>.html per spec.

        Examples:
          bench report Results/intransitive
          bench report intransitive --plots /tmp/intransitive-plots
          bench report /tmp/f1 --output /tmp/f1.html
        """)

    @Argument(help: "The results directory (e.g. Results/<name>), or an experiment name.", completion: .directory)
    var results: String

    @Option(help: "The spec the results were produced from (default: the directory's spec.json).", completion: .file(extensions: ["json"]))
    var spec: String?

    @Option(help: "Figures directory the report is written to as report.html (default: Plots/<name>; for another results directory, Plots/<its last component>).", completion: .directory)
    var plots: String?

    @Option(help: "The report file (default: <plots>/report.html).", completion: .file(extensions: ["html"]))
    var output: String?

    func validate() throws {
        guard output == nil || plots == nil else { throw ValidationError("--output and --plots exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let resultsURL = resultsDirectoryArgument(results)
            try ResultReport.checkComplete(directory: resultsURL, display: displayPath(resultsURL))
            let s = try specOfResults(resultsURL, given: spec)
            let manifest = try RecordedManifest.read(directory: resultsURL, display: displayPath(resultsURL))
            try ResultSummarizer.check(s, against: manifest, directory: displayPath(resultsURL))
            let url = output.map { URL(fileURLWithPath: $0, relativeTo: currentDirectory).standardizedFileURL }
                ?? DefaultLocations.report(plots, results: resultsURL, for: s)
            try refuseForeignPlots(url.deletingLastPathComponent(), figures: [], reports: [url.lastPathComponent],
                                   option: output == nil ? "--plots" : "--output")
            try writeReport(s, results: resultsURL, to: url, notes: true)
        }
    }
}

/// Writes the report of a results directory to `url` and prints "report: <path> (…)"; a figure
/// that cannot be drawn is named on the page.
/// - Parameters:
///   - announce: print the "report:" line (`bench paper` names the file in its spec's line instead).
///   - notes: print a note per figure not drawn (`bench report`; the commands that rendered the
///     figures just now have said why already).
///   - progress: gets the "report" phase.
///   - jobs: the most gnuplot processes drawing the page's figures at once (`--jobs`).
/// - Throws: `SweepError` (incomplete or malformed results, a write failure).
@discardableResult
func writeReport(_ spec: ExperimentSpec, results: URL, to url: URL, notes: Bool = false, announce: Bool = true,
                 progress: SweepProgress? = nil, jobs: Int = 1) throws -> ResultReport {
    progress?.phase("report (\(displayPath(url)))")
    let report = try ResultReport.read(spec: spec, directory: results, display: displayPath(results),
                                       figures: { try ReportFigures.render(spec: $0, directory: $1, jobs: jobs) })
    for m in report.missingFigures where notes { note("report: figure '\(m.id)' not drawn: \(oneLine(m.reason))") }
    try report.write(to: url, display: displayPath(url))
    if announce { print("report: \(displayPath(url)) (\(counted(report.figures.count, "figure")), \(counted(report.tableCount, "table")))") }
    return report
}
