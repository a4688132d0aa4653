import Foundation
import StableFloor

/// The regularized Nash equilibrium π*_τ of the preference game (Munos et al. 2023,
/// Prop. 1), computed by a solver that shares no code with any algorithm plugin.
///
/// Per context, π*_τ = softmax(θ*) where θ* is the unique root of the logit fixed-point equation
/// F(θ) = θ − log μ − P·softmax(θ)/τ (π*_τ is its own regularized best response
/// BR_τ(π) ∝ μ·exp(Pπ/τ)). The solver
/// 1. warm-starts by damped fixed-point iteration θ ← (1 − α)θ + α(log μ + Pπ(θ)/τ) from θ = log μ;
/// 2. runs Newton's method with backtracking (GSL `gnewton`'s step rule, the LU of the analytic
///    Jacobian J = I − (1/τ)·P(diag π − ππᵀ) by LAPACK on OpenBLAS; J is never singular because
///    (P − ½)(diag π − ππᵀ) has purely imaginary spectrum), then, if that fails, GSL's multiroot
///    solver `hybridsj` (Powell's hybrid trust region) from the best point;
/// 3. if that does not converge (small τ), follows a continuation in τ: it solves the game at
///    τ_top ≥ 1, then at τ_top/2, τ_top/4, … down to τ, each Newton run started from the regularized
///    best response to the previous solution (the step is shortened when a level fails);
/// 3b. if that fails too, solves the bordered system in (log π, λ) by damped Newton with its own
///    continuation (`borderedSolve`), whose Jacobian stays O(1) as τ → 0 (the logit Jacobian's
///    entries 1/τ swamp its identity part); for τ < 10⁻³ the bordered system is tried first;
/// 4. polishes and accepts the result only when the context's regularized gap is below
///    `gapTolerance` (1e-12) — or, for large τ where the gap formula's own rounding error τ·1e-16
///    exceeds that, when ‖F‖∞ has reached the floating-point floor 1e-13·max(1, ‖θ‖∞).
/// Actions with μ(y) = 0 get π*_τ(y) = 0 (log-probability −∞).
public enum RegularizedEquilibriumSolver {
    /// The largest accepted regularized gap of a returned solution (per context).
    public static let gapTolerance = 1e-12

    /// π*_τ for every context of `problem`.
    /// - Parameters:
    ///   - problem: the ground truth (P per context and μ).
    ///   - tau: the regularization τ > 0.
    /// - Returns: π*_τ as a policy (computed in log space).
    /// - Throws: `AlignmentCoreError.invalidParameter` for τ ≤ 0 or not finite;
    ///   `AlignmentCoreError.gsl` for GSL failures; `AlignmentCoreError.numericalFailure` when the gap
    ///   cannot be brought below `gapTolerance`.
    /// - Complexity: O(n³) per Newton iteration and context (the dense LU of the Jacobian by
    ///   LAPACK: about 4.6·10¹⁰ flops at n = 4096; GSL's unblocked QR only on the fallback path).
    public static func solve(problem: Problem, tau: Double) throws -> Policy {
        let rows = try (0..<problem.contexts).map { x in
            try solve(preference: problem.preferences[x], logReference: problem.reference.logProbabilities[x], tau: tau)
        }
        return try Policy(logits: rows)
    }

    /// log π*_τ for one context.
    /// - Parameters:
    ///   - preference: P for the context.
    ///   - logReference: log μ for the context (−∞ allowed for actions outside μ's support).
    ///   - tau: the regularization τ > 0.
    /// - Throws: as `solve(problem:tau:)`.
    public static func solve(preference: PreferenceMatrix, logReference: [Double], tau: Double) throws -> [Double] {
        guard tau > 0, tau.isFinite else {
            throw AlignmentCoreError.invalidParameter(name: "tau", reason: "the regularized equilibrium needs a finite τ > 0, got \(tau)")
        }
        precondition(logReference.count == preference.size, "reference and preference sizes differ")
        GSLSetup.configure()
        let support = logReference.indices.filter { logReference[$0] > -.infinity }
        guard !support.isEmpty else {
            throw AlignmentCoreError.invalidPolicy("the reference policy has no support")
        }
        var out = Array(repeating: -Double.infinity, count: preference.size)
        if support.count == 1 {
            out[support[0]] = 0
            return out
        }
        let k = support.count
        var p = [Double](repeating: 0, count: k * k)
        for (a, i) in support.enumerated() {
            for (b, j) in support.enumerated() { p[a * k + b] = preference[i, j] }
        }
        let logMu = LogSpace.normalize(support.map { logReference[$0] })
        let theta = try solveSystem(p: p, logMu: logMu, tau: tau)
        let z = LogSpace.logSumExp(theta)
        for (a, i) in support.enumerated() { out[i] = theta[a] - z }
        return out
    }

    /// Below this τ the bordered system is solved first (its Jacobian is O(1), the logit
    /// Jacobian's condition grows like 1/τ: at τ = 1e-7 the logit path's π*_τ is off by ~3e-11).
    static let borderedFirstBelow = 1e-3

    /// Solves one context's system on μ's support. For τ ≥ `borderedFirstBelow`: the logit system
    /// (direct attempt, then continuation in τ; the path every earlier result was computed with),
    /// then the bordered system (`borderedSolve`) if that fails; below it, the other way round.
    /// `backend` chooses the LU of the Newton phase (LAPACK; GSL's reference implementation for
    /// the cross-check in the tests).
    static func solveSystem(p: [Double], logMu: [Double], tau: Double, backend: NewtonBackend = .lapack) throws -> [Double] {
        if tau < borderedFirstBelow, let w = borderedSolve(p: p, logMu: logMu, tau: tau) { return w }
        do {
            return try logitSolve(p: p, logMu: logMu, tau: tau, backend: backend)
        } catch {
            if tau >= borderedFirstBelow, let w = borderedSolve(p: p, logMu: logMu, tau: tau) { return w }
            throw error
        }
    }

    /// The logit-system path: direct attempt, then continuation in τ.
    static func logitSolve(p: [Double], logMu: [Double], tau: Double, backend: NewtonBackend = .lapack) throws -> [Double] {
        let target = LogitFixedPoint(p: p, logMu: logMu, tau: tau)
        if let theta = try attempt(target, from: logMu, warm: true, fallback: false, backend: backend) { return theta }

        // Continuation: from τ_top ≥ 1 down to the target by factors `ratio` (shortened on failure).
        var level = max(1.0, tau)
        while level <= tau { level *= 2 }
        var current = LogitFixedPoint(p: p, logMu: logMu, tau: level)
        guard var theta = try attempt(current, from: logMu, warm: true, fallback: true, backend: backend) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "regularized equilibrium: no convergence at τ = \(level)")
        }
        var ratio = 0.25
        while current.tau > tau {
            let next = LogitFixedPoint(p: p, logMu: logMu, tau: max(tau, current.tau * ratio))
            // Predictor: the logits of the regularized best response (at the new τ) to the last solution.
            if let solved = try attempt(next, from: next.bestResponseLogits(theta), warm: false, fallback: true, backend: backend) {
                theta = solved
                current = next
                ratio = max(0.1, pow(ratio, 1.25))
            } else {
                ratio = sqrt(ratio)
                guard ratio < 0.99 else {
                    throw AlignmentCoreError.numericalFailure(
                        iteration: 0, reason: "regularized equilibrium: continuation stalled at τ = \(current.tau) (target \(tau))")
                }
            }
        }
        return theta
    }

    /// A damped fixed-point warm start (when `warm`) followed by the globally convergent Newton
    /// method (`denseNewton` on LAPACK, or GSL's `gnewton` for `backend` = `.gsl`) and, when
    /// `fallback` and that fails, GSL's hybrid trust-region solver from the best point reached;
    /// nil when no iterate is accepted.
    static func attempt(_ system: LogitFixedPoint, from start: [Double], warm: Bool, fallback: Bool,
                        backend: NewtonBackend = .lapack) throws -> [Double]? {
        let initial = warm ? dampedFixedPoint(system, from: start, iterations: 200, target: 1e-3) : start
        let iterations = fallback ? 30 : 20
        let first = backend == .lapack
            ? denseNewton(system, from: initial, maxIterations: iterations)
            : try newton(system, from: initial, method: .gnewton, maxIterations: iterations)
        if first.accepted { return first.theta }
        guard fallback else { return nil }
        let second = try newton(system, from: first.theta, method: .hybridsj, maxIterations: 30)
        return second.accepted ? second.theta : nil
    }
}
