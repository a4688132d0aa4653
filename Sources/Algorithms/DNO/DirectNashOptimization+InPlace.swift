import AlignmentCore
import Foundation

/// The exact-feedback iteration without allocation (issue 11, target 5): the expressions of
/// `exactPairs(logPi:context:oracle:)` and `gradient(_:logPi:logReference:)`, in the same order,
/// written into buffers a run allocates once, so the same bits (`DNOInPlaceTests` compares them
/// with the allocating forms on seeded inputs).
extension DirectNashOptimization {
    /// One context's buffers for `exactStep`.
    struct ExactWorkspace {
        /// log π_t, the iteration's reference (the normalised logits at its start).
        var logReference: [Double]
        /// π_t.
        var pi: [Double]
        /// log π_θ of the current logits (epochs after the first).
        var logPi: [Double]
        /// The ascent direction.
        var gradient: [Double]
        /// The exact pairs (capacity n(n − 1), reused).
        var pairs: [WeightedPair]

        /// Buffers for n responses.
        init(actions n: Int) {
            logReference = [Double](repeating: 0, count: n)
            (pi, logPi, gradient) = (logReference, logReference, logReference)
            pairs = []
            pairs.reserveCapacity(n * (n - 1))
        }
    }

    /// One iteration of context x in exact feedback — the exact pairs at softmax(`theta`), then
    /// `epochs` ascent steps of `learningRate` on `theta` — what `run` did with `exactPairs` and
    /// `gradient`, bit for bit.
    /// - Parameters:
    ///   - theta: the context's logits (n entries), updated in place.
    ///   - x: the context.
    ///   - oracle: the run's oracle (exact feedback).
    ///   - w: the context's buffers.
    /// - Throws: `unsupportedFeedback` in sampled feedback (from the oracle).
    /// - Complexity: O(n²) pairs, O(epochs · n²); no allocation.
    func exactStep(_ theta: inout [Double], context x: Int, oracle: FeedbackOracle, workspace w: inout ExactWorkspace) throws {
        let n = theta.count
        LogSpace.normalize(theta, into: &w.logReference)
        // exactPairs: (a, b) with weight π(a)π(b)P(a ≻ b), a ≠ b, both in π's support.
        LogSpace.exponentials(w.logReference, into: &w.pi)
        let P = try oracle.preferenceMatrix(context: x)
        w.pairs.removeAll(keepingCapacity: true)
        for a in 0..<n where w.pi[a] > 0 {
            for b in 0..<n where b != a && w.pi[b] > 0 {
                w.pairs.append(WeightedPair(winner: a, loser: b, weight: w.pi[a] * w.pi[b] * P[a, b]))
            }
        }
        for epoch in 0..<epochs {
            // The first epoch's log π_θ is log π_t (the same normalisation of the same logits).
            if epoch > 0 { LogSpace.normalize(theta, into: &w.logPi) }
            let logPi = epoch == 0 ? w.logReference : w.logPi
            for y in 0..<n { w.gradient[y] = 0 }
            for pair in w.pairs {
                let margin = eta * ((logPi[pair.winner] - w.logReference[pair.winner]) - (logPi[pair.loser] - w.logReference[pair.loser]))
                let coefficient = pair.weight * eta / (1 + exp(margin))
                w.gradient[pair.winner] += coefficient
                w.gradient[pair.loser] -= coefficient
            }
            for y in 0..<n { theta[y] += learningRate * w.gradient[y] }
        }
    }
}
