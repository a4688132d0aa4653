import AlignmentCore
import Foundation

/// Optimistic multiplicative weights (OMWU) / optimistic online mirror descent in self-play on the
/// preference game, optionally KL-regularized toward μ as online mirror descent is.
///
/// Per context, with p_t = P π_t (the win rate of each response against the current policy), from
/// π_0 = μ:
///
///     π_{t+1} ∝ π_t^{1−ητ} μ^{ητ} exp(η (2 p_t − p_{t−1})),     p_{−1} := p_0.
///
/// With τ = 0 this is OMWU (Daskalakis & Panageas 2019, "Last-Iterate Convergence: Zero-Sum Games
/// and Constrained Min-Max Optimization", ITCS; Rakhlin & Sridharan 2013 for optimistic mirror
/// descent), whose last iterate converges to the Nash equilibrium of the original game: linearly
/// when the equilibrium is unique (Wei, Lee, Zhang & Luo 2021, "Linear Last-iterate Convergence in
/// Constrained Saddle-point Optimization", ICLR), and for preference games linearly after a burn-in
/// whenever a full-support equilibrium exists (Chen, Zhou, Zhang, Fazel & Du 2025, "Unregularized
/// Linear Convergence in Zero-Sum Game from Preference Feedback", arXiv 2512.24818). Plain Hedge
/// (online mirror descent with τ = 0) cycles in the last iterate instead. ONPO (Zhang et al. 2025,
/// "Improving LLM General Preference Alignment via Optimistic Online Mirror Descent", arXiv
/// 2502.16852) is the same optimistic step written as a preference-optimisation loss.
///
/// Choices where the papers leave one: the first step has no previous feedback, so p_{−1} = p_0
/// (the first step is a plain online-mirror-descent step); with τ > 0 the regularization enters as
/// in online mirror descent (the prox centre π_t^{1−ητ} μ^{ητ}), so the fixed point is the
/// τ-regularized equilibrium π*_τ ∝ μ exp(P π*_τ / τ) (Munos et al. 2023, §3).
///
/// p_t is exact (exact feedback) or estimated from `samples` labels per response against opponents
/// drawn from π_t (sampled feedback, as online mirror descent does; every label counts). The
/// previous estimate p_{t−1} is kept from the previous iteration, not queried again, so an
/// iteration costs n·samples labels per context.
public struct OptimisticMultiplicativeWeightsAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "omwu",
        summary: "optimistic multiplicative weights π ∝ π^{1−ητ} μ^{ητ} exp(η(2Pπ_t − Pπ_{t−1})) (last-iterate convergence when τ = 0)",
        paper: "Chen et al. 2025, Unregularized Linear Convergence in Zero-Sum Game from Preference Feedback (arXiv 2512.24818); Daskalakis & Panageas 2019 (OMWU); Zhang et al. 2025 (ONPO, arXiv 2502.16852)",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1),
                          doc: "step size η (η·τ ≤ 1); with τ = 0 the last iterate converges for small enough η, faster as η grows while it stays stable"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0), role: .regularization,
                          doc: "KL regularization τ toward μ (0 = OMWU on the original game; τ > 0 converges to π*_τ)"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and iteration estimating P(y ≻ π_t) (the previous estimate is reused)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// Labels per response and iteration in sampled feedback.
    public let samples: Int

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when η·τ > 1 (negative exponent of π_t).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        samples = parameters.int("samples")
        if eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 (the exponent 1 − ητ of π_t)")
        }
    }

    /// One optimistic step in log space, in place: log π_t becomes the log of
    /// π_t^{1−ητ} μ^{ητ} exp(η(2p_t − p_{t−1})), normalised (Rakhlin & Sridharan 2013;
    /// Daskalakis & Panageas 2019).
    /// - Parameters:
    ///   - logPi: log π_t of one context on entry, log π_{t+1} on return (length n).
    ///   - logMu: log μ of that context.
    ///   - p: p_t = P π_t.
    ///   - previous: p_{t−1} (p_t at the first step).
    ///   - centre: scratch of length n (the geometric mixture).
    /// - Complexity: O(n), n exponentials; no allocation when the buffers are uniquely referenced.
    public func step(logPi: inout [Double], logMu: [Double], p: [Double], previous: [Double], centre: inout [Double]) {
        LogSpace.geometricMixture(logPi, logMu, weight: eta * tau, into: &centre)
        centre.withUnsafeBufferPointer { c in
            p.withUnsafeBufferPointer { p in
                previous.withUnsafeBufferPointer { previous in
                    logPi.withUnsafeMutableBufferPointer { out in
                        for i in 0..<out.count { out[i] = c[i] + eta * (2 * p[i] - previous[i]) }
                        LogSpace.normalize(out)
                    }
                }
            }
        }
    }

    /// Runs OMWU from π_0 = μ in buffers allocated once per run (p_t and p_{t−1} trade places each
    /// step), so an exact-feedback iteration allocates nothing.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration, plus O(n²·samples) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        let n = run.actions
        var logPi = logMu
        var previous = [[Double]](repeating: [Double](repeating: 0, count: n), count: run.contexts)
        var pi = [Double](repeating: 0, count: n)
        var p = [Double](repeating: 0, count: n)
        var centre = [Double](repeating: 0, count: n)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                LogSpace.exponentials(logPi[x], into: &pi)
                try run.oracle.preferenceVector(context: x, against: pi, labelsPerResponse: samples, rng: run.rng, into: &p)
                step(logPi: &logPi[x], logMu: logMu[x], p: p, previous: t == 0 ? p : previous[x], centre: &centre)
                swap(&previous[x], &p)
            }
            try run.report(iteration: t + 1, logits: logPi)
        }
    }
}
