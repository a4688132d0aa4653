import AlignmentCore
import Environments
import Foundation
import Testing

/// The reference solvers over the whole τ range a spec accepts ([1e-12, 1e6]), on every kind of
/// game the benchmark ships, with skewed references: π*_τ must be found (no throw) with a
/// regularized gap below 1e-12 + τ·1e-14·(1 + max|log μ|) (the second term is the gap formula's
/// own rounding, ≈ τ·2⁻⁵³·|log μ| per term), and the Nash LP must succeed. Before the bordered
/// solver, 521 of 1,890 such solves failed (among them τ = 1e-7 on RPS with μ = (0.6, 0.3, 0.1)).
struct ReferenceSolverRangeTests {
    static let games: [(kind: String, parameters: [String: ParameterValue])] = [
        ("cyclic", ["actions": .number(3), "strength": .number(0.8)]),
        ("cyclic", ["preset": .string("biased-rps")]),
        ("cyclic", ["actions": .number(4)]),
        ("intransitive-dice", [:]),
        ("random", ["actions": .number(10)]),
        ("bradley-terry", ["actions": .number(8)]),
        ("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(0.1)]),
    ]

    static func references(_ n: Int) -> [[Double]] {
        [Array(repeating: 1.0 / Double(n), count: n),
         (0..<n).map { i in i == 0 ? 0.6 : 0.4 / Double(n - 1) },
         (0..<n).map { i in pow(0.5, Double(i)) },
         (0..<n).map { i in i == 0 ? 1 - 1e-6 * Double(n - 1) : 1e-6 },
         (0..<n).map { i in i == n - 1 ? 1 - 1e-12 * Double(n - 1) : 1e-12 }]
    }

    @Test(arguments: 0..<games.count)
    func everySupportedTauSolves(game: Int) throws {
        let (kind, parameters) = Self.games[game]
        let type = try #require(EnvironmentCatalog.environment(kind: kind))
        let taus: [Double] = [1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 3e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.5,
                              1, 3, 10, 100, 1e3, 1e4, 1e5, 1e6]
        for seed: UInt64 in [1, 2] {
            let p = try type.make(parameters).groundTruth(contexts: 1, seed: seed).preferences[0]
            for mu in Self.references(p.size) {
                let total = mu.reduce(0, +)
                let reference = try Policy(probabilities: [mu.map { $0 / total }])
                let problem = try Problem(preferences: [p], reference: reference, isTransitive: false)
                let logScale = 1 + reference.logProbabilities[0].map(abs).max()!
                for tau in taus {
                    let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
                    let gap = GameMetrics.regularizedGap(problem, pi, tau: tau)
                    #expect(gap < 1e-12 + tau * 1e-14 * logScale, "\(kind) seed \(seed) μ₀ \(mu[0]) τ \(tau): gap \(gap)")
                }
                _ = try NashEquilibriumLP.uniqueEquilibrium(problem: problem)
            }
        }
    }
}
