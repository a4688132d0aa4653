import AlignmentCore
import Foundation
import PreferenceLearning

/// The PPO loop of exact feedback on tabular logits without allocation (issue 11, target 5): the
/// expressions of `AdvantageTable`, `exactSurrogateGradient`, `AdvantageTable.klToReference` and
/// the diagnostics of `run`, in the same order, written into buffers the run allocates once, with
/// the policy reported as logit rows (`RunContext.report(iteration:logits:diagnostics:)`), so the
/// same bits: log π_old is `Policy(logits:)`'s row − logsumexp(row) (`LogSpace.normalize(_:into:)`),
/// log π of the current logits is `TabularLogits.logProbabilities(context:)`'s.
extension RLHFPPOAlgorithm {
    /// The loop of `run` after the reward model and the report of μ, for exact feedback and the
    /// tabular class.
    /// - Parameters:
    ///   - run: the run.
    ///   - rewards: r̂[x][y], the centred reward model's rewards.
    ///   - parameters: the logits (at μ).
    ///   - adam: the optimizer.
    ///   - beta: β, adapted in place when `kl_target` is set.
    /// - Throws: `numericalFailure` when the logits stop being finite; the report's errors.
    /// - Complexity: per iteration O(epochs · minibatches · contexts · actions); no allocation.
    func exactTabularLoop(_ run: RunContext, rewards: [[Double]], parameters: inout PolicyParameters, adam: inout Adam,
                          beta: inout Double) throws {
        let (contexts, n) = (run.contexts, run.actions)
        let logMu = run.reference.logProbabilities
        var rows = parameters.logitRows      // the current logits as rows
        var logOld = rows                    // log π_old per context
        var advantage = [Double](repeating: 0, count: contexts * n)
        var gradient = advantage
        var reward = [Double](repeating: 0, count: n)
        var logPi = reward                   // log π of the current logits, one context
        var reported = ["proxy_reward": 0.0, "beta": 0.0]
        func loadRows() {
            parameters.logits.values.withUnsafeBufferPointer { values in
                for x in 0..<contexts {
                    rows[x].withUnsafeMutableBufferPointer { row in for y in 0..<n { row[y] = values[x * n + y] } }
                }
            }
        }
        for t in 0..<run.iterations {
            if linearSchedule { adam.learningRate = learningRate * (1 - Double(t) / Double(run.iterations)) }
            // π_old and the advantage table (`AdvantageTable.init`); `rows` holds the logits
            // (log μ at first, then those the previous iteration reported).
            for x in 0..<contexts {
                LogSpace.normalize(rows[x], into: &logOld[x])
                for y in 0..<n { reward[y] = rewards[x][y] - beta * LogSpace.logRatio(logOld[x][y], logMu[x][y]) }
                var v = 0.0
                for y in 0..<n { v = v + exp(logOld[x][y]) * reward[y] }
                for y in 0..<n { advantage[x * n + y] = reward[y] - v }
            }
            for _ in 0..<(epochs * minibatches) {
                // `exactSurrogateGradient`.
                for i in gradient.indices { gradient[i] = 0 }
                for x in 0..<contexts {
                    for y in 0..<n { logPi[y] = parameters.logits.values[x * n + y] }
                    LogSpace.normalize(&logPi)
                    var total = 0.0
                    for y in 0..<n {
                        let pOld = exp(logOld[x][y])
                        let a = advantage[x * n + y]
                        let rho = exp(logPi[y] - logOld[x][y])
                        guard pOld > 0, unclipped(ratio: rho, advantage: a) else { continue }
                        let c = -run.contextWeights[x] * pOld * a * rho
                        gradient[x * n + y] += c
                        total += c
                    }
                    if total != 0 { for y in 0..<n { gradient[x * n + y] -= total * exp(logPi[y]) } }
                }
                parameters.step(&adam, logitGradient: gradient)
            }
            parameters.recentre()
            guard parameters.isFinite else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "PPO logits are not finite")
            }
            if let target = klTarget {
                var kl = 0.0  // `AdvantageTable.klToReference`
                for x in 0..<contexts { kl = kl + run.contextWeights[x] * GameMetrics.klContext(logOld[x], logMu[x]) }
                beta = Self.adaptedBeta(beta, kl: kl, target: target)
            }
            // The diagnostics of the new policy: Σ_x w_x Σ_y π(y|x) r̂(x, y) with log π = row − logsumexp(row).
            loadRows()
            var proxy = 0.0
            for x in 0..<contexts {
                let z = LogSpace.logSumExp(rows[x])
                var s = 0.0
                for y in 0..<n { s = s + exp(rows[x][y] - z) * rewards[x][y] }
                proxy += run.contextWeights[x] * s
            }
            reported["proxy_reward"] = proxy
            reported["beta"] = beta
            try run.report(iteration: t + 1, logits: rows, diagnostics: reported)
        }
    }
}
