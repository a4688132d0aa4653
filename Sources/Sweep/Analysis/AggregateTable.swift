import AlignmentCore
import ResultFiles
import BenchStatistics
import StableFloor

/// aggregates.csv: performance across environments after Agarwal et al. 2021 ("Deep Reinforcement
/// Learning at the Edge of the Statistical Precipice", NeurIPS 2021; rliable), per metric
/// (`Metric.ids` order).
///
/// - Task and run: a task is an environment; a run is one replicate (seed) of an algorithm
///   label's *selected* configuration there — the configuration `ConfigurationSelection` chose on
///   that environment for pairwise.csv and tests.csv (`AnalysisInput.algorithmParticipants`). Its
///   score is the run's final metric value (ok runs only). Selection bias: the configuration is
///   chosen on the same runs' mean of the selection metric, so a label with a larger grid gets an
///   optimistic score (the winner's curse); with one configuration per label there is none.
/// - Environments: those where some label has a value of the metric; a label without a value on
///   one of them has no row for that metric (scores must form a full run × task table). A
///   τ-dependent metric whose selected configurations are measured at several τ has no rows.
/// - Normalisation: `none` (raw scores; probability metrics in [0, 1] are comparable raw) and
///   `min-max` (per environment over every run of every label, `AggregatePerformance.minMaxNormalized`;
///   it depends on which labels take part, so a `--only` subset changes it).
/// - Statistics: `iqm` and `mean` of all run × environment scores pooled (§4.1); `profile` at 101
///   thresholds evenly spaced from the smallest to the largest score of the metric (per
///   normalisation), the fraction of runs better than τ by the metric's declared direction (score
///   ≤ τ when lower is better, > τ when higher is better) averaged over environments (§4.2);
///   `probability_of_improvement` for every pair of labels a before b in spec order, P(a better
///   than b) by the metric's direction, ties (1e-12 relative) counted ½, averaged over
///   environments (§4.3) — written once with normalisation `none`, since a per-environment
///   increasing affine map such as min–max leaves it unchanged; P(b better than a) = 1 − P.
/// - Intervals: stratified-bootstrap 95% percentile intervals (runs resampled within each
///   environment, `StratifiedBootstrap`, B = the sweep's `--bootstrap`; pointwise for profiles),
///   seeds from `SeedDerivation.aggregateBootstrap`, `.profileBootstrap`, `.improvementBootstrap`.
///   Empty when B = 0.
enum AggregateTable {
    /// aggregates.csv columns.
    static let header = AggregatesFile.header()
    /// The normalisations written, in file order.
    static let normalizations = ["none", "min-max"]
    /// The number of thresholds of a performance profile.
    static let profileThresholds = 101
    /// The confidence of every interval.
    static let confidence = 0.95

    /// The full run × task table of one metric.
    struct MetricScores: Sendable {
        /// The metric id.
        var metric: String
        /// The one evaluation τ of a τ-dependent metric (nil otherwise or without τ).
        var evalTau: Double?
        /// The labels that have a value on every environment, in spec order.
        var labels: [String]
        /// scores[label][environment] = final values of the selected configuration's ok runs.
        var scores: [[[Double]]]
    }

    /// The scores of `metric` from the selected participants of every environment, nil when no
    /// label has values on every environment where the metric has one, or when a τ-dependent
    /// metric is measured at several τ.
    static func scores(metric: String, participants: [[AnalysisInput.Participant]],
                       labels allLabels: [String]) -> MetricScores? {
        let environments = participants.indices.filter { e in participants[e].contains { !$0.values(of: metric).isEmpty } }
        guard !environments.isEmpty else { return nil }
        var labels: [String] = []
        var scores: [[[Double]]] = []
        var taus: [Double?] = []
        for label in allLabels {
            var byEnvironment: [[Double]] = []
            var labelTaus: [Double?] = []
            for e in environments {
                guard let p = participants[e].first(where: { $0.algorithm == label }) else { break }
                let values = p.values(of: metric)
                guard !values.isEmpty else { break }
                byEnvironment.append(values)
                labelTaus.append(p.evalTau)
            }
            guard byEnvironment.count == environments.count else { continue }
            taus += labelTaus
            labels.append(label)
            scores.append(byEnvironment)
        }
        guard !labels.isEmpty else { return nil }
        let tau = EvaluationTau.dependsOnTau(metric) ? taus[0] : nil
        guard taus.allSatisfy({ EvaluationTau.comparable(metric, $0, taus[0]) }) else { return nil }
        return MetricScores(metric: metric, evalTau: tau, labels: labels, scores: scores)
    }

    /// The rows of one metric (see the type's documentation for their order and meaning): the rows
    /// of its pieces (`pieces(_:)`) one after the other.
    /// - Throws: `StatisticsError` (not expected: B ≥ 0 and c = 0.95).
    static func rows(_ m: MetricScores, specSeed: UInt64, bootstrapSamples: Int) throws -> [[String]] {
        guard let prepared = PreparedMetric(m) else { return [] }
        return try pieces(m).flatMap { try rows(prepared, piece: $0, specSeed: specSeed, bootstrapSamples: bootstrapSamples) }
    }

    /// Streams aggregates.csv's rows to `csv`, computing up to `jobs` pieces at once — a label's
    /// IQM and mean, a pair's probability of improvement, a label's profile, each a few
    /// milliseconds to a few hundred with B = 10,000 (`pieces(_:)`), so the workers stay evenly
    /// busy. Rows are written in metric and piece order whatever `jobs`, each piece's numbers from
    /// its own seed.
    /// - Throws: `StatisticsError` (not expected).
    static func write(_ input: AnalysisInput, bootstrapSamples: Int, jobs: Int = 1, to csv: CSVWriter) throws {
        let participants = try input.spec.environments.indices.map { try input.algorithmParticipants(environment: $0) }
        let labels = input.spec.algorithms.map(\.label)
        let seed = input.spec.seed
        let prepared = Metric.ids.compactMap { id in
            AggregateTable.scores(metric: id, participants: participants, labels: labels).flatMap(PreparedMetric.init)
        }
        let units = prepared.indices.flatMap { k in pieces(prepared[k].scores).map { (metric: k, piece: $0) } }
        try ParallelWork.orderedStream(count: units.count, jobs: jobs, compute: { u in
            try AggregateTable.rows(prepared[units[u].metric], piece: units[u].piece, specSeed: seed, bootstrapSamples: bootstrapSamples)
        }, consume: { rows in rows.forEach(csv.append) })
    }
}
