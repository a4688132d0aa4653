import CGSL
import Foundation

extension RegularizedEquilibriumSolver {
    /// One iterate of the bordered system: log-probabilities w on μ's support and the multiplier λ.
    struct BorderedPoint {
        /// w = log π (not necessarily normalised away from the solution).
        var w: [Double]
        /// The multiplier of Σπ = 1 (the game value ½ plus O(τ) at the solution).
        var lambda: Double
    }

    /// π*_τ of one context by damped Newton's method on the *bordered* system in (w = log π, λ):
    ///
    ///     r_i(w, λ) = τ(w_i − log μ_i) − (P e^w)_i + λ = 0   (i in μ's support),
    ///     r_k(w, λ) = Σ_j e^{w_j} − 1 = 0,
    ///
    /// with Jacobian [τI − P·diag(π), 1; πᵀ, 0]. This is the fixed point π = BR_τ(π) of
    /// `LogitFixedPoint` written with an explicit multiplier instead of softmax's normalisation.
    /// Its residual and Jacobian stay O(1) as τ → 0 (the logit form F(θ) has a Jacobian with
    /// entries 1/τ and a null direction resolved only by the identity, so its LU factorisation loses
    /// every digit once 1/τ ≳ 10¹⁶); the bordered Jacobian is non-singular whenever the limit game
    /// has a unique equilibrium on the support, and an action outside that support simply gets
    /// w_j ≈ log μ_j − c_j/τ (π_j underflows to 0, which is its value in double precision).
    ///
    /// Continuation in τ from max(1, τ) down to τ: the predictor extrapolates g = τ(w − log μ)
    /// = Pπ − λ linearly in τ from the last two levels (exact to first order both for actions in the
    /// equilibrium's support, where g = O(τ), and outside it, where g → −c < 0); the step ratio is
    /// squared after a success and square-rooted after a failure.
    /// - Returns: the logits w (log π*_τ up to normalisation), or nil when the continuation stalls
    ///   or the final iterate is not accepted (regularized gap below `gapTolerance` and bordered
    ///   residual at the floating-point floor).
    /// - Complexity: O(k³) per Newton iteration; a few dozen iterations for τ down to 1e-300.
    static func borderedSolve(p: [Double], logMu: [Double], tau: Double) -> [Double]? {
        let k = logMu.count
        var level = max(1.0, tau)
        let start = BorderedPoint(w: logMu, lambda: 0.5)
        guard var current = borderedNewton(p: p, logMu: logMu, tau: level, from: start, final: level == tau) else { return nil }
        var history: [(tau: Double, g: [Double], lambda: Double)] = [(level, g(current, logMu, level), current.lambda)]
        var ratio = 0.1
        var failures = 0
        while level > tau {
            let next = max(tau, level * ratio)
            let predicted = predict(history, at: next, logMu: logMu, k: k)
            if let solved = borderedNewton(p: p, logMu: logMu, tau: next, from: predicted, final: next == tau) {
                current = solved
                level = next
                history = Array((history + [(next, g(solved, logMu, next), solved.lambda)]).suffix(2))
                ratio = max(1e-300, ratio * ratio)
            } else {
                failures += 1
                ratio = ratio.squareRoot()
                if ratio > 0.999 || failures > 200 { return nil }
            }
        }
        return current.w
    }

    /// g = τ(w − log μ) of a point.
    private static func g(_ x: BorderedPoint, _ logMu: [Double], _ tau: Double) -> [Double] {
        zip(x.w, logMu).map { tau * ($0 - $1) }
    }

    /// Linear extrapolation in τ of g and λ from the last (at most two) solved levels.
    private static func predict(_ history: [(tau: Double, g: [Double], lambda: Double)], at tau: Double,
                                logMu: [Double], k: Int) -> BorderedPoint {
        let last = history[history.count - 1]
        var g = last.g, lambda = last.lambda
        if history.count == 2 {
            let before = history[0]
            let s = (tau - last.tau) / (last.tau - before.tau)
            g = (0..<k).map { last.g[$0] + s * (last.g[$0] - before.g[$0]) }
            lambda = last.lambda + s * (last.lambda - before.lambda)
        }
        return BorderedPoint(w: (0..<k).map { logMu[$0] + g[$0] / tau }, lambda: lambda)
    }

    /// The bordered residual (length k + 1) at a point; nil when not finite.
    private static func borderedResidual(p: [Double], logMu: [Double], tau: Double, _ x: BorderedPoint) -> [Double]? {
        let k = logMu.count
        let pi = x.w.map { exp($0) }
        var r = [Double](repeating: 0, count: k + 1)
        for i in 0..<k {
            var v = 0.0
            for j in 0..<k { v += p[i * k + j] * pi[j] }
            r[i] = tau * (x.w[i] - logMu[i]) - v + x.lambda
        }
        r[k] = pi.reduce(0, +) - 1
        return r.allSatisfy(\.isFinite) ? r : nil
    }

    /// Damped Newton on the bordered system at one τ (backtracking on ‖r‖∞, up to 100 iterations).
    /// An intermediate level is accepted at ‖r‖∞ ≤ 1e-9; the final one (`final`) is polished until
    /// the residual stops decreasing and accepted when ‖r‖∞ ≤ 1e-13·max(1, |λ|, max τ|w − log μ|)
    /// and the context's regularized gap of softmax(w) is below `gapTolerance`.
    private static func borderedNewton(p: [Double], logMu: [Double], tau: Double, from start: BorderedPoint,
                                       final: Bool) -> BorderedPoint? {
        let k = logMu.count
        var x = start
        guard var r = borderedResidual(p: p, logMu: logMu, tau: tau, x) else { return nil }
        var norm = r.reduce(0) { max($0, abs($1)) }
        func floor(_ x: BorderedPoint) -> Double {
            var s = max(1, abs(x.lambda))
            for i in 0..<k { s = max(s, tau * abs(x.w[i] - logMu[i])) }
            return 1e-13 * s
        }
        var polish = 0
        for _ in 0..<100 {
            if !final, norm <= 1e-9 { return x }
            if final, norm <= floor(x) {
                polish += 1
                if polish > 2 { break }
            }
            guard let step = newtonStep(p: p, tau: tau, x, r) else { break }
            var alpha = 1.0
            var accepted = false
            while alpha > 1e-12 {
                let candidate = BorderedPoint(w: (0..<k).map { x.w[$0] + alpha * step[$0] }, lambda: x.lambda + alpha * step[k])
                if let rc = borderedResidual(p: p, logMu: logMu, tau: tau, candidate) {
                    let nc = rc.reduce(0) { max($0, abs($1)) }
                    if nc < norm {
                        (x, r, norm, accepted) = (candidate, rc, nc, true)
                        break
                    }
                }
                alpha *= 0.5
            }
            if !accepted { break }
        }
        guard norm <= (final ? floor(x) : 1e-9) else { return nil }
        if final {
            let z = LogSpace.logSumExp(x.w)
            let theta = x.w.map { $0 - z }
            guard LogitFixedPoint(p: p, logMu: logMu, tau: tau).gap(theta) < gapTolerance else { return nil }
            x.w = theta
        }
        return x
    }

    /// The Newton step −J⁻¹r of the bordered system (LU with partial pivoting, GSL); nil when the
    /// Jacobian is singular or the step is not finite.
    private static func newtonStep(p: [Double], tau: Double, _ x: BorderedPoint, _ r: [Double]) -> [Double]? {
        let k = x.w.count
        let n = k + 1
        guard let m = gsl_matrix_alloc(n, n), let perm = gsl_permutation_alloc(n),
              let b = gsl_vector_alloc(n), let s = gsl_vector_alloc(n) else { return nil }
        defer { gsl_matrix_free(m); gsl_permutation_free(perm); gsl_vector_free(b); gsl_vector_free(s) }
        let pi = x.w.map { exp($0) }
        for i in 0..<k {
            for j in 0..<k { gsl_matrix_set(m, i, j, (i == j ? tau : 0) - p[i * k + j] * pi[j]) }
            gsl_matrix_set(m, i, k, 1)
            gsl_matrix_set(m, k, i, pi[i])
        }
        gsl_matrix_set(m, k, k, 0)
        for i in 0..<n { gsl_vector_set(b, i, -r[i]) }
        var signum: Int32 = 0
        guard gsl_linalg_LU_decomp(m, perm, &signum) == GSL_SUCCESS,
              gsl_linalg_LU_solve(m, perm, b, s) == GSL_SUCCESS else { return nil }
        let step = (0..<n).map { gsl_vector_get(s, $0) }
        return step.allSatisfy(\.isFinite) ? step : nil
    }
}
