/// Quantities several metrics of one checkpoint share, computed once per checkpoint instead of
/// once per metric: π_x as probabilities and P_x π_x for every context; and the ones that depend
/// only on the run (P_x μ_x, the unique Nash equilibrium as probabilities, the regularized gap of
/// the restricted equilibrium π*_Φ), computed once per run
/// by `MetricEvaluator`.
///
/// Each is computed by the same function, in the same order, as the metric that used to compute it
/// itself (`Policy.probabilities(context:)`, `PreferenceMatrix.times`), so sharing it changes no
/// value's bits.
public struct MetricQuantities: Sendable {
    /// π(· | x) as probabilities, per context.
    public var policyProbabilities: [[Double]]
    /// P_x π_x, per context: (P_x π_x)(y) = P(y ≻ π | x).
    public var preferenceTimesPolicy: [[Double]]
    /// P_x μ_x, per context (the same for every checkpoint of a run).
    public var preferenceTimesReference: [[Double]]
    /// The unique Nash equilibrium as probabilities, per context, when there is one.
    public var uniqueNashProbabilities: [[Double]]?
    /// G_τ(π*_Φ), the regularized gap of the restricted equilibrium, when there are τ > 0 and π*_Φ.
    public var restrictedEquilibriumGap: Double?

    /// The quantities of `policy` against `problem`.
    /// - Parameters:
    ///   - run: the per-run part (`preferenceTimesReference`, `uniqueNashProbabilities`) when the
    ///     caller computed it already (`MetricEvaluator`); nil: computed here.
    /// - Complexity: O(contexts · actions²).
    public init(policy: Policy, problem: Problem, uniqueNash: Policy?, run: MetricQuantities.RunPart? = nil) {
        let perRun = run ?? RunPart(problem: problem, uniqueNash: uniqueNash)
        var probabilities: [[Double]] = []
        var products: [[Double]] = []
        probabilities.reserveCapacity(problem.contexts)
        products.reserveCapacity(problem.contexts)
        for x in 0..<problem.contexts {
            let p = policy.probabilities(context: x)
            products.append(problem.preferences[x].times(p))
            probabilities.append(p)
        }
        policyProbabilities = probabilities
        preferenceTimesPolicy = products
        preferenceTimesReference = perRun.preferenceTimesReference
        uniqueNashProbabilities = perRun.uniqueNashProbabilities
        restrictedEquilibriumGap = perRun.restrictedEquilibriumGap
    }

    /// The part of `MetricQuantities` that depends only on the run (the problem and its unique
    /// Nash equilibrium), not on the checkpoint's policy.
    public struct RunPart: Sendable {
        /// P_x μ_x, per context.
        public var preferenceTimesReference: [[Double]]
        /// The unique Nash equilibrium as probabilities, per context.
        public var uniqueNashProbabilities: [[Double]]?
        /// G_τ(π*_Φ) (`GameMetrics.regularizedGap` of the restricted equilibrium), when τ > 0 and
        /// π*_Φ are given.
        public var restrictedEquilibriumGap: Double?

        /// Computes the per-run quantities.
        /// - Parameters:
        ///   - tau: the evaluation τ; with `restrictedEquilibrium` it gives `restrictedEquilibriumGap`.
        ///   - restrictedEquilibrium: π*_Φ at `tau`, when computed.
        /// - Complexity: O(contexts · actions²).
        public init(problem: Problem, uniqueNash: Policy?, tau: Double? = nil, restrictedEquilibrium: Policy? = nil) {
            preferenceTimesReference = (0..<problem.contexts).map {
                problem.preferences[$0].times(problem.reference.probabilities(context: $0))
            }
            uniqueNashProbabilities = uniqueNash?.probabilities
            if let tau, tau > 0, let star = restrictedEquilibrium {
                restrictedEquilibriumGap = GameMetrics.regularizedGap(problem, star, tau: tau)
            }
        }
    }
}
