import Foundation

/// Numerically stable log-space helpers shared by the core model.
public enum LogSpace {
    /// log Σ exp(xᵢ), computed as m + log Σ exp(xᵢ − m) with m = max xᵢ.
    ///
    /// Returns −∞ for an empty input or when every entry is −∞.
    /// - Complexity: O(n).
    @inlinable
    public static func logSumExp(_ x: [Double]) -> Double {
        var m = -Double.infinity
        for v in x where v > m { m = v }
        if m == -Double.infinity { return -Double.infinity }
        if m == Double.infinity { return Double.infinity }
        var s = 0.0
        for v in x { s += exp(v - m) }
        return m + log(s)
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
}

