import AlignmentCore
import Foundation
import PreferenceLearning

extension ReinforcedSelfTraining {
    /// Runs the plugin (see the type's documentation), reporting μ at iteration 0.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when labels run out (the run then ends with its
    ///   last reported policy); `AlignmentCoreError.numericalFailure` if the logits diverge.
    public func run(_ run: RunContext) throws {
        let rewardModel: BradleyTerryRewardModel
        do {
            rewardModel = try RewardModelTraining.learn(run: run, pairs: rewardPairs, l2: l2).model.minMaxNormalised()
        } catch AlignmentCoreError.budgetExhausted(let q) {
            try run.report(iteration: 0, policy: run.reference)
            throw AlignmentCoreError.budgetExhausted(queries: q)
        }
        let proxy = { (p: Policy) in rewardModel.expectedReward(p, contextWeights: run.contextWeights) }
        try run.report(iteration: 0, policy: run.reference, diagnostics: ["proxy_reward": proxy(run.reference), "kept_fraction": 1])

        var parameters = PolicyParameters(run: run)
        let original = grow(from: run.reference, run: run)
        var iteration = 0
        for _ in 0..<growSteps {
            guard iteration < run.iterations else { return }
            // Grow: D_g = D ∪ samples from the current policy.
            let grown = grow(from: try parameters.policy(), run: run)
            let data = zip(original, grown).map { zip($0, $1).map { $0 + $1 } }
            let total = data.reduce(0) { $0 + $1.reduce(0, +) }
            for (i, tau) in thresholds.enumerated() {
                guard iteration < run.iterations else { return }
                // Improve: keep the samples whose normalised reward reaches τ, then behaviour-clone.
                let kept = data.enumerated().map { x, row in
                    row.enumerated().map { y, c in rewardModel.rewards[x][y] >= tau ? c : 0 }
                }
                let keptTotal = kept.reduce(0) { $0 + $1.reduce(0, +) }
                if keptTotal > 0 {
                    parameters = try improve(parameters, kept: kept, total: keptTotal, learningRate: learningRate(improveStep: i)) {
                        try proxy($0.policy())
                    }
                    parameters.recentre()
                    guard parameters.isFinite else {
                        throw AlignmentCoreError.numericalFailure(iteration: iteration + 1, reason: "ReST logits are not finite")
                    }
                }
                iteration += 1
                let policy = try parameters.policy()
                try run.report(iteration: iteration, policy: policy,
                               diagnostics: ["proxy_reward": proxy(policy), "kept_fraction": total > 0 ? keptTotal / total : 0])
            }
        }
    }

    /// One Improve step: up to `bcSteps` full-batch Adam steps of behaviour cloning on the kept counts,
    /// from `start` with a fresh optimizer; with early stopping, it ends at the first step that does
    /// not raise `evaluate` and returns the best logits seen.
    func improve(_ start: PolicyParameters, kept: [[Double]], total: Double, learningRate: Double,
                 evaluate: (PolicyParameters) throws -> Double) throws -> PolicyParameters {
        var parameters = start
        var adam = Adam(parameterCount: parameters.count, learningRate: learningRate)
        var best = parameters
        var bestValue = earlyStopping ? try evaluate(parameters) : 0
        for _ in 0..<bcSteps {
            parameters.step(&adam, logitGradient: Self.behaviourCloningGradient(parameters.logits, kept: kept, total: total))
            guard earlyStopping else { continue }
            guard parameters.isFinite else { break }
            let value = try evaluate(parameters)
            guard value > bestValue else { break }
            best = parameters
            bestValue = value
        }
        return earlyStopping ? best : parameters
    }

    /// N responses per context from ρ as counts `[x][y]`: sampled draws, or the expectation N·ρ(y|x)
    /// in exact mode.
    func grow(from rho: Policy, run: RunContext) -> [[Double]] {
        let n = Double(samplesPerContext)
        switch run.mode {
        case .exact:
            return rho.probabilities.map { $0.map { n * $0 } }
        case .sampled:
            let sampler = PolicySampler(policy: rho, contextWeights: run.contextWeights)
            return (0..<run.contexts).map { x in
                var c = [Double](repeating: 0, count: run.actions)
                for _ in 0..<samplesPerContext { c[sampler.response(context: x, using: run.rng)] += 1 }
                return c
            }
        }
    }

    /// Gradient of the behaviour-cloning loss −(1/K) Σ_{x,y} k_x(y) log π_θ(y|x) over kept counts k
    /// (K = Σ k): ∂/∂θ_x = −(k_x − K_x π_θ(·|x))/K with K_x = Σ_y k_x(y).
    static func behaviourCloningGradient(_ logits: TabularLogits, kept: [[Double]], total: Double) -> [Double] {
        var g = [Double](repeating: 0, count: logits.values.count)
        let n = logits.actions
        for x in 0..<logits.contexts {
            let kx = kept[x].reduce(0, +)
            guard kx > 0 else { continue }
            let p = logits.probabilities(context: x)
            for y in 0..<n { g[x * n + y] = -(kept[x][y] - kx * p[y]) / total }
        }
        return g
    }
}
