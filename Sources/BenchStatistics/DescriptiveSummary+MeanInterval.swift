import CGSL
import StableFloor

/// Memoised Student-t quantiles (`Descriptive.tQuantile`) for integer degrees of freedom at one
/// probability: a curve summary asks for the same few quantiles thousands of times, and
/// `gsl_cdf_tdist_Pinv` is an iterative inversion. A memoised quantile is the value GSL returned
/// for the same arguments, so results do not change.
public struct TQuantileCache {
    /// The probability p of every quantile in the cache.
    public let probability: Double
    private var byDegreesOfFreedom: [Int: Double] = [:]

    /// An empty cache of p-quantiles.
    public init(probability: Double) {
        self.probability = probability
    }

    /// t_{p, ν} (`Descriptive.tQuantile(p, degreesOfFreedom: ν)`), computed once per ν.
    public mutating func quantile(degreesOfFreedom nu: Int) -> Double {
        if let t = byDegreesOfFreedom[nu] { return t }
        let t = Descriptive.tQuantile(probability, degreesOfFreedom: Double(nu))
        byDegreesOfFreedom[nu] = t
        return t
    }
}

extension Descriptive {
    /// The mean and t-based confidence interval of `summarize(values, confidence:)` alone — the
    /// same values bit for bit (the same GSL calls in the same order; the quantile from `quantiles`,
    /// whose probability must be (1 + confidence)/2) — without the sort, median, IQM and bootstrap
    /// that `summarize` also computes. For curve summaries, one call per metric and checkpoint.
    /// - Parameters:
    ///   - values: the observations (finite, non-empty).
    ///   - confidence: c ∈ (0, 1).
    ///   - tolerance: when values count as equal (a constant sample has the interval [x̄, x̄]).
    ///   - quantiles: memoised t_{(1+c)/2, ν}.
    /// - Returns: x̄ and x̄ ∓ t·s/√n (nil for n < 2).
    /// - Throws: `StatisticsError` as `summarize` (empty or non-finite values, c outside (0, 1)).
    /// - Complexity: O(n).
    public static func meanInterval(_ values: [Double], confidence: Double = 0.95, tolerance: ValueTolerance = .standard,
                                    quantiles: inout TQuantileCache) throws -> (mean: Double, ciLow: Double?, ciHigh: Double?) {
        GSLSetup.configure()
        guard !values.isEmpty else { throw StatisticsError.tooFewObservations(needed: 1, got: 0, statistic: "summary") }
        guard values.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite(statistic: "summary") }
        guard confidence > 0, confidence < 1 else { throw StatisticsError.invalidArgument("confidence must be in (0, 1)") }
        precondition(quantiles.probability == (1 + confidence) / 2, "the cache holds quantiles of another probability")
        let n = values.count
        let mean = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        guard n >= 2 else { return (mean, nil, nil) }
        if tolerance.isConstant(values) { return (mean, mean, mean) }
        let sd = values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) }
        let sem = sd / Double(n).squareRoot()
        let t = quantiles.quantile(degreesOfFreedom: n - 1)
        return (mean, mean - t * sem, mean + t * sem)
    }
}
