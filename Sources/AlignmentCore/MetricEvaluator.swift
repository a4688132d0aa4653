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
    /// The metrics `evaluate` computes (default every metric); the others are absent from its result.
    public let metrics: [Metric]

    /// Creates an evaluator.
    /// - Parameter metrics: the metrics to compute (a spec's `metrics`; default `Metric.all`).
    public init(problem: Problem, tau: Double?, regularizedEquilibrium: Policy? = nil, uniqueNash: Policy? = nil,
                metrics: [Metric] = Metric.all) {
        self.metrics = metrics
        self.problem = problem
        self.tau = tau
        self.regularizedEquilibrium = regularizedEquilibrium
        self.uniqueNash = uniqueNash
    }

    /// Every metric of `metrics` for `policy`, keyed by id (nil where not applicable).
    /// - Complexity: the sum of the metrics' costs, O(contexts · actions²) each.
    public func evaluate(_ policy: Policy) -> [String: Double?] {
        let context = MetricContext(policy: policy, problem: problem, tau: tau,
                                    regularizedEquilibrium: regularizedEquilibrium, uniqueNash: uniqueNash)
        var values: [String: Double?] = [:]
        for metric in metrics { values[metric.id] = metric.value(in: context) }
        return values
    }
}
