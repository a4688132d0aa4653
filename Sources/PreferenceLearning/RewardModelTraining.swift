import AlignmentCore

/// The reward-model stage shared by rlhf-ppo, rest and best-of-n (InstructGPT, Ouyang et al.
/// 2022, §3.5): labelled pairs from μ, a Bradley–Terry fit, and the plugin's normalisation.
public enum RewardModelTraining {
    /// Learns r̂ through the run's oracle.
    ///
    /// - sampled feedback: min(`pairs`, remaining budget) pairs of distinct responses from μ are
    ///   labelled (one query each) and r̂ is fitted to them;
    /// - exact feedback: r̂ is fitted to the exact soft labels P_x(a ≻ b) over all pairs, weighted
    ///   by the pair law of μ (`PairwiseCounts.expected`) — the infinite-data limit of the
    ///   sampled fit; no label is drawn.
    ///
    /// - Parameters:
    ///   - run: the run (μ, context weights, oracle, generator).
    ///   - pairs: the number of labelled pairs in sampled mode.
    ///   - l2: the L2 coefficient λ of the fit.
    /// - Returns: the fitted, un-normalised model and the labels used (empty in exact mode).
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the budget has no label left;
    ///   `AlignmentCoreError.numericalFailure` when the fit is not finite.
    public static func learn(run: RunContext, pairs: Int, l2: Double) throws -> (model: BradleyTerryRewardModel, data: [LabelledPair]) {
        let counts: PairwiseCounts
        var data: [LabelledPair] = []
        switch run.mode {
        case .exact:
            let prefs = try (0..<run.contexts).map { try run.oracle.preferenceMatrix(context: $0) }
            counts = PairwiseCounts.expected(preferences: prefs, pairPolicy: run.reference)
        case .sampled:
            let m = try PreferenceSampling.affordable(pairs, oracle: run.oracle)
            data = try PreferenceSampling.labelledPairs(count: m, from: run.reference, contextWeights: run.contextWeights,
                                                        oracle: run.oracle, rng: run.rng)
            counts = PairwiseCounts(pairs: data, contexts: run.contexts, actions: run.actions)
        }
        let model = BradleyTerryRewardModel.fit(counts, l2: l2)
        guard model.rewards.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "reward-model fit is not finite")
        }
        return (model, data)
    }
}
