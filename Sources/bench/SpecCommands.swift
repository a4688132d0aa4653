import ArgumentParser
import Foundation
import ResultFiles
import StableFloor
import Sweep

/// Resolves and validates a spec argument (path, case-insensitive path, or bare experiment name).
/// - Parameters:
///   - force: raise the size limits to `SpecLimits.forced` (`--force`).
///   - subset: the `--only` selection (the spec is validated whole, limits included, then restricted).
func loadSpec(_ argument: String, force: Bool = false, subset: RunSubset = RunSubset()) throws -> ExperimentSpec {
    let url = try SpecLocator.resolve(argument, relativeTo: currentDirectory)
    let display = url.path.hasPrefix(currentDirectory.path + "/") ? String(url.path.dropFirst(currentDirectory.path.count + 1)) : url.path
    return try ExperimentSpec.load(contentsOf: url, displayName: display, limits: force ? .forced : .standard, subset: subset)
}

/// The directory for `option`, or `<base>/<name>` relative to the current directory.
func directory(_ option: String?, base: String, name: String) -> URL {
    if let o = option { return URL(fileURLWithPath: o, relativeTo: currentDirectory).standardizedFileURL }
    return currentDirectory.appendingPathComponent(base).appendingPathComponent(name)
}

/// The `--out` and `--plots` options as the user gave them, for the commands hints name.
func given(out: String?, plots: String?) -> [String] {
    (out.map { ["--out", $0] } ?? []) + (plots.map { ["--plots", $0] } ?? [])
}

/// A path relative to the current directory when it is inside it.
func displayPath(_ url: URL) -> String {
    let p = url.standardizedFileURL.path
    let c = currentDirectory.standardizedFileURL.path
    return p.hasPrefix(c + "/") ? String(p.dropFirst(c.count + 1)) : p
}

/// `bench validate <spec> [--plan [--format table|csv]]`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check an experiment spec without running it; --plan lists its runs.",
        discussion: """
        Validates the spec as `bench sweep` would (every error is one line, status 3) and prints the \
        number of environments, algorithm entries, runs and figures. With --plan it also lists every \
        run the sweep would execute, in plan order, from the same grid expansion: run_id, environment, \
        algorithm, config, seed (the replicate index) and rng_seed, as in the first columns of \
        runs.csv — so `--plan --format csv` can be joined to the results on run_id.

        Examples:
          bench validate intransitive
          bench validate Experiments/paper/f1-last-iterate.json --plan
          bench validate intransitive --plan --format csv > plan.csv
        """)

    @Argument(help: "The spec file, or an experiment name (Experiments/<name>.json).", completion: .file(extensions: ["json"]))
    var spec: String

    @Flag(help: "Accept grids above the size limit (see `bench sweep --help`).")
    var force = false

    @Flag(help: "List the expanded runs (run_id, environment, algorithm, config, seed, rng_seed) in plan order.")
    var plan = false

    @Option(help: "With --plan: table (readable, after the summary line) or csv (the runs only).",
            completion: .list(PlanFormat.allValueStrings), transform: PlanFormat.parse)
    var format: PlanFormat?

    @OptionGroup var subsetOptions: SubsetOptions

    func validate() throws {
        guard format == nil || plan else { throw ValidationError("--format is allowed only with --plan") }
    }

    func run() throws {
        try reportingErrors {
            let s = try loadSpec(spec, force: force, subset: try subsetOptions.subset())
            let plans = try GridExpansion.plan(s)
            let rows = plans.map { p in
                [p.runID, s.environments[p.environment].id, s.algorithms[p.algorithm].label,
                 s.algorithms[p.algorithm].points[p.point].config, String(p.replicate), StableHash.hex(p.rngSeed)]
            }
            let header = ["run_id", "environment", "algorithm", "config", "seed", "rng_seed"]
            if plan, format == .csv {
                print(([header] + rows).map { $0.map(CSVWriter.escape).joined(separator: ",") + "\n" }.joined(), terminator: "")
                return
            }
            print("\(s.file): ok — \(counted(s.environments.count, "environment")), \(counted(s.algorithms.count, "algorithm entry", plural: "algorithm entries")), \(counted(plans.count, "run")), \(counted(s.figures.count, "figure"))")
            // The features of log-linear runs, with the seed random features were drawn from.
            for e in s.environments {
                switch e.features {
                case let .random(d, seed)?: print("  environment \(e.id): random features, d = \(d), seed = \(seed)")
                case .indicator?: print("  environment \(e.id): indicator features")
                case let .given(rows)?: print("  environment \(e.id): given features, d = \(rows.first?.first?.count ?? 0)")
                case nil: break
                }
            }
            if plan { print(textTable([header] + rows), terminator: "") }
        }
    }
}

/// `--format` of `bench validate --plan`.
enum PlanFormat: String, ChoiceArgument {
    case table, csv
    static let noun = "format"
}

/// `bench sweep <spec>`.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every configuration of an experiment spec, write Results/<name>/ and the figures.",
        discussion: """
        Completed runs are kept in Results/<name>/journal.jsonl; re-running the same command skips them \
        (resume), also after an interruption or kill -9. runs.csv, curves.csv and policies.csv do not \
        depend on --jobs. One sweep at a time may write a results directory (a second one exits with \
        status 5 naming the first one's pid).

        When the spec changed since the results were written (results hash in manifest.json and in the \
        journal; description, $schema and figures do not count), the sweep refuses (status 6) unless \
        --extend (keep the runs whose definition is unchanged, run the new or changed ones, drop the \
        runs the spec no longer plans) or --fresh (delete the experiment's results and start over).

        --shard K/N runs only part K of N of the plan (a run's part depends only on its own key, so \
        it never moves when the spec is extended) into its own journal journal-K-of-N.jsonl under its \
        own lock, so the N parts can run at once on one or many machines sharing the results \
        directory; a killed shard resumes when started again. A shard writes no CSV file: `bench merge \
        <results-dir>` (or this command without --shard) writes them once every shard is done, \
        byte-identical to an unsharded sweep.

        Before the figures it writes Plots/<name>/report.html (or <--plots>/report.html), one \
        self-contained HTML page of the results (`bench report --help`); --no-report skips it. \
        The figures directory may hold other files, but a file of a name bench writes there that \
        bench did not write (a <figure>.png without bench's <figure>.gp, a report.html that is not \
        a bench report) refuses the sweep before any run (status 9); bench's own files are rewritten.

        A spec that expands to more than \(SpecLimits.standard.maximumRuns) runs or \(SpecLimits.standard.maximumCheckpoints) \
        recorded checkpoints is refused (status 8) unless --force, which allows up to \
        \(SpecLimits.forced.maximumRuns) runs and \(SpecLimits.forced.maximumCheckpoints) checkpoints.

        Examples:
          bench sweep intransitive
          bench sweep Experiments/paper/f1-last-iterate.json --jobs 4 --out /tmp/f1 --plots /tmp/f1-plots
          bench sweep intransitive --extend          (after adding seeds or grid values)
          bench sweep intransitive --shard 2/4       (then: bench merge Results/intransitive)
          bench sweep intransitive --no-report       (no Plots/intransitive/report.html)

        Exit status:
        \(BenchExitCode.table)
        """)

    @Argument(help: "The spec file, or an experiment name (Experiments/<name>.json).", completion: .file(extensions: ["json"]))
    var spec: String

    // Optional, so the help shows the default as words once, not also as this machine's number.
    @Option(name: .customLong("jobs"), parsing: .unconditional, help: ArgumentHelp("Runs executed at once, and threads for the statistics and gnuplot processes after the runs (default: the number of cores).", valueName: "jobs"), transform: NumberArgument.whole("a whole number ≥ 1"))
    var requestedJobs: Int?

    /// --jobs, or the number of cores.
    var jobs: Int { requestedJobs ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "Results directory (default: Results/<name>).", completion: .directory)
    var out: String?

    @Option(help: "Figures directory (default: Plots/<name>; with --out DIR, Plots/<last component of DIR>).", completion: .directory)
    var plots: String?

    @Option(parsing: .unconditional, help: "Bootstrap resamples for summary.csv (0 turns the bootstrap interval off; at most \(SweepOptions.bootstrapSampleRange.upperBound); default: the value the results directory records, else \(SweepOptions.defaultBootstrapSamples)).", transform: NumberArgument.whole(BootstrapOption.allowed))
    var bootstrap: Int?

    @Flag(help: "Accept a grid above the size limit (\(SpecLimits.standard.maximumRuns) runs, \(SpecLimits.standard.maximumCheckpoints) checkpoints).")
    var force = false

    @Flag(help: "The spec changed: keep the unchanged runs, run new or changed ones, drop runs no longer planned.")
    var extend = false

    @Flag(help: "Delete this experiment's existing results (CSV files, manifest, journals) and start over; with --shard, only that shard's journal.")
    var fresh = false

    @Option(help: "Run only shard K of N of the plan (1 ≤ K ≤ N), into its own journal Results/<name>/journal-K-of-N.jsonl; `bench merge` writes the result files once all N are done.",
            transform: ShardArgument.parse)
    var shard: ShardArgument?

    @OptionGroup var subsetOptions: SubsetOptions

    @Flag(help: "Do not write the HTML report <plots>/report.html (see `bench report --help`).")
    var noReport = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        try BootstrapOption.validate(bootstrap)
        guard !(fresh && extend) else { throw ValidationError("--fresh and --extend exclude each other") }
    }

    func run() throws {
        try reportingErrors {
            let s = try loadSpec(spec, force: force, subset: try subsetOptions.subset())
            let results = DefaultLocations.results(out, for: s)
            let plotsDirectory = DefaultLocations.plots(plots, results: results, for: s)
            // Unusable output directories fail now, before any run (nothing is created).
            try SweepRunner.checkOutputDirectory(results, display: displayPath(results), what: "results directory")
            if !s.figures.isEmpty || (!noReport && shard == nil) {
                try SweepRunner.checkOutputDirectory(plotsDirectory, display: displayPath(plotsDirectory), what: "figures directory")
            }
            // A user's files where the figures and the report go refuse the sweep now, not after the runs.
            if shard == nil {
                try refuseForeignPlots(plotsDirectory, figures: s.figures.map(\.id),
                                       reports: noReport ? [] : [DefaultLocations.report(plots, results: results, for: s).lastPathComponent])
            }
            let progress = progressOptions.reporter(name: shard.map { "\(s.name) shard \($0.shard)" } ?? s.name)
            defer { progress.finish() }
            var options = SweepOptions(jobs: jobs, resultsDirectory: results, bootstrapSamples: bootstrap ?? SweepOptions.defaultBootstrapSamples,
                                       progress: progress)
            options.keepRecordedBootstrap = bootstrap == nil
            options.invocation = Invocation(jobs: jobs)
            options.existingResults = fresh ? .fresh : extend ? .extend : .resume
            options.displayDirectory = displayPath(results)
            options.note = { note($0) }
            options.shard = shard?.shard
            let report = try SweepRunner.run(s, options: options)
            if let shard = shard?.shard {
                print(Self.shardLine(s.name, shard: shard, report: report, journal: "\(displayPath(results))/\(shard.journalName)"))
                return
            }
            var line = "\(s.name): \(counted(report.planned, "run")) (\(report.executed) executed, \(report.resumed) resumed"
            line += report.failed > 0 ? ", \(report.failed) failed" : ""
            line += report.dropped > 0 ? ", \(report.dropped) dropped" : ""
            line += report.staleRerun > 0 ? ", \(report.staleRerun) stale re-run" : ""
            line += ") in \(String(format: "%.1f", report.seconds))s → \(displayPath(results))/"
            print(line)
            // The report draws its own figures, so it comes first: a figure gnuplot fails on (or a
            // missing gnuplot, whose hint is then the last line) leaves it written.
            if !noReport {
                try writeReport(s, results: results, to: DefaultLocations.report(plots, results: results, for: s), progress: progress, jobs: jobs)
            }
            try renderFigures(s, results: results, plots: plotsDirectory, formats: ["png"],
                              rerun: ["bench", "figures", spec] + s.subset.arguments + given(out: out, plots: plots), progress: progress, jobs: jobs)
        }
    }
}

extension SweepCommand {
    /// The line a finished shard prints: "<name>: shard K/N: r runs (e executed, s resumed[, f failed]) in 1.2s → <journal>".
    static func shardLine(_ name: String, shard: Shard, report: SweepReport, journal: String) -> String {
        var line = "\(name): shard \(shard): \(counted(report.planned, "run")) (\(report.executed) executed, \(report.resumed) resumed"
        line += report.failed > 0 ? ", \(report.failed) failed" : ""
        line += report.dropped > 0 ? ", \(report.dropped) dropped" : ""
        line += report.staleRerun > 0 ? ", \(report.staleRerun) stale re-run" : ""
        return line + ") in \(String(format: "%.1f", report.seconds))s → \(journal)"
    }
}

/// `bench figures <name>`.
struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures", abstract: "Re-render an experiment's figures from its existing results.",
        discussion: """
        Reads the result files (Results/<name>/, or --out) and writes each figure's gnuplot script and \
        data file to Plots/<name>/ (or --plots), then renders them when gnuplot is installed. A paper \
        spec (Experiments/paper/<name>.json, or its bare name) reads Results/paper/<name>/ and draws \
        into Plots/paper/, where `bench paper` puts them. Without a name, every Experiments/*.json \
        and Experiments/paper/*.json that has results. Only bench's own files are overwritten: a \
        <figure>.gp without bench's generator line, or a .dat/.png/.svg/.pdf of a figure without \
        bench's script next to it, refuses the command before any figure is drawn (status 9).

        Examples:
          bench figures intransitive
          bench figures intransitive --format png,svg,pdf
          bench figures f9-nash-last-iterate        (the committed paper results)
          bench figures Experiments/paper/f1-last-iterate.json --out /tmp/f1 --plots /tmp/f1-plots
          bench figures
        """)

    @Argument(help: "Experiment names or spec files (default: every Experiments/*.json that has results).",
              completion: .file(extensions: ["json"]))
    var names: [String] = []

    @Option(help: "Results directory (default: Results/<name>; only with one experiment).", completion: .directory)
    var out: String?

    @Option(help: "Figures directory (default: Plots/<name>; only with one experiment).", completion: .directory)
    var plots: String?

    @Option(help: "Comma-separated formats among png, svg, pdf.", completion: .list(FigureFormats.allValueStrings),
            transform: FigureFormats.parse)
    var format: FigureFormats = .png

    @OptionGroup var subsetOptions: SubsetOptions

    func run() throws {
        try reportingErrors {
            let formats = format.extensions
            let subset = try subsetOptions.subset()
            if names.count > 1, out != nil || plots != nil {
                throw SweepError.usage("--out/--plots: allowed only with one experiment, got \(names.count)")
            }
            let explicit = !names.isEmpty
            let targets = explicit ? names : Self.experimentsWithResults()
            guard !targets.isEmpty else {
                throw SweepError.store("Results/: no experiment under Experiments/ has results; run `bench sweep <spec>` first")
            }
            // Every target is checked (results present and of its spec, no user's files where its
            // figures go) before any figure is drawn.
            var drawings: [(name: String, spec: ExperimentSpec, results: URL, plots: URL)] = []
            for name in targets {
                let s = try loadSpec(name, subset: subset)
                let results = DefaultLocations.results(out, for: s)
                let runs = results.appendingPathComponent("runs.csv")
                guard FileManager.default.fileExists(atPath: runs.path) else {
                    let sweep = ShellCommand.line(["bench", "sweep", name] + s.subset.arguments + given(out: out, plots: plots))
                    throw SweepError.store("\(displayPath(results))/: no results; run `\(sweep)` first")
                }
                // The results must be of this spec (figures and titles may change; nothing that
                // changes a run may): else the figures would draw another spec's numbers under
                // this spec's titles.
                if let mismatch = try Self.resultsMismatch(s, results: results) {
                    guard explicit else {
                        note("\(s.file): skipped, \(mismatch)")
                        continue
                    }
                    let sweep = ShellCommand.line(["bench", "sweep", name] + s.subset.arguments + given(out: out, plots: plots))
                    throw SweepError.specChanged(directory: displayPath(results), message: "\(mismatch); run `\(sweep)` first "
                        + "(--extend or --fresh), or draw with the spec these results were written from")
                }
                drawings.append((name, s, results, DefaultLocations.plots(plots, results: results, for: s)))
            }
            for d in drawings { try refuseForeignPlots(d.plots, figures: d.spec.figures.map(\.id), reports: []) }
            let formatOption = format == .png ? [] : ["--format", format.extensions.joined(separator: ",")]
            for d in drawings {
                try renderFigures(d.spec, results: d.results, plots: d.plots, formats: formats,
                                  rerun: ["bench", "figures", d.name] + d.spec.subset.arguments + given(out: out, plots: plots) + formatOption)
            }
        }
    }

    /// Why the results in `results` are not `s`'s (`ResultSummarizer.mismatch`: another experiment
    /// name or results hash; figures, titles and description may change), or nil when they are.
    /// Results without a manifest (older versions of bench) are drawn as before.
    /// - Throws: `SweepError.store` for an unreadable manifest.
    static func resultsMismatch(_ s: ExperimentSpec, results: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: results.appendingPathComponent("manifest.json").path) else { return nil }
        return ResultSummarizer.mismatch(s, against: try RecordedManifest.read(directory: results, display: displayPath(results)))
    }

    /// The spec files whose default results exist (`DefaultLocations`): Experiments/*.json with
    /// Results/<name>/runs.csv, then the paper's Experiments/paper/*.json with
    /// Results/paper/<name>/runs.csv (name: the spec's "name"), each sorted by file name.
    static func experimentsWithResults() -> [String] {
        let fm = FileManager.default
        func specs(in folder: String, results: String) -> [String] {
            guard let files = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
            return files.filter { $0.hasSuffix(".json") && $0 != "schema.json" }.sorted().compactMap { file in
                // The spec's "name" (the results folder), else the file's stem for a file that
                // does not parse (`bench figures` then reports its error).
                let data = fm.contents(atPath: "\(folder)/\(file)") ?? Data()
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                let name = object?["name"] as? String ?? String(file.dropLast(".json".count))
                return fm.fileExists(atPath: "\(results)/\(name)/runs.csv") ? "\(folder)/\(file)" : nil
            }
        }
        return specs(in: "Experiments", results: "Results") + specs(in: DefaultLocations.paperSpecs, results: DefaultLocations.paperResults)
    }
}
