import AlignmentCore

/// Labelled data drawn through the run's feedback oracle.
public enum PreferenceSampling {
    /// Draws `count` pairs of distinct responses from `policy` (context x ~ w, then
    /// (a, b) ~ q as in `PolicySampler.distinctPair`) and labels each with one oracle query.
    ///
    /// - Parameters:
    ///   - count: number of labelled pairs (each costs one query).
    ///   - policy: the policy the pairs are drawn from (μ for offline data, π_t for online data).
    ///   - contextWeights: w_x.
    ///   - oracle: the run's feedback oracle.
    ///   - rng: the run's generator.
    /// - Throws: `AlignmentCoreError.budgetExhausted` before drawing anything when the remaining
    ///   budget cannot pay for `count` labels, so a batch is never half-labelled.
    /// - Complexity: O(contexts · n + count · log n).
    public static func labelledPairs(count: Int, from policy: Policy, contextWeights: [Double],
                                     oracle: FeedbackOracle, rng: RandomSource) throws -> [LabelledPair] {
        precondition(count >= 0, "count must be non-negative")
        guard oracle.canQuery(count) else {
            throw AlignmentCoreError.budgetExhausted(queries: oracle.queryBudget ?? oracle.queries)
        }
        let sampler = PolicySampler(policy: policy, contextWeights: contextWeights)
        var out: [LabelledPair] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let x = sampler.context(using: rng)
            let (a, b) = sampler.distinctPair(context: x, using: rng)
            let aWins = try oracle.compare(context: x, a, b)
            out.append(LabelledPair(context: x, chosen: aWins ? a : b, rejected: aWins ? b : a))
        }
        return out
    }

    /// The number of labels a request for `wanted` labels may use: min(wanted, remaining budget).
    /// - Throws: `AlignmentCoreError.budgetExhausted` when no label is left at all.
    public static func affordable(_ wanted: Int, oracle: FeedbackOracle) throws -> Int {
        guard let remaining = oracle.remainingQueries else { return wanted }
        guard remaining > 0 || wanted == 0 else {
            throw AlignmentCoreError.budgetExhausted(queries: oracle.queryBudget ?? oracle.queries)
        }
        return min(wanted, remaining)
    }
}
