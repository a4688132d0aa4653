import AlignmentCore
import Foundation
import PreferenceLearning

/// INPO, iterative Nash policy optimisation (Zhang et al. 2024, "Iterative Nash Policy Optimization:
/// Aligning LLMs with General Preferences via No-Regret Learning", arXiv 2407.00617): the online
/// mirror-descent update on the KL-regularised preference game, learned from labelled pairs by a
/// squared loss instead of computed from win rates.
///
/// Per context, at iteration t, pairs (y, y′) are drawn from π_t, labelled (y_w, y_l), and π_{t+1} is
/// the minimiser over all tabular policies of the INPO loss (in this benchmark's notation)
///
///     L_t(π) = E[(h_t(π, y_w, y_l) − η/2)²],
///     h_t(π, y, y′) = log π(y)/π(y′) − ητ log μ(y)/μ(y′) − (1 − ητ) log π_t(y)/π_t(y′).
///
/// With g = log π − (1 − ητ) log π_t − ητ log μ this is a weighted least-squares problem in g:
/// Σ_{a≠b} W(a, b)(g_a − g_b − η/2)², W(a, b) the weight of labels "a ≻ b". Its normal equations are
/// Σ_b c_ab (g_a − g_b) = (η/2) Σ_b (W(a, b) − W(b, a)) with c_ab = W(a, b) + W(b, a). For the
/// population weights of pairs drawn independently from π_t, W(a, b) ∝ π_t(a)π_t(b)P(a ≻ b), the
/// right-hand side is η π_t(a)(P(a ≻ π_t) − ½) and g_a = η P(a ≻ π_t) + const solves them, so
///
///     π_{t+1} ∝ π_t^{1−ητ} μ^{ητ} exp(η P π_t),
///
/// exactly one step of `online-mirror-descent` (the paper's result on the loss's minimiser); its
/// fixed point is π*_τ ∝ μ exp(Pπ*_τ/τ).
///
/// Feedback modes: `exact` minimises the population loss (W the exact soft-label counts of a pair of
/// distinct responses from π_t) — the plugin solves the least-squares problem, it does not apply the
/// closed form, so the tests check the paper's claim. `sampled` labels `batch_size` fresh pairs per
/// iteration (contexts x ∼ w, responses from π_t conditioned on being distinct; one label each, so
/// an iteration costs exactly `batch_size` labels) and minimises the empirical loss.
///
/// Choices where the paper leaves one: the policy is tabular and the loss is minimised exactly
/// (the paper takes gradient steps on a network). Where the labelled pairs do not connect every
/// response (sampled feedback, or π_t(y) = 0), the minimiser is not unique; the plugin takes the
/// minimum-norm one — on each connected component of the pair graph g has mean 0, and a response
/// in no pair keeps g = 0 — i.e. the minimiser closest to the prox centre π_t^{1−ητ} μ^{ητ}.
/// The normal equations are solved by Gaussian elimination, or by LAPACK's SVD where they are too
/// ill-conditioned for it (`LeastSquaresWorkspace`); a pair whose weight π_t(a)π_t(b) underflows
/// to 0 carries no label, so exact INPO departs from the OMD step once π_t is that close to a vertex.
public struct INPOAlgorithm: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "inpo",
        summary: "INPO: the online-mirror-descent step π ∝ π^{1−ητ} μ^{ητ} exp(ηPπ) learned as the minimiser of a squared loss on labelled pairs from π",
        paper: "Zhang et al. 2024, Iterative Nash Policy Optimization: Aligning LLMs with General Preferences via No-Regret Learning (arXiv 2407.00617)",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size η of the mirror-descent step (η·τ ≤ 1)"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization,
                          doc: "KL regularization τ toward μ (the fixed point is π*_τ)"),
            ParameterSpec("batch_size", .integer(1...10_000_000), default: .number(64),
                          doc: "sampled feedback: labelled pairs from π_t per iteration (each one label)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// Labelled pairs per iteration in sampled feedback.
    public let batchSize: Int

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when η·τ > 1 (negative exponent of π_t).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        batchSize = parameters.int("batch_size")
        if eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 (the exponent 1 − ητ of π_t)")
        }
    }

    /// Runs INPO from π_0 = μ.
    /// - Throws: `budgetExhausted` when a batch cannot be paid for; `numericalFailure` if the
    ///   least-squares solve fails or the policy is not finite.
    /// - Complexity: O(contexts · n³) per iteration, plus O(batch_size · log n) in sampled feedback.
    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var logPi = logMu
        let preferences = run.mode == .exact ? try (0..<run.contexts).map { try run.oracle.preferenceMatrix(context: $0) } : []
        // The run's buffers, reused (no allocation per iteration in exact feedback).
        var workspace = Workspace(contexts: run.contexts, actions: run.actions)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            if run.mode == .exact {
                try exactIteration(&logPi, logReference: logMu, preferences: preferences, iteration: t + 1, workspace: &workspace)
            } else {
                let current = try Policy(logits: logPi)
                let pairs = try PreferenceSampling.labelledPairs(count: batchSize, from: current, contextWeights: run.contextWeights,
                                                                 oracle: run.oracle, rng: run.rng)
                let counts = PairwiseCounts(pairs: pairs, contexts: run.contexts, actions: run.actions)
                for x in 0..<run.contexts {
                    try counts.wins[x].withUnsafeBufferPointer {
                        try step(&logPi[x], logReference: logMu[x], wins: $0, iteration: t + 1, workspace: &workspace)
                    }
                }
            }
            guard logPi.allSatisfy({ $0.allSatisfy { !$0.isNaN && $0 != .infinity } }) else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "INPO policy is not finite")
            }
            try run.report(iteration: t + 1, logits: logPi)
        }
    }
}
