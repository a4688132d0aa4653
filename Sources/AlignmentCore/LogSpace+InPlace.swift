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

    /// The mirror-descent step from a centre c: out ← normalize(c + η·g) (the bits of
    /// `normalize(c.indices.map { c[$0] + η * g[$0] })`, and of `step(_:along:by:)` on a copy of c).
    /// - Parameters:
    ///   - centre: c, log-space, length n.
    ///   - g: the direction (a preference vector P q), length n.
    ///   - eta: the step size η.
    ///   - out: receives the normalised log-probabilities (length n; must not overlap `centre` or `g`).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials, no allocation.
    @inlinable
    public static func step(from centre: UnsafeBufferPointer<Double>, along g: UnsafeBufferPointer<Double>, by eta: Double,
                            into out: UnsafeMutableBufferPointer<Double>) {
        precondition(centre.count == g.count && out.count == g.count, "step of vectors of different lengths")
        for i in 0..<out.count { out[i] = centre[i] + eta * g[i] }
        normalize(out)
    }

    /// `step(from:along:by:into:)` on arrays: `out` is overwritten in place (no allocation when it
    /// is uniquely referenced and has n elements, as a plugin's per-run buffer is).
    /// - Complexity: O(n), n exponentials.
    @inlinable
    public static func step(from centre: [Double], along g: [Double], by eta: Double, into out: inout [Double]) {
        centre.withUnsafeBufferPointer { c in
            g.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer { step(from: c, along: g, by: eta, into: $0) }
            }
        }
    }

    /// `geometricMixture(_:_:weight:)` written into `out`: (1 − w)·a + w·b with the endpoints
    /// exact, the bits of the allocating form (Munos et al. 2023, §7: the log of π^{1−w} μ^{w}).
    /// - Parameters:
    ///   - a: log π, length n.
    ///   - b: log μ, length n.
    ///   - w: the weight of b, in [0, 1].
    ///   - out: receives the mixture (length n; no allocation when uniquely referenced).
    /// - Complexity: O(n).
    @inlinable
    public static func geometricMixture(_ a: [Double], _ b: [Double], weight w: Double, into out: inout [Double]) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { geometricMixture(a, b, weight: w, into: $0) }
            }
        }
    }

    /// Probabilities from log-probabilities, out[i] = exp(x[i]), into `out` (the bits of
    /// `x.map { exp($0) }`).
    /// - Parameters:
    ///   - x: log π, length n.
    ///   - out: receives π (length n; no allocation when uniquely referenced).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials.
    @inlinable
    public static func exponentials(_ x: [Double], into out: inout [Double]) {
        precondition(x.count == out.count, "exponentials of vectors of different lengths")
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                for i in 0..<x.count { out[i] = exp(x[i]) }
            }
        }
    }

    /// The magnetic mirror-descent step in place (Sokota et al. 2023, "A Unified Approach to
    /// Reinforcement Learning, Quantal Response Equilibria, and Two-Player Zero-Sum Games", ICLR,
    /// eq. 2 with the negative-entropy mirror map): log π ← normalize((log π + w·log ρ + η·g)/(1 + w)),
    /// w = ητ, i.e. π_{t+1} ∝ (π_t ρ^{ητ} exp(η g))^{1/(1+ητ)}, with w·(−∞) read as 0 when w = 0
    /// (`scaled(_:_:)`). The bits of `normalize(x.indices.map { shrink * (x[$0] + scaled(w, ρ[$0]) + η * g[$0]) })`
    /// with shrink = 1/(1 + w).
    /// - Parameters:
    ///   - logPi: log π_t on entry, log π_{t+1} on return (length n; no allocation when uniquely referenced).
    ///   - magnet: log ρ, the magnet (μ for MMD, the last reset's policy for MPO), length n.
    ///   - g: the direction (P π_t), length n.
    ///   - eta: the step size η.
    ///   - w: ητ.
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials.
    @inlinable
    public static func magneticStep(_ logPi: inout [Double], magnet: [Double], along g: [Double], by eta: Double, weight w: Double) {
        precondition(logPi.count == magnet.count && g.count == magnet.count, "magnetic step of vectors of different lengths")
        let shrink = 1 / (1 + w)
        magnet.withUnsafeBufferPointer { rho in
            g.withUnsafeBufferPointer { g in
                logPi.withUnsafeMutableBufferPointer { x in
                    for i in 0..<x.count { x[i] = shrink * (x[i] + scaled(w, rho[i]) + eta * g[i]) }
                    normalize(x)
                }
            }
        }
    }

    /// `normalize(_:)` written into `out`: out[i] = x[i] − logsumexp(x), the same bits.
    /// - Parameters:
    ///   - x: logits, length n.
    ///   - out: receives the log-softmax (length n; no allocation when uniquely referenced).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), n exponentials.
    @inlinable
    public static func normalize(_ x: [Double], into out: inout [Double]) {
        precondition(x.count == out.count, "normalize into a vector of a different length")
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                let z = logSumExp(x)
                for i in 0..<x.count { out[i] = x[i] - z }
            }
        }
    }

    /// `softmax(_:)` written into `out`: out[i] = exp(x[i] − logsumexp(x)), the same bits.
    /// - Parameters:
    ///   - x: logits, length n.
    ///   - out: receives the probabilities (length n; no allocation when uniquely referenced).
    /// - Precondition: equal lengths.
    /// - Complexity: O(n), 2n exponentials.
    @inlinable
    public static func softmax(_ x: [Double], into out: inout [Double]) {
        precondition(x.count == out.count, "softmax into a vector of a different length")
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                let z = logSumExp(x)
                for i in 0..<x.count { out[i] = exp(x[i] - z) }
            }
        }
    }
}
