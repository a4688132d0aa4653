import Foundation

/// In-place forms of the log-space helpers for the algorithms' hot loops (issue 11, target 5):
/// the same arithmetic in the same order as their allocating counterparts, so the same bits,
/// written into buffers the caller allocates once per run.
extension LogSpace {
    /// log Σ exp(xᵢ) of a buffer, m + log Σ exp(xᵢ − m) with m = max xᵢ (−∞ for an empty buffer
    /// or when every entry is −∞); `logSumExp(_:)` of an array calls it.
    /// - Complexity: O(n), n exponentials, no allocation.
    @inlinable
    public static func logSumExp(_ x: UnsafeBufferPointer<Double>) -> Double {
        var m = -Double.infinity
        for v in x where v > m { m = v }
        if m == -Double.infinity { return -Double.infinity }
        if m == Double.infinity { return Double.infinity }
        var s = 0.0
        for v in x { s += exp(v - m) }
        return m + log(s)
    }

    /// Normalises log-weights in place, x ← x − logsumexp(x) (the bits of `normalize(_:)`).
    /// - Complexity: O(n), n exponentials, no allocation.
    @inlinable
    public static func normalize(_ x: UnsafeMutableBufferPointer<Double>) {
        let z = logSumExp(UnsafeBufferPointer(x))
        for i in x.indices { x[i] -= z }
    }

    /// `normalize(_:)` of an array in place.
    /// - Complexity: O(n), n exponentials; no allocation when `x` is uniquely referenced.
    @inlinable
    public static func normalize(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { normalize($0) }
    }

    /// `geometricMixture(_:_:weight:)` written into `out`: outᵢ = (1 − w)·aᵢ + w·bᵢ with 0·(−∞) = 0.
    /// `out` may be `a` itself (each entry is read before it is written).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), no allocation.
    @inlinable
    public static func geometricMixture(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, weight w: Double,
                                        into out: UnsafeMutableBufferPointer<Double>) {
        precondition(a.count == b.count && out.count == a.count, "geometric mixture of vectors of different lengths")
        for i in 0..<a.count {
            let u = a[i], v = b[i]
            out[i] = (w == 1 ? 0 : (1 - w) * u) + (w == 0 ? 0 : w * v)
        }
    }

    /// `normalizeWithProbabilities(_:)` in place: x becomes its log-softmax and `probabilities`
    /// receives its softmax, with one exponential per entry and the bits of the allocating form.
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials, no allocation.
    @inlinable
    public static func normalizeWithProbabilities(_ x: UnsafeMutableBufferPointer<Double>,
                                                  probabilities e: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == e.count, "log-softmax and softmax buffers of different lengths")
        var m = -Double.infinity
        for v in x where v > m { m = v }
        let n = x.count
        var s = 0.0
        for i in 0..<n {
            let v = exp(x[i] - m)
            e[i] = v
            s += v
        }
        let shift = m + log(s), inverse = 1 / s
        for i in 0..<n {
            x[i] = x[i] - shift
            e[i] = e[i] * inverse
        }
    }

    /// The mirror-descent step x ← normalize(x + η·g) in place (the bits of
    /// `normalize(zip(x, g).map { $0 + η * $1 })`).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials, no allocation.
    @inlinable
    public static func step(_ x: UnsafeMutableBufferPointer<Double>, along g: UnsafeBufferPointer<Double>, by eta: Double) {
        precondition(x.count == g.count, "step of vectors of different lengths")
        for i in 0..<x.count { x[i] = x[i] + eta * g[i] }
        normalize(x)
    }
}
