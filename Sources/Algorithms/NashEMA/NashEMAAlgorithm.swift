import AlignmentCore
import PreferenceLearning
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
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward μ"),
            ParameterSpec("ema_rate", .real(Interval(0, 1, lowerOpen: true)), default: .number(0.1),
                          doc: "weight α of the newest policy in θ̄ ← (1 − α)θ̄ + α log π (1 = self-play)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(1), doc: "SGD step size on the logits"),
            ParameterSpec("batch_size", .integer(1...1_000_000), default: .number(16),
                          doc: "sampled feedback: pairs (y ∼ π, y' ∼ π_θ̄) per context and iteration, one label each"),
            ParameterSpec("report", .choice(["last", "ema"]), default: .string("last"),
                          doc: "report the last iterate π_θ or the moving-average policy π_θ̄"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        policyClasses: [.tabular, .logLinear])

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
        // Log-linear class: every context's logit gradient first, then one step on θ (Φᵀg), then
        // the moving averages of the new policy.
        var parameters = PolicyParameters(logLinear: run)
        // Buffers of n allocated once per run: in exact feedback an iteration of the tabular class
        // allocates nothing (the new average is built in `mixed`, which then trades places with it).
        let n = run.actions
        var logPi = [Double](repeating: 0, count: n)
        var pi = logPi, opponent = logPi, v = logPi, advantages = logPi, g = logPi, updated = logPi, mixed = logPi
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            var logitGradient = [Double](repeating: 0, count: parameters == nil ? 0 : run.contexts * run.actions)
            for x in 0..<run.contexts {
                LogSpace.normalize(theta[x], into: &logPi)
                LogSpace.exponentials(logPi, into: &pi)
                LogSpace.exponentials(average[x], into: &opponent)
                // The policy gradient against the moving average π_θ̄ (v = P π_θ̄ in exact mode).
                if run.mode == .exact {
                    try run.oracle.preferenceVector(context: x, against: opponent, labelsPerResponse: 1, rng: run.rng, into: &v)
                    PreferencePolicyGradient.exact(pi: pi, logPi: logPi, logMu: logMu[x], tau: tau, preferenceAgainstOpponent: v,
                                                   advantages: &advantages, into: &g)
                } else {
                    g = try PreferencePolicyGradient.sampled(pi: pi, logPi: logPi, logMu: logMu[x], tau: tau, opponent: opponent,
                                                             batchSize: batchSize, context: x, oracle: run.oracle, rng: run.rng)
                }
                guard parameters == nil else {
                    for y in g.indices { logitGradient[x * run.actions + y] = g[y] }
                    continue
                }
                for y in 0..<n { theta[x][y] += learningRate * g[y] }
                LogSpace.normalize(theta[x], into: &updated)
                LogSpace.geometricMixture(average[x], updated, weight: emaRate, into: &mixed)
                LogSpace.normalize(&mixed)
                swap(&average[x], &mixed)
            }
            if var p = parameters {
                p.ascend(learningRate: learningRate, logitGradient: logitGradient)
                guard p.isFinite else {
                    throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "nash-ema parameters are not finite")
                }
                theta = p.logitRows
                parameters = p
                for x in 0..<run.contexts {
                    let updated = LogSpace.normalize(theta[x])
                    average[x] = LogSpace.normalize(LogSpace.geometricMixture(average[x], updated, weight: emaRate))
                }
            }
            try run.report(iteration: t + 1, logits: reportsAverage ? average : theta)
        }
    }


}
