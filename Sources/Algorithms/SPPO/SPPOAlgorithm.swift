import AlignmentCore
import Foundation

/// Self-Play Preference Optimization (Wu et al. 2024, "Self-Play Preference Optimization for
/// Language Model Alignment", Algorithm 1), tabular.
///
/// The theoretical update is multiplicative weights against the current policy, from π_0 = μ:
///
///     π_{t+1}(y) ∝ π_t(y) exp(η (P(y ≻ π_t) − ½)),
///
/// whose average iterate converges to a Nash equilibrium of the preference game (no-regret:
/// e((1/(t+1)) Σ_{s≤t} π_s) ≤ max_y log(1/π_0(y))/(η(t+1)) + η/8). Exact feedback uses P π_t.
/// Sampled feedback follows the paper's data step: per context, K responses y_1…y_K ∼ π_t, every
/// pair labelled once (ℓ_ji = 1 − ℓ_ij; identical responses tie at ½ without a query), and
/// P̂(y_i ≻ π_t) = (1/(K−1)) Σ_{j≠i} ℓ_ij, unbiased given y_i. SPPO regresses
/// log(π_{t+1}(y)/π_t(y)) onto η(P̂(y ≻ π_t) − ½) on the sampled responses; tabularly, the sampled
/// responses' logits move by η(P̂ − ½) (averaged over repeats), the others keep theirs (the neutral
/// target P̂ = ½), and the result is renormalised. `report` chooses the last or the average iterate.
///
/// In the `log-linear` class the same targets feed the paper's regression over θ, solved as linear
/// least squares (see `runLogLinear(_:policyClass:)` for the step and the choice it makes); the
/// average iterate is then a mixture of class members, not itself in the class.
public struct SPPOAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "sppo",
        summary: "self-play multiplicative weights π ∝ π exp(η(P(y ≻ π) − ½)) with on-policy sampled responses",
        paper: "Wu et al. 2024, Self-Play Preference Optimization for Language Model Alignment, Algorithm 1",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(1), doc: "step size η"),
            ParameterSpec("responses", .integer(2...10_000), default: .number(4),
                          doc: "sampled feedback: responses K drawn from π_t per context and iteration; all K(K−1)/2 pairs are labelled"),
            ParameterSpec("report", .choice(["last", "average"]), default: .string("last"),
                          doc: "report the last iterate π_t or the average iterate (1/(t+1)) Σ_{s≤t} π_s"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        policyClasses: [.tabular, .logLinear])

    /// η.
    public let eta: Double
    /// K.
    public let responses: Int
    /// Whether the average iterate is reported.
    public let reportsAverage: Bool

    /// Creates the algorithm from validated hyperparameters (every combination is valid).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        responses = parameters.int("responses")
        reportsAverage = parameters.string("report") == "average"
    }

    /// Runs SPPO from π_0 = μ (in the run's policy class).
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration (exact); O(K² + K·n) and at most K(K−1)/2
    ///   queries (sampled).
    public func run(_ run: RunContext) throws {
        if case let .logLinear(c) = run.policyClass { return try runLogLinear(run, policyClass: c) }
        var logPi = run.reference.logProbabilities
        var sum = run.reference.probabilities  // Σ_{s≤t} π_s
        // π's probabilities and P π, allocated once per run; π_{t+1} overwrites π_t (in exact
        // feedback an iteration allocates nothing).
        var pi = [Double](repeating: 0, count: run.actions)
        var v = [Double](repeating: 0, count: run.actions)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                LogSpace.exponentials(logPi[x], into: &pi)
                if run.mode == .exact {
                    try run.oracle.preferenceVector(context: x, against: pi, labelsPerResponse: 1, rng: run.rng, into: &v)
                    for y in 0..<run.actions { logPi[x][y] += eta * (v[y] - 0.5) }
                } else {
                    for rate in try sampledWinRates(pi: pi, context: x, run: run) {
                        logPi[x][rate.response] += eta * (rate.estimate - 0.5)
                    }
                }
                LogSpace.normalize(&logPi[x])
            }
            if reportsAverage {
                _ = try Policy(logits: logPi)  // the last iterate's checks (NaN, +∞, no support) come first
                for x in 0..<run.contexts {
                    for y in 0..<run.actions { sum[x][y] += exp(logPi[x][y]) }
                }
                try run.report(iteration: t + 1, policy: Policy(probabilities: sum))
            } else {
                // The same checks and policy as `Policy(logits:)`, without building one per iteration.
                try run.report(iteration: t + 1, logits: logPi)
            }
        }
    }

    /// For each distinct sampled response, the mean over its occurrences of
    /// P̂(y_i ≻ π_t) = (1/(K−1)) Σ_{j≠i} ℓ_ij (the least-squares target for repeated inputs), and
    /// the number of occurrences. Each P̂(y_i ≻ π_t) is unbiased given y_i, so the
    /// occurrence-weighted mean over rounds is unbiased for P(y ≻ π_t).
    func sampledWinRates(pi: [Double], context x: Int, run: RunContext) throws
        -> [(response: Int, estimate: Double, occurrences: Int)] {
        let k = responses
        let ys = (0..<k).map { _ in run.rng.categorical(pi) }
        var wins = [Double](repeating: 0, count: k)
        for i in 0..<k {
            for j in (i + 1)..<k {
                if ys[i] == ys[j] {
                    wins[i] += 0.5
                    wins[j] += 0.5
                } else if try run.oracle.compare(context: x, ys[i], ys[j]) {
                    wins[i] += 1
                } else {
                    wins[j] += 1
                }
            }
        }
        var total = [Double](repeating: 0, count: pi.count)
        var count = [Int](repeating: 0, count: pi.count)
        for i in 0..<k {
            total[ys[i]] += wins[i] / Double(k - 1)
            count[ys[i]] += 1
        }
        return pi.indices.compactMap { count[$0] > 0 ? ($0, total[$0] / Double(count[$0]), count[$0]) : nil }
    }
}
