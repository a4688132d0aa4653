import CGSL
import Foundation

extension RegularizedEquilibriumSolver {
    /// The GSL fdf multiroot solver used for the Newton phase.
    enum NewtonMethod {
        /// Powell's hybrid (dogleg trust region) with scaling and analytic Jacobian.
        case hybridsj
        /// Newton with backtracking on ‖F‖ (a new LU of the Jacobian every iteration).
        case gnewton
    }

    /// Damped fixed-point iteration θ ← (1 − α)θ + α·T(θ), with α adapted so that ‖F‖∞ decreases;
    /// stops after `iterations` steps, when ‖F‖∞ < `target`, or when α underflows.
    /// - Returns: the last accepted θ.
    static func dampedFixedPoint(_ system: LogitFixedPoint, from start: [Double], iterations: Int,
                                 target: Double) -> [Double] {
        var theta = start
        var r = zip(theta, system.bestResponseLogits(theta)).map { $0 - $1 }
        var norm = r.reduce(0) { max($0, abs($1)) }
        var alpha = 1.0
        var it = 0
        while it < iterations, norm > target, alpha > 1e-8 {
            it += 1
            let candidate = (0..<system.k).map { theta[$0] - alpha * r[$0] }
            let rc = zip(candidate, system.bestResponseLogits(candidate)).map { $0 - $1 }
            let nc = rc.reduce(0) { max($0, abs($1)) }
            if nc < norm, nc.isFinite {
                theta = candidate
                r = rc
                norm = nc
                alpha = min(1, alpha * 1.5)
            } else {
                alpha *= 0.5
            }
        }
        return theta
    }

    /// Newton's method on F(θ) = θ − log μ − Pπ(θ)/τ through GSL's fdf multiroot solvers, from
    /// `start`. Iterates until the iterate is accepted (`accepts`: gap below `gapTolerance`) and then
    /// polishes with up to `polishSteps` further iterations (keeping the iterate with the smallest
    /// ‖F‖∞), or until the solver stops making progress, F vanishes exactly, or `maxIterations`
    /// iterations have run.
    /// - Returns: the iterate with the smallest residual, its gap, and the iterations used.
    /// - Throws: `AlignmentCoreError.gsl` for GSL failures other than lack of progress.
    static func newton(_ system: LogitFixedPoint, from start: [Double], method: NewtonMethod,
                       maxIterations: Int, polishSteps: Int = 2) throws -> (theta: [Double], gap: Double, accepted: Bool, iterations: Int) {
        let k = system.k
        var best = (theta: start, residual: system.residualNorm(start))
        if best.residual == 0 { return (start, system.gap(start), true, 0) }
        let type = method == .hybridsj ? cgsl_multiroot_hybridsj() : cgsl_multiroot_gnewton()
        guard let solver = gsl_multiroot_fdfsolver_alloc(type, k) else {
            throw AlignmentCoreError.gsl(status: Int32(GSL_ENOMEM), routine: "gsl_multiroot_fdfsolver_alloc", message: "out of memory")
        }
        defer { gsl_multiroot_fdfsolver_free(solver) }
        guard let x0 = gsl_vector_alloc(k) else {
            throw AlignmentCoreError.gsl(status: Int32(GSL_ENOMEM), routine: "gsl_vector_alloc", message: "out of memory")
        }
        defer { gsl_vector_free(x0) }
        for i in 0..<k { gsl_vector_set(x0, i, start[i]) }

        let function = UnsafeMutablePointer<gsl_multiroot_function_fdf>.allocate(capacity: 1)
        defer { function.deallocate() }
        let params = Unmanaged.passRetained(system)
        defer { params.release() }
        function.initialize(to: gsl_multiroot_function_fdf(
            f: { x, params, f in
                RegularizedEquilibriumSolver.evaluate(x, params, f, nil)
            },
            df: { x, params, jac in
                RegularizedEquilibriumSolver.evaluate(x, params, nil, jac)
            },
            fdf: { x, params, f, jac in
                RegularizedEquilibriumSolver.evaluate(x, params, f, jac)
            },
            n: k,
            params: params.toOpaque()))

        try GSLRuntime.check(gsl_multiroot_fdfsolver_set(solver, function, x0), "gsl_multiroot_fdfsolver_set")
        var converged = accepts(system, best.theta, residual: best.residual)
        var polished = 0
        var iterations = 0
        while iterations < maxIterations, !(converged && polished >= polishSteps) {
            iterations += 1
            let status = gsl_multiroot_fdfsolver_iterate(solver)
            if converged { polished += 1 }
            let x = solver.pointee.x!, f = solver.pointee.f!
            let theta = (0..<k).map { gsl_vector_get(x, $0) }
            var residual = 0.0
            for i in 0..<k { residual = max(residual, abs(gsl_vector_get(f, i))) }
            if residual.isFinite, theta.allSatisfy(\.isFinite), residual < best.residual {
                best = (theta, residual)
            }
            if !converged, accepts(system, best.theta, residual: best.residual) { converged = true }
            // GSL_EBADFUNC: a step left the finite numbers (huge steps at small τ); keep the best point.
            if status == GSL_ENOPROG || status == GSL_ENOPROGJ || status == GSL_EBADFUNC || best.residual == 0 { break }
            // A failure while polishing an already converged iterate ends the polish.
            if status != GSL_SUCCESS, converged { break }
            try GSLRuntime.check(status, "gsl_multiroot_fdfsolver_iterate")
        }
        return (best.theta, system.gap(best.theta), converged, iterations)
    }

    /// Whether θ solves the system: its regularized gap is below `gapTolerance`, or ‖F(θ)‖∞ is at
    /// the floating-point floor 1e-13·max(1, ‖θ‖∞). (For τ ≲ 1 the second implies the first; for
    /// large τ the gap formula itself carries a rounding error of order τ·1e-16, which can exceed
    /// 1e-12 when τ ≳ 10, so the residual decides.)
    /// The residual test applies only for τ ≥ 1: for small τ, ‖θ‖∞ ≈ 1/τ makes that floor
    /// meaningless (at τ = 1e-10 it accepted a residual of 1e-3 and a gap of 4e-8).
    static func accepts(_ system: LogitFixedPoint, _ theta: [Double], residual: Double) -> Bool {
        if system.gap(theta) < gapTolerance { return true }
        guard system.tau >= 1 else { return false }
        let scale = theta.reduce(1) { max($0, abs($1)) }
        return residual <= 1e-13 * scale
    }

    /// The C callback behind f, df and fdf: reads θ from `x` and writes F(θ) and/or the Jacobian.
    /// Returns GSL_EBADFUNC when θ is not finite.
    private static func evaluate(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                                 _ f: UnsafeMutablePointer<gsl_vector>?, _ jac: UnsafeMutablePointer<gsl_matrix>?) -> Int32 {
        guard let x, let params else { return Int32(GSL_EINVAL) }
        let system = Unmanaged<LogitFixedPoint>.fromOpaque(params).takeUnretainedValue()
        let k = system.k
        let theta = (0..<k).map { gsl_vector_get(x, $0) }
        guard theta.allSatisfy(\.isFinite) else { return Int32(GSL_EBADFUNC) }
        theta.withUnsafeBufferPointer { t in
            if let f {
                var out = [Double](repeating: 0, count: k)
                out.withUnsafeMutableBufferPointer { system.residual(t, into: $0) }
                for i in 0..<k { gsl_vector_set(f, i, out[i]) }
            }
            if let jac {
                system.jacobian(t, into: jac.pointee.data, stride: jac.pointee.tda)
            }
        }
        return Int32(GSL_SUCCESS)
    }
}
