import AlignmentCore
import PreferenceLearning

/// The DPO family on a tabular policy: direct preference optimisation of the log-ratio margin
/// Δ = log π(y_w)/μ(y_w) − log π(y_l)/μ(y_l) (Rafailov et al. 2023) with the losses
///
/// - `sigmoid` (DPO, Rafailov et al. 2023, Eq. 7): −log σ(βΔ);
/// - `ipo` (IPO, Azar et al. 2023, Eq. 17): (Δ − 1/(2β))², β playing the role of τ;
/// - `hinge` (SLiC-HF, Zhao et al. 2023): max(0, 1 − βΔ);
/// - `robust` (conservative DPO, Mitchell 2023, Eq. 3): −(1−ε) log σ(βΔ) − ε log σ(−βΔ), the
///   sigmoid loss with labels smoothed by ε = `label_smoothing`.
///
/// The policy starts at μ and takes one optimizer step (Adam or SGD on the logits) per iteration
/// on a minibatch of `batch_size` pairs; with `lr_schedule` = linear the step size of iteration t
/// (0-based) is η(1 − t/T) for a budget of T iterations. Offline (default): `dataset_size` pairs of distinct
/// responses from μ are labelled once (capped by the query budget) and visited in reshuffled
/// epochs; `epochs` (optional) ends the run after that many passes. `online`: every iteration
/// labels a fresh batch of pairs drawn from the current policy. `dataset`: an explicit list of
/// [chosen, rejected] pairs used in every context instead of sampled data (no queries) — the
/// deterministic-preference experiments of Azar et al. 2023, §5.4. With `batch_sampling` =
/// replacement, each offline minibatch is instead `batch_size` items drawn uniformly with
/// replacement from the data (so a batch of 9 from a 3-pair dataset varies from step to step), and
/// `epochs` then counts multiples of the data size in drawn items. Diagnostic
/// `first_response_probability`: π(y₀|x) averaged over contexts.
///
/// Since Δ's gradient with respect to the logits θ_x is e_{y_w} − e_{y_l}, a minibatch gradient is
/// (1/m) Σ ℓ'(Δ_i)(e_{w_i} − e_{l_i}). With a Bradley–Terry preference σ(r_a − r_b) and full
/// coverage, the `sigmoid` loss is minimised exactly at π ∝ μ·exp(r/β).
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
    }

    /// The plugin's description: id, parameters, feedback modes, diagnostics.
    public static let descriptor = AlgorithmDescriptor(
        id: "dpo",
        summary: "Direct preference optimisation of log π/μ margins on labelled pairs (DPO, IPO, SLiC hinge, cDPO)",
        paper: "Rafailov et al. 2023, Direct Preference Optimization, Eq. 7; Azar et al. 2023, A General Theoretical "
            + "Paradigm to Understand Learning from Human Preferences, Eq. 17 and §5.4; Zhao et al. 2023 (SLiC-HF); "
            + "Mitchell 2023 (cDPO)",
        parameters: [
            ParameterSpec("beta", .real(.positive), default: .number(0.1), doc: "inverse temperature β of the margin (τ for ipo)"),
            ParameterSpec("loss", .choice(Loss.allCases.map(\.rawValue)), default: .string("sigmoid"),
                          doc: "sigmoid (DPO), ipo, hinge (SLiC) or robust (cDPO label smoothing)"),
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
                          doc: "label a fresh batch of pairs from the current policy every iteration (online DPO)"),
            ParameterSpec("dataset", .structured("a list of [chosen, rejected] response-index pairs, e.g. [[0,1],[1,2],[0,2]], used in every context"),
                          default: nil, doc: "explicit preference dataset replacing sampled pairs (no queries)"),
            ParameterSpec("batch_sampling", .choice(["epochs", "replacement"]), default: .string("epochs"),
                          doc: "offline data in sampled feedback: reshuffled passes without replacement (epochs), or every minibatch of batch_size drawn uniformly with replacement from the data (Azar et al. 2023, §5.4)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: [firstResponseDiagnostic])

    /// The diagnostic π(y₀|x) averaged over contexts with their weights: the probability of the first
    /// response (response a of Azar et al. 2023, §5.4).
    public static let firstResponseDiagnostic = "first_response_probability"

    /// β.
    public let beta: Double
    /// The loss.
    public let loss: Loss
    /// ε of the robust loss.
    public let labelSmoothing: Double
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
        learningRate = parameters.double("learning_rate")
        usesAdam = parameters.string("optimizer") == "adam"
        linearSchedule = parameters.string("lr_schedule") == "linear"
        batchSize = parameters.int("batch_size")
        datasetSize = parameters.int("dataset_size")
        epochs = parameters["epochs"] == nil ? nil : parameters.int("epochs")
        online = parameters.bool("online")
        dataset = try parameters["dataset"].map(Self.parseDataset)
        samplesWithReplacement = parameters.string("batch_sampling") == "replacement"
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

    /// ℓ'(Δ), the derivative of the per-pair loss with respect to the margin Δ.
    public func lossDerivative(_ delta: Double) -> Double {
        let z = beta * delta
        switch loss {
        case .sigmoid: return -beta * BradleyTerryRewardModel.sigmoid(-z)
        case .ipo: return 2 * (delta - 1 / (2 * beta))
        case .hinge: return z < 1 ? -beta : 0
        case .robust:
            return -beta * (1 - labelSmoothing) * BradleyTerryRewardModel.sigmoid(-z)
                + beta * labelSmoothing * BradleyTerryRewardModel.sigmoid(z)
        }
    }

    /// ℓ(Δ), the per-pair loss.
    public func lossValue(_ delta: Double) -> Double {
        let z = beta * delta
        switch loss {
        case .sigmoid: return BradleyTerryRewardModel.softplus(-z)
        case .ipo: return (delta - 1 / (2 * beta)) * (delta - 1 / (2 * beta))
        case .hinge: return max(0, 1 - z)
        case .robust:
            return (1 - labelSmoothing) * BradleyTerryRewardModel.softplus(-z) + labelSmoothing * BradleyTerryRewardModel.softplus(z)
        }
    }
}
