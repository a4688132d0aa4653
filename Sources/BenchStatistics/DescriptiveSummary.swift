import CGSL
import StableFloor

/// Descriptive statistics of one group of observations (one value per seed), as written to
/// summary.csv. Undefined values (e.g. sd with n = 1) are nil.
public struct DescriptiveSummary: Sendable, Equatable {
    /// Number of observations.
    public var n: Int
    /// Sample mean x̄ (gsl_stats_mean).
    public var mean: Double
    /// Sample standard deviation with n − 1 denominator (gsl_stats_sd); nil for n < 2.
    public var sd: Double?
    /// Standard error sd/√n; nil for n < 2.
    public var sem: Double?
    /// Lower end of the t-based CI x̄ − t_{1−α/2, n−1}·sem; nil for n < 2.
    public var ciLow: Double?
    /// Upper end of the t-based CI; nil for n < 2.
    public var ciHigh: Double?
    /// Median (gsl_stats_median_from_sorted_data).
    public var median: Double
    /// Interquartile mean: the mean of sorted[⌊n/4⌋ ..< n − ⌊n/4⌋] (scipy trim_mean(x, 0.25), as in rliable).
    public var iqm: Double
    /// Lower end of the bootstrap percentile CI of the mean; nil when bootstrapping is off or n < 2.
    public var bootstrapLow: Double?
    /// Upper end of the bootstrap percentile CI of the mean.
    public var bootstrapHigh: Double?
    /// Minimum.
    public var min: Double
    /// Maximum.
    public var max: Double
}

/// GSL-backed descriptive statistics.
public enum Descriptive {
    /// Summarises observations: n, mean, sd, sem, t confidence interval, median, IQM, bootstrap
    /// percentile CI of the mean, min and max.
    ///
    /// The t interval is x̄ ± t_{(1+c)/2, n−1}·s/√n with the quantile from `gsl_cdf_tdist_Pinv`.
    /// A sample that is constant up to `tolerance` (every value ≈ every other, `ValueTolerance`)
    /// has sd = sem = 0 and both intervals equal to [x̄, x̄]: its spread is rounding, not variation.
    /// The bootstrap draws `bootstrapSamples` resamples with replacement using MT19937 seeded with
    /// `seed`, and reports the ((1−c)/2, (1+c)/2) quantiles of the resampled means
    /// (gsl_stats_quantile_from_sorted_data, linear interpolation).
    /// - Parameters:
    ///   - values: the observations (finite).
    ///   - confidence: c ∈ (0, 1), default 0.95.
    ///   - bootstrapSamples: B (0 disables the bootstrap).
    ///   - seed: the bootstrap's seed.
    ///   - tolerance: when values count as equal (default `ValueTolerance.standard`).
    /// - Throws: `StatisticsError` when `values` is empty or has a non-finite value, when
    ///   `confidence` is outside (0, 1) or when `bootstrapSamples` is negative.
    /// - Complexity: O(n log n + B·n + B log B).
    public static func summarize(_ values: [Double], confidence: Double = 0.95,
                                 bootstrapSamples: Int = 10_000, seed: UInt64 = 0,
                                 tolerance: ValueTolerance = .standard) throws -> DescriptiveSummary {
        GSLSetup.configure()
        guard !values.isEmpty else { throw StatisticsError.tooFewObservations(needed: 1, got: 0, statistic: "summary") }
        guard values.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite(statistic: "summary") }
        guard confidence > 0, confidence < 1 else { throw StatisticsError.invalidArgument("confidence must be in (0, 1)") }
        guard bootstrapSamples >= 0 else {
            throw StatisticsError.invalidArgument("bootstrapSamples must be ≥ 0, got \(bootstrapSamples)")
        }
        let n = values.count
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
        let mean = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let median = sorted.withUnsafeBufferPointer { gsl_stats_median_from_sorted_data($0.baseAddress, 1, n) }
        let iqm = AggregatePerformance.interquartileMean(sorted: sorted)
        var s = DescriptiveSummary(n: n, mean: mean, sd: nil, sem: nil, ciLow: nil, ciHigh: nil, median: median,
                                   iqm: iqm, bootstrapLow: nil, bootstrapHigh: nil, min: sorted[0], max: sorted[n - 1])
        guard n >= 2 else { return s }
        if tolerance.isConstant(values) {
            (s.sd, s.sem, s.ciLow, s.ciHigh) = (0, 0, mean, mean)
            if bootstrapSamples > 0 { (s.bootstrapLow, s.bootstrapHigh) = (mean, mean) }
            return s
        }
        let sd = values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) }
        let sem = sd / Double(n).squareRoot()
        let t = tQuantile((1 + confidence) / 2, degreesOfFreedom: Double(n - 1))
        s.sd = sd
        s.sem = sem
        s.ciLow = mean - t * sem
        s.ciHigh = mean + t * sem
        if bootstrapSamples > 0 {
            let (lo, hi) = bootstrapMeanInterval(values, confidence: confidence, samples: bootstrapSamples, seed: seed)
            s.bootstrapLow = lo
            s.bootstrapHigh = hi
        }
        return s
    }

    /// The p-quantile of Student's t distribution with ν degrees of freedom (gsl_cdf_tdist_Pinv).
    /// - Parameters:
    ///   - p: the probability, in (0, 1).
    ///   - nu: the degrees of freedom, > 0 (need not be an integer).
    public static func tQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        GSLSetup.configure()
        return gsl_cdf_tdist_Pinv(p, nu)
    }

    /// Percentile bootstrap interval of the mean (Efron & Tibshirani 1993, §13.3).
    ///
    /// Draws `samples` resamples of size n with replacement (indices from
    /// `gsl_rng_uniform_int` on an MT19937 generator seeded by `GSLSetup.mt19937(seed:)`: the
    /// 32-bit fold `(seed ⊕ seed >> 32) mod 2³²`, 0 replaced by 0x9e3779b9; drawn by `MersenneTwister`,
    /// the same stream computed in Swift), and returns the (1−c)/2 and (1+c)/2 quantiles of the
    /// resampled means with linear interpolation (numpy's default percentile method).
    /// The result depends only on `values`, `confidence`, `samples` and `seed`.
    /// - Parameters:
    ///   - values: the observations (non-empty).
    ///   - confidence: c ∈ (0, 1).
    ///   - samples: B ≥ 1.
    ///   - seed: the generator's seed.
    /// - Complexity: O(B·n); memory O(B·(1 − c)) (the tails that hold the two quantiles).
    public static func bootstrapMeanInterval(_ values: [Double], confidence: Double, samples: Int, seed: UInt64) -> (Double, Double) {
        GSLSetup.configure()
        let n = values.count
        precondition(n > 0 && samples > 0 && confidence > 0 && confidence < 1,
                     "bootstrapMeanInterval needs observations, B ≥ 1 and confidence in (0, 1)")
        var rng = MersenneTwister(seed: seed)  // GSLSetup.mt19937(seed:)'s stream, drawn in Swift
        let scale = MersenneTwister.scale(n)
        // The two quantiles from the tails of the B means (`StratifiedBootstrap.Tail`): the order
        // statistics `quantile(selectingFrom:_:)` would select among all of them.
        var (low, high) = StratifiedBootstrap.tails(resamples: samples, confidence: confidence, slack: StratifiedBootstrap.tailSlack)
        for _ in 0..<samples {
            var acc = 0.0
            for _ in 0..<n { acc += values[rng.uniformInt(n, scale: scale)] }
            let mean = acc / Double(n)
            low.offer(mean)
            high.offer(mean)
        }
        let interval = StratifiedBootstrap.interval(low: &low, high: &high, resamples: samples, confidence: confidence)
        return (interval.low, interval.high)
    }
}
