/// Stratified-bootstrap intervals of the aggregates (`StratifiedBootstrap` over the environments),
/// computed from resampled indices with per-observation quantities prepared once: the same draws
/// and the same arithmetic, in the same order, as the value form
/// `StratifiedBootstrap.percentileIntervals(scores, …) { AggregatePerformance.<statistic>(…) }`, so
/// the intervals are equal bit for bit (tested), only faster — a flagship sweep has 55 pairs of
/// labels per metric and 10,000 resamples.
extension AggregatePerformance {
    /// 95%-style percentile intervals of [IQM, mean] (`iqmAndMean`) of `scores[e]` under the
    /// stratified bootstrap.
    /// - Parameters:
    ///   - scores: `scores[e]` = the runs of environment e (at least one run overall).
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    /// - Returns: the intervals of the IQM and of the mean.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(B·N log N) for N runs.
    public static func iqmAndMeanIntervals(_ scores: [[Double]], confidence: Double, resamples: Int,
                                           seed: UInt64) throws -> [(low: Double, high: Double)] {
        var pooled = [Double](repeating: 0, count: scores.reduce(0) { $0 + $1.count })
        return try StratifiedBootstrap.percentileIntervals(sizes: [scores.map(\.count)], confidence: confidence,
                                                           resamples: resamples, seed: seed) { indices in
            var p = 0
            for e in scores.indices {
                for i in indices[0][e] {
                    pooled[p] = scores[e][i]
                    p += 1
                }
            }
            return iqmAndMean([pooled])
        }
    }

    /// Pointwise percentile bands of the performance profile (`profile`) at every threshold under
    /// the stratified bootstrap. Each run's position among the thresholds (the first k with
    /// x ≤ τ_k) is found once; a resample then counts positions.
    /// - Parameters:
    ///   - scores: `scores[e]` = the runs of environment e (each non-empty).
    ///   - thresholds: the τ grid, ascending.
    ///   - lowerIsBetter: the score's polarity.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    /// - Returns: one interval per threshold.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(N·T + B·(N + E·T) + T·B log B) for N runs, E environments, T thresholds.
    public static func profileIntervals(_ scores: [[Double]], thresholds: [Double], lowerIsBetter: Bool, confidence: Double,
                                        resamples: Int, seed: UInt64) throws -> [(low: Double, high: Double)] {
        let count = thresholds.count
        let position = scores.map { stratum in stratum.map { x in thresholds.firstIndex { x <= $0 } ?? count } }
        var histogram = [Int](repeating: 0, count: count + 1)
        var fractions = [Double](repeating: 0, count: count)
        let environments = Double(scores.count)
        return try StratifiedBootstrap.percentileIntervals(sizes: [scores.map(\.count)], confidence: confidence,
                                                           resamples: resamples, seed: seed) { indices in
            for k in 0..<count { fractions[k] = 0 }
            for e in scores.indices {
                for k in 0...count { histogram[k] = 0 }
                for i in indices[0][e] { histogram[position[e][i]] += 1 }
                let n = scores[e].count
                var atOrBelow = 0
                for k in 0..<count {
                    atOrBelow += histogram[k]
                    fractions[k] += Double(lowerIsBetter ? atOrBelow : n - atOrBelow) / Double(n)
                }
            }
            return fractions.map { $0 / environments }
        }
    }

    /// The percentile interval of the probability of improvement (`probabilityOfImprovement`) of
    /// X over Y under the stratified bootstrap (X and Y resampled independently within each
    /// environment). Each environment's comparisons (1, ½ or 0 per pair) are tabulated once.
    /// - Parameters:
    ///   - x: `x[e]` = the runs of X on environment e (each non-empty).
    ///   - y: `y[e]` = the runs of Y on environment e (same environments, each non-empty).
    ///   - tolerance: when two scores are ties.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(Σ_e n_e m_e · B + B log B).
    public static func improvementInterval(_ x: [[Double]], _ y: [[Double]], tolerance: ValueTolerance = .standard,
                                           confidence: Double, resamples: Int, seed: UInt64) throws -> (low: Double, high: Double) {
        precondition(!x.isEmpty && x.count == y.count, "probability of improvement needs the same environments on both sides")
        let tables = zip(x, y).map { xs, ys in
            xs.flatMap { a in ys.map { b in tolerance.equal(a, b) ? 0.5 : (a > b ? 1.0 : 0.0) } }
        }
        return try StratifiedBootstrap.percentileIntervals(sizes: [x.map(\.count), y.map(\.count)], confidence: confidence,
                                                           resamples: resamples, seed: seed) { indices in
            var total = 0.0
            for e in x.indices {
                let m = y[e].count
                var u = 0.0
                tables[e].withUnsafeBufferPointer { t in
                    for i in indices[0][e] {
                        let row = i * m
                        for j in indices[1][e] { u += t[row + j] }
                    }
                }
                total += u / (Double(x[e].count) * Double(m))
            }
            return [total / Double(x.count)]
        }[0]
    }
}
