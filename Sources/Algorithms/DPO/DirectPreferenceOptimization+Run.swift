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
        // Tabular: one logit per (context, response); log-linear: d = dim θ (`PolicyParameters`).
        let count = PolicyParameters(run: run).count
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
        var parameters = PolicyParameters(run: run)
        var source = try PairBatchSource(self, run: run)
        for t in 0..<run.iterations {
            if linearSchedule { optimizer.learningRate = learningRate * (1 - Double(t) / Double(run.iterations)) }
            guard let batch = try source.nextBatch(policy: { try parameters.policy() }) else { break }
            let g = gradient(batch, logits: parameters.logits, logReference: logMu)
            parameters.step(&optimizer, logitGradient: g)
            parameters.recentre()
            guard parameters.isFinite else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "DPO logits are not finite")
            }
            let policy = try parameters.policy()
            try run.report(iteration: t + 1, policy: policy, diagnostics: diagnostics(policy))
        }
    }

    /// ∇_θ Σ_i w_i L_i for the per-pair losses L_i = m(Δ_i) − c log π(y_w) (see the type's
    /// documentation). With g_w = ∂L/∂log π(y_w) and g_l = ∂L/∂log π(y_l), and ∂ log π(y)/∂θ_x =
    /// e_y − π_x, the pair adds w_i(g_w e_w + g_l e_l) and −w_i(g_w + g_l)π_x. For the log-ratio and
    /// log-probability margins g_l = −m'(Δ) = −g_w exactly when c = 0 (so the π_x term vanishes and is
    /// skipped); ∂Δ/∂log π(y) = 1/(1 − π(y)) for the log-odds margin of orpo.
    /// - Complexity: O(batch + contexts · actions).
    func gradient(_ batch: [WeightedPair], logits: TabularLogits, logReference: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: logits.values.count)
        let margin = loss.margin
        let c = likelihoodWeight
        let normalised = margin == .logOdds || c != 0
        // log π per context, needed only where the normaliser enters (orpo's odds, the NLL term).
        var logPi: [[Double]?] = Array(repeating: nil, count: logits.contexts)
        var piWeight = [Double](repeating: 0, count: logits.contexts)  // Σ w_i(g_w + g_l) per context
        for p in batch {
            let ci = logits.index(p.context, p.chosen), ri = logits.index(p.context, p.rejected)
            switch margin {
            case .logRatio, .logProbability:
                var delta = logits.values[ci] - logits.values[ri]
                if margin == .logRatio { delta -= logReference[ci] - logReference[ri] }
                let d = p.weight * lossDerivative(delta)
                g[ci] += d
                g[ri] -= d
                if c != 0 {
                    g[ci] -= p.weight * c
                    piWeight[p.context] -= p.weight * c
                }
            case .logOdds:
                if logPi[p.context] == nil { logPi[p.context] = logits.logProbabilities(context: p.context) }
                let lw = logPi[p.context]![p.chosen], ll = logPi[p.context]![p.rejected]
                let qw = -expm1(lw), ql = -expm1(ll)  // 1 − π(y_w), 1 − π(y_l)
                let delta = (lw - log(qw)) - (ll - log(ql))
                let d = lossDerivative(delta)
                let gw = p.weight * (d / qw - c), gl = -p.weight * d / ql
                g[ci] += gw
                g[ri] += gl
                piWeight[p.context] += gw + gl
            }
        }
        if normalised {
            for x in 0..<logits.contexts where piWeight[x] != 0 {
                let pi = logits.probabilities(context: x)
                for y in 0..<logits.actions { g[logits.index(x, y)] -= piWeight[x] * pi[y] }
            }
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
