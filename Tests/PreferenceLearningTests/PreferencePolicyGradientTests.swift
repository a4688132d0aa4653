import AlignmentCore
import Environments
import Foundation
import PreferenceLearning
import Testing

/// The shared Nash-PG gradient (used by nash-md-pg and nash-ema).
struct PreferencePolicyGradientTests {
    /// The opponents of the two plugins' former tests: a fixed distribution (nash-ema's moving
    /// average) and the geometric mixture π^{0.6} μ^{0.4} (nash-md-pg with β = 0.4).
    enum Opponent: CaseIterable { case fixed, mixture }

    /// The sampled gradient is an unbiased estimate of the exact one: the mean of 4,000 batches of
    /// 16 agrees with the exact gradient within 5 standard errors per coordinate (the standard error
    /// is estimated from the batches themselves), and spends at most one label per pair.
    @Test(arguments: Opponent.allCases)
    func sampledGradientIsUnbiased(opponentKind: Opponent) throws {
        let truth = try RandomEnvironment.make(["actions": .number(4)]).groundTruth(contexts: 1, seed: 17)
        let mu = try ReferencePolicy.softmaxNormal(scale: 1, seed: 18).make(contexts: 1, actions: 4)
        let problem = try Problem(preferences: truth.preferences, reference: mu, isTransitive: truth.isTransitive)
        let tau = 0.3
        let logMu = mu.logProbabilities[0]
        let logPi = LogSpace.normalize([0.3, -0.2, 0.5, -1.0])
        let pi = logPi.map { exp($0) }
        let opponent = opponentKind == .fixed
            ? [0.1, 0.2, 0.3, 0.4]
            : LogSpace.softmax(zip(logPi, logMu).map { 0.6 * $0 + 0.4 * $1 })
        let exact = PreferencePolicyGradient.exact(pi: pi, logPi: logPi, logMu: logMu, tau: tau,
                                                   preferenceAgainstOpponent: problem.preferences[0].times(opponent))
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: 4))
        let rng = RandomSource(seed: 5)
        let r = 4000
        var sum = [Double](repeating: 0, count: 4), sumSq = sum
        for _ in 0..<r {
            let g = try PreferencePolicyGradient.sampled(pi: pi, logPi: logPi, logMu: logMu, tau: tau, opponent: opponent,
                                                         batchSize: 16, context: 0, oracle: oracle, rng: rng)
            for y in 0..<4 { sum[y] += g[y]; sumSq[y] += g[y] * g[y] }
        }
        #expect(oracle.queries <= r * 16)
        for y in 0..<4 {
            let mean = sum[y] / Double(r)
            let se = ((sumSq[y] / Double(r) - mean * mean) / Double(r)).squareRoot()
            #expect(abs(mean - exact[y]) < 5 * se)
        }
    }

    /// The exact gradient by hand: π = (½, ½), μ = (½, ½), v = (0.7, 0.3), τ = 0: A = (0.2, −0.2),
    /// Σ π A = 0, g = (0.1, −0.1); it sums to 0 (softmax gradients do).
    /// The in-place exact gradient (nash-md-pg's and nash-ema's per-run buffers) has every bit of
    /// the expression the plugins used before, written out here as the reference, on seeded
    /// random inputs with τ = 0 and τ > 0 and a response outside μ's support.
    @Test(arguments: [(UInt64(1), 0.0), (2, 0.3), (3, 2.5)])
    func inPlaceExactGradientIsTheFormerExpression(seed: UInt64, tau: Double) {
        let rng = RandomSource(seed: seed)
        let n = 9
        var logMu = LogSpace.normalize((0..<n).map { _ in rng.normal() })
        logMu[4] = -.infinity
        logMu = LogSpace.normalize(logMu)
        var logPiLogits = (0..<n).map { _ in rng.normal(sd: 2) }
        logPiLogits[4] = -.infinity
        let logPi = LogSpace.normalize(logPiLogits)
        let pi = logPi.map { exp($0) }
        let v = (0..<n).map { _ in rng.uniform() }
        let a = pi.indices.map { v[$0] - 0.5 - tau * LogSpace.logRatio(logPi[$0], logMu[$0]) }
        var mean = 0.0
        for y in pi.indices { mean += pi[y] * a[y] }
        let reference = pi.indices.map { pi[$0] * (a[$0] - mean) }
        var advantages = [Double](repeating: .nan, count: n), g = advantages
        PreferencePolicyGradient.exact(pi: pi, logPi: logPi, logMu: logMu, tau: tau, preferenceAgainstOpponent: v,
                                       advantages: &advantages, into: &g)
        #expect(g.map(\.bitPattern) == reference.map(\.bitPattern), "seed \(seed)")
        #expect(advantages.map(\.bitPattern) == a.map(\.bitPattern), "seed \(seed)")
        let allocating = PreferencePolicyGradient.exact(pi: pi, logPi: logPi, logMu: logMu, tau: tau, preferenceAgainstOpponent: v)
        #expect(allocating.map(\.bitPattern) == reference.map(\.bitPattern), "seed \(seed)")
    }

    @Test func exactGradientByHand() {
        let lp = [log(0.5), log(0.5)]
        let g = PreferencePolicyGradient.exact(pi: [0.5, 0.5], logPi: lp, logMu: lp, tau: 0, preferenceAgainstOpponent: [0.7, 0.3])
        #expect(abs(g[0] - 0.1) < 1e-15 && abs(g[1] + 0.1) < 1e-15)
    }
}
