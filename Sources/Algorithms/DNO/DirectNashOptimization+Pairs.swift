import AlignmentCore
import Foundation

/// A preference pair (winner y_w, loser y_l) with its weight in the context's average.
public struct WeightedPair: Sendable, Equatable {
    /// y_w.
    public var winner: Int
    /// y_l.
    public var loser: Int
    /// The pair's weight (1 for the sampled pair; its probability in exact feedback).
    public var weight: Double

    /// Creates a pair.
    /// - Parameters:
    ///   - winner: y_w.
    ///   - loser: y_l.
    ///   - weight: the pair's weight.
    public init(winner: Int, loser: Int, weight: Double) {
        self.winner = winner
        self.loser = loser
        self.weight = weight
    }
}

extension DirectNashOptimization {
    /// The sampled pair: K responses from π, every pair labelled once, the best and worst by win
    /// rate (first drawn among ties), or nil when their win-rate gap is not above the margin.
    /// - Parameters:
    ///   - logPi: log π_t of the context.
    ///   - x: the context.
    ///   - oracle: the run's oracle.
    ///   - rng: the algorithm's generator (draws the responses).
    /// - Throws: `budgetExhausted` when labels run out part-way.
    /// - Complexity: O(K·n + K²) time, K(K−1)/2 labels.
    public func sampledPair(logPi: [Double], context x: Int, oracle: FeedbackOracle, rng: RandomSource) throws -> WeightedPair? {
        let ys = (0..<samples).map { _ in rng.sample(logProbabilities: logPi) }
        var wins = [Int](repeating: 0, count: samples)
        for i in 0..<samples {
            for j in (i + 1)..<samples {
                if try oracle.compare(context: x, ys[i], ys[j]) { wins[i] += 1 } else { wins[j] += 1 }
            }
        }
        var best = 0, worst = 0
        for i in 1..<samples {
            if wins[i] > wins[best] { best = i }
            if wins[i] < wins[worst] { worst = i }
        }
        let gap = Double(wins[best] - wins[worst]) / Double(samples - 1)
        guard gap > margin else { return nil }
        return WeightedPair(winner: ys[best], loser: ys[worst], weight: 1)
    }

    /// The exact pairs for K = 2: (a, b) with weight π(a)π(b)P(a ≻ b) for a ≠ b (a pair of equal
    /// responses has zero gradient). Every pair has win-rate gap 1 > margin.
    /// - Parameters:
    ///   - logPi: log π_t of the context.
    ///   - x: the context.
    ///   - oracle: the run's oracle (exact feedback).
    /// - Throws: `unsupportedFeedback` in sampled feedback.
    /// - Complexity: O(n²).
    public func exactPairs(logPi: [Double], context x: Int, oracle: FeedbackOracle) throws -> [WeightedPair] {
        let pi = logPi.map { exp($0) }
        let P = try oracle.preferenceMatrix(context: x)
        var pairs: [WeightedPair] = []
        for a in pi.indices where pi[a] > 0 {
            for b in pi.indices where b != a && pi[b] > 0 {
                pairs.append(WeightedPair(winner: a, loser: b, weight: pi[a] * pi[b] * P[a, b]))
            }
        }
        return pairs
    }

    /// The ascent direction of the weighted DPO loss with reference π_t:
    /// Σ_pairs weight·η(1 − σ(η(h_w − h_l)))(e_w − e_l), h = log π_θ − log π_t.
    /// - Parameters:
    ///   - pairs: the pairs.
    ///   - logPi: log π_θ (current, normalised).
    ///   - logReference: log π_t.
    /// - Complexity: O(pairs + n).
    public func gradient(_ pairs: [WeightedPair], logPi: [Double], logReference: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: logPi.count)
        for pair in pairs {
            let margin = eta * ((logPi[pair.winner] - logReference[pair.winner]) - (logPi[pair.loser] - logReference[pair.loser]))
            let coefficient = pair.weight * eta / (1 + exp(margin))  // η(1 − σ(m)) = η σ(−m)
            g[pair.winner] += coefficient
            g[pair.loser] -= coefficient
        }
        return g
    }
}
