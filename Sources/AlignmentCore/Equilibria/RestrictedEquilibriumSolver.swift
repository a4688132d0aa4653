import Foundation

/// The best-in-class reference of the log-linear class Π_Φ = {π_θ(y|x) ∝ μ(y|x) exp(θᵀφ(x, y))}:
/// the restricted τ-regularised equilibrium π*_Φ = π_θ*, θ* a zero of the restricted first-order
/// condition
///
///   F(θ) = Σ_x w_x Σ_y π_θ(y|x) (A_x(y) − Σ_y' π_θ(y'|x) A_x(y')) φ(x, y),
///   A_x(y) = (P_x π_θ)(y) − τ log(π_θ(y|x)/μ(y|x)),
///
/// the gradient in θ' of the symmetric payoff P(π_θ' ≻ π_θ) − τ KL(π_θ'‖μ) at θ' = θ (the
/// restriction of Munos et al. 2023's regularised game to a parametric class; with indicator
/// features it is π*_τ). Computed by a solver that shares no code with the algorithm plugins or
/// PreferenceLearning:
/// 1. reduced coordinates θ = Q η on the identifiable directions (`RestrictedEquilibriumSystem`);
/// 2. from each start, extragradient steps η ← η + a F(η + a F(η)) with an adaptive step a
///    (Khobotov's local Lipschitz rule ‖F(η + aF(η)) − F(η)‖₂ ≤ ½‖F(η)‖₂, a halved until it
///    holds and grown by 1.1 after each step; no score moves by more than 2) until ‖F‖∞ ≤ 1e-4
///    (at most 20,000 steps);
/// 3. Newton's method with the analytic Jacobian (LU by LAPACK, `DenseLinearAlgebra.solve`), no
///    score moving by more than 1 per step, and a backtracking line search on ‖F‖₂ (Armijo
///    constant 1e-4), with 1,000 more extragradient steps when it stalls (at most 20 rounds),
///    until ‖F‖∞ ≤ `residualTolerance` · max(1, max |φ|) *and* the full Newton step from the point
///    moves no score by more than 1e-6. F also vanishes at infinity (a nearly pure π_θ has
///    Cov ≈ 0), so a small ‖F‖ alone is no proof of a root: there the Newton step is O(1);
/// 4. uniqueness as the harness treats a non-unique Nash equilibrium: the solve is repeated from
///    `starts` points (θ = 0, i.e. μ, and seeded Gaussian η with per-coordinate s.d. 1/√r); every
///    start must converge and all must reach the same policy (max |π − π'| ≤ `uniquenessTolerance`),
///    otherwise the reference is absent (an error, never a wrong number).
/// The residual is checked a last time in the original coordinates (‖F(θ*)‖∞ through `FeatureMap`).
public enum RestrictedEquilibriumSolver {
    /// The accepted ‖F(θ*)‖∞, relative to max(1, max |φ|).
    public static let residualTolerance = 1e-12
    /// Largest |π − π'| between the policies two starts reach for them to count as one equilibrium.
    public static let uniquenessTolerance = 1e-9
    /// Largest reduced dimension r solved (the Jacobian is dense r × r).
    public static let maximumDimension = 1024
    /// Default number of starts (θ = 0 and three seeded ones).
    public static let defaultStarts = 4

    /// The solution: θ*, π*_Φ = π_θ*, the final residual and the number of starts that agreed.
    public struct Solution: Sendable {
        /// θ* (the minimum-norm representative: its component outside the identifiable directions is 0).
        public let theta: [Double]
        /// π*_Φ = π_θ*.
        public let policy: Policy
        /// ‖F(θ*)‖∞ in the original coordinates.
        public let residual: Double
        /// The number of starts, all of which reached `policy`.
        public let starts: Int
    }

    /// π*_Φ for `problem` on `features` at τ.
    /// - Parameters:
    ///   - problem: the ground truth (P_x, μ, w_x).
    ///   - features: φ, shaped as the problem.
    ///   - tau: the regularization τ > 0.
    ///   - starts: the number of starts (≥ 1; the first is θ = 0).
    ///   - seed: the seed of the other starts.
    /// - Returns: the solution of the first start, when every start converged to the same policy.
    /// - Throws: `AlignmentCoreError.invalidParameter` for τ ≤ 0 or not finite, or an identifiable
    ///   dimension above `maximumDimension`; `AlignmentCoreError.invalidProblem` for mismatched
    ///   shapes; `AlignmentCoreError.numericalFailure` when a start does not converge or two starts
    ///   reach different policies.
    /// - Complexity: per Newton step O(contexts · (actions³ + actions² r + actions r²) + r³).
    public static func solve(problem: Problem, features: FeatureMap, tau: Double,
                             starts: Int = defaultStarts, seed: UInt64 = 0x5EED_F1) throws -> Solution {
        guard tau > 0, tau.isFinite else {
            throw AlignmentCoreError.invalidParameter(name: "tau", reason: "the restricted equilibrium needs a finite τ > 0, got \(tau)")
        }
        precondition(starts >= 1, "at least one start")
        let system = try RestrictedEquilibriumSystem(problem: problem, features: features, tau: tau)
        guard system.rank <= maximumDimension else {
            throw AlignmentCoreError.invalidParameter(name: "features", reason: "the restricted equilibrium solver handles at most \(maximumDimension) identifiable feature directions, these features have \(system.rank)")
        }
        let scale = max(1, features.values.map { $0.reduce(0) { max($0, abs($1)) } } ?? 1)
        let tolerance = residualTolerance * scale
        let rng = RandomSource(seed: seed)
        var first: (eta: [Double], pi: [[Double]])?
        for k in 0..<starts {
            let start = k == 0 ? [Double](repeating: 0, count: system.rank)
                               : (0..<system.rank).map { _ in rng.normal(sd: 1 / sqrt(Double(system.rank))) }
            guard let eta = solveFrom(start, system: system, tolerance: tolerance) else {
                throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "restricted equilibrium: start \(k) of \(starts) did not reach ‖F‖∞ ≤ \(tolerance)")
            }
            let pi = system.policy(eta)
            if let f = first {
                var gap = 0.0
                for x in 0..<problem.contexts where problem.contextWeights[x] > 0 {
                    for y in 0..<problem.actions { gap = max(gap, abs(pi[x][y] - f.pi[x][y])) }
                }
                guard gap <= uniquenessTolerance else {
                    throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "restricted equilibrium not unique: starts 0 and \(k) reach policies \(gap) apart (max |π − π'|)")
                }
            } else {
                first = (eta, pi)
            }
        }
        let theta = system.theta(first!.eta)
        let policy = try LogLinearPolicyClass(reference: problem.reference, features: features).policy(theta)
        let r = residual(problem: problem, features: features, tau: tau, policy: policy)
        guard r <= tolerance * max(2, sqrt(Double(system.rank))) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "restricted equilibrium: residual \(r) in the original coordinates")
        }
        return Solution(theta: theta, policy: policy, residual: r, starts: starts)
    }

    /// ‖F(θ)‖∞ of a log-linear policy π_θ, computed directly from the definition (A_x with
    /// log(π/μ), features through `FeatureMap.transposeTimes`), independent of the reduced system.
    /// - Complexity: O(contexts · actions · (actions + d)).
    public static func residual(problem: Problem, features: FeatureMap, tau: Double, policy: Policy) -> Double {
        var g = [Double](repeating: 0, count: problem.contexts * problem.actions)
        for x in 0..<problem.contexts {
            let pi = policy.probabilities(context: x)
            let lp = policy.logProbabilities[x], lmu = problem.reference.logProbabilities[x]
            let v = problem.preferences[x].times(pi)
            var a = [Double](repeating: 0, count: problem.actions)
            var mean = 0.0
            for y in 0..<problem.actions where pi[y] > 0 {
                a[y] = v[y] - tau * (lp[y] - lmu[y])
                mean += pi[y] * a[y]
            }
            for y in 0..<problem.actions where pi[y] > 0 {
                g[x * problem.actions + y] = problem.contextWeights[x] * pi[y] * (a[y] - mean)
            }
        }
        return features.transposeTimes(g).reduce(0) { max($0, abs($1)) }
    }

    /// Extragradient to ‖F‖∞ ≤ 1e-4, then Newton to `tolerance`; nil when it does not get there.
    ///
    /// F vanishes at infinity as well (a nearly pure π has C_x ≈ 0), so neither phase may take
    /// ‖F‖ alone as progress: extragradient steps obey the local Lipschitz rule
    /// ‖F(η + aF(η)) − F(η)‖₂ ≤ ½‖F(η)‖₂ (Khobotov's rule; a leap into a flat region breaks it) and
    /// move no score by more than 2; Newton steps move no score by more than 1 (a trust region);
    /// and a point is accepted only when, besides ‖F‖∞ ≤ `tolerance`, the full Newton step from it
    /// moves no score by more than 1e-6 — at a true root it is O(‖F‖), at a flat point O(1).
    static func solveFrom(_ start: [Double], system: RestrictedEquilibriumSystem, tolerance: Double) -> [Double]? {
        var eta = start
        var point = system.evaluate(eta)
        if system.rank == 0 { return eta }
        var step = 1.0
        func extragradient(_ maxSteps: Int, until target: Double) {
            var taken = 0
            while taken < maxSteps, point.maxNorm > target, step > 1e-14 {
                let move = system.scoreChange(point.residual)
                if step * move > 2 { step = 2 / move }
                let mid = zip(eta, point.residual).map { $0 + step * $1 }
                let midPoint = system.evaluate(mid)
                let change = zip(midPoint.residual, point.residual).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                guard midPoint.squaredNorm.isFinite, change <= 0.25 * point.squaredNorm else {
                    step /= 2
                    continue
                }
                eta = zip(eta, midPoint.residual).map { $0 + step * $1 }
                point = system.evaluate(eta)
                step *= 1.1
                taken += 1
            }
        }
        extragradient(20_000, until: 1e-4)
        for _ in 0..<20 {
            for _ in 0..<50 where point.maxNorm > tolerance {
                guard let next = newtonStep(eta, point, system: system) else { break }
                eta = next.eta
                point = next.point
            }
            if point.maxNorm <= tolerance, let d = newtonDirection(point, system: system), system.scoreChange(d) <= 1e-6 {
                // Polish: up to two more steps, kept only when they lower the residual.
                for _ in 0..<2 {
                    guard let next = newtonStep(eta, point, system: system), next.point.maxNorm < point.maxNorm else { break }
                    eta = next.eta
                    point = next.point
                }
                return eta
            }
            step = max(step, 1e-3)
            extragradient(1000, until: 0)
        }
        return nil
    }

    /// The full Newton step −J⁻¹F at a point; nil when the Jacobian is singular.
    static func newtonDirection(_ point: RestrictedEquilibriumSystem.Point, system: RestrictedEquilibriumSystem) -> [Double]? {
        var jac = system.jacobian(point)
        var delta = point.residual.map { -$0 }
        let ok = jac.withUnsafeMutableBufferPointer { a in
            delta.withUnsafeMutableBufferPointer { b in DenseLinearAlgebra.solve(order: system.rank, a.baseAddress!, b.baseAddress!) }
        }
        return ok && delta.allSatisfy(\.isFinite) ? delta : nil
    }

    /// One damped Newton step (scores move by at most 1, then halved until ‖F‖₂ falls by the
    /// Armijo factor); nil when the Jacobian is singular or no step length lowers ‖F‖₂.
    static func newtonStep(_ eta: [Double], _ point: RestrictedEquilibriumSystem.Point,
                           system: RestrictedEquilibriumSystem) -> (eta: [Double], point: RestrictedEquilibriumSystem.Point)? {
        guard var delta = newtonDirection(point, system: system) else { return nil }
        let move = system.scoreChange(delta)
        if move > 1 { delta = delta.map { $0 / move } }
        let f0 = point.squaredNorm
        var t = 1.0
        while t > 1e-10 {
            let trial = zip(eta, delta).map { $0 + t * $1 }
            let p = system.evaluate(trial)
            if p.squaredNorm.isFinite, p.squaredNorm <= (1 - 1e-4 * t) * f0 || (p.squaredNorm < f0 && p.maxNorm < 1e-10) {
                return (trial, p)
            }
            t /= 2
        }
        return nil
    }
}
