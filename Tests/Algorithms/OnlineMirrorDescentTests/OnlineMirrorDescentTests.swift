import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
@testable import OnlineMirrorDescent

/// Online mirror descent: Hedge self-play cycles on RPS in the last iterate while its average
/// converges; with τ > 0 the last iterate converges to π*_τ.
struct OnlineMirrorDescentTests {
    /// Hedge (τ = 0, η = 0.5) on rock–paper–scissors from μ = (½, 0.3, 0.2): the last iterate's
    /// exploitability never drops below 0.15 during iterations 1000–2000 (numpy: min 0.167), while
    /// the average iterate meets the no-regret bound
    /// e(π̄_t) ≤ max_y log(1/μ(y))/(η(t+1)) + η/8 at every checkpoint (Hedge with gains in an
    /// interval of length 1; Freund & Schapire 1999) and ends below 0.01 (numpy: 0.0057).
    @Test func hedgeLastIterateCyclesWhileAverageConverges() throws {
        let mu = [0.5, 0.3, 0.2]
        let problem = try Harness.rps(mu: mu)
        let eta = 0.5
        let params: [String: ParameterValue] = ["eta": .number(eta), "tau": .number(0)]
        let last = try Harness.run(OnlineMirrorDescentAlgorithm.self, params, on: problem, iterations: 2000, recordEvery: 10)
        var averaged = params
        averaged["report"] = .string("average")
        let average = try Harness.run(OnlineMirrorDescentAlgorithm.self, averaged, on: problem, iterations: 2000, recordEvery: 10)
        let late = last.checkpoints.filter { $0.iteration >= 1000 }
        #expect(late.count == 101)
        #expect(late.allSatisfy { GameMetrics.exploitability(problem, $0.policy) > 0.15 })
        let worst = log(1 / mu.min()!)
        for cp in average.checkpoints {
            let bound = worst / (eta * Double(cp.iteration + 1)) + eta / 8
            #expect(GameMetrics.exploitability(problem, cp.policy) <= bound)
        }
        #expect(GameMetrics.exploitability(problem, average.final) < 0.01)
    }

    /// The average iterate at t is (1/(t+1)) Σ_{s≤t} π_s: after one iteration, (μ + π_1)/2 with
    /// π_1 ∝ μ exp(ηPμ) (τ = 0). Tolerance 1e-15.
    @Test func averageIterateByHand() throws {
        let problem = try Harness.rps(mu: [0.5, 0.25, 0.25])
        let run = try Harness.run(OnlineMirrorDescentAlgorithm.self, ["eta": .number(1), "tau": .number(0), "report": .string("average")],
                                  on: problem, iterations: 1)
        // Pμ = (½, ⅜, ⅝) (see NashMDExactTests.firstTheoryStepByHand).
        let w = [0.5 * exp(0.5), 0.25 * exp(0.375), 0.25 * exp(0.625)]
        let z = w.reduce(0, +)
        let expected = (0..<3).map { ([0.5, 0.25, 0.25][$0] + w[$0] / z) / 2 }
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - expected[y]) < 1e-15) }
    }

    /// With τ > 0 the fixed point is π*_τ and the last iterate converges: regularized gap below
    /// 1e-10 on `random` n = 10, τ = 0.1, η = 1 within 1000 iterations, and KL(π*_τ‖π_1000) < 1e-10
    /// with π*_τ from `RegularizedEquilibriumSolver` (accurate to ≈ 1e-12 in KL).
    @Test func regularizedLastIterateConverges() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(OnlineMirrorDescentAlgorithm.self, ["eta": .number(1), "tau": .number(0.1)],
                                  on: problem, iterations: 1000, recordEvery: 1000)
        #expect(GameMetrics.regularizedGap(problem, run.final, tau: 0.1) < 1e-10)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        #expect(GameMetrics.kl(problem, star, run.final) < 1e-10)
    }

    /// Sampled feedback: at most n·samples labels per context and iteration; the run stops at
    /// the budget.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 5, seed: 3, contexts: 2)
        let run = try Harness.run(OnlineMirrorDescentAlgorithm.self, ["samples": .number(2)], on: problem, mode: .sampled, iterations: 20)
        #expect(run.queries <= 20 * 2 * 5 * 2)
        #expect(run.queries > 0)
        let short = try Harness.run(OnlineMirrorDescentAlgorithm.self, ["samples": .number(2)], on: problem, mode: .sampled,
                                    iterations: 20, budget: 77)
        #expect(short.queries <= 77)
        #expect((short.context.last?.iteration ?? 99) < 20)
    }

    @Test func rejectsStepsBeyondTheMixture() {
        #expect(throws: AlignmentCoreError.self) { try OnlineMirrorDescentAlgorithm.make(["eta": .number(11), "tau": .number(0.1)]) }
    }
}
