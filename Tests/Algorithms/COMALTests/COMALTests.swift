import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
import COMAL

/// COMAL: the proximal point method on the original game. Its first outer step solves the game
/// regularized toward μ (π*_τ); later steps move the reference, and the last iterate converges to
/// the Nash equilibrium of the original game with every inner solver. The comparison with Nash-MD
/// and extragradient at the same τ and the identity with `mpo` are in the catalogue tests
/// (LastIterateComparisonTests).
struct COMALTests {
    static let solvers = COMALAlgorithm.InnerSolver.allCases.map(\.rawValue)

    /// Three iterations by hand on rock–paper–scissors, μ = (½, ¼, ¼), η = 1, τ = ½, inner
    /// mirror-descent, K = 2: the reference is μ for iterations 1–2 and π_2 for iteration 3, so
    /// π_1 ∝ μ·exp(Pμ) (centre μ^{½}μ^{½}), π_2 ∝ π_1^{½}μ^{½}·exp(Pπ_1), π_3 ∝ π_2·exp(Pπ_2) (centre
    /// π_2^{½}π_2^{½}), with Pμ = (½, ⅜, ⅝) and (Pq) = (q₀/2 + q₁, q₁/2 + q₂, q₀ + q₂/2).
    /// Tolerance 1e-15.
    @Test func referenceMovesEveryKIterationsByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        func times(_ q: [Double]) -> [Double] { [q[0] / 2 + q[1], q[1] / 2 + q[2], q[0] + q[2] / 2] }
        func normalised(_ w: [Double]) -> [Double] { let z = w.reduce(0, +); return w.map { $0 / z } }
        let pi1 = normalised((0..<3).map { mu[$0] * exp([0.5, 0.375, 0.625][$0]) })
        let p1 = times(pi1)
        let pi2 = normalised((0..<3).map { (pi1[$0] * mu[$0]).squareRoot() * exp(p1[$0]) })
        let p2 = times(pi2)
        let pi3 = normalised((0..<3).map { pi2[$0] * exp(p2[$0]) })
        let run = try Harness.run(COMALAlgorithm.self, ["eta": .number(1), "tau": .number(0.5), "inner_steps": .number(2)],
                                  on: problem, iterations: 3)
        for (t, expected) in [(1, pi1), (2, pi2), (3, pi3)] {
            let got = run.checkpoints.first { $0.iteration == t }!.policy.probabilities(context: 0)
            for y in 0..<3 { #expect(abs(got[y] - expected[y]) < 1e-15, "iteration \(t)") }
        }
    }

    /// The first outer step solves the game regularized toward μ: with K = 10⁶ > 1000 iterations,
    /// every inner solver ends at π*_τ on `random` n = 10 (seed 7), η = 1, τ = 0.1 — KL(π*_τ‖π_1000)
    /// < 1e-10 with π*_τ from the independent `RegularizedEquilibriumSolver`.
    @Test(arguments: solvers)
    func firstOuterStepIsTheRegularizedEquilibrium(inner: String) throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(COMALAlgorithm.self, ["eta": .number(1), "tau": .number(0.1), "inner": .string(inner),
                                                        "inner_steps": .number(1_000_000)],
                                  on: problem, iterations: 1000, recordEvery: 1000)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.final) < 1e-10)
    }

    /// The last iterate converges to the Nash equilibrium of the original game with every inner
    /// solver: defaults otherwise (η = 1, τ = 0.05, K = 100), exploitability below 1e-6 after
    /// `iterations` on `random` n = 10 (seeds 7, 8, 9; measured values in the catalogue comparison
    /// test).
    @Test(arguments: solvers, [7 as UInt64, 8, 9])
    func lastIterateReachesTheNashEquilibriumOnRandomGames(inner: String, seed: UInt64) throws {
        let problem = try Harness.random(actions: 10, seed: seed)
        let run = try Harness.run(COMALAlgorithm.self, ["inner": .string(inner)], on: problem,
                                  iterations: Self.iterations, recordEvery: Self.iterations)
        #expect(GameMetrics.exploitability(problem, run.final) < 1e-6)
    }

    /// On the three-rater population (ε = 0.2, from μ = (0.6, 0.3, 0.1)) every inner solver ends
    /// within 1e-8 of the equilibrium (13/30, 13/30, 2/15) in every probability (defaults, 3000
    /// iterations).
    @Test(arguments: solvers)
    func convergesToTheThreeRaterEquilibrium(inner: String) throws {
        let env = try AnnotatorMixtureEnvironment.make(["preset": .string("three-rater"), "epsilon": .number(0.2)])
        let problem = try Harness.problem(env, reference: .given([[0.6, 0.3, 0.1]]))
        let run = try Harness.run(COMALAlgorithm.self, ["inner": .string(inner)], on: problem, iterations: 3000, recordEvery: 3000)
        for (p, q) in zip(run.final.probabilities(context: 0), [13.0 / 30, 13.0 / 30, 2.0 / 15]) {
            #expect(abs(p - q) < 1e-8, "\(inner)")
        }
    }

    /// Sampled feedback: at most n·samples labels per context and evaluation — one evaluation per
    /// iteration, two for extragradient —; budget respected.
    @Test(arguments: solvers)
    func sampledQueriesAndBudget(inner: String) throws {
        let problem = try Harness.random(actions: 4, seed: 3, contexts: 2)
        let evaluations = inner == "extragradient" ? 2 : 1
        let run = try Harness.run(COMALAlgorithm.self, ["samples": .number(3), "inner": .string(inner)], on: problem,
                                  mode: .sampled, iterations: 15)
        #expect(run.queries <= 15 * 2 * 4 * 3 * evaluations)
        #expect(run.queries > 15 * 2 * 4 * 3 * evaluations / 2)
        let short = try Harness.run(COMALAlgorithm.self, ["inner": .string(inner)], on: problem, mode: .sampled,
                                    iterations: 50, budget: 33)
        #expect(short.queries <= 33)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }

    /// η·τ > 1 is refused for the solvers whose prox centre π^{1−ητ}r^{ητ} needs it, naming eta, and
    /// accepted for mmd.
    @Test func stepLimitDependsOnTheInnerSolver() throws {
        for inner in ["mirror-descent", "extragradient"] {
            #expect(throws: AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = 2.0 must be ≤ 1 with inner \"\(inner)\" (the exponent 1 − ητ of π); inner \"mmd\" allows any η")) {
                try COMALAlgorithm.make(["eta": .number(4), "tau": .number(0.5), "inner": .string(inner)])
            }
        }
        #expect(throws: Never.self) { try COMALAlgorithm.make(["eta": .number(4), "tau": .number(0.5), "inner": .string("mmd")]) }
    }

    /// Iterations of the random-game convergence test.
    static let iterations = 20_000
}
