import AlignmentCore
import ResultFiles
import BenchStatistics
import StableFloor

/// aggregates.csv in independent pieces, so that `AggregateTable.write` can compute them on
/// several threads and still write the same bytes: each piece draws from its own bootstrap seed
/// (`SeedDerivation`) and depends only on the metric's scores.
extension AggregateTable {
    /// One independently computed piece of a metric's rows.
    enum Piece: Sendable, Equatable {
        /// The `iqm` and `mean` rows of label `label` under normalisation `normalization`
        /// (an index into `normalizations`).
        case centre(normalization: Int, label: Int)
        /// The `probability_of_improvement` row of labels a before b (normalisation `none`).
        case improvement(a: Int, b: Int)
        /// The `profile` rows (one per threshold) of label `label` under normalisation `normalization`.
        case profile(normalization: Int, label: Int)
    }

    /// The pieces of a metric's rows in file order: for each normalisation, every label's centre,
    /// then (normalisation `none` only) every pair a < b in label order, then every label's profile.
    /// - Complexity: O(L²) pieces for L labels.
    static func pieces(_ m: MetricScores) -> [Piece] {
        var out: [Piece] = []
        for n in normalizations.indices {
            out += m.labels.indices.map { Piece.centre(normalization: n, label: $0) }
            if normalizations[n] == "none" {
                for a in m.labels.indices {
                    for b in m.labels.indices where b > a { out.append(.improvement(a: a, b: b)) }
                }
            }
            out += m.labels.indices.map { Piece.profile(normalization: n, label: $0) }
        }
        return out
    }

    /// A metric's scores with what every piece shares computed once: the scores under each
    /// normalisation, the signed scores of the probability of improvement (negated when lower is
    /// better) and the profile thresholds of each normalisation.
    struct PreparedMetric: Sendable {
        /// The metric's run × task table.
        var scores: MetricScores
        /// Whether lower values are better.
        var lowerIsBetter: Bool
        /// The metric's direction as written ("lower", "higher").
        var direction: String
        /// `normalized[n]` = the scores under `normalizations[n]`.
        var normalized: [[[[Double]]]]
        /// The raw scores, negated when lower is better (larger = better).
        var signed: [[[Double]]]
        /// `thresholds[n]` = the profile's thresholds under `normalizations[n]`.
        var thresholds: [[Double]]

        /// Prepares `m`; nil when its metric is not in the catalogue.
        init?(_ m: MetricScores) {
            guard let entry = Metric.named(m.metric) else { return nil }
            scores = m
            lowerIsBetter = entry.direction == .lowerIsBetter
            direction = entry.direction.rawValue
            normalized = normalizations.map { $0 == "none" ? m.scores : AggregatePerformance.minMaxNormalized(m.scores) }
            let lower = lowerIsBetter
            signed = lower ? m.scores.map { $0.map { $0.map { -$0 } } } : m.scores
            thresholds = normalized.map { scores in
                let pooled = scores.flatMap { $0.flatMap { $0 } }
                return AggregatePerformance.thresholds(from: pooled.min()!, to: pooled.max()!, count: profileThresholds)
            }
        }
    }

    /// The rows of one piece of a prepared metric.
    /// - Throws: `StatisticsError` (not expected: B ≥ 0 and c = 0.95).
    static func rows(_ p: PreparedMetric, piece: Piece, specSeed: UInt64, bootstrapSamples: Int) throws -> [[String]] {
        let m = p.scores
        func row(_ normalization: String, _ statistic: String, _ label: Int, opponent: String = "", threshold: Double? = nil,
                 _ estimate: Double, _ interval: (low: Double, high: Double)?) -> [String] {
            [m.metric, EvaluationTau.cell(m.evalTau), p.direction, normalization, statistic, m.labels[label],
             opponent, CSVWriter.cell(threshold), String(m.scores[label].count), String(m.scores[label].joined().count),
             CSVWriter.cell(estimate), CSVWriter.cell(interval?.low), CSVWriter.cell(interval?.high)]
        }
        /// The intervals `compute` gives, or k nils when B = 0.
        func intervals(_ k: Int, _ compute: () throws -> [(low: Double, high: Double)]) throws -> [(low: Double, high: Double)?] {
            guard bootstrapSamples > 0 else { return [(low: Double, high: Double)?](repeating: nil, count: k) }
            return try compute().map { Optional($0) }
        }
        switch piece {
        case let .centre(n, i):
            let scores = p.normalized[n][i], normalization = normalizations[n], label = m.labels[i]
            let estimate = AggregatePerformance.iqmAndMean(scores)
            let seed = SeedDerivation.aggregateBootstrap(specSeed: specSeed, metric: m.metric, normalization: normalization, algorithm: label)
            let bands = try intervals(2) {
                try AggregatePerformance.iqmAndMeanIntervals(scores, confidence: confidence, resamples: bootstrapSamples, seed: seed)
            }
            return [row(normalization, "iqm", i, estimate[0], bands[0]), row(normalization, "mean", i, estimate[1], bands[1])]
        case let .improvement(i, j):
            let probability = AggregatePerformance.probabilityOfImprovement(p.signed[i], p.signed[j])
            let seed = SeedDerivation.improvementBootstrap(specSeed: specSeed, metric: m.metric, a: m.labels[i], b: m.labels[j])
            let band = try intervals(1) {
                [try AggregatePerformance.improvementInterval(p.signed[i], p.signed[j], confidence: confidence,
                                                               resamples: bootstrapSamples, seed: seed)]
            }
            return [row("none", "probability_of_improvement", i, opponent: m.labels[j], probability, band[0])]
        case let .profile(n, i):
            let scores = p.normalized[n][i], normalization = normalizations[n], thresholds = p.thresholds[n]
            let curve = AggregatePerformance.profile(scores, thresholds: thresholds, lowerIsBetter: p.lowerIsBetter)
            let seed = SeedDerivation.profileBootstrap(specSeed: specSeed, metric: m.metric, normalization: normalization, algorithm: m.labels[i])
            let bands = try intervals(thresholds.count) {
                try AggregatePerformance.profileIntervals(scores, thresholds: thresholds, lowerIsBetter: p.lowerIsBetter,
                                                          confidence: confidence, resamples: bootstrapSamples, seed: seed)
            }
            return thresholds.indices.map { k in row(normalization, "profile", i, threshold: thresholds[k], curve[k], bands[k]) }
        }
    }
}
