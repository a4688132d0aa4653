/// Stratified-bootstrap intervals of the aggregates (`StratifiedBootstrap` over the environments),
/// computed from resampled indices with per-observation quantities prepared once: the same draws
/// and the same values, bit for bit, as the value form
/// `StratifiedBootstrap.percentileIntervals(scores, …) { AggregatePerformance.<statistic>(…) }`
/// (tested), only faster — a flagship sweep has 153 pairs of labels per metric and 10,000
/// resamples. Each resample's statistic is written into a reused row (no allocation per resample)
/// and reduced by counting where counting gives the same bits:
///
/// - IQM: the runs are ranked once; a resample's sorted values are its multiplicities walked in
///   rank order, so the middle half is summed in ascending order as after a sort (equal values
///   are equal numbers; −0 and +0 added to a sum that starts at +0 give the same sum).
/// - Probability of improvement: a sum of 0, ½ and 1 is a multiple of ½ below 2⁵³ at every step,
///   hence exact, so it equals (integer count of halves)/2; where every row of the comparison
///   table is "better, tied, worse" in the order of the opponent's sorted runs (checked once) a
///   resample's count comes from cumulative multiplicities (`ImprovementCounter`).
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
    /// - Complexity: O(N log N + B·N) for N runs (a counting pass per resample instead of a sort).
    public static func iqmAndMeanIntervals(_ scores: [[Double]], confidence: Double, resamples: Int,
                                           seed: UInt64) throws -> [(low: Double, high: Double)] {
        let total = scores.reduce(0) { $0 + $1.count }
        precondition(total > 0, "aggregate of no runs")
        // Every run's rank in one ascending order of all runs (equal values in any order).
        let runs = scores.indices.flatMap { e in scores[e].indices.map { (e, $0) } }
        let order = runs.indices.sorted { scores[runs[$0].0][runs[$0].1] < scores[runs[$1].0][runs[$1].1] }
        var rank = scores.map { [Int](repeating: 0, count: $0.count) }
        for (r, p) in order.enumerated() { rank[runs[p].0][runs[p].1] = r }
        let ranked = order.map { scores[runs[$0].0][runs[$0].1] }
        let cut = total / 4, end = total - total / 4
        let multiplicity = UnsafeMutableBufferPointer<Int>.allocate(capacity: total)
        multiplicity.initialize(repeating: 0)
        defer { multiplicity.deallocate() }
        return try StratifiedBootstrap.percentileIntervals(sizes: [scores.map(\.count)], components: 2, confidence: confidence,
                                                           resamples: resamples, seed: seed) { indices, row in
            var sum = 0.0  // the mean's sum, in draw order as `iqmAndMean` adds the pooled values
            for e in scores.indices {
                let (values, ranks) = (scores[e], rank[e])
                for i in indices[0][e] {
                    sum += values[i]
                    multiplicity[ranks[i]] += 1
                }
            }
            var middle = 0.0  // the sorted resample's positions cut..<end, left to right
            var position = 0
            for r in 0..<total where multiplicity[r] > 0 {
                let v = ranked[r]
                for _ in 0..<multiplicity[r] {
                    if position >= cut && position < end { middle += v }
                    position += 1
                }
                multiplicity[r] = 0
            }
            row[0] = middle / Double(end - cut)
            row[1] = sum / Double(total)
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
    /// - Complexity: O(N·T + B·(N + E·T)) for N runs, E environments, T thresholds; memory
    ///   O(T·B·(1 − c)) (`StratifiedBootstrap`'s tails). When there are at most
    ///   `profileCountLimit` count vectors (Π_e (n_e + 1), e.g. one environment of up to 4095
    ///   runs), O(N·T + B·N + T·V) for V vectors, by counting (`countedProfileIntervals`).
    public static func profileIntervals(_ scores: [[Double]], thresholds: [Double], lowerIsBetter: Bool, confidence: Double,
                                        resamples: Int, seed: UInt64) throws -> [(low: Double, high: Double)] {
        let count = thresholds.count
        let position = scores.map { stratum in stratum.map { x in thresholds.firstIndex { x <= $0 } ?? count } }
        // A run's share of its environment's fraction when `c` of its n runs are at or below τ: the
        // quotient the value form computes, computed once per (environment, c).
        let shares = scores.map { stratum in
            let n = stratum.count
            return (0...n).map { c in Double(lowerIsBetter ? c : n - c) / Double(n) }
        }
        if let counted = try countedProfileIntervals(positions: position, shares: shares, thresholds: count,
                                                     confidence: confidence, resamples: resamples, seed: seed) {
            return counted
        }
        let histogram = UnsafeMutableBufferPointer<Int>.allocate(capacity: count + 1)
        defer { histogram.deallocate() }
        let environments = Double(scores.count)
        return try StratifiedBootstrap.percentileIntervals(sizes: [scores.map(\.count)], components: count, confidence: confidence,
                                                           resamples: resamples, seed: seed) { indices, fractions in
            for k in 0..<count { fractions[k] = 0 }
            for e in scores.indices {
                histogram.update(repeating: 0)
                let (positions, share) = (position[e], shares[e])
                for i in indices[0][e] { histogram[positions[i]] += 1 }
                var atOrBelow = 0
                for k in 0..<count {
                    atOrBelow += histogram[k]
                    fractions[k] += share[atOrBelow]
                }
            }
            for k in 0..<count { fractions[k] = fractions[k] / environments }
        }
    }

    /// The percentile interval of the probability of improvement (`probabilityOfImprovement`) of
    /// X over Y under the stratified bootstrap (X and Y resampled independently within each
    /// environment). Each environment's comparisons are prepared once (`ImprovementCounter`).
    /// - Parameters:
    ///   - x: `x[e]` = the runs of X on environment e (each non-empty).
    ///   - y: `y[e]` = the runs of Y on environment e (same environments, each non-empty).
    ///   - tolerance: when two scores are ties.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(Σ_e n_e m_e) once, then O(B·Σ_e (n_e + m_e)) (O(B·Σ_e n_e m_e) for an
    ///   environment whose comparisons are not ordered, see `ImprovementCounter`).
    public static func improvementInterval(_ x: [[Double]], _ y: [[Double]], tolerance: ValueTolerance = .standard,
                                           confidence: Double, resamples: Int, seed: UInt64) throws -> (low: Double, high: Double) {
        precondition(!x.isEmpty && x.count == y.count, "probability of improvement needs the same environments on both sides")
        let counters = zip(x, y).map { ImprovementCounter($0, $1, tolerance: tolerance) }
        let scratch = UnsafeMutableBufferPointer<Int>.allocate(capacity: (y.map(\.count).max() ?? 0) + 1)
        defer { scratch.deallocate() }
        return try StratifiedBootstrap.percentileIntervals(sizes: [x.map(\.count), y.map(\.count)], components: 1,
                                                           confidence: confidence, resamples: resamples, seed: seed) { indices, row in
            var total = 0.0
            for e in x.indices {
                let u = Double(counters[e].halves(x: indices[0][e], y: indices[1][e], scratch: scratch)) / 2  // exact: see the type's notes
                total += u / (Double(x[e].count) * Double(y[e].count))
            }
            row[0] = total / Double(x.count)
        }[0]
    }
}
