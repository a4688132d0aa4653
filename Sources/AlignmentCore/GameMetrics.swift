import Foundation

/// Exact game-theoretic quantities of tabular policies. Per-context quantities are
/// averaged with the problem's context weights.
///
/// **Non-negative quantities are never reported negative.** KL divergences (Gibbs' inequality),
/// exploitability (max_y (Pπ)(y) ≥ πᵀPπ = ½ for P + Pᵀ = 1), the regularized gap and distances
/// are ≥ 0 in exact arithmetic; computed in double precision they can fall a few ulps below 0
/// (e.g. KL(π‖μ) = −7.8·10⁻¹⁷ for π equal to μ up to rounding, exploitability −5.55·10⁻¹⁷ when
/// ½·Σπ rounds below ½ on the all-½ matrix). Such a value is rounding, not information, so each
/// is clamped with max(0, ·) per context — the only place metrics are computed.
public enum GameMetrics {
    /// P(π ≻ π') = Σ_x w_x π_xᵀ P_x π'_x.
    public static func preference(_ problem: Problem, _ p: Policy, _ q: Policy) -> Double {
        preference(problem, probabilities: p.probabilities,
                   preferenceTimesOpponent: (0..<problem.contexts).map { problem.preferences[$0].times(q.probabilities(context: $0)) })
    }

    /// P(π ≻ π') = Σ_x w_x Σ_y π_x(y) (P_x π'_x)(y), from π's probabilities and the products
    /// P_x π'_x (`MetricQuantities`; the same arithmetic as `PreferenceMatrix.value`).
    /// - Complexity: O(contexts · actions).
    public static func preference(_ problem: Problem, probabilities: [[Double]], preferenceTimesOpponent: [[Double]]) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts {
            let p = probabilities[x], pq = preferenceTimesOpponent[x]
            var v = 0.0
            for i in 0..<p.count { v += p[i] * pq[i] }
            s += problem.contextWeights[x] * v
        }
        return s
    }

    /// KL(π‖ρ) = Σ_x w_x Σ_y π(y|x) (log π(y|x) − log ρ(y|x)); terms with π(y|x) = 0 contribute 0.
    public static func kl(_ problem: Problem, _ p: Policy, _ q: Policy) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts {
            s += problem.contextWeights[x] * klContext(p.logProbabilities[x], q.logProbabilities[x])
        }
        return s
    }

    /// KL between two log-probability rows, Σ_y π(y)(log π(y) − log ρ(y)) over π(y) > 0, clamped
    /// to ≥ 0 (a negative sum is rounding; see the type's documentation).
    /// - Complexity: O(actions).
    public static func klContext(_ lp: [Double], _ lq: [Double]) -> Double {
        var s = 0.0
        for i in lp.indices where lp[i] > -.infinity {
            s += exp(lp[i]) * (lp[i] - lq[i])
        }
        return max(0, s)
    }

    /// `klContext(_:_:)` given π's probabilities p = exp(lp) already computed (the same `exp` of
    /// the same values, so the same bits, without n exponentials).
    /// - Precondition: `p` has `lp`'s length.
    /// - Complexity: O(actions), no exponential.
    public static func klContext(_ lp: [Double], _ lq: [Double], probabilities p: [Double]) -> Double {
        precondition(p.count == lp.count, "probabilities and log-probabilities differ in length")
        var s = 0.0
        for i in lp.indices where lp[i] > -.infinity {
            s += p[i] * (lp[i] - lq[i])
        }
        return max(0, s)
    }

    /// KL(π‖ρ) (`kl(_:_:_:)`) given π's probabilities per context (`MetricQuantities`'
    /// equilibrium probabilities): the same bits without the exponentials.
    /// - Complexity: O(contexts · actions).
    public static func kl(_ problem: Problem, _ p: Policy, probabilities: [[Double]], _ q: Policy) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts {
            s += problem.contextWeights[x] * klContext(p.logProbabilities[x], q.logProbabilities[x], probabilities: probabilities[x])
        }
        return s
    }

    /// Σ_x w_x v_x, the context-weighted sum of a per-context quantity in the order `kl(_:_:_:)`
    /// sums (so KL(π‖μ) from `MetricQuantities.policyKLToReference` has its bits).
    /// - Complexity: O(contexts).
    public static func weightedSum(_ problem: Problem, _ perContext: [Double]) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts { s += problem.contextWeights[x] * perContext[x] }
        return s
    }

    /// Exploitability e(π) = Σ_x w_x [max_y (P_x π_x)(y) − ½] ∈ [0, ½], each context's term
    /// clamped to ≥ 0 (a negative term is rounding of ½·Σπ; see the type's documentation).
    public static func exploitability(_ problem: Problem, _ p: Policy) -> Double {
        exploitability(problem, preferenceTimesPolicy: (0..<problem.contexts).map {
            problem.preferences[$0].times(p.probabilities(context: $0))
        })
    }

    /// Exploitability from the products P_x π_x (`MetricQuantities.preferenceTimesPolicy`).
    /// - Complexity: O(contexts · actions).
    public static func exploitability(_ problem: Problem, preferenceTimesPolicy: [[Double]]) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts {
            let v = preferenceTimesPolicy[x]
            s += problem.contextWeights[x] * max(0, (v.max() ?? 0.5) - 0.5)
        }
        return s
    }

    /// τ log Σ_y μ(y) exp((P_x π_x)(y)/τ) for one context: the value of the regularized best
    /// response, max_π' [π'ᵀ P π − τ KL(π'‖μ)] (computed with log-sum-exp).
    public static func softBestResponseValue(_ preference: PreferenceMatrix, logReference: [Double],
                                             opponent: [Double], tau: Double) -> Double {
        softBestResponseValue(logReference: logReference, preferenceTimesOpponent: preference.times(opponent), tau: tau)
    }

    /// τ log Σ_y μ(y) exp(v(y)/τ) for v = P_x π_x given (`MetricQuantities.preferenceTimesPolicy`).
    /// - Complexity: O(actions).
    public static func softBestResponseValue(logReference: [Double], preferenceTimesOpponent v: [Double], tau: Double) -> Double {
        let n = min(logReference.count, v.count)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { z in
            for i in 0..<n { z[i] = logReference[i] + v[i] / tau }
            return tau * LogSpace.logSumExp(UnsafeBufferPointer(z))
        }
    }

    /// The regularized duality gap (Munos et al. 2023, §3; Sokota et al. 2023):
    /// gap_τ(π) = Σ_x w_x · 2[τ log Σ_y μ(y) exp((Pπ)(y)/τ) + τ KL(π_x‖μ_x) − ½] ≥ 0 (clamped),
    /// equal to 2·V_τ(BR(π), π) − 1 and zero exactly at π*_τ. For τ = 0 it is 2·e(π).
    /// - Precondition: τ ≥ 0.
    public static func regularizedGap(_ problem: Problem, _ p: Policy, tau: Double) -> Double {
        precondition(tau >= 0, "τ must be non-negative")
        return regularizedGap(problem, p, tau: tau, preferenceTimesPolicy: (0..<problem.contexts).map {
            problem.preferences[$0].times(p.probabilities(context: $0))
        })
    }

    /// The regularized duality gap from the products P_x π_x (`MetricQuantities.preferenceTimesPolicy`).
    /// - Precondition: τ ≥ 0.
    /// - Complexity: O(contexts · actions).
    public static func regularizedGap(_ problem: Problem, _ p: Policy, tau: Double, preferenceTimesPolicy: [[Double]]) -> Double {
        regularizedGap(problem, tau: tau, preferenceTimesPolicy: preferenceTimesPolicy) {
            klContext(p.logProbabilities[$0], problem.reference.logProbabilities[$0])
        }
    }

    /// The regularized duality gap from the products P_x π_x and KL(π_x‖μ_x) per context
    /// (`MetricQuantities.preferenceTimesPolicy`, `.policyKLToReference`): the same bits as
    /// `regularizedGap(_:_:tau:preferenceTimesPolicy:)`, with no exponential of π.
    /// - Precondition: τ ≥ 0.
    /// - Complexity: O(contexts · actions), no allocation.
    public static func regularizedGap(_ problem: Problem, tau: Double, preferenceTimesPolicy: [[Double]], klToReference: [Double]) -> Double {
        regularizedGap(problem, tau: tau, preferenceTimesPolicy: preferenceTimesPolicy) { klToReference[$0] }
    }

    /// The gap's sum, with KL(π_x‖μ_x) from `kl`.
    private static func regularizedGap(_ problem: Problem, tau: Double, preferenceTimesPolicy: [[Double]], kl: (Int) -> Double) -> Double {
        precondition(tau >= 0, "τ must be non-negative")
        if tau == 0 { return 2 * exploitability(problem, preferenceTimesPolicy: preferenceTimesPolicy) }
        var s = 0.0
        for x in 0..<problem.contexts {
            let br = softBestResponseValue(logReference: problem.reference.logProbabilities[x],
                                           preferenceTimesOpponent: preferenceTimesPolicy[x], tau: tau)
            s += problem.contextWeights[x] * 2 * (br + tau * kl(x) - 0.5)
        }
        return max(0, s)
    }

    /// The regularized best response BR_τ(π)_x ∝ μ_x · exp((P_x π_x)/τ).
    /// - Precondition: τ > 0.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when (Pπ)/τ overflows to +∞ (τ below ~1e-308).
    public static func regularizedBestResponse(_ problem: Problem, _ p: Policy, tau: Double) throws -> Policy {
        precondition(tau > 0, "τ must be positive")
        let logits = (0..<problem.contexts).map { x -> [Double] in
            let v = problem.preferences[x].times(p.probabilities(context: x))
            return zip(problem.reference.logProbabilities[x], v).map { $0 + $1 / tau }
        }
        return try Policy(logits: logits)
    }

    /// The regularized game value V_τ(π, π') = P(π ≻ π') − τ KL(π‖μ) + τ KL(π'‖μ).
    public static func regularizedValue(_ problem: Problem, _ p: Policy, _ q: Policy, tau: Double) -> Double {
        preference(problem, p, q) - tau * kl(problem, p, problem.reference) + tau * kl(problem, q, problem.reference)
    }

    /// The true reward E_x E_{y∼π} r_x(y), or nil when the problem has none.
    public static func trueReward(_ problem: Problem, _ p: Policy) -> Double? {
        trueReward(problem, probabilities: p.probabilities)
    }

    /// The true reward from π's probabilities (`MetricQuantities.policyProbabilities`), or nil
    /// when the problem has none.
    /// - Complexity: O(contexts · actions).
    public static func trueReward(_ problem: Problem, probabilities: [[Double]]) -> Double? {
        guard let r = problem.trueReward else { return nil }
        var s = 0.0
        for x in 0..<problem.contexts {
            let px = probabilities[x]
            var e = 0.0
            for y in px.indices { e += px[y] * r[x][y] }
            s += problem.contextWeights[x] * e
        }
        return s
    }

    /// Total-variation distance Σ_x w_x · ½ Σ_y |π(y|x) − ρ(y|x)| (a sum of non-negative terms:
    /// never negative).
    public static func totalVariation(_ problem: Problem, _ p: Policy, _ q: Policy) -> Double {
        totalVariation(problem, p.probabilities, q.probabilities)
    }

    /// Total-variation distance from both policies' probabilities, `[context][action]`.
    /// - Complexity: O(contexts · actions).
    public static func totalVariation(_ problem: Problem, _ p: [[Double]], _ q: [[Double]]) -> Double {
        var s = 0.0
        for x in 0..<problem.contexts {
            let a = p[x], b = q[x]
            s += problem.contextWeights[x] * 0.5 * zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) }
        }
        return s
    }
}
