import AlignmentCore
import Foundation
import PreferenceLearning

/// Best-of-n sampling against a learned reward model (the rejection-sampling baseline of
/// Nakano et al. 2021, WebGPT §3, and Stiennon et al. 2020): draw n responses from μ and return the
/// one with the highest learned reward r̂.
///
/// The plugin reports that policy exactly, without sampling it. Responses whose rewards are tied
/// (`RewardTies`: equal up to 10⁻¹² relative, i.e. up to the rounding of the fit) form groups G;
/// when the best of the n draws falls in a group, one of the drawn members is chosen uniformly, so
/// by exchangeability the choice is distributed as μ restricted to G. With the groups sorted
/// increasingly and F(G) = Σ_{G' ⪯ G} μ(G') the μ-mass of responses not better than G,
/// P(best = y) = μ(y)/μ(G) · (F(G)^n − F(G⁻)^n) for y ∈ G, where F(G⁻) = F(G) − μ(G). Without
/// ties this is F(y)^n − F(y⁻)^n; when every reward is tied (r̂ carries no information, e.g. on
/// rock–paper–scissors with uniform μ) it is μ itself.
///
/// Iteration 0 reports μ; iteration 1 the best-of-n policy, after which the run ends.
/// Feedback modes: `sampled` (r̂ from `reward_pairs` labelled pairs drawn from μ, capped by the
/// query budget) and `exact` (r̂ fitted to the exact soft labels over all pairs weighted by μ⊗μ;
/// deterministic).
public struct BestOfNSampling: Algorithm {
    /// The plugin's description: id, parameters, feedback modes, diagnostics.
    public static let descriptor = AlgorithmDescriptor(
        id: "best-of-n",
        summary: "The best of n responses from μ under a learned Bradley–Terry reward (exact distribution)",
        paper: "Nakano et al. 2021, WebGPT, §3 (best-of-n); Stiennon et al. 2020, Learning to summarize from human feedback",
        parameters: [
            ParameterSpec("n", .integer(1...1_000_000), default: .number(4), doc: "number of responses drawn from μ"),
            ParameterSpec("reward_pairs", .integer(1...100_000_000), default: .number(1000),
                          doc: "labelled pairs from μ for the reward model (sampled mode; capped by the query budget)"),
            ParameterSpec("l2", .real(.nonNegative), default: .number(1e-4), doc: "L2 coefficient λ of the reward-model fit"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled],
        diagnostics: ["proxy_reward"])

    /// n.
    public let n: Int
    /// Reward-model pairs.
    public let rewardPairs: Int
    /// λ.
    public let l2: Double

    /// Creates the plugin from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` for inconsistent combinations.
    public init(parameters: ParameterValues) throws {
        n = parameters.int("n")
        rewardPairs = parameters.int("reward_pairs")
        l2 = parameters.double("l2")
    }

    /// Runs the plugin (see the type's documentation), reporting μ at iteration 0.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when labels run out (the run then ends with its
    ///   last reported policy); `AlignmentCoreError.numericalFailure` if the logits diverge.
    public func run(_ run: RunContext) throws {
        let rewardModel: BradleyTerryRewardModel
        do {
            rewardModel = try RewardModelTraining.learn(run: run, pairs: rewardPairs, l2: l2).model.centred(under: run.reference)
        } catch AlignmentCoreError.budgetExhausted(let q) {
            try run.report(iteration: 0, policy: run.reference)
            throw AlignmentCoreError.budgetExhausted(queries: q)
        }
        let proxy = { (p: Policy) in ["proxy_reward": rewardModel.expectedReward(p, contextWeights: run.contextWeights)] }
        try run.report(iteration: 0, policy: run.reference, diagnostics: proxy(run.reference))
        guard run.iterations >= 1 else { return }
        let logits = (0..<run.contexts).map { x in
            Self.logDistribution(logReference: run.reference.logProbabilities[x], rewards: rewardModel.rewards[x], n: n)
        }
        let policy = try Policy(logits: logits)
        try run.report(iteration: 1, policy: policy, diagnostics: proxy(policy))
    }

    /// log P(best of n = y) for one context, in log space: for y in the tie group G,
    /// log μ(y) − log μ(G) + log(F^n − F⁻^n) with log(F^n − F⁻^n) = n log F + log(−expm1(n·log1p(−μ(G)/F))).
    /// - Parameters:
    ///   - logReference: log μ.
    ///   - rewards: r̂ (tied values, `RewardTies.areTied`, share their group's probability ∝ μ).
    ///   - n: the number of draws (≥ 1).
    /// - Returns: log-probabilities (−∞ exactly where μ(y) = 0).
    /// - Complexity: O(k log k) for k responses.
    public static func logDistribution(logReference: [Double], rewards: [Double], n: Int) -> [Double] {
        precondition(n >= 1 && logReference.count == rewards.count, "invalid best-of-n input")
        let mu = logReference.map { exp($0) }
        let nd = Double(n)
        var out = [Double](repeating: -.infinity, count: rewards.count)
        var cumulative = 0.0
        for group in RewardTies.tiedGroups(rewards) {
            let mass = group.reduce(0) { $0 + mu[$1] }
            cumulative += mass
            guard mass > 0 else { continue }
            let f = min(1, cumulative)
            let z = nd * log1p(-min(1, mass / f))   // log (F⁻/F)^n ≤ 0
            let logGroup = nd * log(f) + log(-expm1(z))
            for y in group where mu[y] > 0 {
                out[y] = group.count == 1 ? logGroup : logReference[y] - log(mass) + logGroup
            }
        }
        return out
    }

    /// The best-of-n distribution as probabilities (see `logDistribution`).
    public static func distribution(reference: [Double], rewards: [Double], n: Int) -> [Double] {
        logDistribution(logReference: reference.map { log($0) }, rewards: rewards, n: n).map { exp($0) }
    }
}
