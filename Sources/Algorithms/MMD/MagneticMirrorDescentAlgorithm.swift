import AlignmentCore
import Foundation

/// Magnetic mirror descent on the KL-regularized preference game (Sokota et al. 2023, "A Unified
/// Approach to Reinforcement Learning, Quantal Response Equilibria, and Two-Player Zero-Sum
/// Games", ICLR, eq. (4) with the negative-entropy mirror map and magnet μ).
///
/// Per context, from π_0 = μ:
///
///     π_{t+1} = argmax_π η⟨π, Pπ_t⟩ − ητ KL(π‖μ) − KL(π‖π_t) ∝ [π_t μ^{ητ} exp(η Pπ_t)]^{1/(1+ητ)}.
///
/// Its fixed point solves τ log π = τ log μ + Pπ + c, i.e. π*_τ; for τ > 0 and small enough η the
/// last iterate converges linearly (Sokota et al., §3). Unlike online mirror descent,
/// any η > 0 gives a proper update. P π_t is exact (exact feedback) or estimated from `samples`
/// labels per response (sampled feedback; every label counts).
public struct MagneticMirrorDescentAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "mmd",
        summary: "magnetic mirror descent π ∝ [π μ^{ητ} exp(ηPπ)]^{1/(1+ητ)}",
        paper: "Sokota et al. 2023, A Unified Approach to Reinforcement Learning, Quantal Response Equilibria, and Two-Player Zero-Sum Games (ICLR), §3",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size η"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward the magnet μ"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and iteration estimating P(y ≻ π_t)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// Labels per response and iteration in sampled feedback.
    public let samples: Int

    /// Creates the algorithm from validated hyperparameters (every combination is valid).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        samples = parameters.int("samples")
    }

    /// Runs magnetic mirror descent from π_0 = μ.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration, plus O(n²·samples) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        let w = eta * tau
        var logPi = logMu
        // The opponent's probabilities and P π, allocated once per run; π_{t+1} overwrites π_t.
        var pi = [Double](repeating: 0, count: run.actions)
        var v = [Double](repeating: 0, count: run.actions)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                LogSpace.exponentials(logPi[x], into: &pi)
                try run.oracle.preferenceVector(context: x, against: pi, labelsPerResponse: samples, rng: run.rng, into: &v)
                LogSpace.magneticStep(&logPi[x], magnet: logMu[x], along: v, by: eta, weight: w)
            }
            try run.report(iteration: t + 1, logits: logPi)
        }
    }
}
