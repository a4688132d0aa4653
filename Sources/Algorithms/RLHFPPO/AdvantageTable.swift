import AlignmentCore
import Foundation

/// Per-(x, y) PPO quantities of one batch: log π_old, the KL-penalised reward
/// R = r̂ − β log(π_old/μ), and the advantage A = R − E_{π_old}[R]. A response with π_old = 0
/// (outside μ's support) has log-ratio 0 (`LogSpace.logRatio`); it carries no weight and stays at 0.
struct AdvantageTable {
    let logOld: [[Double]]
    let logReference: [[Double]]
    let advantage: [[Double]]

    init(old: Policy, logReference: [[Double]], rewards: [[Double]], beta: Double) {
        logOld = old.logProbabilities
        self.logReference = logReference
        advantage = (0..<old.contexts).map { x in
            let r = (0..<old.actions).map { y in rewards[x][y] - beta * LogSpace.logRatio(old.logProbabilities[x][y], logReference[x][y]) }
            let v = zip(old.logProbabilities[x], r).reduce(0) { $0 + exp($1.0) * $1.1 }
            return r.map { $0 - v }
        }
    }

    /// KL(π_old‖μ) averaged over contexts.
    func klToReference(contextWeights: [Double]) -> Double {
        zip(logOld.indices, contextWeights).reduce(0) { s, e in
            s + e.1 * GameMetrics.klContext(logOld[e.0], logReference[e.0])
        }
    }
}
