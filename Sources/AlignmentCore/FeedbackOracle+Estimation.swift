import Foundation

extension FeedbackOracle {
    /// P(y ≻ q) for every response y as the run's feedback mode allows: exactly (P_x q) in exact
    /// mode, else the label-based estimate of `estimatePreferenceAgainst` with `labelsPerResponse`
    /// labels per response.
    /// - Parameters:
    ///   - x: the context.
    ///   - q: the opponent distribution.
    ///   - labelsPerResponse: labels per response in sampled mode (k ≥ 1).
    ///   - rng: the algorithm's generator (sampled mode only).
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the query budget runs out (sampled mode).
    public func preferenceVector(context x: Int, against q: [Double], labelsPerResponse: Int,
                                 rng: RandomSource) throws -> [Double] {
        mode == .exact
            ? try preferenceAgainst(context: x, q)
            : try estimatePreferenceAgainst(context: x, q, labelsPerResponse: labelsPerResponse, rng: rng)
    }

    /// `preferenceVector(context:against:labelsPerResponse:rng:)` written into `y`, for a plugin's
    /// per-run buffer: in exact mode P_x q by one OpenBLAS `dgemv` into y's storage (no allocation
    /// when y is uniquely referenced; the bits of the allocating form), in sampled mode the
    /// estimate assigned to y (drawn exactly as there, so the generator's stream is unchanged).
    /// - Parameters:
    ///   - x: the context.
    ///   - q: the opponent distribution, length n.
    ///   - labelsPerResponse: labels per response in sampled mode (k ≥ 1).
    ///   - rng: the algorithm's generator (sampled mode only).
    ///   - y: receives P(y ≻ q) for every response (length n).
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the query budget runs out (sampled mode).
    /// - Complexity: O(n²) exact; O(n·k·n) sampled.
    public func preferenceVector(context x: Int, against q: [Double], labelsPerResponse: Int,
                                 rng: RandomSource, into y: inout [Double]) throws {
        guard mode == .exact else {
            y = try estimatePreferenceAgainst(context: x, q, labelsPerResponse: labelsPerResponse, rng: rng)
            return
        }
        try q.withUnsafeBufferPointer { q in
            try y.withUnsafeMutableBufferPointer { try preferenceAgainst(context: x, q, into: $0) }
        }
    }

    /// Monte Carlo estimate of P(y ≻ q) for every response y from preference labels — the sampled
    /// counterpart of `preferenceAgainst(context:_:)`, available in every feedback mode.
    ///
    /// For each y, `labelsPerResponse` opponents y' are drawn independently from q and the label
    /// 1[y ≻ y'] is queried; the estimate is the mean label, an unbiased estimate of
    /// (P_x q)(y) = Σ_y' P_x(y ≻ y') q(y') (of the noisy preference when the run has label noise).
    /// An opponent equal to y is not queried: P(y ≻ y) = ½ holds by P + Pᵀ = 1, so the term ½ is
    /// used exactly (which only lowers the variance). Every label drawn counts as one query.
    /// - Parameters:
    ///   - x: the context.
    ///   - q: the opponent distribution (probabilities, non-negative with a positive sum).
    ///   - labelsPerResponse: opponents drawn per response k ≥ 1.
    ///   - rng: the algorithm's generator (used to draw opponents; the oracle draws the labels).
    /// - Returns: the n estimates, each a multiple of 1/(2k) in [0, 1].
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the query budget runs out part-way.
    /// - Complexity: O(n·k·n) time and at most n·k queries.
    public func estimatePreferenceAgainst(context x: Int, _ q: [Double], labelsPerResponse: Int,
                                          rng: RandomSource) throws -> [Double] {
        precondition(labelsPerResponse >= 1, "labelsPerResponse must be at least 1")
        precondition(q.count == actions, "opponent has \(q.count) entries, expected \(actions)")
        let k = labelsPerResponse
        var estimates = [Double](repeating: 0, count: q.count)
        for y in q.indices {
            var wins = 0.0
            for _ in 0..<k {
                let opponent = rng.categorical(q)
                if opponent == y {
                    wins += 0.5
                } else if try compare(context: x, y, opponent) {
                    wins += 1
                }
            }
            estimates[y] = wins / Double(k)
        }
        return estimates
    }
}
