import AlignmentCore

/// The reference solutions a run's metrics are measured against: the regularized Nash equilibrium
/// π*_τ (for `kl_from_regularized_equilibrium`), the Nash equilibrium of the unregularized game
/// when it is unique (for `nash_distance`) and, on an environment with a `features` block, the
/// restricted regularized equilibrium π*_Φ of its log-linear class (for `restricted_gap` and
/// `kl_from_restricted_equilibrium`), with the reason for each one that is unavailable.
///
/// A reference that cannot be computed never fails a run: the metrics that need it are left blank
/// and the reason is recorded in runs.csv's `error` cell of the (ok) run.
public struct ReferenceSolutions: Sendable {
    /// π*_τ, nil when there is no evaluation τ, τ = 0, or the solver failed.
    public var regularized: Policy?
    /// The Nash equilibrium when it is unique, nil when it is not unique or the LP failed.
    public var uniqueNash: Policy?
    /// π*_Φ, nil when there is no evaluation τ, τ = 0, no features, or the restricted solver failed
    /// or found several equilibria.
    public var restricted: Policy? = nil
    /// One line per reference that was needed but could not be computed (solver failures only; a
    /// non-unique equilibrium or a missing τ is not a failure).
    public var unavailable: [String]

    /// A note for runs.csv's `error` cell of an ok run ("" when every reference is available).
    public var note: String { unavailable.joined(separator: "; ") }
}

/// Computes the reference solutions of `problem` at τ that `requirements` ask for. This is the ONE
/// place where the sweep computes them; results are cached per environment instance and τ by
/// `EvaluationCache`.
/// - Parameters:
///   - problem: the ground truth with its reference μ.
///   - tau: the evaluation τ, or nil when the run has none (τ = 0 has no π*_τ either).
///   - features: the environment's features (its `features` block), nil when it has none.
///   - requirements: what the spec's metrics need (`ExperimentSpec.metricRequirements`): π*_τ is
///     solved only for `.regularizedEquilibrium`, the Nash LP and its uniqueness test only for
///     `.uniqueNashEquilibrium`, π*_Φ only for `.restrictedEquilibrium` with features (default:
///     all three).
/// - Returns: the solutions; never throws (a solver failure, or restricted equilibria that
///   differ between starts, becomes a line of `unavailable`).
/// - Complexity: one Newton solve per context for π*_τ; one LP (plus up to 2n range LPs) per
///   context for the Nash equilibrium; `RestrictedEquilibriumSolver.defaultStarts` restricted
///   solves for π*_Φ (with indicator features π*_Φ = π*_τ, solved by the tabular solver).
public func referenceSolutions(problem: Problem, tau: Double?, features: FeatureMap? = nil,
                               requirements: Set<MetricRequirement> = [.regularizedEquilibrium, .uniqueNashEquilibrium, .restrictedEquilibrium]) -> ReferenceSolutions {
    var out = ReferenceSolutions(regularized: nil, uniqueNash: nil, unavailable: [])
    if let tau, tau > 0, let features, requirements.contains(.restrictedEquilibrium) {
        do {
            // Indicator features make the class every policy on μ's support: π*_Φ = π*_τ.
            out.restricted = features.isIndicator
                ? try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
                : try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: tau).policy
        } catch {
            out.unavailable.append(Metric.prose { $0.requirements.contains(.restrictedEquilibrium) } + " left blank: π*_Φ at τ = \(CanonicalNumber.format(tau)) not computed (\(error))")
        }
    }
    if let tau, tau > 0, requirements.contains(.regularizedEquilibrium) {
        do {
            out.regularized = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        } catch {
            out.unavailable.append(Metric.prose { $0.requirements.contains(.regularizedEquilibrium) } + " left blank: π*_τ at τ = \(CanonicalNumber.format(tau)) not computed (\(error))")
        }
    }
    guard requirements.contains(.uniqueNashEquilibrium) else { return out }
    do {
        out.uniqueNash = try NashEquilibriumLP.uniqueEquilibrium(problem: problem)
    } catch {
        out.unavailable.append(Metric.prose { $0.requirements.contains(.uniqueNashEquilibrium) } + " left blank: Nash equilibrium LP failed (\(error))")
    }
    return out
}
