import Foundation

extension RegularizedEquilibriumSolver {
    /// The linear algebra behind the globally convergent Newton phase.
    enum NewtonBackend: Sendable {
        /// GSL's `gnewton` fdf solver, whose LU (`gsl_linalg_LU_decomp`) runs on GSL's reference
        /// CBLAS: about n³ flops at reference-BLAS speed (kept as the cross-check of `lapack`).
        case gsl
        /// The same iteration in Swift with the LU by LAPACK (`DenseLinearAlgebra.solve`, OpenBLAS):
        /// the default.
        case lapack
    }

    /// Newton's method with GSL `gnewton`'s backtracking, on LAPACK: from θ, solve J d = F(θ), try
    /// θ − t·d from t = 1, and while ‖F‖₂ rises shrink t by u = (√(1 + 6ρ) − 1)/(3ρ), ρ the ratio
    /// of the new to the old ‖F‖₂ (GSL 2.7's gnewton step rule, reproduced exactly; Dennis &
    /// Schnabel 1983, §6.3), accepting an uphill step once t ≤ 2⁻⁵². Iterates until the iterate is accepted
    /// (`accepts`) and then polishes with `polishSteps` further iterations (even past
    /// `maxIterations`), keeping the iterate with the smallest ‖F‖∞, as
    /// `newton(_:from:method:maxIterations:polishSteps:)` does around GSL's solver; stops early on
    /// a singular Jacobian or a non-finite trial point.
    /// - Returns: the iterate with the smallest residual, its gap, whether it was accepted, and the
    ///   iterations used.
    /// - Complexity: (2/3)k³ flops (the LU) plus O(k²) per trial point, per iteration.
    static func denseNewton(_ system: LogitFixedPoint, from start: [Double], maxIterations: Int,
                            polishSteps: Int = 2) -> (theta: [Double], gap: Double, accepted: Bool, iterations: Int) {
        let k = system.k
        var theta = start
        var f = system.residualVector(theta)
        var best = (theta: start, residual: Self.maxNorm(f))
        if best.residual == 0 { return (start, system.gap(start), true, 0) }
        var phi = Self.euclideanNorm(f)
        let jacobian = UnsafeMutablePointer<Double>.allocate(capacity: k * k)
        defer { jacobian.deallocate() }
        var converged = accepts(system, best.theta, residual: best.residual)
        var polished = 0
        var iterations = 0
        // An iterate accepted in the last iterations still gets its `polishSteps` (GSL's loop in
        // `newton` stops at `maxIterations` and can return an accepted iterate unpolished: at
        // τ = 10⁻³ that left |π − BR_τ(π)| = 2·10⁻⁸ with a gap below 10⁻¹²).
        while iterations < maxIterations + (converged ? polishSteps : 0), !(converged && polished >= polishSteps) {
            iterations += 1
            if converged { polished += 1 }
            theta.withUnsafeBufferPointer { system.jacobian($0, into: jacobian, stride: k) }
            var d = f
            let solved = d.withUnsafeMutableBufferPointer { DenseLinearAlgebra.solve(order: k, jacobian, $0.baseAddress!) }
            guard solved else { break }  // GSL's LU solve fails with GSL_EDOM on an exact zero pivot
            var t = 1.0
            var trial: [Double]
            var trialF: [Double]
            var trialPhi: Double
            repeat {
                trial = (0..<k).map { theta[$0] - t * d[$0] }
                guard trial.allSatisfy(\.isFinite) else {
                    return (best.theta, system.gap(best.theta), converged, iterations)  // GSL_EBADFUNC
                }
                trialF = system.residualVector(trial)
                trialPhi = Self.euclideanNorm(trialF)
                guard trialPhi > phi, t > Double.ulpOfOne else { break }
                let rho = trialPhi / phi
                t *= rho.isFinite ? (sqrt(1 + 6 * rho) - 1) / (3 * rho) : 0.5
            } while true
            theta = trial
            f = trialF
            phi = trialPhi
            let residual = Self.maxNorm(f)
            if residual.isFinite, residual < best.residual { best = (theta, residual) }
            if !converged, accepts(system, best.theta, residual: best.residual) { converged = true }
            if best.residual == 0 { break }
        }
        return (best.theta, system.gap(best.theta), converged, iterations)
    }

    /// ‖v‖∞.
    static func maxNorm(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

    /// ‖v‖₂ (GSL's gnewton compares `enorm(f)`, the same quantity).
    static func euclideanNorm(_ v: [Double]) -> Double { sqrt(v.reduce(0) { $0 + $1 * $1 }) }
}

extension LogitFixedPoint {
    /// F(θ) as a new array.
    func residualVector(_ theta: [Double]) -> [Double] {
        var f = [Double](repeating: 0, count: k)
        theta.withUnsafeBufferPointer { t in
            f.withUnsafeMutableBufferPointer { residual(t, into: $0) }
        }
        return f
    }
}
