import AlignmentCore
import Foundation

/// Draws contexts, responses and pairs of distinct responses from a tabular policy, using
/// precomputed cumulative tables (binary search per draw).
///
/// Build one per policy snapshot (e.g. once per batch); construction is O(contexts · n).
/// Every draw consumes uniforms from the given `RandomSource` in a fixed order, so runs are
/// reproducible from the seed.
public struct PolicySampler: Sendable {
    /// ρ(· | x) per context.
    public let probabilities: [[Double]]
    private let cumulative: [[Double]]
    private let pairFirstCumulative: [[Double]]
    private let pairs: [PairDistribution]
    private let contextCumulative: [Double]

    /// Number of contexts.
    public var contexts: Int { probabilities.count }
    /// Number of responses per context.
    public var actions: Int { probabilities.first?.count ?? 0 }

    /// Creates a sampler for `policy`, drawing contexts with `contextWeights`.
    /// - Precondition: one weight per context, summing to a positive number.
    public init(policy: Policy, contextWeights: [Double]) {
        precondition(contextWeights.count == policy.contexts, "one weight per context")
        probabilities = policy.probabilities
        cumulative = probabilities.map(Self.prefixSums)
        // Pair laws exist only with at least two responses (`distinctPair` requires them).
        pairs = policy.actions >= 2 ? probabilities.map { PairDistribution(probabilities: $0) } : []
        pairFirstCumulative = pairs.map { Self.prefixSums($0.firstWeights) }
        contextCumulative = Self.prefixSums(contextWeights)
        precondition(contextCumulative.last! > 0, "context weights must have a positive sum")
    }

    static func prefixSums(_ w: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: w.count)
        var s = 0.0
        for i in w.indices { s += w[i]; out[i] = s }
        return out
    }

    /// The first index i with u < cum[i] (binary search); skips zero-weight entries.
    static func search(_ cum: [Double], _ u: Double) -> Int {
        var lo = 0, hi = cum.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if u < cum[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Draws a context x ~ w (no uniform is consumed when there is a single context).
    public func context(using rng: RandomSource) -> Int {
        if contextCumulative.count == 1 { return 0 }
        return Self.search(contextCumulative, rng.uniform() * contextCumulative.last!)
    }

    /// Draws a response y ~ ρ(· | x).
    public func response(context x: Int, using rng: RandomSource) -> Int {
        let cum = cumulative[x]
        return Self.search(cum, rng.uniform() * cum.last!)
    }

    /// Draws an ordered pair (a, b) of distinct responses with probability
    /// q(a, b) = ρ(a)ρ(b)/(1 − Σ ρ²) (see `PairDistribution`): a with weight ρ(a)(1 − ρ(a)), then
    /// b ~ ρ restricted to b ≠ a. Falls back to a uniform distinct pair when ρ is a point mass.
    /// - Precondition: at least two responses.
    public func distinctPair(context x: Int, using rng: RandomSource) -> (Int, Int) {
        let n = actions
        precondition(n >= 2, "pairs of distinct responses need at least two responses")
        let law = pairs[x]
        if law.isDegenerate {
            let a = rng.integer(below: n)
            let b = (a + 1 + rng.integer(below: n - 1)) % n
            return (a, b)
        }
        let firstCum = pairFirstCumulative[x]
        let a = Self.search(firstCum, rng.uniform() * firstCum.last!)
        let cum = cumulative[x]
        let pa = probabilities[x][a]
        let rest = cum.last! - pa
        if !(rest > 0) {
            let b = (a + 1 + rng.integer(below: n - 1)) % n
            return (a, b)
        }
        // Invert the CDF of ρ with a's mass removed: u ∈ [0, rest).
        let u = rng.uniform() * rest
        let before = a > 0 ? cum[a - 1] : 0
        var b = Self.search(cum, u < before ? u : u + pa)
        if b == a { b = a + 1 < n ? a + 1 : a - 1 }  // rounding at the boundary only
        if probabilities[x][b] == 0 {
            // Rounding landed on a zero-mass response; take the nearest response with mass ≠ a.
            b = (0..<n).first { $0 != a && probabilities[x][$0] > 0 } ?? b
        }
        return (a, b)
    }
}
