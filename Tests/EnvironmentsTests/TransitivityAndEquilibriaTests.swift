import AlignmentCore
import Environments
import Foundation
import Testing

/// Documented transitivity (Bradley–Terry fits, Condorcet cycles) and the known Nash equilibria of
/// the environments.
struct TransitivityAndEquilibriaTests {
    static func preference(_ kind: String, _ parameters: [String: ParameterValue], seed: UInt64 = 1) throws -> (PreferenceMatrix, GroundTruth) {
        let type = try #require(EnvironmentCatalog.environment(kind: kind))
        let gt = try type.make(parameters).groundTruth(contexts: 1, seed: seed)
        return (gt.preferences[0], gt)
    }

    /// A population-level Bradley–Terry fit: gradient ascent on Σ_{i≠j} P_ij log σ(s_i − s_j), whose
    /// gradient is ∂/∂s_i = Σ_j (P_ij − σ(s_i − s_j)).
    static func bradleyTerryFit(_ p: PreferenceMatrix, steps: Int = 4000, rate: Double = 0.05) -> [Double] {
        let n = p.size
        var s = [Double](repeating: 0, count: n)
        for _ in 0..<steps {
            var g = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in 0..<n where j != i { g[i] += p[i, j] - 1 / (1 + exp(s[j] - s[i])) }
            }
            for i in 0..<n { s[i] += rate * g[i] }
        }
        return s
    }

    static func order(_ v: [Double]) -> [Int] { v.indices.sorted { v[$0] > v[$1] } }

    @Test(arguments: [("bradley-terry", UInt64(3)), ("thurstone", UInt64(4)), ("bradley-terry", UInt64(5))])
    func bradleyTerryFitRecoversTheOrderOfTransitiveEnvironments(kind: String, seed: UInt64) throws {
        let (p, gt) = try Self.preference(kind, ["actions": .number(6)], seed: seed)
        #expect(gt.isTransitive)
        #expect(PreferenceStructure.condorcetCycle(p) == nil)
        let fit = Self.bradleyTerryFit(p)
        let reward = try #require(gt.trueReward?[0])
        #expect(Self.order(fit) == Self.order(reward))
        if kind == "bradley-terry" {
            // A BT environment is fitted exactly: s − mean(s) = r − mean(r) (to 1e-6).
            let ms = fit.reduce(0, +) / 6, mr = reward.reduce(0, +) / 6
            for (a, b) in zip(fit, reward) { #expect(abs((a - ms) - (b - mr)) < 1e-6) }
        }
    }

    @Test(arguments: [
        ("cyclic", ["actions": ParameterValue.number(3)]),
        ("cyclic", ["actions": .number(7), "strength": .number(0.3)]),
        ("cyclic", ["preset": .string("biased-rps")]),
        ("intransitive-dice", [:]),
        ("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(-0.2)]),
        ("annotator-mixture", ["preset": .string("three-rater")]),
    ])
    func cyclicEnvironmentsContainACondorcetCycle(kind: String, parameters: [String: ParameterValue]) throws {
        let (p, gt) = try Self.preference(kind, parameters)
        #expect(!gt.isTransitive)
        let cycle = try #require(PreferenceStructure.condorcetCycle(p))
        #expect(cycle.count >= 3)
        for (k, y) in cycle.enumerated() {
            #expect(p[y, cycle[(k + 1) % cycle.count]] > 0.5)
        }
    }

    @Test(arguments: [("random", UInt64(1)), ("random", UInt64(2)), ("disc-game", UInt64(1)), ("disc-game", UInt64(2))])
    func randomKindsReportTheirTransitivity(kind: String, seed: UInt64) throws {
        let (p, gt) = try Self.preference(kind, ["actions": .number(8)], seed: seed)
        #expect(gt.isTransitive == (PreferenceStructure.condorcetCycle(p) == nil))
        #expect(gt.isTransitive == PreferenceStructure.isWeaklyTransitive(p))
    }

    @Test func rockPaperScissorsAndTournamentsAreUniform() throws {
        for n in [3, 5, 9] {
            let (p, _) = try Self.preference("cyclic", ["actions": .number(Double(n)), "strength": .number(0.6)])
            let pi = try NashEquilibriumLP.solve(p)
            for v in pi { #expect(abs(v - 1 / Double(n)) < 1e-12) }
        }
    }

    @Test func biasedPresetHasTheOpenSpielEquilibrium() throws {
        let (p, _) = try Self.preference("cyclic", ["preset": .string("biased-rps"), "strength": .number(0.4)])
        let pi = try NashEquilibriumLP.solve(p)
        for (v, e) in zip(pi, [1.0 / 16, 10.0 / 16, 5.0 / 16]) { #expect(abs(v - e) < 1e-12) }
    }

    @Test func diceAreUniform() throws {
        let (p, _) = try Self.preference("intransitive-dice", [:])
        for v in try NashEquilibriumLP.solve(p) { #expect(abs(v - 1.0 / 3) < 1e-12) }
    }

    @Test(arguments: [-1.0 / 3, -0.25, -0.1, -0.01, 0, 0.05, 0.2, 0.3])
    func threeRaterEquilibrium(epsilon: Double) throws {
        let (p, gt) = try Self.preference("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(epsilon)])
        let expected = [1.0 / 3 + epsilon / 2, 1.0 / 3 + epsilon / 2, 1.0 / 3 - epsilon]
        let pi = try NashEquilibriumLP.solve(p)
        for (v, e) in zip(pi, expected) { #expect(abs(v - e) < 1e-12) }
        let problem = try Problem(preferences: gt.preferences, reference: .uniform(contexts: 1, actions: 3), isTransitive: false)
        let unique = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: problem))
        for (v, e) in zip(unique.probabilities(context: 0), expected) { #expect(abs(v - e) < 1e-12) }
    }

    @Test func threeRaterAtTheBoundary() throws {
        // ε = 1/3: (½, ½, 0) is still an equilibrium, but so is every (x, 1 − x, 0) with x ≤ ½.
        let (p, gt) = try Self.preference("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(1.0 / 3)])
        #expect(p.times([0.5, 0.5, 0]).max()! - 0.5 <= 1e-15)
        let problem = try Problem(preferences: gt.preferences, reference: .uniform(contexts: 1, actions: 3), isTransitive: false)
        #expect(try NashEquilibriumLP.uniqueEquilibrium(problem: problem) == nil)
    }

    @Test func threeRaterRewardModelJumpsAtZero() throws {
        // The BT fit ranks y₁ first for ε > 0 and y₀ first for ε < 0 (Borda scores 1 ∓ 3ε/4 for y₀, y₁).
        for (eps, best) in [(0.1, 1), (0.02, 1), (-0.02, 0), (-0.1, 0)] {
            let (p, _) = try Self.preference("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(eps)])
            #expect(Self.order(Self.bradleyTerryFit(p)).first == best)
        }
    }

    @Test func transitiveBradleyTerryHasThePureBestResponse() throws {
        let (p, gt) = try Self.preference("bradley-terry", ["actions": .number(8)], seed: 9)
        let reward = try #require(gt.trueReward?[0])
        let best = reward.indices.max { reward[$0] < reward[$1] }!
        let pi = try NashEquilibriumLP.solve(p)
        #expect(abs(pi[best] - 1) < 1e-12)
    }
}
