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

    /// The rows of one metric (see the type's documentation for their order and meaning).
    /// - Throws: `StatisticsError` (not expected: B ≥ 0 and c = 0.95).
    static func rows(_ m: MetricScores, specSeed: UInt64, bootstrapSamples: Int) throws -> [[String]] {
        guard let entry = Metric.named(m.metric) else { return [] }
        let lower = entry.direction == .lowerIsBetter
        var out: [[String]] = []
        func row(_ normalization: String, _ statistic: String, _ label: Int, opponent: String = "", threshold: Double? = nil,
                 _ estimate: Double, _ interval: (low: Double, high: Double)?) -> [String] {
            [m.metric, EvaluationTau.cell(m.evalTau), entry.direction.rawValue, normalization, statistic, m.labels[label],
             opponent, CSVWriter.cell(threshold), String(m.scores[label].count), String(m.scores[label].joined().count),
             CSVWriter.cell(estimate), CSVWriter.cell(interval?.low), CSVWriter.cell(interval?.high)]
        }
        /// The intervals `compute` gives, or k nils when B = 0.
        func intervals(_ k: Int, _ compute: () throws -> [(low: Double, high: Double)]) throws -> [(low: Double, high: Double)?] {
            guard bootstrapSamples > 0 else { return [(low: Double, high: Double)?](repeating: nil, count: k) }
            return try compute().map { Optional($0) }
        }
        for normalization in normalizations {
            let scores = normalization == "none" ? m.scores : AggregatePerformance.minMaxNormalized(m.scores)
            for (i, label) in m.labels.enumerated() {
                let estimate = AggregatePerformance.iqmAndMean(scores[i])
                let seed = SeedDerivation.aggregateBootstrap(specSeed: specSeed, metric: m.metric, normalization: normalization, algorithm: label)
                let bands = try intervals(2) {
                    try AggregatePerformance.iqmAndMeanIntervals(scores[i], confidence: confidence, resamples: bootstrapSamples, seed: seed)
                }
                out.append(row(normalization, "iqm", i, estimate[0], bands[0]))
                out.append(row(normalization, "mean", i, estimate[1], bands[1]))
            }
            if normalization == "none" {
                let signed = lower ? scores.map { $0.map { $0.map { -$0 } } } : scores
                for i in m.labels.indices {
                    for j in m.labels.indices where j > i {
                        let p = AggregatePerformance.probabilityOfImprovement(signed[i], signed[j])
                        let seed = SeedDerivation.improvementBootstrap(specSeed: specSeed, metric: m.metric, a: m.labels[i], b: m.labels[j])
                        let band = try intervals(1) {
                            [try AggregatePerformance.improvementInterval(signed[i], signed[j], confidence: confidence,
                                                                           resamples: bootstrapSamples, seed: seed)]
                        }
                        out.append(row(normalization, "probability_of_improvement", i, opponent: m.labels[j], p, band[0]))
                    }
                }
            }
            let pooled = scores.flatMap { $0.flatMap { $0 } }
            let thresholds = AggregatePerformance.thresholds(from: pooled.min()!, to: pooled.max()!, count: profileThresholds)
            for (i, label) in m.labels.enumerated() {
                let curve = AggregatePerformance.profile(scores[i], thresholds: thresholds, lowerIsBetter: lower)
                let seed = SeedDerivation.profileBootstrap(specSeed: specSeed, metric: m.metric, normalization: normalization, algorithm: label)
                let bands = try intervals(thresholds.count) {
                    try AggregatePerformance.profileIntervals(scores[i], thresholds: thresholds, lowerIsBetter: lower,
                                                              confidence: confidence, resamples: bootstrapSamples, seed: seed)
                }
                for (k, tau) in thresholds.enumerated() {
                    out.append(row(normalization, "profile", i, threshold: tau, curve[k], bands[k]))
                }
            }
        }
        return out
    }

    /// Streams aggregates.csv's rows to `csv`, computing up to `jobs` metrics at once (rows are
    /// written in metric order whatever `jobs`, each metric's numbers from its own seeds).
    /// - Throws: `StatisticsError` (not expected).
    static func write(_ input: AnalysisInput, bootstrapSamples: Int, jobs: Int = 1, to csv: CSVWriter) throws {
        let participants = try input.spec.environments.indices.map { try input.algorithmParticipants(environment: $0) }
        let labels = input.spec.algorithms.map(\.label)
        let metrics = Metric.ids
        let seed = input.spec.seed
        try ParallelWork.orderedStream(count: metrics.count, jobs: jobs, compute: { k in
            guard let m = AggregateTable.scores(metric: metrics[k], participants: participants, labels: labels) else { return [[String]]() }
            return try AggregateTable.rows(m, specSeed: seed, bootstrapSamples: bootstrapSamples)
        }, consume: { rows in rows.forEach(csv.append) })
    }
}
