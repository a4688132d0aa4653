import AlignmentCore
import Foundation

/// Online mirror descent in self-play (online IPO; Hedge / multiplicative weights when τ = 0).
///
/// Per context, from π_0 = μ:
///
///     π_{t+1} ∝ π_t^{1−ητ} μ^{ητ} exp(η P π_t),
///
/// the entropic mirror-descent step on the KL-regularized preference game against the current
/// policy (Calandriello et al. 2024, "Human Alignment of Large Language Models through Online
/// Preference Optimisation", §4–5, which shows online IPO is this self-play; Freund & Schapire
/// 1999 for τ = 0). Its fixed point is π*_τ ∝ μ exp(Pπ*_τ/τ). With τ = 0 on rock–paper–scissors
/// the last iterate cycles while the average iterate π̄_t = (1/(t+1)) Σ_{s≤t} π_s converges to the
/// Nash equilibrium (no-regret); `report` chooses which of the two is handed to the harness.
///
/// P π_t is exact (exact feedback) or estimated from `samples` labels per response against
/// opponents drawn from π_t (sampled feedback; every label counts).
public struct OnlineMirrorDescentAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "online-mirror-descent",
        summary: "self-play mirror descent π ∝ π^{1−ητ} μ^{ητ} exp(ηPπ) (online IPO; Hedge when τ = 0)",
        paper: "Calandriello et al. 2024, Human Alignment of LLMs through Online Preference Optimisation (online IPO); Freund & Schapire 1999 (Hedge)",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size η (η·τ ≤ 1)"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "KL regularization τ toward μ (0 = Hedge self-play)"),
            ParameterSpec("report", .choice(["last", "average"]), default: .string("last"),
                          doc: "report the last iterate π_t or the average iterate (1/(t+1)) Σ_{s≤t} π_s"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and iteration estimating P(y ≻ π_t)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// Whether the average iterate is reported.
    public let reportsAverage: Bool
    /// Labels per response and iteration in sampled feedback.
    public let samples: Int

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when η·τ > 1 (negative mixture exponent).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        reportsAverage = parameters.string("report") == "average"
        samples = parameters.int("samples")
        if eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 (the exponent 1 − ητ of π_t)")
        }
    }

    /// Runs online mirror descent from π_0 = μ.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration, plus O(n²·samples) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        let w = eta * tau
        var logPi = logMu
        var sum = run.reference.probabilities  // Σ_{s≤t} π_s
        // The opponent's probabilities, P π and the mirror centre, allocated once per run;
        // π_{t+1} overwrites π_t.
        var pi = [Double](repeating: 0, count: run.actions)
        var v = [Double](repeating: 0, count: run.actions)
        var centre = [Double](repeating: 0, count: run.actions)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                LogSpace.exponentials(logPi[x], into: &pi)
                try run.oracle.preferenceVector(context: x, against: pi, labelsPerResponse: samples, rng: run.rng, into: &v)
                LogSpace.geometricMixture(logPi[x], logMu[x], weight: w, into: &centre)
                LogSpace.step(from: centre, along: v, by: eta, into: &logPi[x])
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
}
