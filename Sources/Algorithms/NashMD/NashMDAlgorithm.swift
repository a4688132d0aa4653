import AlignmentCore
import Foundation

/// Nash Mirror Descent (Munos et al. 2023, "Nash Learning from Human Feedback", §5).
///
/// Per context, the geometric mixture π^μ_t ∝ π_t^{1−η_tτ} μ^{η_tτ}, then
/// π_{t+1} ∝ π^μ_t · exp(η_t P(· ≻ π^μ_t)), starting from π_0 = μ. With η_t = 2/(τ(t+2))
/// ("theory"), KL(π*_τ‖π_T) ≤ 8/(τ²(T+1)) (Theorem 1). With a constant η the iterates converge to
/// the solution of π ∝ μ·exp(P π^μ/τ), which approaches π*_τ as η → 0.
///
/// P(y ≻ π^μ_t) is exact (exact feedback), estimated from `samples` labels per response against
/// opponents drawn from π^μ_t (sampled feedback; every label counts), or computed under a
/// preference model fitted up front to `model_pairs` labelled pairs of responses from μ
/// (`preference` = "model", sampled feedback): the tabular pairwise model, or a Bradley–Terry
/// reward model σ(r̂_a − r̂_b) (`preference_model`). Diagnostic `preference_model_accuracy`
/// (with `heldout_pairs` > 0): the model's held-out accuracy, or in exact feedback against the
/// environment the exact (Bayes-optimal) accuracy of P itself.
public struct NashMDAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "nash-md",
        summary: "Nash mirror descent against the geometric mixture of π and μ",
        paper: "Munos et al. 2023, Nash Learning from Human Feedback, §5 (Nash-MD) and Theorem 1",
        parameters: [
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward μ"),
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "constant step size η (schedule = constant)"),
            ParameterSpec("schedule", .choice(["constant", "theory"]), default: .string("constant"),
                          doc: "constant η, or η_t = 2/(τ(t+2)) of Theorem 1"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and iteration estimating P(y ≻ π^μ_t)"),
        ] + NashPreferenceSetting.parameters,
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: [NashPreferenceSetting.accuracyDiagnostic])

    /// τ.
    public let tau: Double
    /// Constant η.
    public let eta: Double
    /// Whether η_t = 2/(τ(t+2)).
    public let theorySchedule: Bool
    /// Labels per response and iteration in sampled feedback.
    public let samples: Int
    let preference: NashPreferenceSetting

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when the theory schedule has τ = 0 or a
    ///   constant η has η·τ > 1 (the mixture exponent 1 − ητ would be negative).
    public init(parameters: ParameterValues) throws {
        tau = parameters.double("tau")
        eta = parameters.double("eta")
        theorySchedule = parameters.string("schedule") == "theory"
        samples = parameters.int("samples")
        preference = NashPreferenceSetting(parameters: parameters)
        if theorySchedule && tau == 0 {
            throw AlignmentCoreError.invalidParameter(name: "schedule", reason: "\"theory\" needs tau > 0")
        }
        if !theorySchedule && eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 for the geometric mixture")
        }
    }

    /// Step size at iteration t (0-based): η, or 2/(τ(t+2)).
    public func stepSize(at t: Int) -> Double {
        theorySchedule ? 2 / (tau * Double(t + 2)) : eta
    }

    /// A preference model learned from labels needs sampled feedback.
    public func refusal(feedback: FeedbackMode) -> String? { preference.refusal(feedback: feedback) }

    /// Runs Nash-MD from π_0 = μ. One step per context: the mixture into a buffer, its
    /// log-softmax and softmax in place, P·π^μ by one `dgemv` into a buffer, the mirror step in
    /// place, the result swapped in as log π — no allocation per iteration in exact feedback against the environment
    /// (`RunContext.report(iteration:logits:diagnostics:)` builds the policy only when recorded).
    /// - Throws: `budgetExhausted` when labels run out, `unsupportedFeedback` for the model in
    ///   exact feedback, `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration (one `dgemv`, 2n exponentials here and 2n in
    ///   the report), plus O(n²·samples) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var logPi = logMu
        try run.report(iteration: 0, policy: run.reference)
        let source = try NashPreferenceSource(preference, run: run)
        let n = run.actions
        var mixture = [Double](repeating: 0, count: n)
        var probabilities = [Double](repeating: 0, count: n)
        var v = [Double](repeating: 0, count: n)
        for t in 0..<run.iterations {
            let eta = stepSize(at: t)
            let w = eta * tau
            for x in 0..<run.contexts {
                // log π^μ_t and π^μ_t with one exponential per response.
                logPi[x].withUnsafeBufferPointer { current in
                    logMu[x].withUnsafeBufferPointer { reference in
                        mixture.withUnsafeMutableBufferPointer { LogSpace.geometricMixture(current, reference, weight: w, into: $0) }
                    }
                }
                mixture.withUnsafeMutableBufferPointer { m in
                    probabilities.withUnsafeMutableBufferPointer { LogSpace.normalizeWithProbabilities(m, probabilities: $0) }
                }
                try source.preference(against: probabilities, context: x, labelsPerResponse: samples, run: run, into: &v)
                // log π_{t+1} = normalize(log π^μ_t + η v); the buffers trade places (no copy).
                mixture.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeBufferPointer { LogSpace.step(m, along: $0, by: eta) }
                }
                swap(&logPi[x], &mixture)
            }
            try run.report(iteration: t + 1, logits: logPi, diagnostics: source.diagnostics)
        }
    }
}
