import AlignmentCore
import Foundation
import PreferenceLearning

extension RLHFPPOAlgorithm {
    /// Runs the plugin (see the type's documentation), reporting μ at iteration 0.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when labels run out (the run then ends with its
    ///   last reported policy); `AlignmentCoreError.numericalFailure` if the logits diverge.
    public func run(_ run: RunContext) throws {
        guard run.actions >= 2 else {
            throw AlignmentCoreError.invalidProblem("rlhf-ppo needs at least two responses")
        }
        let rewardModel: BradleyTerryRewardModel
        do {
            rewardModel = try RewardModelTraining.learn(run: run, pairs: rewardPairs, l2: l2).model.centred(under: run.reference)
        } catch AlignmentCoreError.budgetExhausted(let q) {
            try run.report(iteration: 0, policy: run.reference)
            throw AlignmentCoreError.budgetExhausted(queries: q)
        }
        var beta = self.beta
        func diagnostics(_ p: Policy) -> [String: Double] {
            ["proxy_reward": rewardModel.expectedReward(p, contextWeights: run.contextWeights), "beta": beta]
        }
        try run.report(iteration: 0, policy: run.reference, diagnostics: diagnostics(run.reference))

        var parameters = PolicyParameters(run: run)
        var adam = Adam(parameterCount: parameters.count, learningRate: learningRate)
        if run.mode == .exact, parameters.theta == nil {
            // The same loop in buffers kept for the run (RLHFPPOAlgorithm+InPlace.swift).
            return try exactTabularLoop(run, rewards: rewardModel.rewards, parameters: &parameters, adam: &adam, beta: &beta)
        }
        let logMu = run.reference.logProbabilities
        for t in 0..<run.iterations {
            if linearSchedule { adam.learningRate = learningRate * (1 - Double(t) / Double(run.iterations)) }
            let old = try parameters.policy()
            let table = AdvantageTable(old: old, logReference: logMu, rewards: rewardModel.rewards, beta: beta)
            switch run.mode {
            case .exact:
                for _ in 0..<(epochs * minibatches) {
                    let g = exactSurrogateGradient(parameters.logits, table: table, contextWeights: run.contextWeights)
                    parameters.step(&adam, logitGradient: g)
                }
            case .sampled:
                let sampler = PolicySampler(policy: old, contextWeights: run.contextWeights)
                var batch: [(x: Int, y: Int)] = []
                batch.reserveCapacity(batchSize)
                for _ in 0..<batchSize {
                    let x = sampler.context(using: run.rng)
                    batch.append((x, sampler.response(context: x, using: run.rng)))
                }
                var order = Array(0..<batchSize)
                for _ in 0..<epochs {
                    Self.shuffle(&order, rng: run.rng)
                    for k in 0..<minibatches {
                        let lo = k * batchSize / minibatches, hi = (k + 1) * batchSize / minibatches
                        let g = sampledSurrogateGradient(parameters.logits, table: table, samples: order[lo..<hi].map { batch[$0] })
                        parameters.step(&adam, logitGradient: g)
                    }
                }
            }
            parameters.recentre()
            guard parameters.isFinite else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "PPO logits are not finite")
            }
            if let target = klTarget {
                beta = Self.adaptedBeta(beta, kl: table.klToReference(contextWeights: run.contextWeights), target: target)
            }
            let policy = try parameters.policy()
            try run.report(iteration: t + 1, policy: policy, diagnostics: diagnostics(policy))
        }
    }

    /// Fisher–Yates shuffle with the run's generator.
    static func shuffle(_ a: inout [Int], rng: RandomSource) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, rng.integer(below: i + 1))
        }
    }

    /// Whether the unclipped term of min(ρA, clip(ρ, 1−ε, 1+ε)A) is the active one (so the
    /// objective has gradient A·∇ρ); otherwise the clipped constant is active and the gradient is 0.
    @inlinable
    func unclipped(ratio: Double, advantage: Double) -> Bool {
        advantage >= 0 ? ratio <= 1 + clipEpsilon : ratio >= 1 - clipEpsilon
    }

    /// Gradient (to descend) of −(1/m) Σ_i min(ρ_i A_i, clip(ρ_i)A_i) over a minibatch, with
    /// ∇_θx ρ = ρ (e_y − π_θ(·|x)).
    func sampledSurrogateGradient(_ logits: TabularLogits, table: AdvantageTable, samples: [(x: Int, y: Int)]) -> [Double] {
        let n = logits.actions
        var grad = [Double](repeating: 0, count: logits.values.count)
        var coefficientSum = [Double](repeating: 0, count: logits.contexts)
        var logPi: [[Double]?] = Array(repeating: nil, count: logits.contexts)
        let m = Double(samples.count)
        for (x, y) in samples {
            if logPi[x] == nil { logPi[x] = logits.logProbabilities(context: x) }
            let a = table.advantage[x][y]
            let rho = exp(logPi[x]![y] - table.logOld[x][y])
            guard unclipped(ratio: rho, advantage: a) else { continue }
            let c = -a * rho / m
            grad[x * n + y] += c
            coefficientSum[x] += c
        }
        for x in 0..<logits.contexts where coefficientSum[x] != 0 {
            let lp = logPi[x]!
            for y in 0..<n { grad[x * n + y] -= coefficientSum[x] * exp(lp[y]) }
        }
        return grad
    }

    /// The exact gradient of −Σ_x w_x Σ_y π_old(y|x) min(ρA, clip(ρ)A): the expectation that a
    /// sampled minibatch estimates.
    func exactSurrogateGradient(_ logits: TabularLogits, table: AdvantageTable, contextWeights: [Double]) -> [Double] {
        let n = logits.actions
        var grad = [Double](repeating: 0, count: logits.values.count)
        for x in 0..<logits.contexts {
            let lp = logits.logProbabilities(context: x)
            var total = 0.0
            for y in 0..<n {
                let pOld = exp(table.logOld[x][y])
                let a = table.advantage[x][y]
                let rho = exp(lp[y] - table.logOld[x][y])
                guard pOld > 0, unclipped(ratio: rho, advantage: a) else { continue }
                let c = -contextWeights[x] * pOld * a * rho
                grad[x * n + y] += c
                total += c
            }
            if total != 0 { for y in 0..<n { grad[x * n + y] -= total * exp(lp[y]) } }
        }
        return grad
    }
}
