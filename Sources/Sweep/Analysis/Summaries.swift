import AlignmentCore
import ResultFiles
import BenchStatistics
import StableFloor

/// summary.csv and curve_summary.csv: statistics per group (environment × algorithm label ×
/// config) over the group's ok runs.
enum Summaries {
    /// summary.csv columns (`SummaryFile`).
    static let summaryHeader = SummaryFile.header()
    /// curve_summary.csv columns (`CurveSummaryFile`).
    static let curveHeader = CurveSummaryFile.header()

    /// A group of runs sharing environment, algorithm label and configuration.
    struct Group: Sendable {
        var environment: String
        var algorithm: String
        var config: String
        /// The configuration's `GridPoint.seedLabel` (what the bootstrap seeds derive from).
        var seedLabel: String
        /// The group's evaluation τ (one per configuration, `EvaluationTau.of`).
        var evalTau: Double?
        /// The diagnostics the group's plugin declares, in `ExperimentSpec.diagnosticColumns` order.
        var diagnostics: [String]
        var records: [RunRecord]
        var key: String { "\(environment)|\(algorithm)|\(config)" }
        /// The `eval_tau` cell of a metric's row: the group's τ for a τ-dependent metric, else empty.
        func tauCell(_ metric: String) -> String {
            EvaluationTau.dependsOnTau(metric) ? EvaluationTau.cell(evalTau) : ""
        }
    }

    /// Groups in order of first appearance in the plan.
    static func groups(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord]) -> [Group] {
        var out: [Group] = []
        var index: [String: Int] = [:]
        for plan in plans {
            let env = spec.environments[plan.environment].id
            let alg = spec.algorithms[plan.algorithm]
            let declared = spec.diagnosticColumns.filter(alg.descriptor.diagnostics.contains)
            let g = Group(environment: env, algorithm: alg.label, config: alg.points[plan.point].config,
                          seedLabel: alg.points[plan.point].seedLabel,
                          evalTau: EvaluationTau.of(spec: spec, algorithm: plan.algorithm, point: plan.point),
                          diagnostics: declared, records: [])
            let i = index[g.key] ?? {
                out.append(g)
                index[g.key] = out.count - 1
                return out.count - 1
            }()
            if let r = records[plan.runID] { out[i].records.append(r) }
        }
        return out
    }

    /// The bootstrap seed of a group and metric: derived from the spec seed and the group key.
    static func bootstrapSeed(spec: ExperimentSpec, group: Group, metric: String) -> UInt64 {
        SeedDerivation.summaryBootstrap(specSeed: spec.seed, group: "\(group.environment)|\(group.algorithm)|\(group.seedLabel)", metric: metric)
    }

    /// summary.csv rows: per group and metric (Metric.ids order, then the diagnostics the group's
    /// plugin declares, in `diagnosticColumns` order) n, failed, mean, sd, sem, t-based 95% CI,
    /// median, IQM, bootstrap percentile 95% CI of the mean (B resamples), min and max. A
    /// diagnostic's value for a run is the one at its last recorded checkpoint. Metrics and
    /// diagnostics that no run of the group has (e.g. true_reward without a true reward) are
    /// skipped unless runs failed.
    /// - Throws: `StatisticsError` (not expected: values are finite and non-empty).
    static func summaryCSV(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord],
                           bootstrapSamples: Int) throws -> String {
        let csv = CSVWriter(header: summaryHeader)
        try writeSummary(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples, to: csv)
        return csv.text
    }

    /// Streams summary.csv's rows (see `summaryCSV`) to `csv`, computing up to `jobs` groups at
    /// once (`ParallelWork.orderedStream`: rows are written in group order whatever `jobs`).
    /// - Throws: `StatisticsError` (not expected).
    static func writeSummary(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord],
                             bootstrapSamples: Int, jobs: Int = 1, to csv: CSVWriter) throws {
        let groups = groups(spec: spec, plans: plans, records: records)
        try ParallelWork.orderedStream(count: groups.count, jobs: jobs, compute: { i in
            try summaryRows(spec: spec, group: groups[i], bootstrapSamples: bootstrapSamples)
        }, consume: { rows in rows.forEach(csv.append) })
    }

    /// summary.csv's rows of one group (see `summaryCSV`).
    /// - Throws: `StatisticsError` (not expected).
    static func summaryRows(spec: ExperimentSpec, group g: Group, bootstrapSamples: Int) throws -> [[String]] {
        var out: [[String]] = []
        let ok = g.records.filter { $0.status == .ok }
        let failed = g.records.count - ok.count
        for metric in Metric.ids + g.diagnostics {
            let isDiagnostic = !Metric.ids.contains(metric)
            let values = ok.compactMap { isDiagnostic ? $0.lastDiagnostics[metric] : $0.finalMetrics[metric] }
            let head = [g.environment, g.algorithm, g.config, metric, String(values.count), String(failed)]
            guard !values.isEmpty else {
                if failed > 0 { out.append(head + Array(repeating: "", count: summaryHeader.count - head.count - 1) + [g.tauCell(metric)]) }
                continue
            }
            let s = try Descriptive.summarize(values, confidence: 0.95, bootstrapSamples: bootstrapSamples,
                                              seed: bootstrapSeed(spec: spec, group: g, metric: metric))
            out.append(head + [s.mean, s.sd, s.sem, s.ciLow, s.ciHigh, s.median, s.iqm, s.bootstrapLow,
                               s.bootstrapHigh, s.min, s.max].map(CSVWriter.cell) + [g.tauCell(metric)])
        }
        return out
    }

    /// curve_summary.csv rows: per group, metric (Metric.ids, then diagnostics) and recorded
    /// iteration: n, mean, t-based 95% CI and the mean number of queries, over the group's ok runs.
    /// - Throws: `StatisticsError` (not expected).
    static func curveSummaryCSV(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord]) throws -> String {
        let csv = CSVWriter(header: curveHeader)
        try writeCurveSummary(spec: spec, plans: plans, records: records, to: csv)
        return csv.text
    }

    /// Streams curve_summary.csv's rows (see `curveSummaryCSV`) to `csv`. The work is cut into
    /// units — a group, a column (metric or diagnostic) and a range of iterations (`curveChunk`) —
    /// computed up to `jobs` at once and written in their fixed order (`ParallelWork.orderedStream`,
    /// so the bytes are the same whatever `jobs`); each unit reads its runs' checkpoints block by
    /// block (`CurveSpill.Reader`), so memory is bounded by a few units' rows whatever the
    /// number of runs and checkpoints.
    /// - Throws: `StatisticsError` (not expected), `SweepError.io` when a scratch file cannot be read.
    static func writeCurveSummary(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], jobs: Int = 1,
                                  to csv: CSVWriter) throws {
        let groups = groups(spec: spec, plans: plans, records: records)
        let ids = Metric.ids
        // Each group's ok runs, column by column (records decoded from a journal are converted once).
        let curves = groups.map { g in g.records.filter { $0.status == .ok }.map { $0.curveColumns(metricNames: ids) } }
        let columns = ids + spec.diagnosticColumns
        // Units in output order: group, column, iteration range. A group's ranges split the
        // iterations of its run with the most checkpoints every `curveChunk` checkpoints.
        var units: [(group: Int, column: Int, range: Range<Int>)] = []
        for (g, runs) in curves.enumerated() {
            let longest = runs.max { $0.count < $1.count }
            let step = curveChunk / CurveSpill.blockRows
            let cuts = stride(from: step, to: longest?.blockFirstIterations.count ?? 0, by: step).map { longest!.blockFirstIterations[$0] }
            let bounds = [Int.min] + cuts + [Int.max]
            for c in columns.indices {
                for k in 0..<(bounds.count - 1) { units.append((g, c, bounds[k]..<bounds[k + 1])) }
            }
        }
        let planned = units
        try ParallelWork.orderedStream(count: planned.count, jobs: jobs, compute: { u in
            let (g, c, range) = planned[u]
            return try curveSummaryRows(spec: spec, group: groups[g], runs: curves[g], column: columns[c],
                                        isDiagnostic: c >= ids.count, iterations: range)
        }, consume: { rows in csv.append(rowsOf: rows) })
    }

    /// Checkpoints (of a group's longest run) per unit of `writeCurveSummary`: a multiple of
    /// `CurveSpill.blockRows`.
    static let curveChunk = 16_384

    /// curve_summary.csv's rows of one group and column over the iterations in `range` (see
    /// `curveSummaryCSV`), as CSV text in memory: the runs' checkpoints merged by iteration (each
    /// run records an iteration at most once, in increasing order), the values at each iteration
    /// in run order; mean and interval by `Descriptive.meanInterval` (the values of
    /// `Descriptive.summarize`, t quantiles memoised); the mean number of queries over every run
    /// that recorded the iteration; no row where no run has a value.
    /// - Throws: `StatisticsError` (not expected), `SweepError.io` when a scratch file cannot be read.
    static func curveSummaryRows(spec: ExperimentSpec, group g: Group, runs: [CurveSpill], column metric: String,
                                 isDiagnostic: Bool, iterations range: Range<Int>) throws -> CSVWriter {
        let out = CSVWriter(columns: curveHeader.count)
        // The cells every row of the unit shares, escaped once.
        let head = CSVRow.escapedFields([g.environment, g.algorithm, g.config, metric])
        let tauCell = CSVRow.escapedFields([g.tauCell(metric)])
        var quantiles = TQuantileCache(probability: (1 + 0.95) / 2)
        var cursors = try runs.map { try CurveCursor($0, column: isDiagnostic ? $0.diagnosticColumn(metric) : $0.metricColumn(metric),
                                                     from: range.lowerBound) }
        var values: [Double] = []
        while true {
            var t = Int.max
            for c in cursors where !c.done { t = min(t, c.iteration) }
            guard t < range.upperBound else { break }
            values.removeAll(keepingCapacity: true)
            var points = 0, queries = 0
            for r in cursors.indices where !cursors[r].done && cursors[r].iteration == t {
                points += 1
                queries += cursors[r].queries
                if let v = cursors[r].value { values.append(v) }
                try cursors[r].advance()
            }
            guard !values.isEmpty else { continue }
            let s = try Descriptive.meanInterval(values, confidence: 0.95, quantiles: &quantiles)
            let meanQueries = Double(queries) / Double(points)
            out.appendRow { row in
                row.fields(escaped: head, count: 4)
                row.field(t)
                row.field(values.count)
                row.number(s.mean)
                row.number(s.ciLow)
                row.number(s.ciHigh)
                row.number(meanQueries)
                row.fields(escaped: tauCell, count: 1)
            }
        }
        return out
    }
}

/// A position in one run's checkpoints for `Summaries.curveSummaryRows`: the current block's
/// iterations, queries and one value column, read as the cursor advances.
struct CurveCursor {
    private let spill: CurveSpill
    private let reader: CurveSpill.Reader
    private let column: Int?
    private var block = 0, row = 0
    private var iterations: [UInt64] = [], queryCounts: [UInt64] = [], values: [UInt64] = []
    /// Whether every checkpoint has been passed.
    private(set) var done = false

    /// A cursor at the run's first checkpoint with iteration ≥ `start`; `column` nil reads no value.
    /// - Throws: `SweepError.io`.
    init(_ spill: CurveSpill, column: Int?, from start: Int) throws {
        self.spill = spill
        self.column = column
        reader = try CurveSpill.Reader(spill)
        // The last block starting at or before `start` holds the first checkpoint ≥ start, or
        // the next block does.
        block = max(0, (spill.blockFirstIterations.lastIndex { $0 <= start } ?? 0))
        try load()
        while !done && iteration < start { try advance() }
    }

    private mutating func load() throws {
        guard block < spill.blocks else {
            done = true
            return
        }
        iterations = Array(try reader.column(0, block: block))
        queryCounts = Array(try reader.column(1, block: block))
        values = try column.map { Array(try reader.column($0, block: block)) } ?? []
        row = 0
    }

    /// The current checkpoint's iteration.
    var iteration: Int { Int(Int64(bitPattern: iterations[row])) }
    /// The current checkpoint's queries.
    var queries: Int { Int(Int64(bitPattern: queryCounts[row])) }
    /// The current checkpoint's value (nil: absent).
    var value: Double? {
        guard column != nil else { return nil }
        let v = Double(bitPattern: values[row])
        return v.isNaN ? nil : v
    }

    /// Moves to the next checkpoint.
    /// - Throws: `SweepError.io`.
    mutating func advance() throws {
        row += 1
        if row == iterations.count {
            block += 1
            try load()
        }
    }
}
