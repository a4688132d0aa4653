/// The law of an unordered pair of distinct responses drawn from ρ: two independent draws
/// conditioned on being distinct, q(a, b) = ρ(a)ρ(b)/(1 − Σ_c ρ(c)²) for each order (a ≠ b).
///
/// Identical pairs carry no information (P(y ≻ y) = ½, and every DPO or Bradley–Terry gradient
/// vanishes on them), so the samplers never spend a label on one. When ρ is (numerically) a point
/// mass, the pair law falls back to the uniform law on distinct pairs.
public struct PairDistribution: Sendable {
    /// ρ.
    public let probabilities: [Double]
    /// ρ(a)·(1 − ρ(a)) with 1 − ρ(a) computed as Σ_{b≠a} ρ(b): the first response's weight.
    public let firstWeights: [Double]
    /// Σ_a firstWeights[a] = 1 − Σ ρ² (0 when ρ is a point mass).
    public let normaliser: Double

    /// Creates the pair law of ρ.
    /// - Precondition: at least two responses.
    public init(probabilities rho: [Double]) {
        precondition(rho.count >= 2, "pairs of distinct responses need at least two responses")
        let total = rho.reduce(0, +)
        probabilities = rho
        firstWeights = rho.map { Self.firstWeight($0, total: total) }
        normaliser = firstWeights.reduce(0, +)
    }

    /// Whether the law is the uniform fallback (ρ a point mass in double precision).
    public var isDegenerate: Bool { !(normaliser > 0) }

    /// q(a, b): the probability that the ordered pair (a, b) is drawn, a ≠ b; 0 when a == b.
    public func probability(_ a: Int, _ b: Int) -> Double {
        probabilities.withUnsafeBufferPointer { Self.probability(a, b, probabilities: $0, normaliser: normaliser) }
    }

    /// ρ(a)·(1 − ρ(a)), with 1 − ρ(a) computed as `total − ρ(a)` (total = Σ ρ) and clamped at 0.
    @inlinable
    static func firstWeight(_ r: Double, total: Double) -> Double { r * max(0, total - r) }

    /// The normaliser 1 − Σ ρ² of ρ's pair law, the bits of `PairDistribution(probabilities:)`'s
    /// `normaliser`, without building the law.
    /// - Parameter rho: ρ, at least two entries.
    /// - Complexity: O(n), no allocation.
    @inlinable
    public static func normaliser(of rho: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for r in rho { total += r }
        var s = 0.0
        for r in rho { s += firstWeight(r, total: total) }
        return s
    }

    /// q(a, b) of ρ's pair law given its `normaliser`, the bits of `probability(_:_:)`: 0 when
    /// a == b, 1/(n(n − 1)) when the law is degenerate (normaliser not > 0).
    /// - Complexity: O(1).
    @inlinable
    public static func probability(_ a: Int, _ b: Int, probabilities rho: UnsafeBufferPointer<Double>, normaliser: Double) -> Double {
        guard a != b else { return 0 }
        let n = rho.count
        if !(normaliser > 0) { return 1 / Double(n * (n - 1)) }
        return rho[a] * rho[b] / normaliser
    }
}
