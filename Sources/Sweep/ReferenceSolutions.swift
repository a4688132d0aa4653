import AlignmentCore

/// The reference solutions a run's metrics are measured against: the regularized Nash equilibrium
/// π*_τ (for `kl_from_regularized_equilibrium`) and the Nash equilibrium of the unregularized game
/// when it is unique (for `nash_distance`).
///
/// This is the ONE place where the sweep computes them; results are cached per environment
/// instance and τ by `EvaluationCache`.
/// - Parameters:
///   - problem: the ground truth with its reference μ.
///   - tau: the evaluation τ, or nil when the run has none.
/// - Returns: (π*_τ or nil, unique Nash equilibrium or nil).
/// - Throws: solver errors (they fail the runs that need them).
public func referenceSolutions(problem: Problem, tau: Double?) throws -> (regularized: Policy?, uniqueNash: Policy?) {
    let regularized = try tau.flatMap { $0 > 0 ? try RegularizedEquilibriumSolver.solve(problem: problem, tau: $0) : nil }
    let nash = try NashEquilibriumLP.uniqueEquilibrium(problem: problem)
    return (regularized, nash)
}
