import AlignmentCore

/// A learned model that predicts P̂(a ≻ b | x): the Bradley–Terry reward model, or a pairwise
/// preference model. Held-out accuracy is defined once for all of them here.
public protocol PairwisePredictor {
    /// P̂(a ≻ b | x) ∈ [0, 1].
    func predictedPreference(context x: Int, _ a: Int, _ b: Int) -> Double
}

extension PairwisePredictor {
    /// Held-out accuracy: the fraction of `pairs` whose label agrees with the model's predicted
    /// winner (P̂(chosen ≻ rejected) > ½ scores 1, = ½ scores ½, < ½ scores 0). Returns nil for
    /// an empty set.
    public func accuracy(on pairs: [LabelledPair]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        var s = 0.0
        for p in pairs { s += PairAccuracy.score(predictedPreference(context: p.context, p.chosen, p.rejected)) }
        return s / Double(pairs.count)
    }

    /// Expected accuracy on a fresh labelled pair, computed exactly: pairs of distinct responses
    /// drawn from ρ (law q of `PairDistribution`), labels from the true P:
    /// Σ_x w_x Σ_{a≠b} q_x(a, b) [P_x(a ≻ b)·1{P̂ > ½} + P_x(b ≻ a)·1{P̂ < ½} + ½·1{P̂ = ½}],
    /// with P̂ = P̂(a ≻ b | x).
    /// - Complexity: O(contexts · n²).
    public func expectedAccuracy(preferences: [PreferenceMatrix], pairPolicy: Policy, contextWeights: [Double]) -> Double {
        var total = 0.0
        for x in preferences.indices {
            let q = PairDistribution(probabilities: pairPolicy.probabilities(context: x))
            let n = preferences[x].size
            var s = 0.0
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let pHat = predictedPreference(context: x, a, b)
                    let p = preferences[x][a, b]
                    s += q.probability(a, b) * (p * PairAccuracy.score(pHat) + (1 - p) * PairAccuracy.score(1 - pHat))
                }
            }
            total += contextWeights[x] * s
        }
        return total
    }
}

/// Accuracy helpers shared by every `PairwisePredictor`.
public enum PairAccuracy {
    /// 1 if p > ½, ½ if p is tied with ½ (`RewardTies.areTied`: within 10⁻¹², the rounding of a
    /// σ(r̂_a − r̂_b) whose rewards are tied), 0 otherwise: the credit for predicting a label whose
    /// predicted probability is p.
    @inlinable
    public static func score(_ p: Double) -> Double { RewardTies.areTied(p, 0.5) ? 0.5 : (p > 0.5 ? 1 : 0) }

    /// The Bayes-optimal expected accuracy Σ_x w_x Σ_{a≠b} q_x(a, b) max(P_x(a ≻ b), P_x(b ≻ a)):
    /// no predictor can do better on pairs drawn from ρ.
    public static func bayesOptimal(preferences: [PreferenceMatrix], pairPolicy: Policy, contextWeights: [Double]) -> Double {
        var total = 0.0
        for x in preferences.indices {
            let q = PairDistribution(probabilities: pairPolicy.probabilities(context: x))
            let n = preferences[x].size
            var s = 0.0
            for a in 0..<n {
                for b in 0..<n where a != b { s += q.probability(a, b) * max(preferences[x][a, b], preferences[x][b, a]) }
            }
            total += contextWeights[x] * s
        }
        return total
    }
}
