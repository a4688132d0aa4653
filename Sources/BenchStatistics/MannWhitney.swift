import CGSL
import StableFloor

/// The Mann–Whitney U statistic of two independent samples, the probability of improvement
/// derived from it (Agarwal et al. 2021, rliable) and its two-sided asymptotic test.
///
/// With midranks R over the pooled sample (ties get the average of their ranks),
///
///     U_a = Σ_{i ∈ A} R_i − n(n+1)/2 = Σ_i Σ_j ( [a_i > b_j] + ½·[a_i = b_j] ),
///     P(A > B) = U_a / (n·m)   (probability of improvement, ties counted as ½).
///
/// The p-value is the normal approximation with tie and continuity corrections, as
/// `scipy.stats.mannwhitneyu(a, b, method="asymptotic")`:
///
///     σ = √( n·m/12 · [ (N + 1) − Σ_k (t_k³ − t_k) / (N(N − 1)) ] ),  N = n + m,
///     z = (max(U_a, U_b) − n·m/2 − ½) / σ,   p = min(1, 2·Q(z)),
///
/// where t_k are the sizes of the groups of tied values. Values equal up to `ValueTolerance`
/// (default 1e-12 relative) are ties: in the sorted pooled sample a group runs while a value is ≈
/// the group's first value. When every value is tied (σ = 0), p = 1.
public struct MannWhitney: Sendable, Equatable {
    /// Size of sample A.
    public var n: Int
    /// Size of sample B.
    public var m: Int
    /// U_a: the number of pairs (a_i, b_j) with a_i > b_j plus half the ties.
    public var u: Double
    /// U_a / (n·m) ∈ [0, 1]: the probability that a random draw of A beats one of B.
    public var probabilityOfImprovement: Double
    /// The continuity-corrected z score of max(U_a, U_b) (0 when σ = 0).
    public var z: Double
    /// Two-sided asymptotic p-value, in [0, 1].
    public var pValue: Double

    /// Computes U, the probability of improvement and the asymptotic two-sided p-value.
    /// - Parameters:
    ///   - a: sample A (at least one finite value).
    ///   - b: sample B (at least one finite value).
    ///   - tolerance: when values are ties (default `ValueTolerance.standard`).
    /// - Throws: `StatisticsError.tooFewObservations` or `.nonFinite`.
    /// - Complexity: O(N log N) with N = n + m.
    public init(_ a: [Double], _ b: [Double], tolerance: ValueTolerance = .standard) throws {
        GSLSetup.configure()
        for sample in [a, b] {
            guard !sample.isEmpty else {
                throw StatisticsError.tooFewObservations(needed: 1, got: 0, statistic: "Mann–Whitney U")
            }
            guard sample.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite(statistic: "Mann–Whitney U") }
        }
        let (n, m) = (a.count, b.count)
        let total = n + m
        // Pool with membership flags and assign midranks to runs of equal values.
        let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumA = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < total {
            var end = start
            while end + 1 < total && tolerance.equal(pooled[end + 1].0, pooled[start].0) { end += 1 }
            let midrank = Double(start + end + 2) / 2  // ranks are 1-based
            let size = Double(end - start + 1)
            tieTerm += size * size * size - size
            for k in start...end where pooled[k].1 { rankSumA += midrank }
            start = end + 1
        }
        let nm = Double(n) * Double(m)
        let uA = rankSumA - Double(n) * Double(n + 1) / 2
        let uB = nm - uA
        let bigN = Double(total)
        let variance = total > 1 ? nm / 12 * ((bigN + 1) - tieTerm / (bigN * (bigN - 1))) : 0
        self.n = n
        self.m = m
        self.u = uA
        self.probabilityOfImprovement = uA / nm
        if variance > 0 {
            let z = (Swift.max(uA, uB) - nm / 2 - 0.5) / variance.squareRoot()
            self.z = z
            self.pValue = Swift.min(1, 2 * gsl_cdf_ugaussian_Q(z))
        } else {
            self.z = 0
            self.pValue = 1
        }
    }

    /// Probability of improvement P(A > B) = U_a/(n·m), ties counted as ½ (rliable).
    /// - Parameters:
    ///   - a: sample A (non-empty, finite).
    ///   - b: sample B (non-empty, finite).
    ///   - tolerance: when values are ties (default `ValueTolerance.standard`).
    /// - Throws: `StatisticsError` as `init(_:_:)`.
    /// - Complexity: O(N log N).
    public static func probabilityOfImprovement(_ a: [Double], _ b: [Double],
                                                tolerance: ValueTolerance = .standard) throws -> Double {
        try MannWhitney(a, b, tolerance: tolerance).probabilityOfImprovement
    }
}
