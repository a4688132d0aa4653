import CGSL
import StableFloor

/// The stratified bootstrap of Agarwal et al. 2021 ("Deep Reinforcement Learning at the Edge of
/// the Statistical Precipice", NeurIPS 2021, §4 and App. A.1): runs are resampled with
/// replacement *within* each stratum (here: each environment), so every resample keeps the
/// number of runs of every environment, and a statistic of the resample is computed B times. The
/// interval is the percentile interval of those B values.
///
/// Several samples can be resampled together (e.g. algorithms X and Y for the probability of
/// improvement): `samples[s][e]` are the runs of sample s in stratum e, and each sample is
/// resampled independently within each of its strata.
///
/// Draw order (what the seed fixes): for b = 0..<B, for every sample s, for every stratum e (in
/// index order), n_{s,e} indices `gsl_rng_uniform_int(rng, n_{s,e})` from one MT19937 generator
/// seeded by `GSLSetup.mt19937(seed:)` (drawn by `MersenneTwister`, the same stream computed in
/// Swift). A stratum with no runs draws nothing.
public enum StratifiedBootstrap {
    /// Percentile intervals (Efron & Tibshirani 1993, §13.3) of a vector-valued statistic under
    /// the stratified bootstrap: for every component k, the (1 − c)/2 and (1 + c)/2 quantiles of
    /// the B resampled values with linear interpolation (`gsl_stats_quantile_from_sorted_data`,
    /// numpy's default percentile method).
    ///
    /// - Parameters:
    ///   - samples: `samples[s][e]` = the observations of sample s in stratum e (finite).
    ///   - confidence: c ∈ (0, 1), e.g. 0.95.
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed (derive it with `SeedDerivation`, never from `Hasher`).
    ///   - statistic: maps one resample (same shape as `samples`) to k values; k must be the same
    ///     for every resample. Non-finite values are not expected (a programmer error).
    /// - Returns: k (low, high) pairs.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(B·(N + cost of `statistic`) + k·B) expected with N the total number of runs;
    ///   memory O(N + k·B·(1 − c)) values (see `percentileIntervals(sizes:confidence:resamples:seed:statistic:)`).
    public static func percentileIntervals(_ samples: [[[Double]]], confidence: Double, resamples: Int, seed: UInt64,
                                           statistic: ([[[Double]]]) -> [Double]) throws -> [(low: Double, high: Double)] {
        var resample = samples
        return try percentileIntervals(sizes: samples.map { $0.map(\.count) }, confidence: confidence, resamples: resamples,
                                       seed: seed) { indices in
            for s in samples.indices {
                for e in samples[s].indices {
                    for (i, k) in indices[s][e].enumerated() { resample[s][e][i] = samples[s][e][k] }
                }
            }
            return statistic(resample)
        }
    }

    /// The same intervals as `percentileIntervals(_:confidence:resamples:seed:statistic:)` (the
    /// same draws from the same seed) with the statistic given the resampled *indices*:
    /// `indices[s][e]` holds n_{s,e} indices into stratum e of sample s. Statistics that
    /// precompute per-observation quantities (comparison tables, threshold positions) use this form.
    /// - Parameters:
    ///   - sizes: `sizes[s][e]` = the number of observations of sample s in stratum e.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    ///   - statistic: maps one resample's indices to k values (k fixed).
    /// - Returns: k (low, high) pairs.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(B·(N + cost of `statistic`) + k·B) expected; memory O(k·B·(1 − c)), the
    ///   tails of the resampled values that hold the quantiles (see `Tail`).
    public static func percentileIntervals(sizes: [[Int]], confidence: Double, resamples: Int, seed: UInt64,
                                           statistic: ([[[Int]]]) -> [Double]) throws -> [(low: Double, high: Double)] {
        try streamedIntervals(sizes: sizes, components: nil, confidence: confidence, resamples: resamples, seed: seed) { indices, row in
            row = statistic(indices)
        }
    }

    /// The same intervals as `percentileIntervals(sizes:confidence:resamples:seed:statistic:)` (the
    /// same draws, the same values) with the statistic writing its k values into a row that is
    /// reused from one resample to the next: no allocation per resample.
    /// - Parameters:
    ///   - sizes: `sizes[s][e]` = the number of observations of sample s in stratum e.
    ///   - components: k ≥ 1, the number of values of the statistic.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1.
    ///   - seed: the generator's seed.
    ///   - statistic: writes one resample's k values into `row` (k values, valid during the call
    ///     only; it holds the previous resample's values).
    /// - Returns: k (low, high) pairs.
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(B·(N + cost of `statistic`) + k·B) expected; memory O(k·B·(1 − c)).
    public static func percentileIntervals(sizes: [[Int]], components: Int, confidence: Double, resamples: Int, seed: UInt64,
                                           statistic: (_ indices: [[[Int]]], _ row: UnsafeMutableBufferPointer<Double>) -> Void) throws
        -> [(low: Double, high: Double)] {
        precondition(components >= 1, "a bootstrap statistic has at least one value")
        return try streamedIntervals(sizes: sizes, components: components, confidence: confidence, resamples: resamples,
                                     seed: seed) { indices, row in
            row.withUnsafeMutableBufferPointer { statistic(indices, $0) }
        }
    }

    /// Draws the B resamples (the order the type documents), offers every component of every
    /// resample's statistic to its two tails, and returns each component's percentile interval
    /// (`interval(low:high:resamples:confidence:)`): the values `Descriptive.quantile(selectingFrom:_:)`
    /// gives on all B values (tested against `percentileInterval(sorting:)`).
    /// - Parameter components: k, or nil to take it from the first resample's row.
    private static func streamedIntervals(sizes: [[Int]], components: Int?, confidence: Double, resamples: Int, seed: UInt64,
                                          statistic: (_ indices: [[[Int]]], _ row: inout [Double]) -> Void) throws
        -> [(low: Double, high: Double)] {
        try validate(resamples: resamples, confidence: confidence)
        var row = [Double](repeating: 0, count: components ?? 0)
        var k = components ?? 0
        let (lowTail, highTail) = tails(resamples: resamples, confidence: confidence, slack: tailSlack)
        var lows: [Tail] = [], highs: [Tail] = []
        forEachResample(sizes: sizes, resamples: resamples, seed: seed) { b, indices in
            statistic(indices, &row)
            if b == 0 {
                k = row.count
                lows = [Tail](repeating: lowTail, count: k)
                highs = [Tail](repeating: highTail, count: k)
            }
            precondition(row.count == k, "a bootstrap statistic must return the same number of values for every resample")
            row.withUnsafeBufferPointer { values in
                lows.withUnsafeMutableBufferPointer { lows in
                    for j in 0..<k { lows[j].offer(values[j]) }
                }
                highs.withUnsafeMutableBufferPointer { highs in
                    for j in 0..<k { highs[j].offer(values[j]) }
                }
            }
        }
        return (0..<k).map { j in interval(low: &lows[j], high: &highs[j], resamples: resamples, confidence: confidence) }
    }

    /// Draws the B resamples in the order the type documents (for b, for sample s, for stratum e,
    /// n_{s,e} indices from one MT19937 stream seeded by `seed`) and hands each to `body`: the one
    /// place that fixes what a bootstrap seed means.
    /// - Parameters:
    ///   - sizes: `sizes[s][e]` = the number of observations of sample s in stratum e.
    ///   - resamples: B.
    ///   - seed: the generator's seed.
    ///   - body: receives b and `indices[s][e][i]` ∈ 0..<n_{s,e}, the drawn observations (valid
    ///     during the call only: the buffers are reused).
    /// - Complexity: O(B·N) draws for N observations in all.
    static func forEachResample(sizes: [[Int]], resamples: Int, seed: UInt64, _ body: (_ b: Int, _ indices: [[[Int]]]) -> Void) {
        var rng = MersenneTwister(seed: seed)  // GSLSetup.mt19937(seed:)'s stream
        let scales = sizes.map { $0.map { MersenneTwister.scale(max($0, 1)) } }
        var indices = sizes.map { $0.map { [Int](repeating: 0, count: $0) } }
        for b in 0..<resamples {
            for s in sizes.indices {
                for e in sizes[s].indices {
                    let (n, scale) = (sizes[s][e], scales[s][e])
                    indices[s][e].withUnsafeMutableBufferPointer { drawn in
                        for i in 0..<n { drawn[i] = rng.uniformInt(n, scale: scale) }
                    }
                }
            }
            body(b, indices)
        }
    }

    /// Checks B ≥ 1 and c ∈ (0, 1).
    /// - Throws: `StatisticsError.invalidArgument` naming the bad argument.
    static func validate(resamples: Int, confidence: Double) throws {
        guard resamples >= 1 else { throw StatisticsError.invalidArgument("the bootstrap needs B ≥ 1 resamples, got \(resamples)") }
        guard confidence > 0, confidence < 1 else { throw StatisticsError.invalidArgument("confidence must be in (0, 1)") }
    }

    /// Values a tail takes between two prunes: 128 (with B = 10,000 and c = 0.95 a tail keeps
    /// 251 values, so a component costs at most 2·(251 + 128) values rather than B).
    static let tailSlack = 128

    /// The (1 − c)/2 and (1 + c)/2 quantiles of `values` with linear interpolation
    /// (`gsl_sort`, then `gsl_stats_quantile_from_sorted_data`: position p·(B − 1) in the sorted values).
    /// - Parameters:
    ///   - values: the resampled statistics (non-empty).
    ///   - confidence: c ∈ (0, 1).
    /// - Complexity: O(B log B).
    public static func percentileInterval(sorting values: [Double], confidence: Double) -> (low: Double, high: Double) {
        GSLSetup.configure()
        precondition(!values.isEmpty && confidence > 0 && confidence < 1, "percentile interval of no values or confidence outside (0, 1)")
        var sorted = values
        let n = sorted.count
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
        let alpha = (1 - confidence) / 2
        return sorted.withUnsafeBufferPointer { p in
            (gsl_stats_quantile_from_sorted_data(p.baseAddress, 1, n, alpha),
             gsl_stats_quantile_from_sorted_data(p.baseAddress, 1, n, 1 - alpha))
        }
    }
}
