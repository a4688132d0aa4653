import Foundation

/// Features φ(x, y) ∈ ℝᵈ of every (context, response) pair, as an environment's `features` block
/// supplies them to the log-linear policy class (`LogLinearPolicyClass`).
///
/// Three kinds: `given` values, `random` standard-normal entries drawn from a seed, and
/// `indicator` features φ(x, y) = e_{(x,y)} (d = contexts × actions), with which the log-linear
/// class is the tabular class reparameterised (θ_{(x,y)} = logit − log μ). Indicator features are
/// never stored densely: products with them are the identity (exact, no rounding).
public struct FeatureMap: Sendable, Equatable {
    /// Number of contexts.
    public let contexts: Int
    /// Number of responses per context.
    public let actions: Int
    /// The dimension d of φ(x, y).
    public let dimension: Int
    /// Dense values `values[(x * actions + y) * dimension + k]` = φ_k(x, y); nil for indicator
    /// features.
    public let values: [Double]?

    /// Given features, indexed `[context][action][k]`.
    /// - Throws: `AlignmentCoreError.invalidParameter` (name "features") for a ragged or empty
    ///   array or a non-finite entry.
    public init(given rows: [[[Double]]]) throws {
        guard let first = rows.first, let d = first.first?.count, d >= 1, !first.isEmpty else {
            throw AlignmentCoreError.invalidParameter(name: "features", reason: "needs at least one context, one action and one feature")
        }
        var flat: [Double] = []
        flat.reserveCapacity(rows.count * first.count * d)
        for (x, row) in rows.enumerated() {
            guard row.count == first.count else {
                throw AlignmentCoreError.invalidParameter(name: "features", reason: "context \(x) has \(row.count) actions, context 0 has \(first.count)")
            }
            for (y, phi) in row.enumerated() {
                guard phi.count == d else {
                    throw AlignmentCoreError.invalidParameter(name: "features", reason: "φ(\(x), \(y)) has \(phi.count) entries, φ(0, 0) has \(d)")
                }
                if let k = phi.firstIndex(where: { !$0.isFinite }) {
                    throw AlignmentCoreError.invalidParameter(name: "features", reason: "φ(\(x), \(y))[\(k)] is not finite")
                }
                flat.append(contentsOf: phi)
            }
        }
        contexts = rows.count
        actions = first.count
        dimension = d
        values = flat
    }

    /// Random features: every entry an independent standard normal drawn from `seed` (GSL MT19937,
    /// ziggurat; in the order x, then y, then k), so the same seed gives the same bits.
    /// - Parameters:
    ///   - contexts: number of contexts; `actions`: responses per context; `dimension`: d ≥ 1.
    ///   - seed: the generator seed (a spec derives it with `SeedDerivation.features` when the
    ///     block gives none).
    public init(randomContexts contexts: Int, actions: Int, dimension: Int, seed: UInt64) {
        precondition(contexts >= 1 && actions >= 1 && dimension >= 1, "features need positive sizes")
        let rng = RandomSource(seed: seed)
        self.contexts = contexts
        self.actions = actions
        self.dimension = dimension
        values = (0..<(contexts * actions * dimension)).map { _ in rng.normal() }
    }

    /// Indicator features φ(x, y) = e_{(x,y)}, d = contexts × actions.
    public init(indicatorContexts contexts: Int, actions: Int) {
        precondition(contexts >= 1 && actions >= 1, "features need positive sizes")
        self.contexts = contexts
        self.actions = actions
        dimension = contexts * actions
        values = nil
    }

    /// Whether these are indicator features.
    public var isIndicator: Bool { values == nil }

    /// φ(x, y) as a vector of d entries.
    public func feature(context x: Int, action y: Int) -> [Double] {
        guard let v = values else {
            var e = [Double](repeating: 0, count: dimension)
            e[x * actions + y] = 1
            return e
        }
        let start = (x * actions + y) * dimension
        return Array(v[start..<(start + dimension)])
    }

    /// Φθ: the score θᵀφ(x, y) of every pair, flat `[x * actions + y]`.
    /// - Precondition: `theta.count == dimension`.
    /// - Complexity: O(contexts · actions · d) (O(contexts · actions) for indicator features).
    public func scores(_ theta: [Double]) -> [Double] {
        precondition(theta.count == dimension, "θ has \(theta.count) entries, the features \(dimension)")
        guard let v = values else { return theta }
        let d = dimension
        return (0..<(contexts * actions)).map { i in
            var s = 0.0
            for k in 0..<d { s += v[i * d + k] * theta[k] }
            return s
        }
    }

    /// Φᵀg = Σ_{x,y} g(x, y) φ(x, y): the chain rule from a gradient with respect to the scores
    /// (flat `[x * actions + y]`) to one with respect to θ.
    /// - Precondition: `g.count == contexts * actions`.
    /// - Complexity: O(contexts · actions · d) (O(contexts · actions) for indicator features).
    public func transposeTimes(_ g: [Double]) -> [Double] {
        precondition(g.count == contexts * actions, "the score gradient has \(g.count) entries, expected \(contexts * actions)")
        guard let v = values else { return g }
        let d = dimension
        var out = [Double](repeating: 0, count: d)
        for i in 0..<(contexts * actions) where g[i] != 0 {
            for k in 0..<d { out[k] += g[i] * v[i * d + k] }
        }
        return out
    }
}
