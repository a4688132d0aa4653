import AlignmentCore
import Foundation
import Testing

/// The evaluator computes π's probabilities and P·π once per checkpoint and P·μ once per run
/// (`MetricQuantities`), and every metric from them. The values must be bit-identical to the
/// per-metric computation the harness used before (each metric forming π's probabilities and
/// P·π itself): the reference below is that computation, written out independently here.
struct MetricSharingTests {
    /// A generator for the test's random games (splitmix64).
    struct Mix {
        var state: UInt64
        mutating func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
        }
        /// A random distribution over n actions, with some exact zeros when `zeros`.
        mutating func distribution(_ n: Int, zeros: Bool) -> [Double] {
            var p = (0..<n).map { _ in unit() }
            if zeros { for i in stride(from: 1, to: n, by: 3) { p[i] = 0 } }
            let s = p.reduce(0, +)
            return p.map { $0 / s }
        }
    }

    /// The pre-sharing computation of each metric, as `Metric.all` order.
    static func reference(_ problem: Problem, _ pi: Policy, tau: Double, star: Policy, nash: Policy, restricted: Policy) -> [Double?] {
        func times(_ x: Int, _ q: [Double]) -> [Double] { problem.preferences[x].times(q) }
        func dot(_ p: [Double], _ q: [Double]) -> Double {
            var s = 0.0
            for i in 0..<p.count { s += p[i] * q[i] }
            return s
        }
        func kl(_ lp: [Double], _ lq: [Double]) -> Double {
            var s = 0.0
            for i in lp.indices where lp[i] > -.infinity { s += exp(lp[i]) * (lp[i] - lq[i]) }
            return max(0, s)
        }
        let w = problem.contextWeights, mu = problem.reference
        var exploitability = 0.0, gap = 0.0, win = 0.0, klMu = 0.0, reward = 0.0, klStar = 0.0, tv = 0.0
        for x in 0..<problem.contexts {
            let p = pi.logProbabilities[x].map { exp($0) }
            let v = times(x, p)
            exploitability += w[x] * max(0, v.max()! - 0.5)
            let z = zip(mu.logProbabilities[x], v).map { $0 + $1 / tau }
            let m = z.max()!
            var e = 0.0
            for t in z { e += exp(t - m) }
            let br = tau * (m + log(e))
            gap += w[x] * 2 * (br + tau * kl(pi.logProbabilities[x], mu.logProbabilities[x]) - 0.5)
            win += w[x] * dot(p, times(x, mu.logProbabilities[x].map { exp($0) }))
            klMu += w[x] * kl(pi.logProbabilities[x], mu.logProbabilities[x])
            var r = 0.0
            for y in p.indices { r += p[y] * problem.trueReward![x][y] }
            reward += w[x] * r
            klStar += w[x] * kl(star.logProbabilities[x], pi.logProbabilities[x])
            let b = nash.logProbabilities[x].map { exp($0) }
            tv += w[x] * 0.5 * zip(p, b).reduce(0) { $0 + abs($1.0 - $1.1) }
        }
        // The regularized gap of the restricted equilibrium ρ, the same loop as π's above.
        var restrictedGap = 0.0, klRestricted = 0.0
        for x in 0..<problem.contexts {
            let v = times(x, restricted.logProbabilities[x].map { exp($0) })
            let z = zip(mu.logProbabilities[x], v).map { $0 + $1 / tau }
            let m = z.max()!
            var e = 0.0
            for t in z { e += exp(t - m) }
            let br = tau * (m + log(e))
            restrictedGap += w[x] * 2 * (br + tau * kl(restricted.logProbabilities[x], mu.logProbabilities[x]) - 0.5)
            klRestricted += w[x] * kl(restricted.logProbabilities[x], pi.logProbabilities[x])
        }
        return [exploitability, max(0, gap), win, klMu, reward, klStar, tv, max(0, gap) - max(0, restrictedGap), klRestricted]
    }

    @Test(arguments: [(1, 3, 1 as UInt64), (1, 10, 2), (3, 7, 3), (4, 16, 4), (2, 50, 5)])
    func valuesAreBitIdenticalToThePerMetricComputation(contexts: Int, actions: Int, seed: UInt64) throws {
        #expect(Metric.ids == ["exploitability", "regularized_gap", "win_rate_vs_reference", "kl_to_reference", "true_reward",
                               "kl_from_regularized_equilibrium", "nash_distance", "restricted_gap", "kl_from_restricted_equilibrium"])
        var g = Mix(state: seed)
        let preferences = try (0..<contexts).map { _ in
            try PreferenceMatrix.fromUpperTriangle(size: actions) { i, j in i == j ? 0.5 : g.unit() }
        }
        let mu = try Policy(probabilities: (0..<contexts).map { _ in g.distribution(actions, zeros: false) })
        let reward = (0..<contexts).map { _ in (0..<actions).map { _ in g.unit() * 4 - 2 } }
        let problem = try Problem(preferences: preferences, reference: mu, trueReward: reward, isTransitive: false,
                                  contextWeights: (0..<contexts).map { _ in g.unit() + 0.1 })
        let star = try Policy(probabilities: (0..<contexts).map { _ in g.distribution(actions, zeros: false) })
        let nash = try Policy(probabilities: (0..<contexts).map { _ in g.distribution(actions, zeros: true) })
        let restricted = try Policy(probabilities: (0..<contexts).map { _ in g.distribution(actions, zeros: false) })
        let tau = 0.05 + g.unit()
        let evaluator = MetricEvaluator(problem: problem, tau: tau, regularizedEquilibrium: star, uniqueNash: nash,
                                        restrictedEquilibrium: restricted)
        // The in-place path keeps its storage across the 20 policies (as a run's recorder does).
        var reused: [Double?] = [], reusedContext: MetricContext?
        for k in 0..<20 {
            let pi = try Policy(probabilities: (0..<contexts).map { _ in g.distribution(actions, zeros: k % 2 == 1) })
            let expected = Self.reference(problem, pi, tau: tau, star: star, nash: nash, restricted: restricted)
            let values = evaluator.values(pi)
            #expect(values.map { $0?.bitPattern } == expected.map { $0?.bitPattern })
            evaluator.values(pi, into: &reused, reusing: &reusedContext)
            #expect(reused.map { $0?.bitPattern } == expected.map { $0?.bitPattern }, "in place, policy \(k)")
            let keyed = evaluator.evaluate(pi)
            #expect(Metric.ids.map { keyed[$0]??.bitPattern } == expected.map { $0?.bitPattern })
            // The public per-metric functions agree bit for bit as well.
            #expect(GameMetrics.exploitability(problem, pi).bitPattern == expected[0]!.bitPattern)
            #expect(GameMetrics.regularizedGap(problem, pi, tau: tau).bitPattern == expected[1]!.bitPattern)
            #expect(GameMetrics.preference(problem, pi, mu).bitPattern == expected[2]!.bitPattern)
            #expect(GameMetrics.trueReward(problem, pi)!.bitPattern == expected[4]!.bitPattern)
            #expect(GameMetrics.totalVariation(problem, pi, nash).bitPattern == expected[6]!.bitPattern)
        }
    }

    /// The evaluator decides once per run which metrics it computes (selected, requirements met);
    /// bits of the mask: true reward, τ, π*_τ, unique Nash, every-second selection, π*_Φ;
    /// for every combination of available inputs and a selection of metrics its values equal
    /// `Metric.value(in:)` of a context made of the same inputs, bit for bit, and are nil exactly
    /// where a requirement is missing or the metric is not selected.
    @Test(arguments: 0..<64)
    func activeMetricsMatchValueInContext(mask: Int) throws {
        var g = Mix(state: UInt64(100 + mask))
        let n = 6
        let preferences = [try PreferenceMatrix.fromUpperTriangle(size: n) { i, j in i == j ? 0.5 : g.unit() }]
        let mu = try Policy(probabilities: [g.distribution(n, zeros: false)])
        let withReward = mask & 1 != 0, withTau = mask & 2 != 0, withStar = mask & 4 != 0, withNash = mask & 8 != 0
        let withRestricted = mask & 32 != 0
        let problem = try Problem(preferences: preferences, reference: mu,
                                  trueReward: withReward ? [(0..<n).map { _ in g.unit() }] : nil, isTransitive: false)
        let tau: Double? = withTau ? 0.1 + g.unit() : nil
        let star = withStar ? try Policy(probabilities: [g.distribution(n, zeros: false)]) : nil
        let nash = withNash ? try Policy(probabilities: [g.distribution(n, zeros: true)]) : nil
        let restricted = withRestricted ? try Policy(probabilities: [g.distribution(n, zeros: false)]) : nil
        // Half the masks select every metric, the other half every second one.
        let selection = mask & 16 != 0 ? Metric.all.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) : Metric.all
        let evaluator = MetricEvaluator(problem: problem, tau: tau, regularizedEquilibrium: star, uniqueNash: nash,
                                        restrictedEquilibrium: restricted, metrics: selection)
        var reused: [Double?] = [0.5], reusedContext: MetricContext?  // a stale length and value: resized and overwritten
        for _ in 0..<5 {
            let pi = try Policy(probabilities: [g.distribution(n, zeros: false)])
            let context = MetricContext(policy: pi, problem: problem, tau: tau, regularizedEquilibrium: star, uniqueNash: nash,
                                        restrictedEquilibrium: restricted)
            let expected = Metric.all.map { m in selection.contains(m) ? m.value(in: context) : nil }
            #expect(evaluator.values(pi).map { $0?.bitPattern } == expected.map { $0?.bitPattern })
            evaluator.values(pi, into: &reused, reusing: &reusedContext)
            #expect(reused.map { $0?.bitPattern } == expected.map { $0?.bitPattern })
            // Requirements met ⇔ a value (every metric's evaluator returns one when they are).
            for (k, m) in Metric.all.enumerated() where selection.contains(m) {
                #expect((expected[k] != nil) == m.requirements.allSatisfy(context.provides))
            }
        }
    }

    /// Without τ, π*_τ, a unique equilibrium, a true reward or π*_Φ, those metrics stay nil.
    @Test func missingRequirementsLeaveValuesNil() throws {
        let p = try PreferenceMatrix(rows: [[0.5, 0.9], [0.1, 0.5]])
        let problem = try Problem(preferences: [p], reference: .uniform(contexts: 1, actions: 2), isTransitive: true)
        let pi = try Policy(probabilities: [[0.75, 0.25]])
        let values = MetricEvaluator(problem: problem, tau: nil).values(pi)
        // By hand: P·π = (0.5·0.75 + 0.9·0.25, 0.1·0.75 + 0.5·0.25) = (0.6, 0.2); e = 0.6 − 0.5.
        #expect(abs(values[0]! - 0.1) < 1e-15)
        #expect(values[1] == nil && values[4] == nil && values[5] == nil && values[6] == nil && values[7] == nil && values[8] == nil)
        // P(π ≻ uniform) = 0.75·0.7 + 0.25·0.3 = 0.6.
        #expect(abs(values[2]! - 0.6) < 1e-15)
    }
}
