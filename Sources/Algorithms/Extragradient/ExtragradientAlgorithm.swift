import AlignmentCore
import Foundation

/// Entropic extragradient / mirror-prox on the KL-regularized preference game (Nash mirror prox,
/// EGPO).
///
/// Per context, from π_0 = μ, both steps start from π_t:
///
///     π_{t+½} ∝ π_t^{1−ητ} μ^{ητ} exp(η P π_t),
///     π_{t+1} ∝ π_t^{1−ητ} μ^{ητ} exp(η P π_{t+½}).
///
/// Korpelevich 1976 / Nemirovski 2004 (mirror prox); for preference games Zhou et al. 2025,
/// "Extragradient Preference Optimization (EGPO)", and Tiapkin et al. 2025, "Accelerating Nash
/// learning from human feedback via Mirror Prox", which prove last-iterate linear convergence to
/// π*_τ for τ > 0. Each iteration evaluates P·π twice: exactly (exact feedback) or from `samples`
/// labels per response and step (sampled feedback; every label counts).
public struct ExtragradientAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "extragradient",
        summary: "mirror-prox: a half step from π_t, then a full step from π_t using the half step's Pπ",
        paper: "Zhou et al. 2025, Extragradient Preference Optimization (EGPO); Tiapkin et al. 2025, Nash Mirror Prox; Nemirovski 2004",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size η (η·τ ≤ 1)"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward μ"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and step estimating P(y ≻ π) (two steps per iteration)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// Labels per response and step in sampled feedback.
    public let samples: Int

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when η·τ > 1 (negative mixture exponent).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        samples = parameters.int("samples")
        if eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 (the exponent 1 − ητ of π_t)")
        }
    }

    /// Runs extragradient from π_0 = μ. Each iteration works in four buffers of n allocated once
    /// per run (the prox centre, the half step, the opponent's probabilities and P q) and writes
    /// π_{t+1} over π_t, so an exact-feedback iteration allocates nothing.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration, plus O(n²·samples) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        let w = eta * tau
        let n = run.actions
        var logPi = logMu
        var centre = [Double](repeating: 0, count: n)
        var half = [Double](repeating: 0, count: n)
        var q = [Double](repeating: 0, count: n)
        var v = [Double](repeating: 0, count: n)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                // The prox centre π_t^{1−ητ} μ^{ητ}, shared by both steps.
                LogSpace.geometricMixture(logPi[x], logMu[x], weight: w, into: &centre)
                LogSpace.exponentials(logPi[x], into: &q)
                try step(from: centre, against: q, context: x, run: run, preference: &v, into: &half)
                LogSpace.exponentials(half, into: &q)
                try step(from: centre, against: q, context: x, run: run, preference: &v, into: &logPi[x])
            }
            try run.report(iteration: t + 1, logits: logPi)
        }
    }

    /// log of centre · exp(η P q), normalised, into `out`; `v` receives P q.
    func step(from centre: [Double], against q: [Double], context x: Int, run: RunContext,
              preference v: inout [Double], into out: inout [Double]) throws {
        try run.oracle.preferenceVector(context: x, against: q, labelsPerResponse: samples, rng: run.rng, into: &v)
        LogSpace.step(from: centre, along: v, by: eta, into: &out)
    }
}
