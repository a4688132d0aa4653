import AlignmentCore
import PreferenceLearning
import Foundation

/// Nash-MD-PG (Munos et al. 2023, "Nash Learning from Human Feedback", §7): policy gradient on
/// tabular softmax logits θ against the geometric mixture of π_θ and μ.
///
/// The opponent is π_β ∝ π_θ^{1−β} μ^β (β = 0: self-play; β = 1: best response to μ) and the
/// gradient, with the opponent held fixed, is
///
///     g = E_{y∼π_θ, y'∼π_β}[∇_θ log π_θ(y) · (P(y ≻ y') − ½ − τ log(π_θ(y)/μ(y)))],
///
/// with ∇_θ log π_θ(y) = e_y − π_θ. Update θ ← θ + lr·g from θ_0 = log μ. Exact expectations when
/// the preference is known exactly (exact feedback, or a fitted preference model):
/// g_y = π(y)(A(y) − Σ_y' π(y')A(y')), A = P π_β − ½ − τ log(π/μ). In sampled feedback against
/// the environment, a batch of `batch_size` pairs y ∼ π, y' ∼ π_β per context, one label each.
///
/// Stationary points satisfy π ∝ μ exp(P π_β/τ), the fixed point of tabular Nash-MD with η = β/τ;
/// β = 0 gives π*_τ. The "theory" schedule β_t = 2/(t+2) is the mixture weight η_tτ of Nash-MD's
/// Theorem 1 schedule, so β_t → 0 and the iterates approach π*_τ.
public struct NashMDPGAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "nash-md-pg",
        summary: "policy gradient against the geometric mixture (1−β)·log π + β·log μ",
        paper: "Munos et al. 2023, Nash Learning from Human Feedback, §7 (Nash-MD-PG)",
        parameters: [
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward μ"),
            ParameterSpec("beta", .real(.unit), default: .number(0.125),
                          doc: "opponent mixture β: π_β ∝ π^{1−β} μ^β (0 = self-play, 1 = best response to μ)"),
            ParameterSpec("beta_schedule", .choice(["constant", "theory"]), default: .string("constant"),
                          doc: "constant β, or β_t = 2/(t+2) (Nash-MD's η_tτ under its Theorem 1 schedule)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(1), doc: "SGD step size on the logits"),
            ParameterSpec("batch_size", .integer(1...1_000_000), default: .number(16),
                          doc: "sampled feedback: pairs (y ∼ π, y' ∼ π_β) per context and iteration, one label each"),
        ] + NashPreferenceSetting.parameters,
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: [NashPreferenceSetting.accuracyDiagnostic],
        policyClasses: [.tabular, .logLinear])

    /// τ.
    public let tau: Double
    /// Constant β.
    public let beta: Double
    /// Whether β_t = 2/(t+2).
    public let theorySchedule: Bool
    /// SGD step size.
    public let learningRate: Double
    /// Pairs per context and iteration in sampled feedback.
    public let batchSize: Int
    let preference: NashPreferenceSetting

    /// Creates the algorithm from validated hyperparameters.
    public init(parameters: ParameterValues) throws {
        tau = parameters.double("tau")
        beta = parameters.double("beta")
        theorySchedule = parameters.string("beta_schedule") == "theory"
        learningRate = parameters.double("learning_rate")
        batchSize = parameters.int("batch_size")
        preference = NashPreferenceSetting(parameters: parameters)
    }

    /// The opponent mixture at iteration t (0-based): β, or 2/(t+2).
    public func mixture(at t: Int) -> Double {
        theorySchedule ? 2 / Double(t + 2) : beta
    }

    /// Runs Nash-MD-PG from θ_0 = log μ.
    /// - Throws: `budgetExhausted`, `unsupportedFeedback` for the model in exact feedback,
    ///   `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration (exact), O(n² + batch·n) (sampled).
    /// A preference model learned from labels needs sampled feedback.
    public func refusal(feedback: FeedbackMode) -> String? { preference.refusal(feedback: feedback) }

    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var theta = logMu
        // Log-linear class: every context's logit gradient first, then one step on θ (Φᵀg).
        var parameters = PolicyParameters(logLinear: run)
        try run.report(iteration: 0, policy: run.reference)
        let source = try NashPreferenceSource(preference, run: run)
        // Buffers of n allocated once per run: with exact preferences from the environment an
        // iteration of the tabular class allocates nothing.
        let n = run.actions
        var logPi = [Double](repeating: 0, count: n)
        var mixed = logPi, opponent = logPi, pi = logPi, v = logPi, advantages = logPi, g = logPi
        for t in 0..<run.iterations {
            let b = mixture(at: t)
            var logitGradient = [Double](repeating: 0, count: parameters == nil ? 0 : run.contexts * run.actions)
            for x in 0..<run.contexts {
                LogSpace.normalize(theta[x], into: &logPi)
                LogSpace.geometricMixture(logPi, logMu[x], weight: b, into: &mixed)
                LogSpace.softmax(mixed, into: &opponent)
                LogSpace.exponentials(logPi, into: &pi)
                if try source.exactPreference(against: opponent, context: x, run: run, into: &v) {
                    PreferencePolicyGradient.exact(pi: pi, logPi: logPi, logMu: logMu[x], tau: tau, preferenceAgainstOpponent: v,
                                                   advantages: &advantages, into: &g)
                } else {
                    g = try PreferencePolicyGradient.sampled(pi: pi, logPi: logPi, logMu: logMu[x], tau: tau, opponent: opponent,
                                                             batchSize: batchSize, context: x, oracle: run.oracle, rng: run.rng)
                }
                if parameters == nil {
                    for y in theta[x].indices { theta[x][y] += learningRate * g[y] }
                } else {
                    for y in g.indices { logitGradient[x * run.actions + y] = g[y] }
                }
            }
            if var p = parameters {
                p.ascend(learningRate: learningRate, logitGradient: logitGradient)
                guard p.isFinite else {
                    throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "nash-md-pg parameters are not finite")
                }
                theta = p.logitRows
                parameters = p
            }
            try run.report(iteration: t + 1, logits: theta, diagnostics: source.diagnostics)
        }
    }


}
