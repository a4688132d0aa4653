import AlignmentCore
import Foundation

/// Direct Nash Optimization, its practical form (Rosset et al. 2024, "Direct Nash Optimization:
/// Teaching Language Models to Self-Improve with General Preferences", arXiv 2404.03715,
/// §4, Algorithm 2 "DNO-Prct"): an iterated, on-policy DPO on pairs chosen by win rate, with the current
/// policy as the reference.
///
/// Per context and iteration t, K responses are drawn from π_t and every pair is labelled once
/// (K(K−1)/2 labels); response i's estimated win rate is w_i = (its wins)/(K − 1). The best
/// y_w = argmax w and the worst y_l = argmin w (the first drawn among ties) form the pair, kept
/// only when w_w − w_l > `margin` (DNO's filter of pairs with too small a preference gap). The
/// policy then takes `epochs` gradient steps on the DPO loss (Rafailov et al. 2023, eq. 7) with
/// reference π_t,
///
///     L(θ) = −log σ(η[(log π_θ(y_w) − log π_t(y_w)) − (log π_θ(y_l) − log π_t(y_l))]),
///
/// whose ascent direction is η(1 − σ(η·Δ))(e_{y_w} − e_{y_l}) on tabular logits (the softmax
/// normaliser cancels in the log-ratio difference); θ ← θ + lr·(that, averaged over the kept
/// pairs of the context, i.e. the one pair or nothing). The first step at θ = θ_t has Δ = 0 and
/// direction (η/2)(e_{y_w} − e_{y_l}).
///
/// Exact feedback: the expected gradient over the draw and the labels. It has a closed form for
/// K = 2, the only size exact feedback accepts: the pair is (a, b) with probability π_t(a)π_t(b)
/// and a wins with probability P(a ≻ b); the win-rate gap is 1, so the pair is kept for every
/// margin < 1; the direction is Σ_{a,b} π_t(a)π_t(b)P(a ≻ b)·η(1 − σ(η(h_a − h_b)))(e_a − e_b),
/// h = log π_θ − log π_t, which at the first step equals η·π_t⊙(Pπ_t − ½) (derived in the tests).
/// For K > 2 the selection by argmax/argmin of noisy win rates has no such form (refused in exact
/// feedback). Choices where the paper leaves one: the paper's optional gold response (a stronger
/// model's output) is not used, since the game has no outside model; ties in win rate go to the
/// first drawn; the margin is on the estimated win rates.
public struct DirectNashOptimization: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "dno",
        summary: "iterated on-policy DPO on the best and worst of K self-play samples by win rate, with the current policy as reference",
        paper: "Rosset et al. 2024, Direct Nash Optimization (arXiv 2404.03715), §4, Algorithm 2 (DNO-Prct); Rafailov et al. 2023 (DPO)",
        parameters: [
            ParameterSpec("samples", .integer(2...1024), default: .number(2),
                          doc: "K: responses per context and iteration, every pair labelled once (K(K−1)/2 labels); exact feedback needs K = 2"),
            ParameterSpec("margin", .real(Interval(0, 1, upperOpen: true)), default: .number(0),
                          doc: "the pair (best, worst) is kept only when their win-rate gap exceeds this"),
            ParameterSpec("eta", .real(.positive), default: .number(1), doc: "DPO's inverse temperature η (its β)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(1), doc: "SGD step size on the logits"),
            ParameterSpec("epochs", .integer(1...1000), default: .number(1), doc: "gradient steps on the DPO loss per iteration (reference fixed at π_t)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// K.
    public let samples: Int
    /// The win-rate margin.
    public let margin: Double
    /// DPO's η.
    public let eta: Double
    /// SGD step size.
    public let learningRate: Double
    /// Gradient steps per iteration.
    public let epochs: Int

    /// Creates the algorithm from validated hyperparameters.
    public init(parameters: ParameterValues) throws {
        samples = parameters.int("samples")
        margin = parameters.double("margin")
        eta = parameters.double("eta")
        learningRate = parameters.double("learning_rate")
        epochs = parameters.int("epochs")
    }

    /// Exact feedback needs K = 2 (the only closed-form expectation of the pair selection).
    public func refusal(feedback: FeedbackMode) -> String? {
        feedback == .exact && samples != 2
            ? "samples = \(samples): exact feedback has a closed form only for samples = 2 (the best/worst selection among more noisy win rates has none); use samples = 2 or sampled feedback"
            : nil
    }

    /// Runs DNO from π_0 = μ.
    /// - Throws: `budgetExhausted` when labels run out; `unsupportedFeedback` for K > 2 in exact
    ///   feedback; `numericalFailure` when the logits stop being finite.
    /// - Complexity: per context and iteration O(epochs·n²) (exact), O(K·n + K² + epochs·n) time
    ///   and K(K−1)/2 labels (sampled).
    public func run(_ run: RunContext) throws {
        if let reason = refusal(feedback: run.mode) { throw AlignmentCoreError.unsupportedFeedback(reason) }
        var theta = run.reference.logProbabilities
        try run.report(iteration: 0, policy: run.reference)
        // Exact feedback: one context's buffers, reused (no allocation per iteration).
        var workspace = ExactWorkspace(actions: run.actions)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                if run.mode == .exact {
                    try exactStep(&theta[x], context: x, oracle: run.oracle, workspace: &workspace)
                } else {
                    let logRef = LogSpace.normalize(theta[x])
                    let pairs = try sampledPair(logPi: logRef, context: x, oracle: run.oracle, rng: run.rng).map { [$0] } ?? []
                    for _ in 0..<epochs {
                        let g = gradient(pairs, logPi: LogSpace.normalize(theta[x]), logReference: logRef)
                        for y in theta[x].indices { theta[x][y] += learningRate * g[y] }
                    }
                }
                // −∞ is a response outside μ's support, where π stays 0.
                guard theta[x].allSatisfy({ !$0.isNaN && $0 != .infinity }) else {
                    throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "dno logits are not finite")
                }
            }
            try run.report(iteration: t + 1, logits: theta)
        }
    }
}
