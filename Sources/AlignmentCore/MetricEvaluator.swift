/// Computes the harness metrics (`Metric.all`) of policies against one problem.
///
/// Reference solutions (π*_τ and the unique Nash equilibrium) are supplied by the caller, computed
/// by solvers that share no code with the algorithms. A metric whose requirements the inputs do
/// not meet (`Metric.requirements`) is nil.
public struct MetricEvaluator: Sendable {
    /// The ground truth.
    public let problem: Problem
    /// The evaluation τ (nil: τ-metrics are left empty).
    public let tau: Double?
    /// π*_τ for `tau`, when available.
    public let regularizedEquilibrium: Policy?
    /// The Nash equilibrium when it is unique.
    public let uniqueNash: Policy?

    /// What the metrics share that depends only on the problem and `uniqueNash` (P·μ, the
    /// equilibrium's probabilities), computed once per evaluator rather than once per checkpoint.
    private let run: MetricQuantities.RunPart

    /// Creates an evaluator.
    /// - Complexity: O(contexts · actions²).
    public init(problem: Problem, tau: Double?, regularizedEquilibrium: Policy? = nil, uniqueNash: Policy? = nil) {
        self.problem = problem
        self.tau = tau
        self.regularizedEquilibrium = regularizedEquilibrium
        self.uniqueNash = uniqueNash
        run = MetricQuantities.RunPart(problem: problem, uniqueNash: uniqueNash)
    }

    /// Every metric of `Metric.all` for `policy`, in `Metric.all` order (nil where not applicable):
    /// the shared quantities (`MetricQuantities`) are computed once, then each metric from them.
    /// - Complexity: O(contexts · actions²) once, then O(contexts · actions) per metric.
    public func values(_ policy: Policy) -> [Double?] {
        let context = MetricContext(policy: policy, problem: problem, tau: tau,
                                    regularizedEquilibrium: regularizedEquilibrium, uniqueNash: uniqueNash, run: run)
        return Metric.all.map { $0.value(in: context) }
    }

    /// Every metric of `Metric.all` for `policy`, keyed by id (nil where not applicable); see `values(_:)`.
    /// - Complexity: as `values(_:)`.
    public func evaluate(_ policy: Policy) -> [String: Double?] {
        var out: [String: Double?] = [:]
        for (id, v) in zip(Metric.ids, values(policy)) { out[id] = v }
        return out
    }
}
