import AlignmentCore

/// The regularized preference policy gradient of Nash-MD-PG and Nash-EMA-PG (Munos et al. 2023,
/// §7) for one context with softmax logits: ∇_θ E_{y∼π, y'∼π'}[P(y ≻ y') − ½ − τ log(π(y)/μ(y))].
///
/// With A(y) = (P π')(y) − ½ − τ(log π(y) − log μ(y)) the exact gradient is
/// g_y = π(y)(A(y) − Σ_y' π(y') A(y')); the sampled estimate replaces (Pπ')(y) by labels. A
/// response with π(y) = 0 (outside μ's support, where π starts at 0) has g_y = 0: its log-ratio is
/// taken as 0 (`LogSpace.logRatio`), so it stays at 0.
public enum PreferencePolicyGradient {
    /// The exact gradient g_y = π(y)(A(y) − Σ π A).
    /// - Parameters:
    ///   - pi: π (probabilities); `logPi`, `logMu`: log π and log μ.
    ///   - tau: the KL coefficient τ.
    ///   - v: (P π')(y) = P(y ≻ π') for every y.
    /// - Complexity: O(n).
    public static func exact(pi: [Double], logPi: [Double], logMu: [Double], tau: Double,
                             preferenceAgainstOpponent v: [Double]) -> [Double] {
        var a = [Double](repeating: 0, count: pi.count)
        var g = a
        exact(pi: pi, logPi: logPi, logMu: logMu, tau: tau, preferenceAgainstOpponent: v, advantages: &a, into: &g)
        return g
    }

    /// `exact(pi:logPi:logMu:tau:preferenceAgainstOpponent:)` written into `g`, for a plugin's
    /// per-run buffers: the same expressions in the same order, so the same bits.
    /// - Parameters:
    ///   - pi, logPi, logMu, tau, v: as in the allocating form (length n each).
    ///   - a: scratch of length n; receives the advantages a(y) = P(y ≻ π') − ½ − τ log(π(y)/μ(y)).
    ///   - g: receives ∇ (length n).
    /// - Precondition: every vector has length n.
    /// - Complexity: O(n); no allocation when `a` and `g` are uniquely referenced.
    public static func exact(pi: [Double], logPi: [Double], logMu: [Double], tau: Double,
                             preferenceAgainstOpponent v: [Double], advantages a: inout [Double], into g: inout [Double]) {
        let n = pi.count
        precondition(logPi.count == n && logMu.count == n && v.count == n && a.count == n && g.count == n,
                     "policy gradient of vectors of different lengths")
        for y in 0..<n { a[y] = v[y] - 0.5 - tau * LogSpace.logRatio(logPi[y], logMu[y]) }
        var mean = 0.0
        for y in 0..<n { mean += pi[y] * a[y] }
        for y in 0..<n { g[y] = pi[y] * (a[y] - mean) }
    }

    /// The unbiased estimate (1/B) Σ_i (e_{y_i} − π)(ℓ_i − ½ − τ log(π(y_i)/μ(y_i))) with
    /// y_i ∼ π, y'_i ∼ `opponent` and ℓ_i the label 1[y_i ≻ y'_i] (½ without a query when y_i = y'_i).
    /// - Parameters:
    ///   - batchSize: B ≥ 1 pairs, one label each.
    ///   - x: the context; `oracle` draws the labels, `rng` the responses.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the query budget runs out.
    /// - Complexity: O(B·n).
    public static func sampled(pi: [Double], logPi: [Double], logMu: [Double], tau: Double, opponent: [Double],
                               batchSize: Int, context x: Int, oracle: FeedbackOracle, rng: RandomSource) throws -> [Double] {
        precondition(batchSize >= 1, "batch size must be at least 1")
        var coefficient = [Double](repeating: 0, count: pi.count)  // Σ_i over samples with y_i = y
        var total = 0.0
        for _ in 0..<batchSize {
            let y = rng.categorical(pi)
            let y2 = rng.categorical(opponent)
            let label: Double = y == y2 ? 0.5 : (try oracle.compare(context: x, y, y2) ? 1 : 0)
            let advantage = label - 0.5 - tau * LogSpace.logRatio(logPi[y], logMu[y])
            coefficient[y] += advantage
            total += advantage
        }
        let scale = 1 / Double(batchSize)
        return pi.indices.map { scale * (coefficient[$0] - pi[$0] * total) }
    }
}
