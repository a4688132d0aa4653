import AlignmentCore
import Foundation

/// One batch of the surrogate: the responses y (with π_old(y)), their weights in the average and
/// their advantages. Sampled: the G drawn responses, weight 1/G each. Exact: every action y,
/// weight π_old(y), advantage the expected advantage Ā(y) = E[A_i | y_i = y].
public struct SurrogateBatch: Sendable, Equatable {
    /// The responses (action indices, repeated when a response was drawn twice).
    public var actions: [Int]
    /// Each response's weight in the average (1/G sampled, π_old(y) exact).
    public var weights: [Double]
    /// Each response's advantage.
    public var advantages: [Double]
    /// log π_old of the context, the policy the batch was drawn from.
    public var logPiOld: [Double]

    /// Creates a batch (all arrays but `logPiOld` have one entry per response).
    /// - Parameters:
    ///   - actions: the responses.
    ///   - weights: their weights in the average.
    ///   - advantages: their advantages.
    ///   - logPiOld: log π_old of the context.
    public init(actions: [Int], weights: [Double], advantages: [Double], logPiOld: [Double]) {
        self.actions = actions
        self.weights = weights
        self.advantages = advantages
        self.logPiOld = logPiOld
    }
}

extension SelfPlayPolicyGradient {
    /// The exact batch: every action with weight π(y) and expected advantage
    /// Ā(y) = a·(p(y) − ½) − b·β·(ℓ(y) − πᵀℓ) with (a, b) = `expectedScales`, p = P π from the
    /// oracle and ℓ = log(π/μ) (the KL part only with `kl` = "reward").
    /// - Parameters:
    ///   - logPi: log π_old of the context.
    ///   - logMu: log μ of the context.
    ///   - x: the context.
    ///   - oracle: the run's oracle (exact feedback).
    /// - Throws: `unsupportedFeedback` in sampled feedback.
    /// - Complexity: O(n²).
    public func exactBatch(logPi: [Double], logMu: [Double], context x: Int, oracle: FeedbackOracle) throws -> SurrogateBatch {
        let pi = logPi.map { exp($0) }
        let p = try oracle.preferenceAgainst(context: x, pi)
        let (a, b) = expectedScales
        let ell = zip(logPi, logMu).map { LogSpace.logRatio($0, $1) }
        let meanEll = zip(pi, ell).reduce(0) { $0 + $1.0 * $1.1 }
        let advantages = pi.indices.map { y in
            a * (p[y] - 0.5) - (klInLoss ? 0 : b * beta * (ell[y] - meanEll))
        }
        return SurrogateBatch(actions: Array(pi.indices), weights: pi, advantages: advantages, logPiOld: logPi)
    }

    /// The sampled batch: G responses from π, each pair labelled once (G(G−1)/2 labels, a pair of
    /// equal responses included, whose label has mean ½), win-rate rewards, the KL penalty when
    /// `kl` = "reward", and the advantage estimator.
    /// - Parameters:
    ///   - logPi: log π_old of the context.
    ///   - logMu: log μ of the context.
    ///   - x: the context.
    ///   - oracle: the run's oracle.
    ///   - rng: the algorithm's generator (draws the responses).
    /// - Throws: `budgetExhausted` when labels run out part-way.
    /// - Complexity: O(G·n + G²) time, G(G−1)/2 labels.
    public func sampledBatch(logPi: [Double], logMu: [Double], context x: Int, oracle: FeedbackOracle,
                             rng: RandomSource) throws -> SurrogateBatch {
        let g = groupSize
        let ys = (0..<g).map { _ in rng.sample(logProbabilities: logPi) }
        var wins = [Double](repeating: 0, count: g)
        for i in 0..<g {
            for j in (i + 1)..<g {
                if try oracle.compare(context: x, ys[i], ys[j]) { wins[i] += 1 } else { wins[j] += 1 }
            }
        }
        let rewards = (0..<g).map { i in
            wins[i] / Double(g - 1) - (klInLoss ? 0 : beta * LogSpace.logRatio(logPi[ys[i]], logMu[ys[i]]))
        }
        return SurrogateBatch(actions: ys, weights: Array(repeating: 1 / Double(g), count: g),
                              advantages: Self.advantages(rewards, estimator: advantage), logPiOld: logPi)
    }

    /// Advantages from a group's rewards (see the type's documentation for the four formulas).
    /// - Parameters:
    ///   - r: the G ≥ 2 rewards.
    ///   - estimator: the estimator.
    /// - Complexity: O(G).
    public static func advantages(_ r: [Double], estimator: Advantage) -> [Double] {
        let g = Double(r.count)
        let sum = r.reduce(0, +)
        let mean = sum / g
        switch estimator {
        case .spo:
            return r
        case .rloo:
            return r.map { $0 - (sum - $0) / (g - 1) }
        case .drGRPO:
            return r.map { $0 - mean }
        case .grpo:
            let std = (r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (g - 1)).squareRoot()
            return r.map { ($0 - mean) / (std + 1e-4) }
        }
    }

    /// The ascent direction of the batch's surrogate at the current logits:
    /// Σ_k w_k·[unclipped_k]·ρ_k A_k (e_{y_k} − π) − β Σ_k w_k (1 − μ(y_k)/π(y_k)) (e_{y_k} − π),
    /// the second sum only with `kl` = "k3"; ρ_k = π(y_k)/π_old(y_k) and the clipped branch of
    /// min(ρA, clip(ρ, 1−ε, 1+ε)A) (A > 0 and ρ > 1+ε, or A < 0 and ρ < 1−ε) has zero gradient.
    /// - Parameters:
    ///   - batch: the batch.
    ///   - logPi: log π_θ of the context (current logits, normalised).
    ///   - logMu: log μ of the context.
    /// - Complexity: O(batch + n).
    public func gradient(_ batch: SurrogateBatch, logPi: [Double], logMu: [Double]) -> [Double] {
        var u = [Double](repeating: 0, count: logPi.count)
        for k in batch.actions.indices {
            let y = batch.actions[k]
            guard batch.weights[k] > 0 else { continue }  // an action outside π_old's support (μ(y) = 0)
            let a = batch.advantages[k]
            let rho = exp(logPi[y] - batch.logPiOld[y])
            let clipped = (a > 0 && rho > 1 + clipEpsilon) || (a < 0 && rho < 1 - clipEpsilon)
            if !clipped { u[y] += batch.weights[k] * rho * a }
            if klInLoss { u[y] -= batch.weights[k] * beta * (1 - exp(logMu[y] - logPi[y])) }
        }
        let total = u.reduce(0, +)
        return u.indices.map { u[$0] - total * exp(logPi[$0]) }
    }
}
