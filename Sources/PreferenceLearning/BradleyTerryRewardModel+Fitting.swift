import AlignmentCore
import Foundation

extension BradleyTerryRewardModel {
    /// Fits r̂ by (penalised) maximum likelihood, independently per context:
    ///
    ///   minimise f_x(r) = (1/N_x) Σ_{a≠b} W_x(a, b) · softplus(r_b − r_a) + (λ/2) Σ_y r_y²,
    ///
    /// i.e. the mean logistic loss −log σ(r_w − r_l) over the labels plus an optional L2 term.
    /// Gradient g_a = (1/N) Σ_b [n_ab σ(r_a − r_b) − W(a, b)] + λ r_a with n_ab = W(a,b) + W(b,a);
    /// Hessian = (1/N) Σ_{a<b} n_ab s(1−s)(e_a − e_b)(e_a − e_b)ᵀ + λI. Newton's method with a
    /// backtracking (Armijo) line search; the system is solved by Cholesky after adding
    /// α·11ᵀ (the objective is shift-invariant when λ = 0, and the gradient is then ⊥ 1, so the
    /// step is the minimum-norm Newton step) and, only if needed, Levenberg damping.
    /// Stops when ‖g‖∞ ≤ `tolerance`. Near the optimum the decrease a Newton step predicts,
    /// −gᵀd ≈ gᵀH⁻¹g, falls below the rounding of f itself (a few ulps of f, reached at ‖g‖ ≈ 1e-9
    /// for f ≈ 0.7), so f can no longer tell a better iterate from a worse one; from there the full
    /// Newton step is taken while it shrinks ‖g‖∞ (Newton converges quadratically there), and the
    /// fit stops at the first step that does not. `tolerance: 0` therefore runs Newton to the
    /// rounding floor of the gradient, which `gradientNorm` reports.
    /// With λ = 0 the fit is centred to mean 0 (uniform) per
    /// context; a context without labels gets r = 0. Separable data (some response never loses)
    /// has no finite MLE when λ = 0: the iterates then grow until the gradient is below the
    /// tolerance (margins of order log(1/tolerance)), as in any logistic-regression solver.
    ///
    /// - Parameters:
    ///   - counts: the labels (or exact soft labels).
    ///   - l2: λ ≥ 0.
    ///   - tolerance: gradient tolerance (default 1e-10); 0 runs to the rounding floor.
    ///   - maxIterations: Newton iterations per context (default 200).
    /// - Complexity: O(iterations · n³) per context (n×n Cholesky), independent of the label count.
    public static func fit(_ counts: PairwiseCounts, l2: Double, tolerance: Double = 1e-10,
                           maxIterations: Int = 200) -> BradleyTerryRewardModel {
        precondition(l2 >= 0 && l2.isFinite, "l2 must be finite and non-negative")
        var rewards: [[Double]] = []
        var allConverged = true
        var maxIter = 0
        var largestGradient = 0.0
        for x in 0..<counts.contexts {
            let fit = fitContext(counts, context: x, l2: l2, tolerance: tolerance, maxIterations: maxIterations)
            rewards.append(fit.rewards)
            allConverged = allConverged && fit.gradientNorm <= tolerance
            maxIter = max(maxIter, fit.iterations)
            largestGradient = max(largestGradient, fit.gradientNorm)
        }
        return BradleyTerryRewardModel(rewards: rewards, converged: allConverged, iterations: maxIter,
                                       gradientNorm: largestGradient)
    }

    /// One context's fit: the rewards, ‖g‖∞ at them (infinite when the Newton system could not
    /// be solved), and the Newton iterations taken.
    static func fitContext(_ counts: PairwiseCounts, context x: Int, l2: Double, tolerance: Double,
                           maxIterations: Int) -> (rewards: [Double], gradientNorm: Double, iterations: Int) {
        let n = counts.actions
        var r = [Double](repeating: 0, count: n)
        guard counts.total(context: x) > 0 else { return (r, 0, 0) }
        var f = objective(r, counts: counts, context: x, l2: l2)
        var (g, h) = derivatives(r, counts: counts, context: x, l2: l2)
        for it in 0..<maxIterations {
            let gmax = g.reduce(0) { max($0, abs($1)) }
            if gmax <= tolerance { return (centredIfFree(r, l2: l2), gmax, it) }
            let meanDiag = max((0..<n).reduce(0) { $0 + h[$1 * n + $1] } / Double(n), 1e-300)
            if l2 == 0 { for i in 0..<(n * n) { h[i] += meanDiag / Double(n) } }
            guard let d = solveDamped(h, rhs: g.map { -$0 }, n: n, scale: meanDiag) else {
                return (centredIfFree(r, l2: l2), .infinity, it)
            }
            let slope = zip(g, d).reduce(0) { $0 + $1.0 * $1.1 }
            if -slope <= 4 * max(f, 1).ulp {
                // f cannot resolve the predicted decrease: the full step, while it shrinks ‖g‖∞.
                let trial = zip(r, d).map { $0 + $1 }
                let next = derivatives(trial, counts: counts, context: x, l2: l2)
                guard next.gradient.reduce(0, { max($0, abs($1)) }) < gmax else {
                    return (centredIfFree(r, l2: l2), gmax, it)
                }
                r = trial
                f = objective(r, counts: counts, context: x, l2: l2)
                (g, h) = next
                continue
            }
            // Backtracking line search on f (Armijo, c = 1e-4).
            var step = 1.0
            var accepted = false
            for _ in 0..<60 {
                let trial = zip(r, d).map { $0 + step * $1 }
                let ft = objective(trial, counts: counts, context: x, l2: l2)
                if ft <= f + 1e-4 * step * slope {
                    r = trial
                    f = ft
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { return (centredIfFree(r, l2: l2), gmax, it) }
            (g, h) = derivatives(r, counts: counts, context: x, l2: l2)
        }
        return (centredIfFree(r, l2: l2), g.reduce(0) { max($0, abs($1)) }, maxIterations)
    }

    /// The gradient and Hessian of one context's objective at r (see `fit`), the Hessian
    /// row-major n×n.
    /// - Complexity: O(n²).
    static func derivatives(_ r: [Double], counts: PairwiseCounts, context x: Int,
                            l2: Double) -> (gradient: [Double], hessian: [Double]) {
        let n = counts.actions
        let inv = 1 / counts.total(context: x)
        var g = r.map { l2 * $0 }
        var h = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            h[a * n + a] += l2
            for b in (a + 1)..<max(a + 1, n) {
                let wab = counts.wins(context: x, a, b), wba = counts.wins(context: x, b, a)
                let nab = wab + wba
                guard nab > 0 else { continue }
                let s = sigmoid(r[a] - r[b])
                let ga = inv * (nab * s - wab)
                g[a] += ga
                g[b] -= ga
                let c = inv * nab * s * (1 - s)
                h[a * n + a] += c
                h[b * n + b] += c
                h[a * n + b] -= c
                h[b * n + a] -= c
            }
        }
        return (g, h)
    }

    static func centredIfFree(_ r: [Double], l2: Double) -> [Double] {
        guard l2 == 0 else { return r }
        let m = r.reduce(0, +) / Double(r.count)
        return r.map { $0 - m }
    }

    /// Solves (H + δI) d = b by Cholesky, raising δ from 0 until H + δI is numerically
    /// positive definite; nil if even heavy damping fails (non-finite input).
    static func solveDamped(_ h: [Double], rhs: [Double], n: Int, scale: Double) -> [Double]? {
        var delta = 0.0
        for _ in 0..<30 {
            var a = h
            if delta > 0 { for i in 0..<n { a[i * n + i] += delta } }
            if let d = CholeskySolver.solve(a, rhs, n: n) { return d }
            delta = delta == 0 ? 1e-12 * scale : delta * 10
        }
        return nil
    }
}

/// Dense Cholesky factorisation A = LLᵀ for small symmetric positive-definite systems.
enum CholeskySolver {
    /// Solves A x = b; nil when A is not numerically positive definite (a pivot at or below
    /// 1e-13 × the largest diagonal entry counts as singular).
    /// - Complexity: O(n³).
    static func solve(_ aIn: [Double], _ b: [Double], n: Int) -> [Double]? {
        var l = aIn
        let floor = 1e-13 * (0..<n).reduce(0) { max($0, abs(aIn[$1 * n + $1])) }
        for j in 0..<n {
            var d = l[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > floor, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(j + 1, n) {
                var s = l[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * y[k] }
            y[i] = s / l[i * n + i]
        }
        return y.allSatisfy(\.isFinite) ? y : nil
    }
}
