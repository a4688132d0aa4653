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
/// seeded by `GSLSetup.mt19937(seed:)`. A stratum with no runs draws nothing.
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
    /// - Complexity: O(B·(N + cost of `statistic`) + k·B log B) with N the total number of runs;
    ///   memory k·B values.
    public static func percentileIntervals(_ samples: [[[Double]]], confidence: Double, resamples: Int, seed: UInt64,
                                           statistic: ([[[Double]]]) -> [Double]) throws -> [(low: Double, high: Double)] {
        guard resamples >= 1 else { throw StatisticsError.invalidArgument("the bootstrap needs B ≥ 1 resamples, got \(resamples)") }
        guard confidence > 0, confidence < 1 else { throw StatisticsError.invalidArgument("confidence must be in (0, 1)") }
        let rng = GSLSetup.mt19937(seed: seed)
        defer { gsl_rng_free(rng) }
        var resample = samples
        var columns: [[Double]] = []
        for b in 0..<resamples {
            for s in samples.indices {
                for e in samples[s].indices {
                    let stratum = samples[s][e]
                    let n = stratum.count
                    for i in 0..<n { resample[s][e][i] = stratum[Int(gsl_rng_uniform_int(rng, UInt(n)))] }
                }
            }
            let values = statistic(resample)
            if b == 0 { columns = values.map { _ in [Double](repeating: 0, count: resamples) } }
            precondition(values.count == columns.count, "a bootstrap statistic must return the same number of values for every resample")
            for k in values.indices { columns[k][b] = values[k] }
        }
        return columns.map { percentileInterval(sorting: $0, confidence: confidence) }
    }

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
