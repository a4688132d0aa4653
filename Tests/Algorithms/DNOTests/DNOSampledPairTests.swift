import AlignmentCore
import Foundation
import Testing
import DNO

/// DNO's sampled pair (Rosset et al. 2024, Algorithm 2, DNO-Prct): K responses from π, every pair
/// labelled once, the best and the worst by win rate (the first drawn among ties), kept only when
/// their win-rate gap exceeds the margin.
///
/// The expected distribution of the outcome — the pair (winner, loser), or no pair — is computed
/// here by enumeration, independently of the plugin: every K-tuple of responses (probability
/// Π π(y_i)) and every outcome of its K(K−1)/2 labels (probability Π P(y_i ≻ y_j) or its
/// complement, with P(y ≻ y) = ½). The plugin's frequencies over N draws must agree with it within
/// 5 binomial standard deviations in every cell.
struct DNOSampledPairTests {
    /// An intransitive 3-response game (0 ≻ 1 w.p. 0.8, 1 ≻ 2 w.p. 0.7, 2 ≻ 0 w.p. 0.6) and
    /// π = (0.5, 0.3, 0.2).
    static let rows: [[Double]] = [[0.5, 0.8, 0.4], [0.2, 0.5, 0.7], [0.6, 0.3, 0.5]]
    static let pi: [Double] = [0.5, 0.3, 0.2]

    /// The exact outcome distribution: key "w>l" for a kept pair, "none" for a filtered one.
    static func exactOutcomes(samples k: Int, margin: Double) -> [String: Double] {
        let n = pi.count
        let pairs = (0..<k).flatMap { i in ((i + 1)..<k).map { (i, $0) } }
        var result: [String: Double] = [:]
        var tuple = [Int](repeating: 0, count: k)
        for code in 0..<Int(pow(Double(n), Double(k))) {
            var c = code
            var pTuple = 1.0
            for i in 0..<k { tuple[i] = c % n; c /= n; pTuple *= pi[tuple[i]] }
            for labels in 0..<(1 << pairs.count) {
                var wins = [Int](repeating: 0, count: k)
                var p = pTuple
                for (bit, (i, j)) in pairs.enumerated() {
                    let iWins = labels >> bit & 1 == 1
                    let q = rows[tuple[i]][tuple[j]]
                    p *= iWins ? q : 1 - q
                    wins[iWins ? i : j] += 1
                }
                let best = wins.firstIndex(of: wins.max()!)!
                let worst = wins.firstIndex(of: wins.min()!)!
                let gap = Double(wins[best] - wins[worst]) / Double(k - 1)
                let key = gap > margin ? "\(tuple[best])>\(tuple[worst])" : "none"
                result[key, default: 0] += p
            }
        }
        return result
    }

    @Test("sampled pairs follow the enumerated distribution (K, margin)",
          arguments: [(3, 0.0), (4, 0.0), (4, 0.4), (4, 0.7), (5, 0.6)])
    func outcomeDistribution(samples k: Int, margin: Double) throws {
        let exact = Self.exactOutcomes(samples: k, margin: margin)
        #expect(abs(exact.values.reduce(0, +) - 1) < 1e-12)
        let problem = try Problem(preferences: [PreferenceMatrix(rows: Self.rows)],
                                  reference: Policy(probabilities: [Self.pi]), isTransitive: false)
        let plugin = try DirectNashOptimization.make(["samples": .number(Double(k)), "margin": .number(margin)])
        let seed: UInt64 = 20_261_130
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: seed))
        let rng = RandomSource(seed: seed &+ 1)
        let logPi = Self.pi.map { log($0) }
        let draws = 40_000
        var counts: [String: Int] = [:]
        for _ in 0..<draws {
            let pair = try plugin.sampledPair(logPi: logPi, context: 0, oracle: oracle, rng: rng)
            counts[pair.map { "\($0.winner)>\($0.loser)" } ?? "none", default: 0] += 1
        }
        #expect(oracle.queries == draws * k * (k - 1) / 2, "seed \(seed)")
        for key in Set(exact.keys).union(counts.keys) {
            let p = exact[key] ?? 0
            let observed = Double(counts[key] ?? 0) / Double(draws)
            let sd = (p * (1 - p) / Double(draws)).squareRoot()
            #expect(abs(observed - p) <= 5 * sd + 1e-12,
                    "K=\(k) margin=\(margin) outcome \(key): observed \(observed), exact \(p) (5 sd = \(5 * sd)), seed \(seed)")
        }
    }

    /// The margin filters: with a larger margin no fewer pairs are dropped, and the margin 0.7 with
    /// K = 4 keeps only gap-1 pairs (a response that beat all three others over one that lost all).
    @Test func marginIsMonotone() {
        let none = [0.0, 0.4, 0.7].map { Self.exactOutcomes(samples: 4, margin: $0)["none"] ?? 0 }
        #expect(none[0] < none[1] && none[1] < none[2], "\(none)")
    }
}
