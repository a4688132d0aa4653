import AlignmentCore

/// Pairwise win weights per context: `W_x(a, b)` is the total weight of labels "a ≻ b" in
/// context x. These are the sufficient statistics of the Bradley–Terry likelihood (and of any
/// tabular count model), so fitting costs O(n²) per pass however many labels were drawn.
///
/// Weights are real so that exact soft labels (expected counts) use the same type.
public struct PairwiseCounts: Sendable, Equatable {
    /// Number of contexts.
    public let contexts: Int
    /// Number of responses per context.
    public let actions: Int
    /// Row-major win weights per context: `wins[x][a * actions + b] = W_x(a, b)`.
    public private(set) var wins: [[Double]]

    /// Creates empty counts.
    /// - Precondition: `contexts ≥ 1`, `actions ≥ 1`.
    public init(contexts: Int, actions: Int) {
        precondition(contexts >= 1 && actions >= 1, "counts need positive sizes")
        self.contexts = contexts
        self.actions = actions
        self.wins = Array(repeating: Array(repeating: 0, count: actions * actions), count: contexts)
    }

    /// Counts labelled pairs (weight 1 each).
    public init(pairs: [LabelledPair], contexts: Int, actions: Int) {
        self.init(contexts: contexts, actions: actions)
        for p in pairs { add(p) }
    }

    /// Adds one label "chosen ≻ rejected" with the given weight.
    /// - Precondition: indices in range, weight ≥ 0.
    public mutating func add(_ pair: LabelledPair, weight: Double = 1) {
        precondition(weight >= 0, "weights are non-negative")
        wins[pair.context][pair.chosen * actions + pair.rejected] += weight
    }

    /// W_x(a, b): the weight of labels "a ≻ b" in context x.
    @inlinable
    public func wins(context x: Int, _ a: Int, _ b: Int) -> Double { wins[x][a * actions + b] }

    /// Total label weight in context x.
    public func total(context x: Int) -> Double { wins[x].reduce(0, +) }

    /// Total label weight over all contexts.
    public var total: Double { (0..<contexts).reduce(0) { $0 + total(context: $1) } }

    /// Expected counts of one labelled pair drawn as in `PolicySampler.distinctPair`, per context:
    /// W_x(a, b) = [q(a, b) + q(b, a)] · P_x(a ≻ b) with q(a, b) = ρ(a)ρ(b)/(1 − Σ_c ρ(c)²) for
    /// a ≠ b (two responses drawn independently from ρ, conditioned on being distinct). Each
    /// context's weights sum to 1. These are the "exact soft labels" of the exact feedback mode.
    /// - Parameters:
    ///   - preferences: P_x per context.
    ///   - pairPolicy: ρ, the policy the pairs are drawn from (μ, or the current policy).
    /// - Complexity: O(contexts · n²).
    public static func expected(preferences: [PreferenceMatrix], pairPolicy: Policy) -> PairwiseCounts {
        precondition(preferences.count == pairPolicy.contexts && preferences.first?.size == pairPolicy.actions,
                     "preferences and policy shapes differ")
        var c = PairwiseCounts(contexts: preferences.count, actions: pairPolicy.actions)
        for x in 0..<preferences.count {
            let rho = pairPolicy.probabilities(context: x)
            rho.withUnsafeBufferPointer { rho in
                c.wins[x].withUnsafeMutableBufferPointer { expectedWins(preferences: preferences[x], pairProbabilities: rho, into: $0) }
            }
        }
        return c
    }

    /// One context's expected counts (`expected(preferences:pairPolicy:)`) written into `out`,
    /// row-major: W(a, b) = 2 q(a, b) P(a ≻ b) for a ≠ b, W(a, a) = 0, q the pair law of ρ
    /// (`PairDistribution`). The bits of `expected`, for loops that reuse one buffer.
    /// - Parameters:
    ///   - preferences: P, n × n.
    ///   - rho: ρ, the pair policy's probabilities in this context (n entries, n ≥ 2).
    ///   - out: receives W (n² entries).
    /// - Precondition: matching sizes.
    /// - Complexity: O(n²), no allocation.
    public static func expectedWins(preferences: PreferenceMatrix, pairProbabilities rho: UnsafeBufferPointer<Double>,
                                    into out: UnsafeMutableBufferPointer<Double>) {
        let n = rho.count
        precondition(n >= 2 && preferences.size == n && out.count == n * n, "preferences, pair policy and counts shapes differ")
        let normaliser = PairDistribution.normaliser(of: rho)
        for a in 0..<n {
            for b in 0..<n {
                out[a * n + b] = a == b ? 0 : 2 * PairDistribution.probability(a, b, probabilities: rho, normaliser: normaliser) * preferences[a, b]
            }
        }
    }
}
