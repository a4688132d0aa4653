import AlignmentCore
import Foundation

/// Nash-EMA-PG (Munos et al. 2023, "Nash Learning from Human Feedback", §7): policy gradient on
/// tabular softmax logits against an exponential moving average of past policies in log space —
/// the function-approximation stand-in for fictitious play's mixture of past policies.
///
/// With θ the policy's logits and θ̄ the opponent's, both starting at log μ, iteration t does
///
///     g = E_{y∼π_θ, y'∼π_θ̄}[(e_y − π_θ)(P(y ≻ y') − ½ − τ log(π_θ(y)/μ(y)))],   θ ← θ + lr·g,
///     θ̄ ← (1 − α) θ̄ + α log π_θ,
///
/// so after t iterations π_θ̄ ∝ μ^{(1−α)^t} Π_{s=1..t} π_s^{α(1−α)^{t−s}}: a geometric mixture of μ
/// and the past policies with exponentially decaying weights (α = 1: self-play). Exact
/// expectations in exact feedback (g_y = π(y)(A(y) − Σ π A), A = Pπ_θ̄ − ½ − τ log(π/μ)); in
/// sampled feedback a batch of `batch_size` pairs y ∼ π_θ, y' ∼ π_θ̄ per context, one label each.
/// Stationary points have π_θ̄ = π_θ ∝ μ exp(Pπ_θ/τ), i.e. π*_τ. `report` chooses the last
/// iterate π_θ or the averaged policy π_θ̄ (the paper evaluates both).
public struct NashEMAAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "nash-ema",
        summary: "policy gradient against the log-space exponential moving average of past policies",
        paper: "Munos et al. 2023, Nash Learning from Human Feedback, §7 (Nash-EMA-PG)",
        parameters: [
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), doc: "KL regularization τ toward μ"),
            ParameterSpec("ema_rate", .real(Interval(0, 1, lowerOpen: true)), default: .number(0.1),
                          doc: "weight α of the newest policy in θ̄ ← (1 − α)θ̄ + α log π (1 = self-play)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(1), doc: "SGD step size on the logits"),
            ParameterSpec("batch_size", .integer(1...1_000_000), default: .number(16),
                          doc: "sampled feedback: pairs (y ∼ π, y' ∼ π_θ̄) per context and iteration, one label each"),
            ParameterSpec("report", .choice(["last", "ema"]), default: .string("last"),
                          doc: "report the last iterate π_θ or the moving-average policy π_θ̄"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// τ.
    public let tau: Double
    /// α.
    public let emaRate: Double
    /// SGD step size.
    public let learningRate: Double
    /// Pairs per context and iteration in sampled feedback.
    public let batchSize: Int
    /// Whether π_θ̄ is reported instead of π_θ.
    public let reportsAverage: Bool

    /// Creates the algorithm from validated hyperparameters (every combination is valid).
    public init(parameters: ParameterValues) throws {
        tau = parameters.double("tau")
        emaRate = parameters.double("ema_rate")
        learningRate = parameters.double("learning_rate")
        batchSize = parameters.int("batch_size")
        reportsAverage = parameters.string("report") == "ema"
    }

    /// Runs Nash-EMA-PG from θ = θ̄ = log μ.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration (exact), O(n + batch·n) (sampled).
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var theta = logMu
        var average = logMu  // θ̄, kept normalised
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                let logPi = LogSpace.normalize(theta[x])
                let pi = logPi.map { exp($0) }
                let opponent = average[x].map { exp($0) }
                let g = run.mode == .exact
                    ? exactGradient(pi: pi, logPi: logPi, logMu: logMu[x],
                                    v: try run.oracle.preferenceAgainst(context: x, opponent))
                    : try sampledGradient(pi: pi, logPi: logPi, logMu: logMu[x], opponent: opponent, context: x, run: run)
                for y in theta[x].indices { theta[x][y] += learningRate * g[y] }
                let updated = LogSpace.normalize(theta[x])
                average[x] = LogSpace.normalize(average[x].indices.map { (1 - emaRate) * average[x][$0] + emaRate * updated[$0] })
            }
            try run.report(iteration: t + 1, policy: Policy(logits: reportsAverage ? average : theta))
        }
    }

    /// g_y = π(y)(A(y) − Σ π A) with A = v − ½ − τ(log π − log μ), v = P π_θ̄.
    func exactGradient(pi: [Double], logPi: [Double], logMu: [Double], v: [Double]) -> [Double] {
        let a = pi.indices.map { v[$0] - 0.5 - tau * (logPi[$0] - logMu[$0]) }
        var mean = 0.0
        for y in pi.indices { mean += pi[y] * a[y] }
        return pi.indices.map { pi[$0] * (a[$0] - mean) }
    }

    /// (1/B) Σ_i (e_{y_i} − π)(ℓ_i − ½ − τ log(π(y_i)/μ(y_i))), y_i ∼ π, y'_i ∼ π_θ̄, ℓ_i the label
    /// 1[y_i ≻ y'_i] (½ without a query when y_i = y'_i).
    func sampledGradient(pi: [Double], logPi: [Double], logMu: [Double], opponent: [Double],
                         context x: Int, run: RunContext) throws -> [Double] {
        var coefficient = [Double](repeating: 0, count: pi.count)
        var total = 0.0
        for _ in 0..<batchSize {
            let y = run.rng.categorical(pi)
            let y2 = run.rng.categorical(opponent)
            let label: Double = y == y2 ? 0.5 : (try run.oracle.compare(context: x, y, y2) ? 1 : 0)
            let advantage = label - 0.5 - tau * (logPi[y] - logMu[y])
            coefficient[y] += advantage
            total += advantage
        }
        let scale = 1 / Double(batchSize)
        return pi.indices.map { scale * (coefficient[$0] - pi[$0] * total) }
    }
}
