import AlignmentCore
import StableFloor
import Foundation
import ResultFiles

/// The result files of a sweep (docs/ARCHITECTURE.md, "Result files"), materialised from the journal's records in plan order,
/// so they depend only on the records — not on --jobs, timing or interruptions.
public enum ResultStore {
    /// Names of the files written to the results directory, in the order they are written
    /// (manifest.json last, so a manifest only ever names files that exist).
    public static let fileNames = [RunsFile.fileName, ParametersFile.fileName, CurvesFile.fileName, PoliciesFile.fileName,
                                   SummaryFile.fileName, CurveSummaryFile.fileName, TimingsFile.fileName] + ResultAnalysis.fileNames + [RecordedManifest.fileName]
    /// The journal's file name.
    public static let journalName = "journal.jsonl"

    /// runs.csv columns (`RunsFile`, then one column per metric id).
    public static func runsHeader(_ spec: ExperimentSpec) -> [String] {
        RunsFile.header(extra: Metric.ids)
    }

    /// curves.csv columns for a spec (`CurvesFile`, then the metric ids, then the diagnostics of
    /// the spec's plugins).
    public static func curvesHeader(_ spec: ExperimentSpec) -> [String] {
        CurvesFile.header(extra: Metric.ids + spec.diagnosticColumns)
    }

    /// runs.csv text (in memory; `materialize` streams it).
    static func runsCSV(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord]) -> String {
        let csv = CSVWriter(header: runsHeader(spec))
        writeRuns(spec: spec, plans: plans, records: records, to: csv)
        return csv.text
    }

    /// runs.csv rows: one per recorded run, in plan order.
    static func writeRuns(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], to csv: CSVWriter) {
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            let alg = spec.algorithms[plan.algorithm]
            csv.append([plan.runID, spec.environments[plan.environment].id, alg.label, alg.points[plan.point].config,
                        String(plan.replicate), StableHash.hex(plan.rngSeed), r.status.rawValue, r.error ?? "",
                        String(r.iterations), String(r.queries),
                        EvaluationTau.cell(EvaluationTau.of(spec: spec, algorithm: plan.algorithm, point: plan.point))]
                + Metric.ids.map { CSVWriter.cell(r.finalMetrics[$0]) })
        }
    }

    /// parameters.csv rows: for every recorded run (plan order) every resolved hyperparameter of
    /// its algorithm, defaults included, in the plugin's declared order; values as
    /// `ParameterValue.description` (lists as JSON).
    static func writeParameters(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], to csv: CSVWriter) {
        for plan in plans where records[plan.runID] != nil {
            let alg = spec.algorithms[plan.algorithm]
            let values = alg.points[plan.point].parameters.values
            for p in alg.descriptor.parameters {
                guard let v = values[p.name] else { continue }
                csv.append([plan.runID, p.name, v.description])
            }
        }
    }

    /// curves.csv rows: every recorded checkpoint of every run in plan order, read block by block
    /// from wherever the record holds them (`RunRecord.curveColumns`), so a spilled run is never
    /// in memory whole. The rows are formatted in units — a run, or `curvesChunkBlocks` blocks of
    /// a spilled run — on up to `jobs` threads and appended in their fixed order
    /// (`ParallelWork.orderedStream`), so the bytes are the same whatever `jobs`; at most a few
    /// units' text is held at once. With `jobs` ≤ 1 the rows go straight to `csv`.
    /// - Throws: `SweepError.io` when a scratch file cannot be read.
    static func writeCurves(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], jobs: Int = 1,
                            to csv: CSVWriter) throws {
        let diagnostics = spec.diagnosticColumns
        let ids = Metric.ids
        // Units in output order: a record and the range of its blocks (nil: all of them).
        var units: [(record: RunRecord, blocks: Range<Int>?)] = []
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            guard let spill = r.spill, spill.blocks > curvesChunkBlocks else {
                units.append((r, nil))
                continue
            }
            for start in stride(from: 0, to: spill.blocks, by: curvesChunkBlocks) {
                units.append((r, start..<min(start + curvesChunkBlocks, spill.blocks)))
            }
        }
        guard jobs > 1 else {
            // One thread: straight into the file's buffer, without a unit's copy in between.
            for (r, blocks) in units { try curveRows(r, blocks: blocks, metrics: ids, diagnostics: diagnostics, to: csv) }
            return
        }
        let planned = units, columns = csv.columns
        try ParallelWork.orderedStream(count: planned.count, jobs: jobs, window: 2 * jobs, compute: { u in
            let (r, blocks) = planned[u]
            let out = CSVWriter(columns: columns)
            try curveRows(r, blocks: blocks, metrics: ids, diagnostics: diagnostics, to: out)
            return out
        }, consume: { rows in csv.append(rowsOf: rows) })
    }

    /// Blocks of a spilled run per unit of `writeCurves` (about 16,000 checkpoints, a few MB of text).
    static let curvesChunkBlocks = 16

    /// curves.csv rows of `record`'s checkpoints in `blocks` (nil: every block), appended to `csv`.
    /// - Throws: `SweepError.io` when a scratch file cannot be read.
    private static func curveRows(_ record: RunRecord, blocks: Range<Int>?, metrics ids: [String], diagnostics: [String],
                                  to csv: CSVWriter) throws {
        let spill = record.curveColumns(metricNames: ids)
        let reader = try CurveSpill.Reader(spill)
        // The spill's column of each curves.csv value column (nil: blank in this run).
        let sources = ids.map(spill.metricColumn) + diagnostics.map(spill.diagnosticColumn)
        let runID = CSVRow.escapedFields([record.runID])  // escaped once per unit, not per row
        for b in blocks ?? 0..<spill.blocks {
            let rows = spill.rows(inBlock: b)
            let block = try reader.columns(0..<spill.width, block: b)
            let base = block.startIndex
            for k in 0..<rows {
                csv.appendRow { row in
                    row.fields(escaped: runID, count: 1)
                    row.field(Int(Int64(bitPattern: block[base + k])))
                    row.field(Int(Int64(bitPattern: block[base + rows + k])))
                    for c in sources {
                        let v = c.map { Double(bitPattern: block[base + $0 * rows + k]) }
                        row.number(v.flatMap { $0.isNaN ? nil : $0 })
                    }
                }
            }
        }
    }

    /// policies.csv rows (final policies of ok runs).
    static func writePolicies(plans: [RunPlan], records: [String: RunRecord], to csv: CSVWriter) {
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            for (x, probabilities) in r.policy.enumerated() {
                for (y, p) in probabilities.enumerated() {
                    csv.appendRow { row in
                        row.field(plan.runID)
                        row.field(x)
                        row.field(y)
                        row.number(p)
                    }
                }
            }
        }
    }

    /// timings.csv rows.
    static func writeTimings(plans: [RunPlan], records: [String: RunRecord], to csv: CSVWriter) {
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            csv.append([plan.runID, CSVWriter.cell(r.seconds)])
        }
    }

    /// Streams one result file: opens `directory/<Schema.fileName>` (temporary file) with the
    /// schema's header and `extra` columns, lets `body` append the rows, then commits it.
    /// - Throws: `SweepError.io` on file-system errors, and what `body` throws.
    static func write<Schema: ResultFileSchema>(_ schema: Schema.Type, directory: URL, extra: [String] = [],
                                                 _ body: (CSVWriter) throws -> Void) throws {
        let csv = try SweepError.mapping { try Schema.writer(directory: directory, extra: extra) }
        try body(csv)
        try SweepError.mapping { try csv.finish() }
    }

    /// Writes every result file from the records, each streamed row by row through its own
    /// temporary file that is synced and renamed; manifest.json last, so a sweep killed while the
    /// files are written never leaves a new manifest naming files that do not exist yet.
    ///
    /// With `jobs` > 1 the plain files (runs.csv, parameters.csv, curves.csv, policies.csv,
    /// timings.csv, tests.csv, frontier.csv) are written on one thread (curves.csv's rows
    /// formatted on up to `jobs` more, `writeCurves`) while the statistics
    /// files are computed one after the other on up to `jobs` threads each — summary.csv by
    /// group, curve_summary.csv by (group, column, range), pairwise.csv by environment,
    /// aggregates.csv by piece (`AggregateTable.pieces`); each file's rows are still appended in
    /// their fixed order (`ParallelWork.orderedStream`), so every byte is the same whatever `jobs`.
    /// - Parameters:
    ///   - jobs: the maximum number of threads computing at once (≥ 1).
    ///   - manifest: makes the manifest, called after the other files are written.
    /// - Throws: `SweepError.io` on file-system errors, `StatisticsError` from the summaries (with
    ///   `jobs` > 1, when both fail, the statistics' error rather than the plain files').
    static func materialize(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], directory: URL,
                            bootstrapSamples: Int, jobs: Int = 1, progress: SweepProgress? = nil,
                            manifest: () -> JSONValue) throws {
        progress?.phase("result files (runs.csv, parameters.csv, curves.csv, policies.csv)")
        let input = AnalysisInput(spec: spec, plans: plans, records: records, selection: ResultAnalysis.selection(for: spec))
        let statistics: @Sendable () -> Void = {
            progress?.phase("statistics (summary.csv, curve_summary.csv, pairwise.csv, tests.csv, frontier.csv, aggregates.csv)")
        }
        let plainFiles: @Sendable () throws -> Void = {
            try write(RunsFile.self, directory: directory, extra: Metric.ids) { writeRuns(spec: spec, plans: plans, records: records, to: $0) }
            try write(ParametersFile.self, directory: directory) { writeParameters(spec: spec, plans: plans, records: records, to: $0) }
            try write(CurvesFile.self, directory: directory, extra: Metric.ids + spec.diagnosticColumns) {
                try writeCurves(spec: spec, plans: plans, records: records, jobs: jobs, to: $0)
            }
            try write(PoliciesFile.self, directory: directory) { writePolicies(plans: plans, records: records, to: $0) }
        }
        let summary: @Sendable () throws -> Void = {
            try write(SummaryFile.self, directory: directory) {
                try Summaries.writeSummary(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples,
                                           jobs: jobs, to: $0)
            }
        }
        let curveSummary: @Sendable () throws -> Void = {
            try write(CurveSummaryFile.self, directory: directory) {
                try Summaries.writeCurveSummary(spec: spec, plans: plans, records: records, jobs: jobs, to: $0)
            }
        }
        let timings: @Sendable () throws -> Void = {
            try write(TimingsFile.self, directory: directory) { writeTimings(plans: plans, records: records, to: $0) }
        }
        let pairwise: @Sendable () throws -> Void = {
            try ResultAnalysis.writePairwise(input, bootstrapSamples: bootstrapSamples, jobs: jobs, directory: directory)
        }
        let testsAndFrontier: @Sendable () throws -> Void = { try ResultAnalysis.writeTestsAndFrontier(input, directory: directory) }
        let aggregates: @Sendable () throws -> Void = {
            try ResultAnalysis.writeAggregates(input, bootstrapSamples: bootstrapSamples, jobs: jobs, directory: directory)
        }
        if jobs <= 1 {
            for task in [plainFiles, statistics, summary, curveSummary, timings, pairwise, testsAndFrontier, aggregates] { try task() }
        } else {
            // The plain files (one thread, mostly copying) overlap the statistics, which run one
            // file after the other, each on `jobs` threads: a `concurrentPerform` inside another
            // one runs on its calling thread alone, so the files must not be tasks of an outer one.
            let background = BackgroundTask { try plainFiles(); try timings(); try testsAndFrontier() }
            let outcome = Result {
                statistics()
                for task in [summary, curveSummary, pairwise, aggregates] { try task() }
            }
            let plain = background.wait()
            try outcome.get()
            try plain.get()
        }
        // The manifest is made last, after every other file is written (its end time included).
        try writeAtomically(manifest().prettyText, to: directory.appendingPathComponent(RecordedManifest.fileName))
    }

    /// Writes `text` to a temporary file next to `url`, syncs it and renames it over `url`, so
    /// readers see the old or the new file, never a partial one. Symbolic links are never followed:
    /// a `url` that is a link is refused, and the temporary file is created with
    /// `O_CREAT | O_EXCL | O_NOFOLLOW` after unlinking a stale one.
    /// - Throws: `SweepError.io`.
    /// On failure (disk full, file too large, permission) the temporary file is removed and `url`
    /// keeps its previous content.
    static func writeAtomically(_ text: String, to url: URL) throws {
        try writeAtomically(Array(text.utf8), to: url)
    }

    /// Writes `bytes` like `writeAtomically(_:to:)` writes text (`AtomicFile.write`).
    /// - Throws: `SweepError.io`.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        try SweepError.mapping { try AtomicFile.write(bytes, to: url) }
    }
}
