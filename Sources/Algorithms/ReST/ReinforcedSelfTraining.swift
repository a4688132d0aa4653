import AlignmentCore
import Foundation
import PreferenceLearning

/// Reinforced Self-Training (ReST, Gulcehre et al. 2023, Algorithm 1) on a tabular policy.
///
/// A Bradley–Terry reward model is learned as in rlhf-ppo (pairs from μ, maximum likelihood with
/// an L2 term) and min-max normalised to [0, 1] per context. The original data D are
/// `samples_per_context` responses per context drawn from μ (the SFT data). Then, for each of
/// the G = `grow_steps` Grow steps, D_g = D ∪ {`samples_per_context` responses per context from the
/// current policy}; and for each threshold τ_1 ≤ … ≤ τ_I of `thresholds`, an Improve step fine-tunes
/// the previous policy by behaviour cloning (cross-entropy −mean log π(y|x)) on the samples of D_g
/// whose normalised reward is ≥ τ_i: `bc_steps` full-batch Adam steps at learning rate
/// `learning_rate`·`lr_decay`^(i−1) (each Improve step starts from the previous policy, with a
/// fresh optimizer, at a lower rate). With `early_stopping` (default), fine-tuning runs "while reward
/// improves on D_eval" (Algorithm 1): after each step the proxy reward E_π r̂ (the exact expectation
/// under the tabular policy, i.e. an evaluation set of unlimited size) is compared with the best so
/// far, and the Improve step ends at the first step that does not improve it, keeping the best
/// policy. One iteration is one Improve step; a checkpoint follows
/// each, with diagnostics `proxy_reward` = E_π r̂ (normalised reward model) and `kept_fraction`
/// (the share of D_g that passed the threshold). An Improve step that keeps nothing leaves the
/// policy unchanged.
///
/// Feedback modes: `sampled` (reward-model labels count against the budget, which caps the number
/// of pairs). `exact`: the reward model is fitted to the exact soft labels P(a ≻ b) over all pairs
/// weighted by μ⊗μ, and each dataset is replaced by its expectation (weight N·ρ(y|x) for a
/// response drawn N times from ρ), so the run is deterministic.
public struct ReinforcedSelfTraining: Algorithm {
    /// The plugin's description: id, parameters, feedback modes, diagnostics.
    public static let descriptor = AlgorithmDescriptor(
        id: "rest",
        summary: "Grow (sample from the policy) and Improve (behaviour cloning above rising reward thresholds) steps",
        paper: "Gulcehre et al. 2023, Reinforced Self-Training (ReST) for Language Modeling, Algorithm 1 and §3",
        parameters: [
            ParameterSpec("grow_steps", .integer(1...1000), default: .number(1), doc: "number G of Grow steps"),
            ParameterSpec("thresholds", .reals(count: 1...100, element: .unit), default: .array([0, 0.7, 0.8, 0.9, 0.95, 0.99].map { .number($0) }),
                          doc: "non-decreasing reward thresholds τ_i of the Improve steps (normalised reward in [0, 1])"),
            ParameterSpec("samples_per_context", .integer(1...10_000_000), default: .number(100),
                          doc: "responses N per context drawn in each Grow step (and in the original data)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(0.05), doc: "Adam step size of the first Improve step"),
            ParameterSpec("lr_decay", .real(Interval(0, 1, lowerOpen: true)), default: .number(0.5),
                          doc: "factor applied to the learning rate at each further Improve step of a Grow step"),
            ParameterSpec("bc_steps", .integer(1...1_000_000), default: .number(50),
                          doc: "full-batch behaviour-cloning steps per Improve step"),
            ParameterSpec("early_stopping", .flag, default: .bool(true),
                          doc: "end an Improve step's fine-tuning once E_π r̂ stops improving, keeping the best policy"),
            ParameterSpec("reward_pairs", .integer(1...100_000_000), default: .number(1000),
                          doc: "labelled pairs from μ for the reward model (sampled mode; capped by the query budget)"),
            ParameterSpec("l2", .real(.nonNegative), default: .number(1e-4), doc: "L2 coefficient λ of the reward-model fit"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: ["proxy_reward", "kept_fraction"],
        policyClasses: [.tabular, .logLinear])

    /// G.
    public let growSteps: Int
    /// τ_1 ≤ … ≤ τ_I.
    public let thresholds: [Double]
    /// N.
    public let samplesPerContext: Int
    /// Initial step size.
    public let learningRate: Double
    /// Decay per Improve step.
    public let learningRateDecay: Double
    /// Steps per Improve step.
    public let bcSteps: Int
    /// Whether fine-tuning stops once the proxy reward stops improving.
    public let earlyStopping: Bool
    /// Reward-model pairs.
    public let rewardPairs: Int
    /// λ.
    public let l2: Double

    /// Creates the plugin from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` for inconsistent combinations.
    public init(parameters: ParameterValues) throws {
        growSteps = parameters.int("grow_steps")
        thresholds = parameters.doubles("thresholds") ?? []
        samplesPerContext = parameters.int("samples_per_context")
        learningRate = parameters.double("learning_rate")
        learningRateDecay = parameters.double("lr_decay")
        bcSteps = parameters.int("bc_steps")
        earlyStopping = parameters.bool("early_stopping")
        rewardPairs = parameters.int("reward_pairs")
        l2 = parameters.double("l2")
        if let i = thresholds.indices.dropFirst().first(where: { thresholds[$0] < thresholds[$0 - 1] }) {
            throw AlignmentCoreError.invalidParameter(
                name: "thresholds", reason: "thresholds must not decrease, but \(thresholds[i]) follows \(thresholds[i - 1])")
        }
    }

    /// The step size of the Improve step with index i (0-based within its Grow step).
    public func learningRate(improveStep i: Int) -> Double {
        learningRate * pow(learningRateDecay, Double(i))
    }
}
