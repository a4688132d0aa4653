import AlignmentCore
import Foundation
import PreferenceLearning

/// One term of a DPO objective: the pair (chosen ≻ rejected) in context x with its weight.
struct WeightedPair {
    var context: Int
    var chosen: Int
    var rejected: Int
    var weight: Double
}

extension DirectPreferenceOptimization {
    /// Runs the plugin (see the type's documentation), reporting μ at iteration 0.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when labels run out (the run then ends with its
    ///   last reported policy); `AlignmentCoreError.numericalFailure` if the logits diverge.
    public func run(_ run: RunContext) throws {
        guard run.actions >= 2 else {
            throw AlignmentCoreError.invalidProblem("dpo needs at least two responses")
        }
        let count = run.contexts * run.actions
        if usesAdam {
            try train(run, optimizer: Adam(parameterCount: count, learningRate: learningRate))
        } else {
            try train(run, optimizer: GradientDescent(learningRate: learningRate))
        }
    }

    /// The training loop: one optimizer step per iteration on the minibatch the data mode gives.
    func train<O: GradientOptimizer>(_ run: RunContext, optimizer: O) throws {
        var optimizer = optimizer
        func diagnostics(_ p: Policy) -> [String: Double] {
            var s = 0.0
            for x in 0..<p.contexts { s += run.contextWeights[x] * exp(p.logProbabilities[x][0]) }
            return [Self.firstResponseDiagnostic: s]
        }
        try run.report(iteration: 0, policy: run.reference, diagnostics: diagnostics(run.reference))
        let logMu = run.reference.logProbabilities.flatMap { $0 }
        var logits = TabularLogits(policy: run.reference)
        var source = try PairBatchSource(self, run: run)
        for t in 0..<run.iterations {
            if linearSchedule { optimizer.learningRate = learningRate * (1 - Double(t) / Double(run.iterations)) }
            guard let batch = try source.nextBatch(policy: { try logits.policy() }) else { break }
            let g = gradient(batch, logits: logits, logReference: logMu)
            optimizer.step(&logits.values, gradient: g)
            logits.recentre()
            guard logits.isFinite else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "DPO logits are not finite")
            }
            let policy = try logits.policy()
            try run.report(iteration: t + 1, policy: policy, diagnostics: diagnostics(policy))
        }
    }

    /// ∇_θ Σ_i w_i ℓ(Δ_i) with Δ_i = (θ_w − θ_l) − (log μ_w − log μ_l) in context x_i, so that
    /// ∂/∂θ_{x,w} = w_i ℓ'(Δ_i) and ∂/∂θ_{x,l} = −w_i ℓ'(Δ_i).
    func gradient(_ batch: [WeightedPair], logits: TabularLogits, logReference: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: logits.values.count)
        for p in batch {
            let c = logits.index(p.context, p.chosen), r = logits.index(p.context, p.rejected)
            let delta = (logits.values[c] - logits.values[r]) - (logReference[c] - logReference[r])
            let d = p.weight * lossDerivative(delta)
            g[c] += d
            g[r] -= d
        }
        return g
    }

    /// Exact population pairs: every ordered pair a ≠ b with weight w_x · W_x(a, b), where W are
    /// the exact soft-label counts of pairs drawn from `pairPolicy` (they sum to 1 per context).
    static func populationPairs(preferences: [PreferenceMatrix], pairPolicy: Policy, contextWeights: [Double]) -> [WeightedPair] {
        let counts = PairwiseCounts.expected(preferences: preferences, pairPolicy: pairPolicy)
        var out: [WeightedPair] = []
        let n = counts.actions
        for x in 0..<counts.contexts {
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let w = counts.wins(context: x, a, b)
                    if w > 0 { out.append(WeightedPair(context: x, chosen: a, rejected: b, weight: contextWeights[x] * w)) }
                }
            }
        }
        return out
    }
}
