import AlignmentCore
import Foundation
import PreferenceLearning

/// Self-play policy gradient with win-rate rewards on tabular softmax logits: SPO (Swamy et al.
/// 2024, "A Minimaximalist Approach to Reinforcement Learning from Human Feedback", ICML, §3–4),
/// RLOO (Ahmadian et al. 2024, "Back to Basics: Revisiting REINFORCE Style Optimization for
/// Learning from Human Feedback in LLMs", §3.2), GRPO (Shao et al. 2024, "DeepSeekMath", §4.1) and
/// Dr. GRPO (Liu et al. 2025, "Understanding R1-Zero-Like Training: A Critical Perspective", §3.2).
///
/// Per context and iteration, G responses y_1…y_G are drawn from π_old = π_θ, every pair i < j is
/// labelled once (z_ij = 1[y_i ≻ y_j], z_ji = 1 − z_ij; G(G−1)/2 labels), and response i is
/// rewarded by its win rate r_i = Σ_{j≠i} z_ij / (G − 1) against the other G − 1 (SPO's reward).
/// With `kl` = "reward" the reward is r̃_i = r_i − β log(π_old(y_i)/μ(y_i)) (RLOO's KL penalty);
/// with "k3" the reward is r_i and the loss gets β·k3, k3 = μ/π − log(μ/π) − 1 at y_i (GRPO).
/// Advantages (`advantage`):
///
///     spo      A_i = r̃_i                                   (the win rate itself, REINFORCE)
///     rloo     A_i = r̃_i − Σ_{j≠i} r̃_j / (G − 1)            (leave-one-out baseline)
///     grpo     A_i = (r̃_i − mean r̃) / (std r̃ + 10⁻⁴)       (std with G − 1, as TRL's GRPOTrainer)
///     dr-grpo  A_i = r̃_i − mean r̃                           (group-centred, no std)
///
/// The ascent direction is g = (1/G) Σ_i ∇_θ min(ρ_i A_i, clip(ρ_i, 1−ε, 1+ε) A_i)
/// − (β/G) Σ_i ∇_θ k3_i (k3 term only with `kl` = "k3"), ρ_i = π_θ(y_i)/π_old(y_i), with the samples
/// held fixed and ∇_θ log π_θ(y) = e_y − π_θ; θ ← θ + lr·g, `epochs` times per batch (ratio and
/// clipping matter only after the first epoch; with one epoch ρ = 1).
///
/// **Win-rate rewards make the baselines degenerate** (derived in the plugin's tests): every pair
/// contributes one win, so Σ_i r_i = G/2 and mean r = ½ in every group. The expected gradients at
/// one epoch, with p = Pπ, ℓ = log(π/μ) and π⊙v the elementwise product, are
///
///     spo      π⊙(p − ½) − β π⊙(ℓ − πᵀℓ)
///     rloo     G/(G−1)·π⊙(p − ½) − β π⊙(ℓ − πᵀℓ)
///     dr-grpo  π⊙(p − ½) − β (G−1)/G·π⊙(ℓ − πᵀℓ)
///
/// (`kl` = "reward"; RLOO's baseline includes the games against y_i, so it amplifies the
/// preference term; the mean baseline includes y_i's own KL penalty, so it shrinks the KL term),
/// and with `kl` = "k3" the KL part is −β(π − μ) for every estimator, the gradient of KL(μ‖π), not
/// of KL(π‖μ). Hence the fixed points: `spo` with `kl` = "reward" is π*_β (Munos et al. 2023, §3:
/// π ∝ μ exp(Pπ/β)); `rloo` and `dr-grpo` reach π*_τ with τ = β(G−1)/G, not β; with "k3" the fixed
/// point solves c·π⊙(p − ½) = β(π − μ) (c = G/(G−1) for rloo, else 1), which is not π*_τ for any τ.
/// β therefore declares no regularization role. GRPO's std division makes the expected gradient
/// non-linear in the labels, so `grpo` runs in sampled feedback only.
///
/// Exact feedback uses these expected gradients (P π from the oracle); with `epochs` > 1 the
/// later epochs use the per-action expected advantage Ā(y) = E[A_i | y_i = y] inside the clipped
/// surrogate, E_{y∼π_old}[∇ min(ρ(y)Ā(y), clip(ρ(y))Ā(y))] (the clip of the expected advantage, not
/// the expectation of the clipped sampled surrogate). Sampled feedback draws labels as above.
public struct SelfPlayPolicyGradient: Algorithm {
    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, papers.
    public static let descriptor = AlgorithmDescriptor(
        id: "self-play-pg",
        summary: "policy gradient on win-rate rewards within groups of G self-play samples (SPO, RLOO, GRPO, Dr. GRPO advantages)",
        paper: "Swamy et al. 2024 (SPO, arXiv 2401.04056); Ahmadian et al. 2024 (RLOO, arXiv 2402.14740); Shao et al. 2024 (GRPO, DeepSeekMath, arXiv 2402.03300); Liu et al. 2025 (Dr. GRPO, arXiv 2503.20783)",
        parameters: [
            ParameterSpec("group_size", .integer(2...1024), default: .number(4),
                          doc: "G: responses per context and iteration; each pair is labelled once (G(G−1)/2 labels per context and iteration in sampled feedback)"),
            ParameterSpec("advantage", .choice(["spo", "rloo", "grpo", "dr-grpo"]), default: .string("rloo"),
                          doc: "spo: the win rate itself; rloo: leave-one-out baseline; grpo: (r − mean)/(std + 1e-4), sampled only; dr-grpo: r − mean"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(1), doc: "SGD step size on the logits"),
            ParameterSpec("beta", .real(.nonNegative), default: .number(0.1),
                          doc: "KL coefficient β toward μ (fixed point π*_τ with τ = β for spo, β(G−1)/G for rloo and dr-grpo, when kl = reward)"),
            ParameterSpec("kl", .choice(["reward", "k3"]), default: .string("reward"),
                          doc: "reward: −β log(π/μ) added to each reward (RLOO); k3: β·(μ/π − log(μ/π) − 1) in the loss (GRPO)"),
            ParameterSpec("clip_epsilon", .real(.positive), default: .number(0.2),
                          doc: "PPO ratio clip ε: the surrogate min(ρA, clip(ρ, 1−ε, 1+ε)A) (inactive when epochs = 1)"),
            ParameterSpec("epochs", .integer(1...1000), default: .number(1),
                          doc: "gradient steps per batch (the ratio ρ = π_θ/π_old moves away from 1 after the first)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        policyClasses: [.tabular, .logLinear])

    /// How advantages are formed from the group's rewards.
    public enum Advantage: String, Sendable {
        /// The win rate itself (SPO with REINFORCE).
        case spo
        /// Leave-one-out baseline (RLOO).
        case rloo
        /// Group-normalised (GRPO).
        case grpo
        /// Group-centred (Dr. GRPO).
        case drGRPO = "dr-grpo"
    }

    /// G.
    public let groupSize: Int
    /// The advantage estimator.
    public let advantage: Advantage
    /// SGD step size.
    public let learningRate: Double
    /// β.
    public let beta: Double
    /// Whether the KL enters the loss as k3 (GRPO) rather than the reward (RLOO).
    public let klInLoss: Bool
    /// ε.
    public let clipEpsilon: Double
    /// Gradient steps per batch.
    public let epochs: Int

    /// Creates the algorithm from validated hyperparameters (every combination is valid; `grpo`
    /// is refused in exact feedback by `refusal(feedback:)`).
    public init(parameters: ParameterValues) throws {
        groupSize = parameters.int("group_size")
        advantage = Advantage(rawValue: parameters.string("advantage"))!
        learningRate = parameters.double("learning_rate")
        beta = parameters.double("beta")
        klInLoss = parameters.string("kl") == "k3"
        clipEpsilon = parameters.double("clip_epsilon")
        epochs = parameters.int("epochs")
    }

    /// GRPO's advantage divides by the group's standard deviation, so its expected gradient has no
    /// closed form: refused in exact feedback.
    public func refusal(feedback: FeedbackMode) -> String? {
        advantage == .grpo && feedback == .exact
            ? "advantage \"grpo\" divides by the group's standard deviation, whose expected gradient has no closed form; use sampled feedback or advantage \"rloo\", \"dr-grpo\" or \"spo\""
            : nil
    }

    /// The scales (a, b) of the expected one-epoch gradient a·π⊙(p − ½) − b·β·π⊙(ℓ − πᵀℓ) with the
    /// KL in the reward: spo (1, 1), rloo (G/(G−1), 1), dr-grpo (1, (G−1)/G).
    /// - Precondition: the advantage is not `grpo`.
    public var expectedScales: (preference: Double, kl: Double) {
        let g = Double(groupSize)
        switch advantage {
        case .spo: return (1, 1)
        case .rloo: return (g / (g - 1), 1)
        case .drGRPO: return (1, (g - 1) / g)
        case .grpo: preconditionFailure("grpo has no closed-form expected gradient")
        }
    }

    /// Runs the policy gradient from θ_0 = log μ.
    /// - Throws: `budgetExhausted` when labels run out; `unsupportedFeedback` for grpo in exact
    ///   feedback; `numericalFailure` when the logits stop being finite.
    /// - Complexity: per context and iteration O(n²) + O(epochs·n) (exact), O(G² + epochs·(G + n))
    ///   time and G(G−1)/2 labels (sampled).
    public func run(_ run: RunContext) throws {
        if let reason = refusal(feedback: run.mode) { throw AlignmentCoreError.unsupportedFeedback(reason) }
        let logMu = run.reference.logProbabilities
        var theta = logMu
        try run.report(iteration: 0, policy: run.reference)
        if var parameters = PolicyParameters(logLinear: run) {
            // Log-linear class: every context's batch first (same draws and labels, in context
            // order), then each epoch one step on θ with every context's logit gradient (Φᵀg).
            let n = run.actions
            for t in 0..<run.iterations {
                let rows = parameters.logitRows
                var batches: [SurrogateBatch] = []
                for x in 0..<run.contexts {
                    batches.append(run.mode == .exact
                        ? try exactBatch(logPi: LogSpace.normalize(rows[x]), logMu: logMu[x], context: x, oracle: run.oracle)
                        : try sampledBatch(logPi: LogSpace.normalize(rows[x]), logMu: logMu[x], context: x, oracle: run.oracle, rng: run.rng))
                }
                for _ in 0..<epochs {
                    let current = parameters.logitRows
                    var logitGradient = [Double](repeating: 0, count: run.contexts * n)
                    for x in 0..<run.contexts {
                        let g = gradient(batches[x], logPi: LogSpace.normalize(current[x]), logMu: logMu[x])
                        for y in 0..<n { logitGradient[x * n + y] = g[y] }
                    }
                    parameters.ascend(learningRate: learningRate, logitGradient: logitGradient)
                }
                guard parameters.isFinite else {
                    throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "self-play-pg parameters are not finite")
                }
                try run.report(iteration: t + 1, policy: parameters.policy())
            }
            return
        }
        // Exact feedback: one context's buffers, reused (no allocation per iteration).
        var workspace = ExactWorkspace(actions: run.actions)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                if run.mode == .exact {
                    try exactStep(&theta[x], logMu: logMu[x], context: x, oracle: run.oracle, workspace: &workspace)
                } else {
                    let batch = try sampledBatch(logPi: LogSpace.normalize(theta[x]), logMu: logMu[x], context: x, oracle: run.oracle, rng: run.rng)
                    for _ in 0..<epochs {
                        let g = gradient(batch, logPi: LogSpace.normalize(theta[x]), logMu: logMu[x])
                        for y in theta[x].indices { theta[x][y] += learningRate * g[y] }
                    }
                }
                // −∞ is a response outside μ's support, where π stays 0.
                guard theta[x].allSatisfy({ !$0.isNaN && $0 != .infinity }) else {
                    throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "self-play-pg logits are not finite")
                }
            }
            try run.report(iteration: t + 1, logits: theta)
        }
    }
}
