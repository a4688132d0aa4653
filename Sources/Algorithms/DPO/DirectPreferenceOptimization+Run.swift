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
    /// The gradient is written into buffers kept for the run; a tabular run reports its logits
    /// (`RunContext.report(iteration:logits:diagnostics:)`) and updates its diagnostics in place,
    /// so an iteration on a full batch (exact feedback) allocates nothing.
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
        var workspace = GradientWorkspace(contexts: run.contexts, actions: run.actions)
        let tabular = parameters.theta == nil
        var rows = parameters.logitRows  // the tabular logits as rows, refreshed in place
        var reported = [Self.firstResponseDiagnostic: 0.0]
        for t in 0..<run.iterations {
            if linearSchedule { optimizer.learningRate = learningRate * (1 - Double(t) / Double(run.iterations)) }
            guard let batch = try source.nextBatch(policy: { try parameters.policy() }) else { break }
            gradient(batch, logits: parameters.logits, logReference: logMu, into: &workspace)
            parameters.step(&optimizer, logitGradient: workspace.gradient)
            parameters.recentre()
            guard parameters.isFinite else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "DPO logits are not finite")
            }
            guard tabular else {
                let policy = try parameters.policy()
                try run.report(iteration: t + 1, policy: policy, diagnostics: diagnostics(policy))
                continue
            }
            // `diagnostics(parameters.policy())` from the rows: log π(0|x) = row₀ − logsumexp(row),
            // the value `Policy(logits:)` stores (every row has a finite logit: `isFinite`).
            let n = run.actions
            var s = 0.0
            for x in 0..<run.contexts {
                parameters.logits.values.withUnsafeBufferPointer { values in
                    rows[x].withUnsafeMutableBufferPointer { row in
                        for y in 0..<n { row[y] = values[x * n + y] }
                    }
                }
                s += run.contextWeights[x] * exp(rows[x][0] - LogSpace.logSumExp(rows[x]))
            }
            reported[Self.firstResponseDiagnostic] = s
            try run.report(iteration: t + 1, logits: rows, diagnostics: reported)
        }
    }

    /// ∇_θ Σ_i w_i L_i for the per-pair losses L_i = m(Δ_i) − c log π(y_w) (see the type's
    /// documentation). With g_w = ∂L/∂log π(y_w) and g_l = ∂L/∂log π(y_l), and ∂ log π(y)/∂θ_x =
    /// e_y − π_x, the pair adds w_i(g_w e_w + g_l e_l) and −w_i(g_w + g_l)π_x. For the log-ratio and
    /// log-probability margins g_l = −m'(Δ) = −g_w exactly when c = 0 (so the π_x term vanishes and is
    /// skipped); ∂Δ/∂log π(y) = 1/(1 − π(y)) for the log-odds margin of orpo.
    /// - Complexity: O(batch + contexts · actions).
    func gradient(_ batch: [WeightedPair], logits: TabularLogits, logReference: [Double]) -> [Double] {
        var workspace = GradientWorkspace(contexts: logits.contexts, actions: logits.actions)
        gradient(batch, logits: logits, logReference: logReference, into: &workspace)
        return workspace.gradient
    }

    /// Buffers of `gradient(_:logits:logReference:into:)`, allocated once per run.
    struct GradientWorkspace {
        /// The gradient, flat `[x * actions + y]`.
        var gradient: [Double]
        /// log π per context, flat; context x is valid when `hasLogPi[x]`.
        var logPi: [Double]
        var hasLogPi: [Bool]
        /// Σ_i w_i(g_w + g_l) per context.
        var piWeight: [Double]
        /// One context's logits, and its log π or π.
        var row: [Double], normalized: [Double]

        /// Buffers for `contexts` × `actions` logits.
        init(contexts: Int, actions: Int) {
            gradient = [Double](repeating: 0, count: contexts * actions)
            logPi = gradient
            hasLogPi = [Bool](repeating: false, count: contexts)
            piWeight = [Double](repeating: 0, count: contexts)
            row = [Double](repeating: 0, count: actions)
            normalized = row
        }

        /// Copies context x's logits into `row`.
        mutating func load(_ logits: TabularLogits, context x: Int) {
            let n = logits.actions
            for y in 0..<n { row[y] = logits.values[x * n + y] }
        }
    }

    /// `gradient(_:logits:logReference:)` written into `workspace.gradient` without allocating:
    /// the same expressions in the same order (log π and π of a context by `LogSpace`'s in-place
    /// `normalize(_:into:)` and `softmax(_:into:)`, the bits of `logits.logProbabilities(context:)`
    /// and `logits.probabilities(context:)`).
    /// - Complexity: O(batch + contexts · actions).
    func gradient(_ batch: [WeightedPair], logits: TabularLogits, logReference: [Double], into w: inout GradientWorkspace) {
        for i in w.gradient.indices { w.gradient[i] = 0 }
        for x in 0..<logits.contexts {
            w.hasLogPi[x] = false
            w.piWeight[x] = 0
        }
        let margin = loss.margin
        let c = likelihoodWeight
        let normalised = margin == .logOdds || c != 0
        let n = logits.actions
        for p in batch {
            let ci = logits.index(p.context, p.chosen), ri = logits.index(p.context, p.rejected)
            switch margin {
            case .logRatio, .logProbability:
                var delta = logits.values[ci] - logits.values[ri]
                if margin == .logRatio { delta -= logReference[ci] - logReference[ri] }
                let d = p.weight * lossDerivative(delta)
                w.gradient[ci] += d
                w.gradient[ri] -= d
                if c != 0 {
                    w.gradient[ci] -= p.weight * c
                    w.piWeight[p.context] -= p.weight * c
                }
            case .logOdds:
                // log π per context, needed only where the normaliser enters (orpo's odds).
                if !w.hasLogPi[p.context] {
                    w.load(logits, context: p.context)
                    LogSpace.normalize(w.row, into: &w.normalized)
                    for y in 0..<n { w.logPi[p.context * n + y] = w.normalized[y] }
                    w.hasLogPi[p.context] = true
                }
                let lw = w.logPi[ci], ll = w.logPi[ri]
                let qw = -expm1(lw), ql = -expm1(ll)  // 1 − π(y_w), 1 − π(y_l)
                let delta = (lw - log(qw)) - (ll - log(ql))
                let d = lossDerivative(delta)
                let gw = p.weight * (d / qw - c), gl = -p.weight * d / ql
                w.gradient[ci] += gw
                w.gradient[ri] += gl
                w.piWeight[p.context] += gw + gl
            }
        }
        if normalised {
            for x in 0..<logits.contexts where w.piWeight[x] != 0 {
                w.load(logits, context: x)
                LogSpace.softmax(w.row, into: &w.normalized)
                for y in 0..<n { w.gradient[logits.index(x, y)] -= w.piWeight[x] * w.normalized[y] }
            }
        }
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
