import AlignmentCore
import CGSL
import PreferenceLearning

/// The Bradley–Terry fit to battle votes with its uncertainty, as LMArena's arena-rank reports it:
/// the maximum-likelihood ratings r̂ (mean 0; Bradley & Terry 1952), their sandwich (robust,
/// Huber 1967; White 1980) covariance, and percentile intervals from a multinomial
/// (nonparametric) bootstrap over votes (Efron 1979).
///
/// Every vote v between a and b is one observation with outcome y_v ∈ {1 (a won), 0 (b won),
/// ½ (tie)} and log-likelihood y_v log σ(r_a − r_b) + (1 − y_v) log σ(r_b − r_a), so a tie counts
/// as half a win each way. With x_v = e_a − e_b and s_v = σ(r̂_a − r̂_b):
/// A = Σ_v s_v(1 − s_v) x_v x_vᵀ (the observed information), B = Σ_v (y_v − s_v)² x_v x_vᵀ (the
/// outer product of the per-vote scores), and Cov(r̂) = M B M with M = (A + 11ᵀ/n)⁻¹, which equals
/// A⁺ B A⁺ because B1 = 0 (the covariance of the ratings centred to mean 0).
public struct BattleRatings: Sendable, Equatable {
    /// r̂, mean 0, one per model.
    public let ratings: [Double]
    /// The sandwich covariance M B M, row-major n × n.
    public let covariance: [Double]

    /// Sandwich standard errors √Cov_ii.
    public var standardErrors: [Double] {
        let n = ratings.count
        return (0..<n).map { max(0, covariance[$0 * n + $0]).squareRoot() }
    }

    /// Fits r̂ by maximum likelihood (`BradleyTerryRewardModel.fit`, no penalty) and computes the
    /// sandwich covariance.
    /// - Throws: `AlignmentCoreError.invalidProblem` naming the unbeaten models when the win graph
    ///   is not strongly connected (no finite estimate), `.numericalFailure` when Newton's method
    ///   does not converge or A + 11ᵀ/n is not positive definite.
    /// - Complexity: O(iterations · n³).
    public init(_ tally: BattleTally, models names: [String]) throws {
        if let set = tally.unbeatenSet() {
            let shown = set.prefix(3).map { "\"\(names[$0])\"" }.joined(separator: ", ") + (set.count > 3 ? ", …" : "")
            throw AlignmentCoreError.invalidProblem("the Bradley–Terry fit has no finite maximum: \(set.count) model\(set.count == 1 ? "" : "s") (\(shown)) never lose\(set.count == 1 ? "s" : "") to the other \(tally.models - set.count)")
        }
        guard let r = Self.maximumLikelihood(tally) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "the Bradley–Terry fit did not converge")
        }
        ratings = r
        guard let c = Self.sandwich(tally, ratings: ratings) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "the Bradley–Terry information matrix is singular")
        }
        covariance = c
    }

    /// Gradient tolerance of the fit: max_i |∂ℓ/∂r_i| / N ≤ 1e-10, ℓ the mean log-likelihood
    /// (the default of `BradleyTerryRewardModel.fit`).
    public static let tolerance = 1e-10

    /// The maximum-likelihood ratings (mean 0) of the counts w_ij + α, or nil when the fit does
    /// not reach `tolerance`: `BradleyTerryRewardModel.fit` (damped Newton, an Armijo line search
    /// on the objective, then full Newton steps while they shrink the gradient) run to the
    /// rounding floor of the gradient (`tolerance: 0`), typically 1e-16.
    /// - Precondition: the win graph of the counts is strongly connected or α > 0 (a finite MLE).
    /// - Complexity: O(iterations · n³).
    public static func maximumLikelihood(_ tally: BattleTally, smoothing alpha: Double = 0) -> [Double]? {
        let counts = tally.pairwiseCounts(smoothing: alpha)
        guard counts.total > 0 else { return nil }
        let fit = BradleyTerryRewardModel.fit(counts, l2: 0, tolerance: 0)
        let r = fit.rewards[0]
        return fit.gradientNorm <= tolerance && r.allSatisfy(\.isFinite) ? r : nil
    }

    /// M B M with M = (A + 11ᵀ/n)⁻¹ (see the type's documentation); nil when A + 11ᵀ/n is not
    /// numerically positive definite.
    /// - Complexity: O(n³).
    static func sandwich(_ t: BattleTally, ratings r: [Double]) -> [Double]? {
        let n = t.models
        var a = [Double](repeating: 1 / Double(n), count: n * n)
        var b = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where t.votes(i, j) > 0 {
                let s = BradleyTerryRewardModel.sigmoid(r[i] - r[j])
                let wi = t.wins[i * n + j], wj = t.wins[j * n + i], ties = t.ties[i * n + j]
                let info = (wi + wj + ties) * s * (1 - s)
                let score = wi * (1 - s) * (1 - s) + wj * s * s + ties * (0.5 - s) * (0.5 - s)
                for (m, v) in [(0, info), (1, score)] {
                    func add(_ k: Int, _ x: Double) { if m == 0 { a[k] += x } else { b[k] += x } }
                    add(i * n + i, v); add(j * n + j, v); add(i * n + j, -v); add(j * n + i, -v)
                }
            }
        }
        guard let inverse = SymmetricInverse.inverse(a, n: n) else { return nil }
        // M B M.
        var mb = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n where inverse[i * n + k] != 0 { for j in 0..<n { mb[i * n + j] += inverse[i * n + k] * b[k * n + j] } } }
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n { let x = mb[i * n + k]; for j in 0..<n { out[i * n + j] += x * inverse[k * n + j] } } }
        return out
    }

    /// The two-sided normal interval r̂_i ± z σ̂_i at the given confidence, z = Φ⁻¹((1 + c)/2).
    public func sandwichInterval(_ i: Int, confidence c: Double) -> (lower: Double, upper: Double) {
        let z = gsl_cdf_ugaussian_Pinv((1 + c) / 2)
        let se = standardErrors[i]
        return (ratings[i] - z * se, ratings[i] + z * se)
    }
}

/// Inverse of a small symmetric positive-definite matrix by Cholesky (A = LLᵀ, A⁻¹ = L⁻ᵀL⁻¹).
enum SymmetricInverse {
    /// A⁻¹, or nil when a pivot is not above 1e-13 × the largest diagonal entry.
    /// - Complexity: O(n³).
    static func inverse(_ aIn: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        let floor = 1e-13 * (0..<n).reduce(0) { max($0, abs(aIn[$1 * n + $1])) }
        for j in 0..<n {
            var d = aIn[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > floor, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = aIn[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        // L⁻¹ (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
        var li = [Double](repeating: 0, count: n * n)
        for c in 0..<n {
            li[c * n + c] = 1 / l[c * n + c]
            for i in (c + 1)..<max(c + 1, n) {
                var s = 0.0
                for k in c..<i { s -= l[i * n + k] * li[k * n + c] }
                li[i * n + c] = s / l[i * n + i]
            }
        }
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in j..<n { s += li[k * n + i] * li[k * n + j] }
                out[i * n + j] = s
                out[j * n + i] = s
            }
        }
        return out
    }
}
