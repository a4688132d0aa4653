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
    // The equilibrium solvers (RegularizedEquilibriumSolver.solve(problem:tau:) and
    // NashEquilibriumLP.uniqueEquilibrium(problem)) are being written by the environments work;
    // until they exist both metrics that need them stay blank. Replace this body with:
    //   let regularized = try tau.flatMap { $0 > 0 ? try RegularizedEquilibriumSolver.solve(problem: problem, tau: $0) : nil }
    //   let nash = try NashEquilibriumLP.uniqueEquilibrium(problem)
    //   return (regularized, nash)
    _ = problem
    _ = tau
    return (nil, nil)
}
