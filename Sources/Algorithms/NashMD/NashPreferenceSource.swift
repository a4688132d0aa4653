import AlignmentCore
import Foundation
import PreferenceLearning

/// How nash-md and nash-md-pg obtain the preference they play against (Munos et al. 2023, §3–4):
/// the environment itself (exact P·q in exact feedback, label estimates in sampled feedback), or a
/// tabular pairwise preference model fitted up front to labelled pairs drawn from μ.
struct NashPreferenceSetting: Sendable {
    /// The parameters of the preference source, shared by both plugins.
    static let parameters: [ParameterSpec] = [
        ParameterSpec("preference", .choice(["environment", "model"]), default: .string("environment"),
                      doc: "play against the environment's preference, or against a pairwise preference model fitted to pairs from μ (sampled feedback only)"),
        ParameterSpec("model_pairs", .integer(1...10_000_000), default: .number(1000),
                      doc: "labelled pairs that fit the preference model: x ∼ context weights, two distinct responses from μ"),
        ParameterSpec("smoothing", .real(.nonNegative), default: .number(1),
                      doc: "pseudo-count α of the preference model: P̂(a ≻ b) = (W(a,b) + α)/(N(a,b) + 2α)"),
        ParameterSpec("heldout_pairs", .integer(0...10_000_000), default: .number(0),
                      doc: "further labelled pairs, drawn the same way, on which the model's held-out accuracy is reported; "
                        + "in exact feedback against the environment, any positive value reports the exact accuracy of P itself (the Bayes-optimal accuracy) instead, drawing no label"),
        ParameterSpec("preference_model", .choice(["pairwise", "bradley-terry"]), default: .string("pairwise"),
                      doc: "the model fitted when preference = model: tabular pairwise counts, or a Bradley–Terry reward model r̂ with P̂(a ≻ b) = σ(r̂_a − r̂_b)"),
        ParameterSpec("model_l2", .real(.nonNegative), default: .number(1e-4),
                      doc: "L2 coefficient λ of the Bradley–Terry preference model's fit (mean logistic loss + λ/2‖r̂‖²)"),
    ]

    /// The diagnostic reported when the model's held-out accuracy is measured.
    static let accuracyDiagnostic = "preference_model_accuracy"

    /// Whether to fit and use the pairwise preference model.
    let useModel: Bool
    /// Labelled pairs that fit the model.
    let modelPairs: Int
    /// α.
    let smoothing: Double
    /// Held-out labelled pairs.
    let heldoutPairs: Int
    /// Whether the model is a Bradley–Terry reward model (else the tabular pairwise model).
    let bradleyTerry: Bool
    /// λ of the Bradley–Terry fit.
    let modelL2: Double

    /// Why these settings cannot run with `feedback`: a model learned from labels needs labels.
    func refusal(feedback: FeedbackMode) -> String? {
        useModel && feedback == .exact
            ? "preference \"model\" learns from labels and needs sampled feedback; use preference \"environment\" in exact feedback"
            : nil
    }

    init(parameters: ParameterValues) {
        useModel = parameters.string("preference") == "model"
        modelPairs = parameters.int("model_pairs")
        smoothing = parameters.double("smoothing")
        heldoutPairs = parameters.int("heldout_pairs")
        bradleyTerry = parameters.string("preference_model") == "bradley-terry"
        modelL2 = parameters.double("model_l2")
    }
}

/// The preference source of one run.
struct NashPreferenceSource {
    /// The fitted model (preference = model): a `PairwisePreferenceModel`, or a
    /// `BradleyTerryRewardModel` predicting σ(r̂_a − r̂_b).
    let model: (any PairwisePredictor)?
    /// Diagnostics to report with every checkpoint (the model's held-out accuracy, or the exact
    /// accuracy of P itself in exact feedback).
    let diagnostics: [String: Double]

    /// Prepares the source; with the model, draws and labels its training and held-out pairs.
    ///
    /// Against the environment in exact feedback with `heldout_pairs` > 0, the reported accuracy is
    /// the exact expected accuracy of P itself on pairs of distinct responses from μ,
    /// Σ_x w_x Σ_{a≠b} q_x(a, b) max(P_x(a ≻ b), P_x(b ≻ a)) — the Bayes-optimal accuracy, the
    /// ceiling of every learned model (`PairAccuracy.bayesOptimal`); no label is drawn.
    /// - Throws: `AlignmentCoreError.unsupportedFeedback` for the model in exact feedback (exact
    ///   feedback means exact access to P; a learned model is the sampled setting), or
    ///   `budgetExhausted` while collecting pairs.
    init(_ setting: NashPreferenceSetting, run: RunContext) throws {
        guard setting.useModel else {
            model = nil
            if run.mode == .exact && setting.heldoutPairs > 0 {
                let matrices = try (0..<run.contexts).map { try run.oracle.preferenceMatrix(context: $0) }
                diagnostics = [NashPreferenceSetting.accuracyDiagnostic: PairAccuracy.bayesOptimal(
                    preferences: matrices, pairPolicy: run.reference, contextWeights: run.contextWeights)]
            } else {
                diagnostics = [:]
            }
            return
        }
        guard run.mode == .sampled else {
            throw AlignmentCoreError.unsupportedFeedback(
                "preference \"model\" learns from labels and needs sampled feedback; use preference \"environment\" in exact feedback")
        }
        let train = try PreferenceSampling.labelledPairs(
            count: setting.modelPairs, from: run.reference, contextWeights: run.contextWeights, oracle: run.oracle, rng: run.rng)
        let fitted: any PairwisePredictor
        if setting.bradleyTerry {
            let counts = PairwiseCounts(pairs: train, contexts: run.contexts, actions: run.actions)
            let bt = BradleyTerryRewardModel.fit(counts, l2: setting.modelL2)
            guard bt.rewards.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "Bradley–Terry preference-model fit is not finite")
            }
            fitted = bt
        } else {
            fitted = PairwisePreferenceModel(pairs: train, contexts: run.contexts, actions: run.actions,
                                             smoothing: setting.smoothing)
        }
        model = fitted
        if setting.heldoutPairs > 0 {
            let heldout = try PreferenceSampling.labelledPairs(
                count: setting.heldoutPairs, from: run.reference, contextWeights: run.contextWeights, oracle: run.oracle, rng: run.rng)
            diagnostics = [NashPreferenceSetting.accuracyDiagnostic: fitted.accuracy(on: heldout) ?? 0.5]
        } else {
            diagnostics = [:]
        }
    }

    /// The model's P̂(y ≻ q) = Σ_y' P̂_x(y ≻ y') q(y') for every y.
    /// - Complexity: O(n²).
    static func preferenceAgainst(_ model: any PairwisePredictor, context x: Int, _ q: [Double]) -> [Double] {
        q.indices.map { y in
            var s = 0.0
            for y2 in q.indices { s += model.predictedPreference(context: x, y, y2) * q[y2] }
            return s
        }
    }

    /// The exact vector P(y ≻ q) written into `y` when the source gives it — the model's P̂q, or
    /// the environment's P q in exact feedback by one `dgemv` without allocating — and true; false
    /// in sampled feedback against the environment (`y` untouched).
    func exactPreference(against q: [Double], context x: Int, run: RunContext, into y: inout [Double]) throws -> Bool {
        if let model {
            y = Self.preferenceAgainst(model, context: x, q)
            return true
        }
        guard run.mode == .exact else { return false }
        try q.withUnsafeBufferPointer { q in
            try y.withUnsafeMutableBufferPointer { try run.oracle.preferenceAgainst(context: x, q, into: $0) }
        }
        return true
    }

    /// P(y ≻ q) for every y written into `y`: exact when available (`exactPreference`), otherwise
    /// estimated from `labelsPerResponse` labels per response (`FeedbackOracle.estimatePreferenceAgainst`).
    func preference(against q: [Double], context x: Int, labelsPerResponse: Int, run: RunContext, into y: inout [Double]) throws {
        if try exactPreference(against: q, context: x, run: run, into: &y) { return }
        y = try run.oracle.estimatePreferenceAgainst(context: x, q, labelsPerResponse: labelsPerResponse, rng: run.rng)
    }
}
