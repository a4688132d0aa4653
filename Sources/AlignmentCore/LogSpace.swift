import Foundation

/// Numerically stable log-space helpers shared by the core model.
public enum LogSpace {
    /// log Σ exp(xᵢ), computed as m + log Σ exp(xᵢ − m) with m = max xᵢ.
    ///
    /// Returns −∞ for an empty input or when every entry is −∞.
    /// - Complexity: O(n).
    @inlinable
    public static func logSumExp(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { logSumExp($0) }
    }

    /// Normalises log-weights so that Σ exp(result) = 1 (log-softmax).
    /// - Complexity: O(n).
    @inlinable
    public static func normalize(_ x: [Double]) -> [Double] {
        let z = logSumExp(x)
        return x.map { $0 - z }
    }

    /// softmax(x) = exp(x − logsumexp(x)).
    /// - Complexity: O(n).
    @inlinable
    public static func softmax(_ x: [Double]) -> [Double] {
        let z = logSumExp(x)
        return x.map { exp($0 - z) }
    }

    /// log-softmax and softmax of x together, with one `exp` per entry: with m = max xᵢ,
    /// eᵢ = exp(xᵢ − m) and S = Σ eᵢ, returns (xᵢ − m − log S, eᵢ/S). Entries of −∞ give (−∞, 0).
    /// Agrees with (`normalize(x)`, `softmax(x)`) to a few ulps (the rounding order differs).
    /// - Complexity: O(n), n exponentials (`normalize` followed by `softmax` takes 2n).
    @inlinable
    public static func normalizeWithProbabilities(_ x: [Double]) -> (log: [Double], probabilities: [Double]) {
        var m = -Double.infinity
        for v in x where v > m { m = v }
        let n = x.count
        var s = 0.0
        let e = [Double](unsafeUninitializedCapacity: n) { out, count in
            for i in 0..<n {
                let v = exp(x[i] - m)
                out[i] = v
                s += v
            }
            count = n
        }
        let shift = m + log(s), inverse = 1 / s
        return (x.map { $0 - shift }, e.map { $0 * inverse })
    }

    /// log p − log q with the convention that it is 0 when p = 0 (log p = −∞): the log-ratio of a
    /// response outside π's support, which enters every expectation under π with weight 0 (as in
    /// KL(π‖μ)). Keeps "τ·log(π/μ)" finite for responses outside μ's support, where π stays 0.
    /// Returns +∞ when p > 0 = q.
    /// - Complexity: O(1).
    @inlinable
    public static func logRatio(_ logP: Double, _ logQ: Double) -> Double {
        logP == -.infinity ? 0 : logP - logQ
    }

    /// c·v with the measure-theoretic convention 0·(±∞) = 0 (a zero weight on log μ where μ = 0).
    /// - Complexity: O(1).
    @inlinable
    public static func scaled(_ c: Double, _ v: Double) -> Double {
        c == 0 ? 0 : c * v
    }

    /// (1 − w)·a + w·b elementwise — the log of the geometric mixture a^{1−w}·b^{w} of two
    /// (unnormalised) distributions given as log-weights — with the convention 0·(−∞) = 0, so
    /// that w = 0 returns a and w = 1 returns b even where the other is −∞ (a response outside a
    /// support stays outside it).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n).
    @inlinable
    public static func geometricMixture(_ a: [Double], _ b: [Double], weight w: Double) -> [Double] {
        precondition(a.count == b.count, "geometric mixture of vectors of different lengths")
        return zip(a, b).map { u, v in
            (w == 1 ? 0 : (1 - w) * u) + (w == 0 ? 0 : w * v)
        }
    }
}
