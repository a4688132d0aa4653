import AlignmentCore
import Foundation

/// A tabular Bradley–Terry reward model r̂_x(y): P̂(a ≻ b | x) = σ(r̂_x(a) − r̂_x(b))
/// (Bradley & Terry 1952; the reward model of InstructGPT, Ouyang et al. 2022, §3.5).
///
/// Fitted by maximum likelihood to labelled pairs (`fit`), then normalised: mean 0 under μ for
/// RLHF (`centred(under:)`), or min-max to [0, 1] for ReST (`minMaxNormalised()`).
public struct BradleyTerryRewardModel: Sendable, Equatable, PairwisePredictor {
    /// r̂_x(y), indexed `[context][response]`.
    public let rewards: [[Double]]
    /// Whether Newton's method met the gradient tolerance in every context.
    public let converged: Bool
    /// The largest number of Newton iterations used in a context.
    public let iterations: Int
    /// The largest ‖g‖∞ of a context's objective at the fitted rewards (0 for given rewards;
    /// infinite when a Newton system could not be solved).
    public let gradientNorm: Double

    /// Wraps given rewards (e.g. a known reward, for tests or exact baselines).
    public init(rewards: [[Double]], converged: Bool = true, iterations: Int = 0, gradientNorm: Double = 0) {
        self.rewards = rewards
        self.converged = converged
        self.iterations = iterations
        self.gradientNorm = gradientNorm
    }

    /// Number of contexts.
    public var contexts: Int { rewards.count }
    /// Number of responses per context.
    public var actions: Int { rewards.first?.count ?? 0 }

    /// r̂_x(y).
    public func reward(context x: Int, _ y: Int) -> Double { rewards[x][y] }

    /// P̂(a ≻ b | x) = σ(r̂_x(a) − r̂_x(b)).
    public func predictedPreference(context x: Int, _ a: Int, _ b: Int) -> Double {
        Self.sigmoid(rewards[x][a] - rewards[x][b])
    }

    /// σ(z) = 1/(1 + e^{−z}), evaluated without overflow.
    @inlinable
    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// softplus(z) = log(1 + e^z) = −log σ(−z), evaluated without overflow.
    @inlinable
    public static func softplus(_ z: Double) -> Double {
        z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
    }

    /// The model with each context shifted to mean 0 under μ: r̂_x − E_{y∼μ_x} r̂_x(y)
    /// (the RLHF normalisation; preferences are unchanged).
    public func centred(under reference: Policy) -> BradleyTerryRewardModel {
        precondition(reference.contexts == contexts && reference.actions == actions, "shape mismatch")
        let r = (0..<contexts).map { x -> [Double] in
            let mu = reference.probabilities(context: x)
            let mean = zip(mu, rewards[x]).reduce(0) { $0 + $1.0 * $1.1 }
            return rewards[x].map { $0 - mean }
        }
        return BradleyTerryRewardModel(rewards: r, converged: converged, iterations: iterations, gradientNorm: gradientNorm)
    }

    /// The model min-max normalised to [0, 1] per context: (r̂ − min)/(max − min) (the ReST
    /// normalisation, Gulcehre et al. 2023 §3). Tied rewards (`RewardTies`, equal up to the fit's
    /// rounding) get one value, that of their group's largest member, so a threshold keeps or drops
    /// them together; a context whose rewards are all tied maps to 0 (no response is distinguished,
    /// so no threshold above 0 keeps anything) — without the rule, rounding differences of 10⁻¹⁶
    /// would be stretched to the whole range [0, 1].
    public func minMaxNormalised() -> BradleyTerryRewardModel {
        let r = rewards.map { row -> [Double] in
            let groups = RewardTies.tiedGroups(row)
            guard groups.count > 1 else { return row.map { _ in 0 } }
            let top = groups.map { g in g.map { row[$0] }.max()! }   // each group's largest value
            let lo = top[0], hi = top[top.count - 1]
            var out = row
            for (g, value) in zip(groups, top) {
                let v = min(1, max(0, (value - lo) / (hi - lo)))
                for y in g { out[y] = v }
            }
            return out
        }
        return BradleyTerryRewardModel(rewards: r, converged: converged, iterations: iterations, gradientNorm: gradientNorm)
    }

    /// E_{y∼π} r̂ averaged over contexts with weights w.
    public func expectedReward(_ policy: Policy, contextWeights: [Double]) -> Double {
        var s = 0.0
        for x in 0..<contexts {
            let p = policy.probabilities(context: x)
            s += contextWeights[x] * zip(p, rewards[x]).reduce(0) { $0 + $1.0 * $1.1 }
        }
        return s
    }

    /// The fitting objective of one context (see `fit`): mean logistic loss plus (λ/2)‖r‖².
    public static func objective(_ r: [Double], counts: PairwiseCounts, context x: Int, l2: Double) -> Double {
        let n = counts.actions
        let total = counts.total(context: x)
        var f = 0.0
        if total > 0 {
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let w = counts.wins(context: x, a, b)
                    if w > 0 { f += w * softplus(r[b] - r[a]) }
                }
            }
            f /= total
        }
        return f + 0.5 * l2 * r.reduce(0) { $0 + $1 * $1 }
    }
}
