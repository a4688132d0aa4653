import CGSL
import StableFloor

/// Welch's unequal-variances t-test of H₀: E[A] = E[B] against the two-sided alternative
/// (Welch 1947), the test written to tests.csv.
///
/// With sample means x̄_a, x̄_b, sample variances s²_a, s²_b (n − 1 denominators) and sizes n, m:
///
///     se = √(s²_a/n + s²_b/m),   t = (x̄_a − x̄_b) / se,
///     ν  = (s²_a/n + s²_b/m)² / [ (s²_a/n)²/(n − 1) + (s²_b/m)²/(m − 1) ]   (Welch–Satterthwaite),
///     p  = 2·Q_ν(|t|)   with Q_ν the upper tail of Student's t (gsl_cdf_tdist_Q).
///
/// This matches `scipy.stats.ttest_ind(a, b, equal_var=False)` except where values are equal up to
/// `ValueTolerance` (default 1e-12 relative): a sample that is constant up to the tolerance has
/// s² = 0, and means equal up to the tolerance give t = 0, p = 1 (samples equal up to rounding
/// carry no evidence of a difference). When both samples are constant (se = 0) and their means
/// differ beyond the tolerance, t = ±∞ and p = 0; ν = n + m − 2 whenever se = 0.
public struct WelchTTest: Sendable, Equatable {
    /// Size of sample A.
    public var n: Int
    /// Size of sample B.
    public var m: Int
    /// Mean of sample A.
    public var meanA: Double
    /// Mean of sample B.
    public var meanB: Double
    /// x̄_a − x̄_b.
    public var difference: Double
    /// Standard error of the difference √(s²_a/n + s²_b/m).
    public var standardError: Double
    /// The t statistic (x̄_a − x̄_b)/se.
    public var t: Double
    /// Welch–Satterthwaite degrees of freedom ν.
    public var degreesOfFreedom: Double
    /// Two-sided p-value 2·Q_ν(|t|), in [0, 1].
    public var pValue: Double

    /// Runs the test on two independent samples.
    /// - Parameters:
    ///   - a: sample A (at least 2 finite observations).
    ///   - b: sample B (at least 2 finite observations).
    ///   - tolerance: when values count as equal (default `ValueTolerance.standard`).
    /// - Throws: `StatisticsError.tooFewObservations` or `.nonFinite`.
    /// - Complexity: O(n + m).
    public init(_ a: [Double], _ b: [Double], tolerance: ValueTolerance = .standard) throws {
        GSLSetup.configure()
        for sample in [a, b] {
            guard sample.count >= 2 else {
                throw StatisticsError.tooFewObservations(needed: 2, got: sample.count, statistic: "Welch t-test")
            }
            guard sample.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite(statistic: "Welch t-test") }
        }
        let (n, m) = (a.count, b.count)
        let meanA = a.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        let meanB = b.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, m) }
        let varA = tolerance.isConstant(a) ? 0 : a.withUnsafeBufferPointer { gsl_stats_variance_m($0.baseAddress, 1, n, meanA) }
        let varB = tolerance.isConstant(b) ? 0 : b.withUnsafeBufferPointer { gsl_stats_variance_m($0.baseAddress, 1, m, meanB) }
        let qa = varA / Double(n)
        let qb = varB / Double(m)
        let se = (qa + qb).squareRoot()
        let diff = meanA - meanB
        self.n = n
        self.m = m
        self.meanA = meanA
        self.meanB = meanB
        self.difference = diff
        self.standardError = se
        let sameMean = tolerance.equal(meanA, meanB)
        if se == 0 || sameMean {
            degreesOfFreedom = se == 0 ? Double(n + m - 2)
                : (qa + qb) * (qa + qb) / (qa * qa / Double(n - 1) + qb * qb / Double(m - 1))
            if sameMean {
                t = 0
                pValue = 1
            } else {
                t = diff > 0 ? .infinity : -.infinity
                pValue = 0
            }
            return
        }
        let nu = (qa + qb) * (qa + qb) / (qa * qa / Double(n - 1) + qb * qb / Double(m - 1))
        let t = diff / se
        self.t = t
        self.degreesOfFreedom = nu
        self.pValue = Swift.min(1, 2 * gsl_cdf_tdist_Q(abs(t), nu))
    }
}
