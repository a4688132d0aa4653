import Foundation
import AlignmentCore
import PreferenceLearning

/// The DPO family on a tabular policy: direct preference optimisation of the log-ratio margin
/// Δ = log π(y_w)/μ(y_w) − log π(y_l)/μ(y_l) (Rafailov et al. 2023) with the losses
///
/// - `sigmoid` (DPO, Rafailov et al. 2023, Eq. 7): −log σ(βΔ);
/// - `ipo` (IPO, Azar et al. 2023, Eq. 17): (Δ − 1/(2β))², β playing the role of τ;
/// - `hinge` (SLiC-HF, Zhao et al. 2023): max(0, 1 − βΔ);
/// - `robust` (conservative DPO, Mitchell 2023, Eq. 3): −(1−ε) log σ(βΔ) − ε log σ(−βΔ), the
///   sigmoid loss with labels smoothed by ε = `label_smoothing`;
/// - `exponential` and `truncated_square` (GPO, Tang et al. 2024, "Generalized Preference
///   Optimization: A Unified Approach to Offline Alignment", Table 1): exp(−βΔ) and max(0, 1 − βΔ)²;
/// - `rpo` (Pang et al. 2024, "Iterative Reasoning Preference Optimization"): the DPO loss
///   plus α times the negative log-likelihood of the chosen response, −log σ(βΔ) − α log π(y_w)
///   (α = `nll_weight`);
/// - `simpo` (Meng et al. 2024, "SimPO: Simple Preference Optimization with a Reference-Free
///   Reward"): −log σ(β/|y_w| · log π(y_w) − β/|y_l| · log π(y_l) − γ) with target margin
///   γ = `target_margin` and no reference. A response here is one token, so its length |y| is 1 and
///   the length-normalised reward is β log π(y): the loss is −log σ(β(log π(y_w) − log π(y_l)) − γ);
/// - `orpo` (Hong et al. 2024, "ORPO: Monolithic Preference Optimization without Reference Model"): −log π(y_w) − λ log σ(log odds(y_w) − log odds(y_l)), odds(y) = π(y)/(1 − π(y)),
///   λ = `odds_ratio_weight`, no reference and no β (the paper's length-averaged likelihood of a
///   one-token response is π(y) itself).
///
/// Every loss is a margin term m(Δ) plus, for `rpo` and `orpo`, a likelihood term −c log π(y_w);
/// the margin is the log-ratio margin above except for `simpo` (log π(y_w) − log π(y_l)) and
/// `orpo` (the log odds ratio). `lossValue`/`lossDerivative` are m and m′.
///
/// The policy starts at μ and takes one optimizer step (Adam or SGD on the logits) per iteration
/// on a minibatch of `batch_size` pairs; with `lr_schedule` = linear the step size of iteration t
/// (0-based) is η(1 − t/T) for a budget of T iterations. Offline (default): `dataset_size` pairs of distinct
/// responses from μ are labelled once (capped by the query budget) and visited in reshuffled
/// epochs; `epochs` (optional) ends the run after that many passes. `online`: every iteration
/// labels a fresh batch of pairs drawn from the current policy — with loss = ipo this is online IPO
/// (Calandriello et al. 2024, "Human Alignment of Large Language Models through Online Preference
/// Optimisation"), whose stationary point is the regularised Nash equilibrium π*_τ, τ = β. With
/// `online_mixture` = β_m > 0 the pairs come instead from the geometric mixture
/// ρ ∝ π^{1−β_m} μ^{β_m} (IPO-MD, the same paper, sampling as Nash-MD does) while the loss keeps
/// μ as its reference; the IPO population loss with pairs from ρ is minimised where
/// log π/μ = P(· ≻ ρ)/τ + const, so IPO-MD's stationary point solves π ∝ μ exp(P ρ(π)/τ), which is
/// π*_τ only when β_m = 0 (the tests check both). `dataset`: an explicit list of
/// [chosen, rejected] pairs used in every context instead of sampled data (no queries) — the
/// deterministic-preference experiments of Azar et al. 2023, §5.4. With `batch_sampling` =
/// replacement, each offline minibatch is instead `batch_size` items drawn uniformly with
/// replacement from the data (so a batch of 9 from a 3-pair dataset varies from step to step), and
/// `epochs` then counts multiples of the data size in drawn items. Diagnostic
/// `first_response_probability`: π(y₀|x) averaged over contexts.
///
/// Since ∂ log π(y)/∂θ_x = e_y − π_x, a pair's gradient is g_w(e_{y_w} − π) + g_l(e_{y_l} − π) with
/// g_w, g_l the loss's partial derivatives in log π(y_w), log π(y_l); for the margin-only losses
/// g_l = −g_w and this is ℓ'(Δ)(e_{w} − e_{l}). With a Bradley–Terry preference σ(r_a − r_b) and full
/// coverage, the `sigmoid` loss is minimised exactly at π ∝ μ·exp(r/β), `exponential` at
/// π ∝ μ·exp(r/(2β)) and `simpo` with γ = 0 at π ∝ exp(r/β); the other losses' population
/// minimisers are characterised in the tests.
///
/// Feedback modes: `sampled` (labels count against the budget). `exact`: each step descends the
/// population loss — pairs weighted by their exact law under μ (or under the current policy when
/// `online`), labels by the exact soft labels P(a ≻ b) — so the run is deterministic; with an
/// explicit `dataset`, each step is a full-batch step on the dataset. In exact mode one step is one
/// pass over the data, so `epochs` caps the number of steps.
public struct DirectPreferenceOptimization: Algorithm {
    /// The loss ℓ(Δ).
    public enum Loss: String, Sendable, CaseIterable {
        /// −log σ(βΔ).
        case sigmoid
        /// (Δ − 1/(2β))².
        case ipo
        /// max(0, 1 − βΔ).
        case hinge
        /// −(1−ε) log σ(βΔ) − ε log σ(−βΔ).
        case robust
        /// exp(−βΔ) (GPO exponential).
        case exponential
        /// max(0, 1 − βΔ)² (GPO truncated square).
        case truncatedSquare = "truncated_square"
        /// −log σ(βΔ) − α log π(y_w) (RPO).
        case rpo
        /// −log σ(β(log π(y_w) − log π(y_l)) − γ) (SimPO, one-token responses).
        case simpo
        /// −log π(y_w) − λ log σ(log odds(y_w) − log odds(y_l)) (ORPO).
        case orpo

        /// The margin the loss is a function of.
        enum Margin { case logRatio, logProbability, logOdds }

        /// Which margin m(Δ) reads.
        var margin: Margin {
            switch self {
            case .simpo: return .logProbability
            case .orpo: return .logOdds
            default: return .logRatio
            }
        }
    }

    /// The plugin's description: id, parameters, feedback modes, diagnostics.
    public static let descriptor = AlgorithmDescriptor(
        id: "dpo",
        summary: "Direct preference optimisation of log π/μ margins on labelled pairs (DPO, IPO, SLiC hinge, cDPO, GPO, RPO, SimPO, ORPO)",
        paper: "Rafailov et al. 2023, Direct Preference Optimization, Eq. 7; Azar et al. 2023, A General Theoretical "
            + "Paradigm to Understand Learning from Human Preferences, Eq. 17 and §5.4; Zhao et al. 2023 (SLiC-HF); "
            + "Mitchell 2023 (cDPO); Tang et al. 2024, Generalized Preference Optimization, Table 1 (exponential, truncated square); "
            + "Pang et al. 2024, Iterative Reasoning Preference Optimization (RPO); Meng et al. 2024, SimPO; "
            + "Hong et al. 2024, ORPO; Calandriello et al. 2024 (online IPO, IPO-MD)",
        parameters: [
            ParameterSpec("beta", .real(.positive), default: .number(0.1), doc: "inverse temperature β of the margin (τ for ipo; unused by orpo)"),
            ParameterSpec("loss", .choice(Loss.allCases.map(\.rawValue)), default: .string("sigmoid"),
                          doc: "sigmoid (DPO), ipo, hinge (SLiC), robust (cDPO label smoothing), exponential or truncated_square (GPO), rpo (DPO + NLL), simpo (reference-free, length 1) or orpo (NLL + odds ratio)"),
            ParameterSpec("nll_weight", .real(.nonNegative), default: .number(1),
                          doc: "α of loss = rpo: weight of the chosen response's negative log-likelihood (Pang et al. 2024 use 1; ignored by the other losses)"),
            ParameterSpec("target_margin", .real(.nonNegative), default: .number(0.5),
                          doc: "γ of loss = simpo: target reward margin (ignored by the other losses)"),
            ParameterSpec("odds_ratio_weight", .real(.positive), default: .number(0.1),
                          doc: "λ of loss = orpo: weight of the odds-ratio term (Hong et al. 2024 use 0.1; ignored by the other losses)"),
            ParameterSpec("label_smoothing", .real(Interval(0, 0.5, upperOpen: true)), default: .number(0.1),
                          doc: "label-flip rate ε assumed by loss = robust (ignored by the other losses)"),
            ParameterSpec("learning_rate", .real(.positive), default: .number(0.01), doc: "optimizer step size on the logits"),
            ParameterSpec("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), doc: "Adam or plain SGD"),
            ParameterSpec("lr_schedule", .choice(["constant", "linear"]), default: .string("constant"),
                          doc: "constant step size, or annealed linearly to 0 over the iteration budget"),
            ParameterSpec("batch_size", .integer(1...1_000_000), default: .number(64), doc: "pairs per optimizer step"),
            ParameterSpec("dataset_size", .integer(1...100_000_000), default: .number(1000),
                          doc: "offline labelled pairs from μ (capped by the query budget)"),
            ParameterSpec("epochs", .integer(1...1_000_000), default: nil,
                          doc: "passes over the offline dataset before the run stops (absent: the iteration budget)"),
            ParameterSpec("online", .flag, default: .bool(false),
                          doc: "label a fresh batch of pairs from the current policy every iteration (online DPO; online IPO with loss = ipo)"),
            ParameterSpec("online_mixture", .real(.unit), default: .number(0),
                          doc: "online pairs drawn from the geometric mixture π^{1−β}μ^β (normalised) with this β instead of from π (IPO-MD with loss = ipo; 0 = online IPO/DPO; needs online = true)"),
            ParameterSpec("dataset", .structured("a list of [chosen, rejected] response-index pairs, e.g. [[0,1],[1,2],[0,2]], used in every context"),
                          default: nil, doc: "explicit preference dataset replacing sampled pairs (no queries)"),
            ParameterSpec("batch_sampling", .choice(["epochs", "replacement"]), default: .string("epochs"),
                          doc: "offline data in sampled feedback: reshuffled passes without replacement (epochs), or every minibatch of batch_size drawn uniformly with replacement from the data (Azar et al. 2023, §5.4)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: [firstResponseDiagnostic],
        policyClasses: [.tabular, .logLinear])

    /// The diagnostic π(y₀|x) averaged over contexts with their weights: the probability of the first
    /// response (response a of Azar et al. 2023, §5.4).
    public static let firstResponseDiagnostic = "first_response_probability"

    /// β.
    public let beta: Double
    /// The loss.
    public let loss: Loss
    /// ε of the robust loss.
    public let labelSmoothing: Double
    /// α of the rpo loss.
    public let nllWeight: Double
    /// γ of the simpo loss.
    public let targetMargin: Double
    /// λ of the orpo loss.
    public let oddsRatioWeight: Double
    /// Step size.
    public let learningRate: Double
    /// Whether the optimizer is Adam (else SGD).
    public let usesAdam: Bool
    /// Whether the step size is annealed linearly to 0 over the iteration budget.
    public let linearSchedule: Bool
    /// Pairs per step.
    public let batchSize: Int
    /// Offline dataset size.
    public let datasetSize: Int
    /// Passes over the data, if limited.
    public let epochs: Int?
    /// Online pairs.
    public let online: Bool
    /// β of the online pair law π^{1−β}μ^β (0: pairs from π).
    public let onlineMixture: Double
    /// Explicit [chosen, rejected] pairs.
    public let dataset: [(chosen: Int, rejected: Int)]?
    /// Whether offline minibatches are drawn uniformly with replacement (else reshuffled epochs).
    public let samplesWithReplacement: Bool

    /// Creates the plugin from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` for inconsistent combinations.
    public init(parameters: ParameterValues) throws {
        beta = parameters.double("beta")
        loss = Loss(rawValue: parameters.string("loss"))!
        labelSmoothing = parameters.double("label_smoothing")
        nllWeight = parameters.double("nll_weight")
        targetMargin = parameters.double("target_margin")
        oddsRatioWeight = parameters.double("odds_ratio_weight")
        learningRate = parameters.double("learning_rate")
        usesAdam = parameters.string("optimizer") == "adam"
        linearSchedule = parameters.string("lr_schedule") == "linear"
        batchSize = parameters.int("batch_size")
        datasetSize = parameters.int("dataset_size")
        epochs = parameters["epochs"] == nil ? nil : parameters.int("epochs")
        online = parameters.bool("online")
        onlineMixture = parameters.double("online_mixture")
        dataset = try parameters["dataset"].map(Self.parseDataset)
        samplesWithReplacement = parameters.string("batch_sampling") == "replacement"
        if !online && onlineMixture != 0 {
            throw AlignmentCoreError.invalidParameter(name: "online_mixture", reason: "\(onlineMixture) mixes the online pair law; it needs online = true (offline pairs come from μ)")
        }
        if online && dataset != nil {
            throw AlignmentCoreError.invalidParameter(name: "dataset", reason: "an explicit dataset cannot be combined with online = true")
        }
        if online && samplesWithReplacement {
            throw AlignmentCoreError.invalidParameter(name: "batch_sampling", reason: "\"replacement\" draws from offline data; online runs label fresh pairs every step")
        }
        if online && epochs != nil {
            throw AlignmentCoreError.invalidParameter(name: "epochs", reason: "epochs apply to offline data; online runs use the iteration budget")
        }
    }

    /// Parses `dataset`: a non-empty array of two-element arrays of distinct non-negative integers.
    /// - Throws: `AlignmentCoreError.invalidParameter` naming the offending element.
    static func parseDataset(_ value: ParameterValue) throws -> [(chosen: Int, rejected: Int)] {
        func fail(_ why: String) -> AlignmentCoreError {
            .invalidParameter(name: "dataset", reason: "\(why); allowed: a non-empty list of [chosen, rejected] response-index pairs")
        }
        guard let items = value.array, !items.isEmpty else { throw fail("expected a non-empty array, got \(value)") }
        return try items.enumerated().map { i, item in
            guard let pair = item.array, pair.count == 2 else { throw fail("element \(i) is not a two-element array") }
            let ints = try pair.map { v -> Int in
                guard let x = v.number, x.isFinite, x == x.rounded(), x >= 0, x < 1e9 else {
                    throw fail("element \(i) contains \(v), not a response index")
                }
                return Int(x)
            }
            guard ints[0] != ints[1] else { throw fail("element \(i) compares response \(ints[0]) with itself") }
            return (ints[0], ints[1])
        }
    }

    /// m'(Δ), the derivative of the loss's margin term with respect to its margin Δ (see the type's
    /// documentation: the log-ratio margin, or log π(y_w) − log π(y_l) for simpo, or the log odds
    /// ratio for orpo).
    public func lossDerivative(_ delta: Double) -> Double {
        let z = beta * delta
        switch loss {
        case .sigmoid, .rpo: return -beta * BradleyTerryRewardModel.sigmoid(-z)
        case .ipo: return 2 * (delta - 1 / (2 * beta))
        case .hinge: return z < 1 ? -beta : 0
        case .robust:
            return -beta * (1 - labelSmoothing) * BradleyTerryRewardModel.sigmoid(-z)
                + beta * labelSmoothing * BradleyTerryRewardModel.sigmoid(z)
        case .exponential: return -beta * exp(-z)
        case .truncatedSquare: return z < 1 ? -2 * beta * (1 - z) : 0
        case .simpo: return -beta * BradleyTerryRewardModel.sigmoid(targetMargin - z)
        case .orpo: return -oddsRatioWeight * BradleyTerryRewardModel.sigmoid(-delta)
        }
    }

    /// m(Δ), the loss's margin term (the whole per-pair loss except for rpo and orpo, which add
    /// −c log π(y_w) with c = `likelihoodWeight`).
    public func lossValue(_ delta: Double) -> Double {
        let z = beta * delta
        switch loss {
        case .sigmoid, .rpo: return BradleyTerryRewardModel.softplus(-z)
        case .ipo: return (delta - 1 / (2 * beta)) * (delta - 1 / (2 * beta))
        case .hinge: return max(0, 1 - z)
        case .robust:
            return (1 - labelSmoothing) * BradleyTerryRewardModel.softplus(-z) + labelSmoothing * BradleyTerryRewardModel.softplus(z)
        case .exponential: return exp(-z)
        case .truncatedSquare: return max(0, 1 - z) * max(0, 1 - z)
        case .simpo: return BradleyTerryRewardModel.softplus(targetMargin - z)
        case .orpo: return oddsRatioWeight * BradleyTerryRewardModel.softplus(-delta)
        }
    }

    /// c, the weight of the chosen response's negative log-likelihood −log π(y_w) in the per-pair
    /// loss: α for rpo, 1 for orpo (its SFT term), 0 otherwise.
    public var likelihoodWeight: Double {
        switch loss {
        case .rpo: return nllWeight
        case .orpo: return 1
        default: return 0
        }
    }
}
