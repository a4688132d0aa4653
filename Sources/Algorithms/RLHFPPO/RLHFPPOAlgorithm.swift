import AlignmentCore
import PreferenceLearning

/// RLHF with PPO, the InstructGPT pipeline (Ouyang et al. 2022, §3.5; Stiennon et al. 2020;
/// Schulman et al. 2017 for PPO; Ziegler et al. 2019 for the adaptive KL controller), on the
/// one-step (bandit) problem of a tabular policy.
///
/// 1. Reward model: `reward_pairs` pairs of distinct responses from μ, labelled by the oracle,
///    fitted by Bradley–Terry maximum likelihood (`l2` penalty), centred to mean 0 under μ.
/// 2. PPO, starting from π = μ (the SFT model). Each iteration draws a batch of `batch_size`
///    (x, y) with x ∼ w and y ∼ π_old, scores r = r̂(x, y) − β log(π_old(y|x)/μ(y|x)), subtracts the
///    baseline V(x) = E_{y∼π_old}[r] (the exact value of π_old — a perfect critic), and runs
///    `epochs` passes of `minibatches` Adam steps on the clipped surrogate
///    E[min(ρA, clip(ρ, 1−ε, 1+ε)A)], ρ = π_θ(y|x)/π_old(y|x).
///    With `lr_schedule` = linear the step size of iteration t (0-based) is η(1 − t/T) for a budget
///    of T iterations.
/// 3. With `kl_target` set, β adapts after every batch: β ← β(1 + 0.1·clip(KL/KL_target − 1, ±0.2)),
///    with KL = KL(π_old‖μ) (Ziegler et al. 2019, §2.2).
///
/// The fixed point is the KL-regularised optimum π ∝ μ·exp(r̂/β) (where every advantage vanishes).
///
/// Feedback modes: `sampled` (labels for the reward model count against the budget; the budget
/// caps the number of pairs). `exact`: the reward model is fitted to the exact soft labels
/// P(a ≻ b) over all pairs weighted by μ⊗μ, and each PPO step uses the exact expectation over
/// y ∼ π_old instead of a sampled batch, so the run is deterministic.
public struct RLHFPPOAlgorithm: Algorithm {
    /// The plugin's description: id, parameters, feedback modes, diagnostics.
    public static let descriptor = AlgorithmDescriptor(
        id: "rlhf-ppo",
        summary: "Bradley–Terry reward model from pairs drawn from μ, then PPO with a KL penalty toward μ",
        paper: "Ouyang et al. 2022, Training language models to follow instructions with human feedback, §3.5; "
            + "Schulman et al. 2017 (PPO); Ziegler et al. 2019, §2.2 (adaptive KL)",
        parameters: [
            ParameterSpec("beta", .real(.positive), default: .number(0.1),
                          doc: "KL coefficient β of the reward r̂ − β log(π/μ) (initial value when kl_target is set)"),
            ParameterSpec("clip_epsilon", .real(Interval(0, 1, lowerOpen: true, upperOpen: true)), default: .number(0.2),
                          doc: "PPO clipping range ε of the ratio π/π_old"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(0.05), doc: "Adam step size on the logits"),
            ParameterSpec("lr_schedule", .choice(["constant", "linear"]), default: .string("linear"),
                          doc: "constant step size, or annealed linearly to 0 over the iteration budget (Schulman et al. 2017, Atari setup)"),
            ParameterSpec("batch_size", .integer(1...1_000_000), default: .number(64), doc: "samples (x, y ∼ π_old) per PPO iteration"),
            ParameterSpec("epochs", .integer(1...1000), default: .number(4), doc: "PPO epochs K over each batch"),
            ParameterSpec("minibatches", .integer(1...1_000_000), default: .number(4),
                          doc: "minibatches per epoch (≤ batch_size); one Adam step each"),
            ParameterSpec("reward_pairs", .integer(1...100_000_000), default: .number(1000),
                          doc: "labelled pairs from μ for the reward model (sampled mode; capped by the query budget)"),
            ParameterSpec("l2", .real(.nonNegative), default: .number(1e-4),
                          doc: "L2 coefficient λ of the reward-model fit (mean logistic loss + λ/2‖r‖²)"),
            ParameterSpec("kl_target", .real(.positive), default: nil,
                          doc: "target KL(π‖μ) of the adaptive KL controller (absent: fixed β)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: ["proxy_reward", "beta"],
        policyClasses: [.tabular, .logLinear])

    /// Initial β.
    public let beta: Double
    /// ε.
    public let clipEpsilon: Double
    /// Adam step size.
    public let learningRate: Double
    /// Whether the step size is annealed linearly to 0 over the iteration budget.
    public let linearSchedule: Bool
    /// Samples per batch.
    public let batchSize: Int
    /// K.
    public let epochs: Int
    /// Minibatches per epoch.
    public let minibatches: Int
    /// Reward-model pairs.
    public let rewardPairs: Int
    /// λ.
    public let l2: Double
    /// Target KL, if adaptive.
    public let klTarget: Double?

    /// Creates the plugin from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` for inconsistent combinations.
    public init(parameters: ParameterValues) throws {
        beta = parameters.double("beta")
        clipEpsilon = parameters.double("clip_epsilon")
        learningRate = parameters.double("learning_rate")
        linearSchedule = parameters.string("lr_schedule") == "linear"
        batchSize = parameters.int("batch_size")
        epochs = parameters.int("epochs")
        minibatches = parameters.int("minibatches")
        rewardPairs = parameters.int("reward_pairs")
        l2 = parameters.double("l2")
        klTarget = parameters.optionalDouble("kl_target")
        if minibatches > batchSize {
            throw AlignmentCoreError.invalidParameter(
                name: "minibatches", reason: "\(minibatches) minibatches cannot split a batch of \(batchSize) samples")
        }
    }

    /// The adaptive KL controller's update (Ziegler et al. 2019): β(1 + 0.1·clip(KL/target − 1, −0.2, 0.2)).
    public static func adaptedBeta(_ beta: Double, kl: Double, target: Double) -> Double {
        beta * (1 + 0.1 * min(0.2, max(-0.2, kl / target - 1)))
    }
}
