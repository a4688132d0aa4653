import Foundation

/// Quantities several metrics of one checkpoint share, computed once per checkpoint instead of
/// once per metric: π_x as probabilities, P_x π_x and KL(π_x‖μ_x) for every context; and the ones
/// that depend only on the run (P_x μ_x, the unique Nash equilibrium, π*_τ and π*_Φ as
/// probabilities, the regularized gap of the restricted equilibrium π*_Φ), computed once per run
/// by `MetricEvaluator`.
///
/// Each is computed by the same function, in the same order, as the metric that used to compute it
/// itself (`Policy.probabilities(context:)`, `PreferenceMatrix.times`, `GameMetrics.klContext`;
/// a probability as exp of the log-probability, the same `exp` call), so sharing it changes no
/// value's bits.
public struct MetricQuantities: Sendable {
    /// π(· | x) as probabilities, per context.
    public var policyProbabilities: [[Double]]
    /// P_x π_x, per context: (P_x π_x)(y) = P(y ≻ π | x).
    public var preferenceTimesPolicy: [[Double]]
    /// KL(π_x‖μ_x) per context, clamped at 0 (`GameMetrics.klContext`): shared by the KL to the
    /// reference and the regularized gaps.
    public var policyKLToReference: [Double]
    /// P_x μ_x, per context (the same for every checkpoint of a run).
    public var preferenceTimesReference: [[Double]]
    /// The unique Nash equilibrium as probabilities, per context, when there is one.
    public var uniqueNashProbabilities: [[Double]]?
    /// π*_τ as probabilities, per context, when given.
    public var regularizedEquilibriumProbabilities: [[Double]]?
    /// π*_Φ as probabilities, per context, when given.
    public var restrictedEquilibriumProbabilities: [[Double]]?
    /// G_τ(π*_Φ), the regularized gap of the restricted equilibrium, when there are τ > 0 and π*_Φ.
    public var restrictedEquilibriumGap: Double?

    /// The quantities of `policy` against `problem`.
    /// - Parameters:
    ///   - run: the per-run part (`preferenceTimesReference`, the equilibria's probabilities …)
    ///     when the caller computed it already (`MetricEvaluator`); nil: computed here (without
    ///     π*_τ and π*_Φ, which this initialiser is not given).
    /// - Complexity: O(contexts · actions²).
    public init(policy: Policy, problem: Problem, uniqueNash: Policy?, run: MetricQuantities.RunPart? = nil) {
        let perRun = run ?? RunPart(problem: problem, uniqueNash: uniqueNash)
        let n = policy.actions
        policyProbabilities = Array(repeating: Array(repeating: 0, count: n), count: policy.contexts)
        preferenceTimesPolicy = policyProbabilities
        policyKLToReference = Array(repeating: 0, count: policy.contexts)
        preferenceTimesReference = perRun.preferenceTimesReference
        uniqueNashProbabilities = perRun.uniqueNashProbabilities
        regularizedEquilibriumProbabilities = perRun.regularizedEquilibriumProbabilities
        restrictedEquilibriumProbabilities = perRun.restrictedEquilibriumProbabilities
        restrictedEquilibriumGap = perRun.restrictedEquilibriumGap
        update(policy: policy, problem: problem)
    }

    /// Replaces the per-checkpoint quantities by those of `policy`, in place: no allocation when
    /// these quantities are not shared (a `MetricContext` holding them has ended).
    /// - Precondition: `policy` has this problem's shape (that of the policy these quantities
    ///   were made for).
    /// - Complexity: O(contexts · actions²): per context n exponentials and one `dgemv`.
    public mutating func update(policy: Policy, problem: Problem) {
        precondition(policy.contexts == policyProbabilities.count && policy.actions == (policyProbabilities.first?.count ?? 0),
                     "the policy's shape differs from the quantities'")
        for x in 0..<policy.contexts {
            let lp = policy.logProbabilities[x]
            policyProbabilities[x].withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = exp(lp[i]) }
            }
            policyProbabilities[x].withUnsafeBufferPointer { p in
                preferenceTimesPolicy[x].withUnsafeMutableBufferPointer { problem.preferences[x].times(p, into: $0) }
            }
            policyKLToReference[x] = GameMetrics.klContext(lp, problem.reference.logProbabilities[x], probabilities: policyProbabilities[x])
        }
    }

    /// The part of `MetricQuantities` that depends only on the run (the problem and its reference
    /// solutions), not on the checkpoint's policy.
    public struct RunPart: Sendable {
        /// P_x μ_x, per context.
        public var preferenceTimesReference: [[Double]]
        /// The unique Nash equilibrium as probabilities, per context.
        public var uniqueNashProbabilities: [[Double]]?
        /// π*_τ as probabilities, per context (`Policy.probabilities`), when given.
        public var regularizedEquilibriumProbabilities: [[Double]]?
        /// π*_Φ as probabilities, per context, when given.
        public var restrictedEquilibriumProbabilities: [[Double]]?
        /// G_τ(π*_Φ) (`GameMetrics.regularizedGap` of the restricted equilibrium), when τ > 0 and
        /// π*_Φ are given.
        public var restrictedEquilibriumGap: Double?

        /// Computes the per-run quantities.
        /// - Parameters:
        ///   - tau: the evaluation τ; with `restrictedEquilibrium` it gives `restrictedEquilibriumGap`.
        ///   - regularizedEquilibrium: π*_τ at `tau`, when computed.
        ///   - restrictedEquilibrium: π*_Φ at `tau`, when computed.
        /// - Complexity: O(contexts · actions²).
        public init(problem: Problem, uniqueNash: Policy?, tau: Double? = nil, regularizedEquilibrium: Policy? = nil,
                    restrictedEquilibrium: Policy? = nil) {
            preferenceTimesReference = (0..<problem.contexts).map {
                problem.preferences[$0].times(problem.reference.probabilities(context: $0))
            }
            uniqueNashProbabilities = uniqueNash?.probabilities
            regularizedEquilibriumProbabilities = regularizedEquilibrium?.probabilities
            restrictedEquilibriumProbabilities = restrictedEquilibrium?.probabilities
            if let tau, tau > 0, let star = restrictedEquilibrium {
                restrictedEquilibriumGap = GameMetrics.regularizedGap(problem, star, tau: tau)
            }
        }
    }
}
