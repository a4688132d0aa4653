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
            let values = ok.compactMap { isDiagnostic ? $0.curve.last?.diagnostics[metric] : $0.finalMetrics[metric] }
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

    /// Streams curve_summary.csv's rows (see `curveSummaryCSV`) to `csv`, computing up to `jobs`
    /// groups at once (rows are written in group order whatever `jobs`).
    /// - Throws: `StatisticsError` (not expected).
    static func writeCurveSummary(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], jobs: Int = 1,
                                  to csv: CSVWriter) throws {
        let groups = groups(spec: spec, plans: plans, records: records)
        try ParallelWork.orderedStream(count: groups.count, jobs: jobs, compute: { i in
            try curveSummaryRows(spec: spec, group: groups[i])
        }, consume: { rows in csv.append(rowsOf: rows) })
    }

    /// curve_summary.csv's rows of one group (see `curveSummaryCSV`), as CSV text in memory: each
    /// mean and interval by `Descriptive.meanInterval` (the values of `Descriptive.summarize`,
    /// with the t quantiles memoised), each row written field by field (`CSVWriter.appendRow`).
    /// - Throws: `StatisticsError` (not expected).
    static func curveSummaryRows(spec: ExperimentSpec, group g: Group) throws -> CSVWriter {
        let out = CSVWriter(columns: curveHeader.count)
        let ids = Metric.ids
        let columns = ids + spec.diagnosticColumns
        let isDiagnostic = columns.map { !ids.contains($0) }
        var quantiles = TQuantileCache(probability: (1 + 0.95) / 2)
        var values: [Double] = []
        let ok = g.records.filter { $0.status == .ok }
        let iterations = Set(ok.flatMap { $0.curve.map(\.iteration) }).sorted()
        // For each iteration, the checkpoint of every ok run that recorded it.
        let byIteration: [Int: [CurvePoint]] = Dictionary(grouping: ok.flatMap(\.curve), by: \.iteration)
        for (c, metric) in columns.enumerated() {
            let tauCell = g.tauCell(metric)
            for t in iterations {
                let points = byIteration[t] ?? []
                values.removeAll(keepingCapacity: true)
                for p in points {
                    if let v = isDiagnostic[c] ? p.diagnostics[metric] : p.metrics[metric] { values.append(v) }
                }
                guard !values.isEmpty else { continue }
                let s = try Descriptive.meanInterval(values, confidence: 0.95, quantiles: &quantiles)
                let queries = Double(points.reduce(0) { $0 + $1.queries }) / Double(points.count)
                out.appendRow { row in
                    row.field(g.environment)
                    row.field(g.algorithm)
                    row.field(g.config)
                    row.field(metric)
                    row.field(t)
                    row.field(values.count)
                    row.number(s.mean)
                    row.number(s.ciLow)
                    row.number(s.ciHigh)
                    row.number(queries)
                    row.field(tauCell)
                }
            }
        }
        return out
    }
}
