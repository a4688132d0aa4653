import AlignmentCore
import Foundation

/// A tabular pairwise preference model fitted by smoothed counts — the learned preference of Nash
/// learning from human feedback (Munos et al. 2023, §3–4), in its tabular form.
///
/// For a context x and responses a ≠ b, with W_x(a, b) the weight of labels "a ≻ b" and
/// N_x(a, b) = W_x(a, b) + W_x(b, a) the weight of labels comparing them (in either order), the
/// estimate is
///
///     P̂_x(a ≻ b) = (W_x(a, b) + α) / (N_x(a, b) + 2α),
///
/// additive smoothing toward ½ (Laplace for α = 1; the posterior mean under a Beta(α, α) prior on
/// each pair's preference). The diagonal is ½ and P̂ + P̂ᵀ = 1 holds by construction, so every
/// context's P̂ is a valid `PreferenceMatrix`; with α = 0 an unobserved pair gets ½. Unlike a
/// Bradley–Terry reward model it can represent intransitive (cyclic) preferences, and with enough
/// labels on every pair it converges to P itself (the Bayes-optimal predictor). Held-out accuracy
/// comes from `PairwisePredictor`.
public struct PairwisePreferenceModel: PairwisePredictor, Sendable, Equatable {
    /// The smoothing pseudo-count α ≥ 0.
    public let smoothing: Double
    /// The label counts W_x(a, b) the model was fitted to.
    public private(set) var counts: PairwiseCounts

    /// Number of contexts.
    public var contexts: Int { counts.contexts }
    /// Number of responses per context n.
    public var actions: Int { counts.actions }

    /// Creates a model from label counts (integer counts, or exact expected "soft" counts).
    /// - Precondition: α is finite and non-negative.
    public init(counts: PairwiseCounts, smoothing: Double) {
        precondition(smoothing >= 0 && smoothing.isFinite, "smoothing must be finite and non-negative")
        self.counts = counts
        self.smoothing = smoothing
    }

    /// Creates a model fitted to labelled pairs.
    /// - Precondition: every pair names a valid context and two valid responses; α ≥ 0 finite.
    public init(pairs: [LabelledPair], contexts: Int, actions: Int, smoothing: Double) {
        self.init(counts: PairwiseCounts(pairs: pairs, contexts: contexts, actions: actions), smoothing: smoothing)
    }

    /// Adds one label "chosen ≻ rejected" (an online update of the counts).
    public mutating func add(_ pair: LabelledPair) {
        counts.add(pair)
    }

    /// N_x(a, b): the weight of labels comparing `a` and `b` in context x (in either order).
    public func comparisons(context x: Int, _ a: Int, _ b: Int) -> Double {
        counts.wins(context: x, a, b) + counts.wins(context: x, b, a)
    }

    /// P̂_x(a ≻ b) = (W_x(a, b) + α)/(N_x(a, b) + 2α); ½ on the diagonal, and for unobserved
    /// pairs when α = 0.
    public func probability(context x: Int, _ a: Int, _ b: Int) -> Double {
        if a == b { return 0.5 }
        let w = counts.wins(context: x, a, b)
        let denominator = w + counts.wins(context: x, b, a) + 2 * smoothing
        return denominator > 0 ? (w + smoothing) / denominator : 0.5
    }

    /// P̂(a ≻ b | x), the `PairwisePredictor` requirement (same as `probability`).
    public func predictedPreference(context x: Int, _ a: Int, _ b: Int) -> Double {
        probability(context: x, a, b)
    }

    /// P̂_x as a preference matrix (entries below the diagonal are the exact complements
    /// 1 − P̂_x(b ≻ a)).
    /// - Throws: `AlignmentCoreError.invalidPreference` if an entry left [0, 1] (not expected: every
    ///   estimate is a ratio of non-negative counts).
    public func matrix(context x: Int) throws -> PreferenceMatrix {
        try PreferenceMatrix.fromUpperTriangle(size: actions) { a, b in probability(context: x, a, b) }
    }

    /// (P̂_x q)(y) = Σ_y' P̂_x(y ≻ y') q(y') for every y: the model's P(y ≻ q).
    /// - Complexity: O(n²).
    public func preferenceAgainst(context x: Int, _ q: [Double]) -> [Double] {
        precondition(q.count == actions, "vector length \(q.count) does not match \(actions) responses")
        return (0..<actions).map { y in
            var s = 0.0
            for y2 in 0..<actions { s += probability(context: x, y, y2) * q[y2] }
            return s
        }
    }
}
