import AlignmentCore
import StableFloor
import Foundation
import Testing

/// Hand-derived values for the core metrics on rock–paper–scissors.
struct GameMetricsTests {
    /// Plain RPS: P = ½ + ½A with A the cyclic payoff; uniform μ.
    static func rps(mu: Policy? = nil) throws -> Problem {
        let p = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        return try Problem(preferences: [p], reference: mu ?? .uniform(contexts: 1, actions: 3), isTransitive: false)
    }

    @Test func pureStrategyExploitabilityIsOneHalf() throws {
        let problem = try Self.rps()
        let rock = try Policy(probabilities: [[1, 0, 0]])
        // Paper beats rock with probability 1: e = 1 − ½.
        #expect(abs(GameMetrics.exploitability(problem, rock) - 0.5) < 1e-15)
        #expect(abs(GameMetrics.exploitability(problem, problem.reference)) < 1e-15)
    }

    @Test func klOfReferenceToItselfIsZero() throws {
        let mu = try Policy(probabilities: [[0.2, 0.3, 0.5]])
        let problem = try Self.rps(mu: mu)
        #expect(GameMetrics.kl(problem, mu, mu) == 0)
        // KL((½,½,0)‖uniform) = log(3/2) by hand.
        let p = try Policy(probabilities: [[0.5, 0.5, 0]])
        let u = try Self.rps()
        #expect(abs(GameMetrics.kl(u, p, u.reference) - log(1.5)) < 1e-15)
    }

    @Test(arguments: [0.05, 0.1, 0.5, 2.0])
    func gapAgreesWithDirectMaxOverBestResponse(tau: Double) throws {
        let mu = try Policy(probabilities: [[0.2, 0.3, 0.5]])
        let problem = try Self.rps(mu: mu)
        let pi = try Policy(probabilities: [[0.6, 0.1, 0.3]])
        let br = try GameMetrics.regularizedBestResponse(problem, pi, tau: tau)
        let direct = 2 * GameMetrics.regularizedValue(problem, br, pi, tau: tau) - 1
        #expect(abs(GameMetrics.regularizedGap(problem, pi, tau: tau) - direct) < 1e-13)
        // No other policy does better than the regularized best response (spot-check a grid).
        for a in stride(from: 0.05, through: 0.9, by: 0.05) {
            for b in stride(from: 0.05, through: 0.95 - a, by: 0.05) {
                let q = try Policy(probabilities: [[a, b, 1 - a - b]])
                #expect(2 * GameMetrics.regularizedValue(problem, q, pi, tau: tau) - 1 <= direct + 1e-13)
            }
        }
    }

    @Test func gapAtZeroTauIsTwiceExploitability() throws {
        let problem = try Self.rps()
        let pi = try Policy(probabilities: [[0.6, 0.1, 0.3]])
        // P·π = (0.5·0.6 + 0.1 + 0, 0 + 0.05 + 0.3, 0.6 + 0 + 0.15) = (0.4, 0.35, 0.75) → e = 0.25.
        #expect(abs(GameMetrics.exploitability(problem, pi) - 0.25) < 1e-15)
        #expect(abs(GameMetrics.regularizedGap(problem, pi, tau: 0) - 0.5) < 1e-15)
    }

    @Test func winRateOfReferenceAgainstItselfIsOneHalf() throws {
        let mu = try Policy(probabilities: [[0.2, 0.3, 0.5]])
        let problem = try Self.rps(mu: mu)
        #expect(abs(GameMetrics.preference(problem, mu, mu) - 0.5) < 1e-15)
    }
}

struct PreferenceMatrixTests {
    @Test func rejectsAsymmetricEntry() {
        #expect(throws: AlignmentCoreError.self) { try PreferenceMatrix(rows: [[0.5, 0.7], [0.4, 0.5]]) }
    }
    @Test func rejectsOutOfRange() {
        #expect(throws: AlignmentCoreError.invalidPreference(row: 0, column: 1, reason: "value 1.2 is outside [0, 1]")) {
            try PreferenceMatrix(rows: [[0.5, 1.2], [-0.2, 0.5]])
        }
    }
    @Test func rejectsNonSquare() {
        #expect(throws: AlignmentCoreError.self) { try PreferenceMatrix(rows: [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]) }
    }
}

struct StableHashTests {
    /// Published FNV-1a 64 test vectors (Fowler–Noll–Vo reference): "" and "a".
    @Test func fnvVectors() {
        #expect(StableHash.fnv1a64("") == 0xcbf29ce484222325)
        #expect(StableHash.fnv1a64("a") == 0xaf63dc4c8601ec8c)
        #expect(StableHash.fnv1a64("foobar") == 0x85944171f73967e8)
    }
    /// SplitMix64 reference outputs for state 0 (first output of the generator seeded with 0).
    @Test func splitMixVector() {
        #expect(StableHash.splitMix64(0) == 0xe220a8397b1dcdaf)
    }
    @Test func generatorIsReproducible() {
        let a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let xa = (0..<5).map { _ in a.uniform() }, xb = (0..<5).map { _ in b.uniform() }
        let xc = (0..<5).map { _ in c.uniform() }
        #expect(xa == xb)
        #expect(xa != xc)
    }
}
