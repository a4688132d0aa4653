import CGSL
import StableFloor

/// Student's paired t-test of H₀: E[B − A] = 0 against the two-sided alternative, with the t
/// interval of the mean difference — the statistic of `bench compare` (one spec run twice, the
/// runs paired by run id).
///
/// With the differences dᵢ = bᵢ − aᵢ (i = 1…n), their mean d̄ and standard deviation s (n − 1
/// denominator):
///
///     se = s/√n,   t = d̄/se,   ν = n − 1,   p = 2·Q_ν(|t|)   (Q_ν: gsl_cdf_tdist_Q),
///     interval  d̄ ± t_{(1+c)/2, ν}·se          (quantile: `Descriptive.tQuantile`).
///
/// This matches `scipy.stats.ttest_rel(b, a)` and its `confidence_interval(c)` except where
/// values are equal up to `ValueTolerance` (default 1e-12), measured against the magnitude of the
/// observations M = max(maxᵢ |aᵢ|, maxᵢ |bᵢ|, 1) — the rule every statistic of this module applies:
/// differences that all agree to ε·M have s = 0 (the interval is [d̄, d̄]); a mean difference
/// |d̄| ≤ ε·M gives t = 0, p = 1 (pairs equal up to rounding carry no evidence of a change); when
/// s = 0 and |d̄| > ε·M (every pair moved by the same amount), t = ±∞ and p = 0.
public struct PairedTTest: Sendable, Equatable {
    /// Number of pairs n.
    public var n: Int
    /// Mean of sample A (before).
    public var meanA: Double
    /// Mean of sample B (after).
    public var meanB: Double
    /// Mean difference d̄ = mean(bᵢ − aᵢ).
    public var meanDifference: Double
    /// Standard deviation s of the differences (n − 1 denominator; 0 when constant up to the tolerance).
    public var sdDifference: Double
    /// Standard error s/√n of d̄.
    public var standardError: Double
    /// Lower end of the t interval of d̄.
    public var ciLow: Double
    /// Upper end of the t interval of d̄.
    public var ciHigh: Double
    /// The t statistic d̄/se (0 when d̄ ≈ 0; ±∞ when s = 0 and d̄ is not ≈ 0).
    public var t: Double
    /// Degrees of freedom ν = n − 1.
    public var degreesOfFreedom: Double
    /// Two-sided p-value 2·Q_ν(|t|), in [0, 1].
    public var pValue: Double

    /// Runs the test on paired observations.
    /// - Parameters:
    ///   - a: sample A (before), at least 2 finite observations.
    ///   - b: sample B (after), paired with `a` by index.
    ///   - confidence: c ∈ (0, 1) of the interval, default 0.95.
    ///   - tolerance: when values count as equal (default `ValueTolerance.standard`).
    /// - Throws: `StatisticsError.invalidArgument` when the samples differ in length or `confidence`
    ///   is outside (0, 1); `.tooFewObservations` for n < 2; `.nonFinite`.
    /// - Complexity: O(n).
    public init(before a: [Double], after b: [Double], confidence: Double = 0.95,
                tolerance: ValueTolerance = .standard) throws {
        GSLSetup.configure()
        guard a.count == b.count else {
            throw StatisticsError.invalidArgument("paired t-test needs samples of one size, got \(a.count) and \(b.count)")
        }
        guard confidence > 0, confidence < 1 else { throw StatisticsError.invalidArgument("confidence must be in (0, 1)") }
        guard a.count >= 2 else {
            throw StatisticsError.tooFewObservations(needed: 2, got: a.count, statistic: "paired t-test")
        }
        guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else {
            throw StatisticsError.nonFinite(statistic: "paired t-test")
        }
        let n = a.count
        let d = zip(a, b).map { $1 - $0 }
        let magnitude = (a + b).reduce(1.0) { Swift.max($0, abs($1)) }
        let meanA = a.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let meanB = b.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let mean = d.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let constant = tolerance.equal(d.min()!, d.max()!, magnitude: magnitude)
        let sd = constant ? 0 : d.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, mean) }
        let se = sd / Double(n).squareRoot()
        let nu = Double(n - 1)
        let half = constant ? 0 : Descriptive.tQuantile((1 + confidence) / 2, degreesOfFreedom: nu) * se
        self.n = n
        self.meanA = meanA
        self.meanB = meanB
        self.meanDifference = mean
        self.sdDifference = sd
        self.standardError = se
        self.ciLow = mean - half
        self.ciHigh = mean + half
        self.degreesOfFreedom = nu
        if tolerance.equal(mean, 0, magnitude: magnitude) {
            (t, pValue) = (0, 1)
        } else if constant {
            (t, pValue) = (mean > 0 ? .infinity : -.infinity, 0)
        } else {
            t = mean / se
            pValue = Swift.min(1, 2 * gsl_cdf_tdist_Q(abs(t), nu))
        }
    }
}
