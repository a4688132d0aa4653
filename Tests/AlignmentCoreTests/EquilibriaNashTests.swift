@testable import AlignmentCore
import Foundation
import Testing

/// Nash equilibria by LP (GLPK) against known equilibria, nashpy values and the equilibrium
/// conditions.
struct EquilibriaNashTests {
    /// A random preference game P_ij ~ U(0,1) for i > j (drawn here, independently of the
    /// Environments target).
    static func randomGame(n: Int, seed: UInt64) throws -> PreferenceMatrix {
        let rng = RandomSource(seed: seed)
        return try PreferenceMatrix.fromUpperTriangle(size: n) { _, _ in rng.uniform() }
    }

    static func problem(_ ps: [PreferenceMatrix]) throws -> Problem {
        try Problem(preferences: ps, reference: .uniform(contexts: ps.count, actions: ps[0].size), isTransitive: false)
    }

    @Test func rockPaperScissorsIsUniform() throws {
        let rps = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        let pi = try NashEquilibriumLP.solve(rps)
        // The unique equilibrium is (1/3, 1/3, 1/3); tolerance 1e-12 (simplex round-off).
        for v in pi { #expect(abs(v - 1.0 / 3) < 1e-12) }
        let unique = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([rps])))
        for v in unique.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) < 1e-12) }
    }

    @Test(arguments: [1.0, 0.5, 0.1])
    func biasedRockPaperScissors(strength: Double) throws {
        // OpenSpiel's biased RPS payoffs scaled into P = ½ + (s/2)·A/50; the kernel of A is
        // ∝ (A₁₂, A₂₀, A₀₁) = (−5, −50, −25), i.e. (1, 10, 5)/16 for every strength s.
        let a: [[Double]] = [[0, -25, 50], [25, 0, -5], [-50, 5, 0]]
        let p = try PreferenceMatrix(rows: a.map { $0.map { 0.5 + 0.5 * strength * $0 / 50 } })
        let pi = try NashEquilibriumLP.solve(p)
        let expected = [1.0 / 16, 10.0 / 16, 5.0 / 16]
        for (v, e) in zip(pi, expected) { #expect(abs(v - e) < 1e-12) }
        let unique = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([p])))
        for (v, e) in zip(unique.probabilities(context: 0), expected) { #expect(abs(v - e) < 1e-12) }
    }

    @Test func transitiveGameHasThePureBestResponse() throws {
        // Bradley–Terry with rewards (0.3, 2, −1, 1.2): action 1 beats everyone, so the only
        // equilibrium is pure on it (exactly, up to 1e-12).
        let r = [0.3, 2, -1, 1.2]
        let p = try PreferenceMatrix.fromUpperTriangle(size: 4) { i, j in 1 / (1 + exp(r[j] - r[i])) }
        let pi = try NashEquilibriumLP.solve(p)
        #expect(abs(pi[1] - 1) < 1e-12)
        let unique = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([p])))
        #expect(abs(unique.probabilities(context: 0)[1] - 1) < 1e-12)
    }

    @Test(arguments: [(5, UInt64(1)), (10, UInt64(2)), (10, UInt64(3)), (40, UInt64(4)), (120, UInt64(5))])
    func randomGamesSatisfyTheEquilibriumConditions(n: Int, seed: UInt64) throws {
        let p = try Self.randomGame(n: n, seed: seed)
        let pi = try NashEquilibriumLP.solve(p)
        // A distribution: non-negative, mass 1 within 1e-12.
        #expect(pi.allSatisfy { $0 >= 0 })
        #expect(abs(pi.reduce(0, +) - 1) < 1e-12)
        // No pure response beats π by more than 1e-9: max_y (Pπ)(y) − ½ ≤ 1e-9.
        let payoff = p.times(pi)
        #expect(payoff.max()! - 0.5 <= 1e-9)
        // The value is ½: on the support every action earns ½ (complementary slackness, 1e-9).
        for y in 0..<n where pi[y] > 1e-9 { #expect(abs(payoff[y] - 0.5) < 1e-9) }
    }

    /// nashpy 0.0.43 `support_enumeration` on A = P − ½ (written down as literals): both games have
    /// one equilibrium.
    @Test func agreesWithNashpy() throws {
        let p5 = try PreferenceMatrix(rows: [
            [0.5, 0.858, 0.411, 0.535, 0.794], [0.142, 0.5, 0.383, 0.024, 0.557],
            [0.589, 0.617, 0.5, 0.201, 0.722], [0.465, 0.976, 0.799, 0.5, 0.125],
            [0.206, 0.443, 0.278, 0.875, 0.5],
        ])
        let nash5 = [0.706855791962175, 0.0, 0.08274231678487003, 0.2104018912529551, 0.0]
        let p7 = try PreferenceMatrix(rows: [
            [0.5, 0.111, 0.921, 0.651, 0.724, 0.415, 0.402], [0.889, 0.5, 0.755, 0.318, 0.749, 0.58, 0.958],
            [0.079, 0.245, 0.5, 0.772, 0.43, 0.597, 0.759], [0.349, 0.682, 0.228, 0.5, 0.666, 0.056, 0.946],
            [0.276, 0.251, 0.57, 0.334, 0.5, 0.952, 0.992], [0.585, 0.42, 0.403, 0.944, 0.048, 0.5, 0.678],
            [0.598, 0.042, 0.241, 0.054, 0.008, 0.322, 0.5],
        ])
        let nash7 = [0.0, 0.6288951841359773, 0.0, 0.11331444759206794, 0.0, 0.2577903682719547, 0.0]
        for (p, expected) in [(p5, nash5), (p7, nash7)] {
            let pi = try NashEquilibriumLP.solve(p)
            for (v, e) in zip(pi, expected) { #expect(abs(v - e) < 1e-12) }
            let unique = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([p])))
            for (v, e) in zip(unique.probabilities(context: 0), expected) { #expect(abs(v - e) < 1e-12) }
            // The LP ranges agree: every coordinate's range over the equilibrium set is < 1e-9.
            for r in try NashEquilibriumLP.equilibriumRanges(p) { #expect(r.upperBound - r.lowerBound < 1e-9) }
        }
    }

    @Test func nonUniqueEquilibriaAreDetected() throws {
        // All ties: every distribution is an equilibrium.
        let ties = try PreferenceMatrix(rows: Array(repeating: Array(repeating: 0.5, count: 3), count: 3))
        #expect(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([ties])) == nil)
        let ranges = try NashEquilibriumLP.equilibriumRanges(ties)
        for r in ranges { #expect(abs(r.lowerBound) < 1e-12 && abs(r.upperBound - 1) < 1e-12) }
        // RPS with a duplicated "rock": the equilibria are (a, b, 1/3, 1/3) with a + b = 1/3.
        let dup = try PreferenceMatrix(rows: [[0.5, 0.5, 1, 0], [0.5, 0.5, 1, 0], [0, 0, 0.5, 1], [1, 1, 0, 0.5]])
        #expect(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([dup])) == nil)
        let r = try NashEquilibriumLP.equilibriumRanges(dup)
        #expect(abs(r[0].lowerBound) < 1e-12 && abs(r[0].upperBound - 1.0 / 3) < 1e-12)
        #expect(abs(r[2].lowerBound - 1.0 / 3) < 1e-12 && abs(r[2].upperBound - 1.0 / 3) < 1e-12)
        // The cheap certificate must not claim uniqueness here (the copy of rock is a tied best response).
        #expect(try !NashEquilibriumLP.certifiesUniqueness(dup, try NashEquilibriumLP.solve(dup)))
        // One non-unique context makes the whole problem non-unique.
        let rps = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        #expect(try NashEquilibriumLP.uniqueEquilibrium(problem: Self.problem([rps, ties])) == nil)
    }

    @Test func uniquenessCertificateAgreesWithTheRangeLPs() throws {
        // On random games the cheap certificate and the 2n range LPs must agree (both unique).
        for seed in UInt64(10)..<UInt64(16) {
            let p = try Self.randomGame(n: 12, seed: seed)
            let pi = try NashEquilibriumLP.solve(p)
            let lpUnique = try NashEquilibriumLP.equilibriumRanges(p).allSatisfy { $0.upperBound - $0.lowerBound < 1e-9 }
            let certified = try NashEquilibriumLP.certifiesUniqueness(p, pi)
            #expect(lpUnique)
            #expect(certified == lpUnique)
        }
    }

    @Test func solvesEveryContext() throws {
        let rps = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        let biased = try PreferenceMatrix(rows: [[0.5, 0.25, 1], [0.75, 0.5, 0.45], [0, 0.55, 0.5]])
        let policy = try NashEquilibriumLP.solve(problem: Self.problem([rps, biased]))
        #expect(policy.contexts == 2)
        for v in policy.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) < 1e-12) }
        for (v, e) in zip(policy.probabilities(context: 1), [1.0 / 16, 10.0 / 16, 5.0 / 16]) { #expect(abs(v - e) < 1e-12) }
    }
}
