/// Computes the harness metrics (`Metric.all`) of policies against one problem.
///
/// Reference solutions (π*_τ, the unique Nash equilibrium and the restricted equilibrium π*_Φ) are supplied by the caller, computed
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
    /// π*_Φ at `tau`, when available (environments with features).
    public let restrictedEquilibrium: Policy?
    /// The metrics `evaluate` computes (default every metric); the others are absent from its result.
    public let metrics: [Metric]
    /// Whether each metric of `Metric.all` is in `metrics`.
    private let selected: [Bool]
    /// The evaluators of the metrics `values` computes: selected, and with every requirement
    /// met by this evaluator's inputs (which do not change between checkpoints), with their
    /// index in `Metric.all` — decided once here instead of per checkpoint and metric.
    private let active: [ActiveMetric]

    /// What the metrics share that depends only on the problem and the reference solutions (P·μ,
    /// the equilibria's probabilities, G_τ(π*_Φ)), computed once per evaluator rather than once per checkpoint.
    private let run: MetricQuantities.RunPart

    /// Creates an evaluator.
    /// - Parameters:
    ///   - restrictedEquilibrium: π*_Φ at `tau` (nil: the metrics that need it are blank).
    ///   - metrics: the metrics to compute (a spec's `metrics`; default `Metric.all`).
    /// - Complexity: O(contexts · actions²).
    public init(problem: Problem, tau: Double?, regularizedEquilibrium: Policy? = nil, uniqueNash: Policy? = nil,
                restrictedEquilibrium: Policy? = nil, metrics: [Metric] = Metric.all) {
        self.metrics = metrics
        selected = Metric.all.map { m in metrics.contains { $0.id == m.id } }
        self.problem = problem
        self.tau = tau
        self.regularizedEquilibrium = regularizedEquilibrium
        self.uniqueNash = uniqueNash
        self.restrictedEquilibrium = restrictedEquilibrium
        run = MetricQuantities.RunPart(problem: problem, uniqueNash: uniqueNash, tau: tau, regularizedEquilibrium: regularizedEquilibrium,
                                       restrictedEquilibrium: restrictedEquilibrium)
        let chosen = selected
        active = Metric.all.indices.compactMap { k in
            let m = Metric.all[k]
            guard chosen[k], m.requirements.allSatisfy({
                MetricContext.provides($0, problem: problem, tau: tau, regularizedEquilibrium: regularizedEquilibrium,
                                       uniqueNash: uniqueNash, restrictedEquilibrium: restrictedEquilibrium)
            }) else { return nil }
            return ActiveMetric(index: k, evaluator: m.evaluator)
        }
    }

    /// The indices in `Metric.all` of the metrics `values(_:)` computes (selected, with every
    /// requirement met), ascending; every other entry of its result is nil at every checkpoint.
    /// - Complexity: O(metrics).
    public var computedMetricIndices: [Int] { active.map(\.index) }

    /// The metrics of `Metric.all` for `policy`, in `Metric.all` order (nil where not applicable
    /// and for the metrics not in `metrics`): the shared quantities (`MetricQuantities`) are
    /// computed once, then each metric from them (the same
    /// values as `Metric.value(in:)` on the context).
    /// - Complexity: O(contexts · actions²) once, then O(contexts · actions) per metric.
    public func values(_ policy: Policy) -> [Double?] {
        let context = MetricContext(policy: policy, problem: problem, tau: tau,
                                    regularizedEquilibrium: regularizedEquilibrium, uniqueNash: uniqueNash,
                                    restrictedEquilibrium: restrictedEquilibrium, run: run)
        var out = [Double?](repeating: nil, count: Metric.all.count)
        for m in active { out[m.index] = m.evaluator(context) }
        return out
    }

    /// `values(_:)` written into `out` (resized to `Metric.all.count` when it has another length),
    /// with the context — the policy and the per-checkpoint quantities — updated in place in
    /// `context` (nil, or of another shape: made here). A run's recorder keeps both between
    /// checkpoints, so a checkpoint allocates nothing here once the first is done and retains
    /// only the new policy (a context made per checkpoint retains its ~15 array references and
    /// releases them again). The same values, bit for bit, as `values(_:)`.
    /// - Parameters:
    ///   - policy: the checkpoint's policy (the problem's shape).
    ///   - out: receives the metrics in `Metric.all` order (nil where not applicable or not selected).
    ///   - context: storage kept between calls; must only ever be passed to this evaluator.
    /// - Complexity: as `values(_:)`.
    public func values(_ policy: Policy, into out: inout [Double?], reusing context: inout MetricContext?) {
        if out.count != Metric.all.count { out = [Double?](repeating: nil, count: Metric.all.count) }
        if let q = context?.quantities.policyProbabilities, q.count == policy.contexts, q.first?.count == policy.actions {
            // Accessed in place through the optional (never copied out), so the quantities'
            // arrays stay uniquely referenced and are overwritten.
            context!.policy = policy
            context!.quantities.update(policy: policy, problem: problem)
        } else {
            context = MetricContext(policy: policy, problem: problem, tau: tau, regularizedEquilibrium: regularizedEquilibrium,
                                    uniqueNash: uniqueNash, restrictedEquilibrium: restrictedEquilibrium,
                                    quantities: MetricQuantities(policy: policy, problem: problem, uniqueNash: uniqueNash, run: run))
        }
        write(&context!, into: &out)
    }

    /// The active metrics of `context` into `out` (of length `Metric.all.count`), nil elsewhere.
    /// `context` is `inout` only so that it is borrowed in place, not copied (it is not changed).
    private func write(_ context: inout MetricContext, into out: inout [Double?]) {
        var next = 0
        for m in active {
            while next < m.index { out[next] = nil; next += 1 }
            out[m.index] = m.evaluator(context)
            next = m.index + 1
        }
        while next < out.count { out[next] = nil; next += 1 }
    }

    /// Every metric of `metrics` for `policy`, keyed by id (nil where not applicable; the
    /// metrics not in `metrics` are absent); see `values(_:)`.
    /// - Complexity: as `values(_:)`.
    public func evaluate(_ policy: Policy) -> [String: Double?] {
        var out: [String: Double?] = [:]
        for (k, v) in values(policy).enumerated() where selected[k] { out[Metric.ids[k]] = v }
        return out
    }
}

/// One metric `MetricEvaluator` computes: its index in `Metric.all` and its evaluator. A struct
/// rather than a tuple in the array, so the closure is stored and called at its natural
/// abstraction: one in a tuple inside an `Array` is called through a reabstraction thunk that
/// copies the whole `MetricContext` (~15 references retained and released) per call.
private struct ActiveMetric: Sendable {
    /// The metric's index in `Metric.all`.
    let index: Int
    /// `Metric.evaluator`.
    let evaluator: @Sendable (MetricContext) -> Double?
}
