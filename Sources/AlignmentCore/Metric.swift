/// A metric the harness computes from a policy and the ground truth (never by a plugin).
public struct Metric: Sendable, Hashable {
    /// Column name in runs.csv / curves.csv.
    public var id: String
    /// One-line meaning, with the formula.
    public var doc: String
    /// Whether it needs the evaluation τ.
    public var needsTau: Bool

    /// Creates a metric description.
    public init(id: String, doc: String, needsTau: Bool = false) {
        self.id = id
        self.doc = doc
        self.needsTau = needsTau
    }

    /// Every metric the harness computes, in column order.
    public static let all: [Metric] = [
        Metric(id: "exploitability", doc: "max_y P(y ≻ π) − 1/2, averaged over contexts; 0 exactly at a Nash equilibrium"),
        Metric(id: "regularized_gap", doc: "2[τ log Σ μ exp(Pπ/τ) + τ KL(π‖μ) − 1/2]; 0 exactly at π*_τ (needs τ)", needsTau: true),
        Metric(id: "win_rate_vs_reference", doc: "P(π ≻ μ)"),
        Metric(id: "kl_to_reference", doc: "KL(π‖μ)"),
        Metric(id: "true_reward", doc: "E_π r, where the environment has a true reward"),
        Metric(id: "kl_from_regularized_equilibrium", doc: "KL(π*_τ‖π), Nash-MD's Theorem 1 quantity (needs τ)", needsTau: true),
        Metric(id: "nash_distance", doc: "total-variation distance to the Nash equilibrium, where it is unique"),
    ]

    /// Metric ids in column order.
    public static var ids: [String] { all.map(\.id) }
}

/// Computes the harness metrics of policies against one problem.
///
/// Reference solutions (π*_τ and the unique Nash equilibrium) are supplied by the caller, computed
/// by solvers that share no code with the algorithms.
public struct MetricEvaluator: Sendable {
    /// The ground truth.
    public let problem: Problem
    /// The evaluation τ (nil: τ-metrics are left empty).
    public let tau: Double?
    /// π*_τ for `tau`, when available.
    public let regularizedEquilibrium: Policy?
    /// The Nash equilibrium when it is unique.
    public let uniqueNash: Policy?

    /// Creates an evaluator.
    public init(problem: Problem, tau: Double?, regularizedEquilibrium: Policy? = nil, uniqueNash: Policy? = nil) {
        self.problem = problem
        self.tau = tau
        self.regularizedEquilibrium = regularizedEquilibrium
        self.uniqueNash = uniqueNash
    }

    /// Every metric of `Metric.all` for `policy` (nil where not applicable).
    public func evaluate(_ policy: Policy) -> [String: Double?] {
        var m: [String: Double?] = [:]
        m["exploitability"] = GameMetrics.exploitability(problem, policy)
        m["regularized_gap"] = tau.map { GameMetrics.regularizedGap(problem, policy, tau: $0) }
        m["win_rate_vs_reference"] = GameMetrics.preference(problem, policy, problem.reference)
        m["kl_to_reference"] = GameMetrics.kl(problem, policy, problem.reference)
        m["true_reward"] = GameMetrics.trueReward(problem, policy)
        m["kl_from_regularized_equilibrium"] = regularizedEquilibrium.map { GameMetrics.kl(problem, $0, policy) }
        m["nash_distance"] = uniqueNash.map { GameMetrics.totalVariation(problem, policy, $0) }
        return m
    }
}
