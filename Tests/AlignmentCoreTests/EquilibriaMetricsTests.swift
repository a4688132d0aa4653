import AlignmentCore
import Foundation
import Testing

/// Harness metrics against hand derivations, with reference solutions from the equilibrium solvers.
struct EquilibriaMetricsTests {
    static let rps = try! PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
    /// OpenSpiel's biased RPS as P = ½ + ½·A/50.
    static let biased = try! PreferenceMatrix(rows: [[0.5, 0.25, 1], [0.75, 0.5, 0.45], [0, 0.55, 0.5]])

    @Test func exploitabilityByHand() throws {
        let problem = try Problem(preferences: [Self.biased], reference: .uniform(contexts: 1, actions: 3), isTransitive: false)
        let pi = try Policy(probabilities: [[0.5, 0.25, 0.25]])
        // Pπ = (0.25 + 0.0625 + 0.25, 0.375 + 0.125 + 0.1125, 0 + 0.1375 + 0.125) = (0.5625, 0.6125, 0.2625),
        // so e(π) = 0.6125 − ½ = 0.1125.
        #expect(abs(GameMetrics.exploitability(problem, pi) - 0.1125) < 1e-15)
        // At the LP equilibrium (1/16, 10/16, 5/16) it is 0 (within the LP tolerance 1e-12).
        let nash = try NashEquilibriumLP.solve(problem: problem)
        #expect(abs(GameMetrics.exploitability(problem, nash)) < 1e-12)
    }

    @Test func regularizedGapByHand() throws {
        // Two actions, P(0 ≻ 1) = 0.8, μ uniform, π = (0.3, 0.7), τ = ½:
        // Pπ = (0.15 + 0.56, 0.06 + 0.35) = (0.71, 0.41);
        // gap = 2[τ log(½e^{0.71/τ} + ½e^{0.41/τ}) + τ(0.3 log 0.6 + 0.7 log 1.4) − ½] = 0.24662364843099183
        // (evaluated with numpy).
        let p = try PreferenceMatrix(rows: [[0.5, 0.8], [0.2, 0.5]])
        let problem = try Problem(preferences: [p], reference: .uniform(contexts: 1, actions: 2), isTransitive: true)
        let pi = try Policy(probabilities: [[0.3, 0.7]])
        #expect(abs(GameMetrics.regularizedGap(problem, pi, tau: 0.5) - 0.24662364843099183) < 1e-14)
        // …and it equals 2·V_τ(BR(π), π) − 1 (1e-14).
        let br = try GameMetrics.regularizedBestResponse(problem, pi, tau: 0.5)
        #expect(abs(2 * GameMetrics.regularizedValue(problem, br, pi, tau: 0.5) - 1 - 0.24662364843099183) < 1e-14)
    }

    @Test(arguments: [0.05, 0.3, 1.5])
    func gapEqualsTwiceTheBestResponseValueMinusOne(tau: Double) throws {
        // Several contexts with unequal weights and a non-uniform μ (identity checked to 1e-13).
        let mu = try Policy(probabilities: [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
        let problem = try Problem(preferences: [Self.rps, Self.biased], reference: mu, isTransitive: false, contextWeights: [0.25, 0.75])
        let pi = try Policy(probabilities: [[0.1, 0.2, 0.7], [0.4, 0.4, 0.2]])
        let br = try GameMetrics.regularizedBestResponse(problem, pi, tau: tau)
        let direct = 2 * GameMetrics.regularizedValue(problem, br, pi, tau: tau) - 1
        #expect(abs(GameMetrics.regularizedGap(problem, pi, tau: tau) - direct) < 1e-13)
        // At π*_τ both vanish (1e-12).
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        #expect(GameMetrics.regularizedGap(problem, star, tau: tau) < 1e-12)
        let brStar = try GameMetrics.regularizedBestResponse(problem, star, tau: tau)
        #expect(abs(2 * GameMetrics.regularizedValue(problem, brStar, star, tau: tau) - 1) < 1e-12)
    }

    @Test func evaluatorWithReferenceSolutions() throws {
        // RPS with uniform μ: π*_τ is uniform for every τ and the unique Nash equilibrium is uniform.
        let problem = try Problem(preferences: [Self.rps], reference: .uniform(contexts: 1, actions: 3), isTransitive: false)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        let nash = try #require(try NashEquilibriumLP.uniqueEquilibrium(problem: problem))
        let evaluator = MetricEvaluator(problem: problem, tau: 0.1, regularizedEquilibrium: star, uniqueNash: nash)
        let pi = try Policy(probabilities: [[0.5, 0.25, 0.25]])
        let m = evaluator.evaluate(pi)
        // KL(uniform‖π) = ⅓[log(⅔) + 2 log(4/3)] = 0.05663301226513241 (numpy).
        #expect(abs(m["kl_from_regularized_equilibrium"]!! - 0.05663301226513241) < 1e-14)
        // TV(π, uniform) = ½(|½ − ⅓| + 2|¼ − ⅓|) = 1/6.
        #expect(abs(m["nash_distance"]!! - 1.0 / 6) < 1e-12)
        // Both vanish at the equilibrium itself.
        let atStar = evaluator.evaluate(star)
        #expect(abs(atStar["kl_from_regularized_equilibrium"]!!) < 1e-15)
        #expect(abs(atStar["nash_distance"]!!) < 1e-12)
    }

    @Test func winRateAgainstTheReferenceByHand() throws {
        let mu = try Policy(probabilities: [[0.2, 0.3, 0.5]])
        let problem = try Problem(preferences: [Self.rps], reference: mu, isTransitive: false)
        let pi = try Policy(probabilities: [[0.6, 0.1, 0.3]])
        // Pμ = (0.1 + 0.3 + 0, 0 + 0.15 + 0.5, 0.2 + 0 + 0.25) = (0.4, 0.65, 0.45);
        // πᵀPμ = 0.24 + 0.065 + 0.135 = 0.44.
        let m = MetricEvaluator(problem: problem, tau: nil).evaluate(pi)
        #expect(abs(m["win_rate_vs_reference"]!! - 0.44) < 1e-15)
        // P(π ≻ μ) + P(μ ≻ π) = 1 (1e-15).
        #expect(abs(GameMetrics.preference(problem, pi, mu) + GameMetrics.preference(problem, mu, pi) - 1) < 1e-15)
    }
}
