import AlignmentCore
import Foundation
import ResultFiles

/// The content of `bench report`: one self-contained HTML page of a results directory (see
/// `html`), read from the files the sweep wrote — manifest.json (what was run), pairwise.csv and
/// summary.csv (the best configuration of every algorithm per environment, with its interval),
/// tests.csv (Welch tests, Holm-adjusted p, probability of improvement), runs.csv (failed runs)
/// — and the spec's figures rendered as SVG from the same files. Every file is read through its
/// `ResultFiles` schema; nothing is recomputed, so the page says what the files say.
///
/// The page depends only on these files (and the gnuplot version that draws the figures): no
/// clock, no host, no path of the reading machine, rows in file order.
public struct ResultReport: Sendable, Equatable {
    /// A figure of the page: its id, caption and inline SVG (`ReportFigures.inline`).
    public struct Figure: Sendable, Equatable {
        /// The figure id of the spec.
        public var id: String
        /// The caption (kind, metric and the spec's title when it has one), unescaped.
        public var caption: String
        /// The `<svg>…</svg>` element, ready to inline.
        public var svg: String
    }

    /// A figure of the spec that is not on the page, and why.
    public struct MissingFigure: Sendable, Equatable {
        /// The figure id of the spec.
        public var id: String
        /// The reason (one line), unescaped.
        public var reason: String
    }

    /// The experiment's name.
    public var name: String
    /// The spec's description, if any.
    public var description: String?
    /// "What was run": the manifest's identifying members and run counts, the latest
    /// invocation's provenance, the input files and the history.
    public var provenance: [ReportTable]
    /// The best configuration of every algorithm, one table per environment (pairwise.csv order).
    public var headline: [ReportTable]
    /// The best-configuration rule in force ("metric:goal"), as the manifest records it.
    public var selection: String
    /// tests.csv, one table per environment (file order).
    public var significance: [ReportTable]
    /// The drawn figures, in spec order.
    public var figures: [Figure]
    /// The spec's figures that are not drawn, with the reason.
    public var missingFigures: [MissingFigure]
    /// The failed runs of runs.csv (run id, environment, algorithm, config, seed, error).
    public var failures: ReportTable
    /// The number of runs in runs.csv.
    public var runCount: Int

    /// The file the result files must include for a report (those it reads).
    public static let requiredFiles = [RecordedManifest.fileName, RunsFile.fileName, SummaryFile.fileName,
                                       PairwiseFile.fileName, TestsFile.fileName]

    /// Reads the report of a results directory.
    /// - Parameters:
    ///   - spec: the spec the results were produced from (its figures and labels; the caller
    ///     checks it against the manifest, `ResultSummarizer.check`).
    ///   - directory: the results directory.
    ///   - display: the directory as shown in messages.
    ///   - figures: draws the spec's figures (`ReportFigures.render`; tests may pass another).
    /// - Throws: `SweepError.store` naming the first missing file ("incomplete results"), a
    ///   malformed manifest or result file (file, line and column), and what `figures` throws.
    public static func read(spec: ExperimentSpec, directory: URL, display: String,
                            figures: (ExperimentSpec, URL) throws -> ([Figure], [MissingFigure])) throws -> ResultReport {
        try checkComplete(directory: directory, display: display)
        let manifest = try RecordedManifest.read(directory: directory, display: display)
        for file in manifest[.files]?.arrayElements?.compactMap(\.stringValue) ?? []
        where !file.contains("/") && !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            throw SweepError.store("\(display)/: incomplete results, \(file) (listed in manifest.json) is missing; run `bench sweep` or `bench merge` again")
        }
        let rule = selection(manifest: manifest, spec: spec)
        let (drawn, missing) = try figures(spec, directory)
        let failures = try failedRuns(directory: directory, display: display)
        return ResultReport(
            name: manifest.name, description: spec.description, provenance: provenanceTables(manifest),
            headline: try headlineTables(directory: directory, display: display, selection: rule,
                                         referenceLabel: referenceLabel(spec)),
            selection: "\(rule.metric):\(rule.goal.rawValue)",
            significance: try significanceTables(directory: directory, display: display),
            figures: drawn, missingFigures: missing, failures: failures.table, runCount: failures.runs)
    }

    /// The rule the best configurations were chosen by: the manifest's "select_by", else the spec's.
    static func selection(manifest: RecordedManifest, spec: ExperimentSpec) -> ConfigurationSelection {
        if let s = manifest[.selectBy], let m = s["metric"]?.stringValue, Metric.ids.contains(m),
           let g = s["goal"]?.stringValue.flatMap(ConfigurationSelection.Goal.init(rawValue:)) {
            return ConfigurationSelection(metric: m, goal: g)
        }
        return spec.selectBy
    }

    /// The pseudo-algorithm of the reference μ in pairwise.csv (`AnalysisInput.referenceLabel`).
    static func referenceLabel(_ spec: ExperimentSpec) -> String {
        spec.algorithms.contains { $0.label == "reference" } ? "reference_mu" : "reference"
    }

    /// The failed runs of runs.csv, in file order, and the number of runs.
    /// - Throws: `SweepError.store` for a missing or malformed runs.csv.
    static func failedRuns(directory: URL, display: String) throws -> (table: ReportTable, runs: Int) {
        let reader = try SweepError.mapping {
            try RunsFile.reader(directory: directory, display: display,
                                required: [.runID, .environment, .algorithm, .config, .seed, .status, .error])
        }
        var rows: [[ReportCell]] = []
        var count = 0
        while let row = try SweepError.mapping({ try reader.next() }) {
            count += 1
            guard row[.status] == "failed" else { continue }
            rows.append([ReportCell(row[.runID]), ReportCell(row[.environment]), ReportCell(row[.algorithm]),
                         ReportCell(row[.config]), ReportCell(row[.seed], numeric: true), ReportCell(row[.error])])
        }
        let table = ReportTable(id: "failed-runs", caption: "Failed runs (runs.csv, status failed): \(rows.count) of \(count)",
                                header: ["run_id", "environment", "algorithm", "config", "seed", "error"], rows: rows)
        return (table, count)
    }
}

extension ResultReport {
    /// The report's file name in a figures directory (`bench sweep`, `bench merge`, `bench report`).
    public static let fileName = "report.html"

    /// Writes `html` to `url` atomically (temporary file, fsync, rename: a reader never sees half
    /// a page, and a failed write leaves the previous file), creating its directory when needed;
    /// nothing is written through a symbolic link.
    /// - Parameter display: the file as shown in messages.
    /// - Throws: `SweepError.io`.
    public func write(to url: URL, display: String) throws {
        let parent = url.deletingLastPathComponent()
        try FileIO.createDirectory(parent, display: (display as NSString).deletingLastPathComponent, what: "report directory")
        try ResultStore.writeAtomically(html, to: url)
    }
}

extension ResultReport {
    /// Checks that `directory` holds finished results a report can read (`requiredFiles`).
    /// - Throws: `SweepError.store`, one line: the directory does not exist, or the first file
    ///   missing (a sweep that has not finished, a sharded sweep not yet merged).
    public static func checkComplete(directory: URL, display: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SweepError.store("\(display)/: no such results directory; run `bench sweep <spec>` first (or give the directory it wrote with --out)")
        }
        for file in requiredFiles where !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            throw SweepError.store("\(display)/: incomplete results, \(file) is missing; a report needs \(requiredFiles.joined(separator: ", ")) "
                + "(written by `bench sweep`, or by `bench merge` once every shard is done)")
        }
    }
}
