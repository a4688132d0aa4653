import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
@testable import SPPO

/// SPPO: the average iterate converges to the Nash equilibrium at the no-regret rate, the last
/// iterate reaches the Condorcet winner of a transitive preference, and the sampled win-rate
/// estimates are unbiased.
struct SPPOTests {
    /// Exact SPPO is multiplicative weights with gains P(y ≻ π_t) ∈ [0, 1], so the average iterate
    /// obeys e(π̄_t) ≤ max_y log(1/μ(y))/(η(t+1)) + η/8 at every checkpoint (Freund & Schapire
    /// 1999; Wu et al. 2024, Theorem 4.1 in this tabular form) — on RPS, OpenSpiel's biased RPS
    /// (unique equilibrium (1/16, 10/16, 5/16)) and `random` n = 10 — and after 4000 iterations
    /// with η = 0.1 the average is within 0.02 of the equilibrium value (bound: ≈ 0.0125 + 0.01).
    @Test func averageIterateConvergesToNash() throws {
        let biased = try CyclicEnvironment.make(["payoffs": .array([[0, -25, 50], [25, 0, -5], [-50, 5, 0]].map { .array($0.map { .number($0) }) })])
        let problems = [
            try Harness.rps(mu: [0.5, 0.3, 0.2]),
            try Harness.problem(biased, reference: .given([[0.5, 0.3, 0.2]])),
            try Harness.random(actions: 10, seed: 7),
        ]
        let eta = 0.1
        for problem in problems {
            let run = try Harness.run(SPPOAlgorithm.self, ["eta": .number(eta), "report": .string("average")],
                                      on: problem, iterations: 4000, recordEvery: 100)
            let worst = problem.reference.logProbabilities[0].map { -$0 }.max()!
            for cp in run.checkpoints {
                #expect(GameMetrics.exploitability(problem, cp.policy) <= worst / (eta * Double(cp.iteration + 1)) + eta / 8)
            }
            #expect(GameMetrics.exploitability(problem, run.final) < 0.02)
        }
        // On biased RPS the average approaches the unique equilibrium (1/16, 10/16, 5/16).
        let run = try Harness.run(SPPOAlgorithm.self, ["eta": .number(0.05), "report": .string("average")],
                                  on: problems[1], iterations: 20_000, recordEvery: 20_000)
        let nash = try Policy(probabilities: [[1.0 / 16, 10.0 / 16, 5.0 / 16]])
        #expect(GameMetrics.totalVariation(problems[1], run.final, nash) < 0.05)
    }

    /// On a transitive Bradley–Terry preference the best response P(y ≻ π) is maximised by the
    /// highest-reward response whatever π is, so the last iterate concentrates on it: its
    /// probability exceeds 1 − 1e-6 and the exploitability is below 1e-6 after 500 iterations
    /// (η = 1).
    @Test func lastIterateReachesTheCondorcetWinner() throws {
        let env = try BradleyTerryEnvironment.make(["rewards": .array([0.3, 1.2, -0.5, 0.9].map { .number($0) })])
        let problem = try Harness.problem(env, reference: .given([[0.4, 0.1, 0.3, 0.2]]))
        let run = try Harness.run(SPPOAlgorithm.self, [:], on: problem, iterations: 500, recordEvery: 500)
        #expect(run.final.probabilities(context: 0)[1] > 1 - 1e-6)
        #expect(GameMetrics.exploitability(problem, run.final) < 1e-6)
    }

    /// One exact iteration by hand on RPS, μ = (½, ¼, ¼), η = 2: π_1 ∝ μ·exp(2(Pμ − ½)),
    /// Pμ = (½, ⅜, ⅝). Tolerance 1e-15.
    @Test func oneIterationByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let run = try Harness.run(SPPOAlgorithm.self, ["eta": .number(2)], on: problem, iterations: 1)
        let w = (0..<3).map { mu[$0] * exp(2 * ([0.5, 0.375, 0.625][$0] - 0.5)) }
        let z = w.reduce(0, +)
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - w[y] / z) < 1e-15) }
    }

    /// The sampled estimate P̂(y_i ≻ π) = (1/(K−1)) Σ_{j≠i} ℓ_ij is unbiased given y_i: over
    /// 20,000 rounds with K = 4 on `random` n = 4, each response's occurrence-weighted mean
    /// estimate is within 5 standard errors of (Pπ)(y), the standard error bounded conservatively
    /// (each estimate lies in [0, 1], so a round with c occurrences contributes variance ≤ c²/4:
    /// SE ≤ ½·√(Σ c²)/Σ c, about 0.006 here). At most K(K−1)/2 = 6 labels per round.
    @Test func sampledWinRatesAreUnbiased() throws {
        let problem = try Harness.random(actions: 4, seed: 19)
        let sppo = try SPPOAlgorithm.make(["responses": .number(4)])
        let pi = [0.4, 0.3, 0.2, 0.1]
        let oracle = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, rng: RandomSource(seed: 4))
        let run = RunContext(reference: problem.reference, contextWeights: [1], oracle: oracle, rng: RandomSource(seed: 5),
                             iterations: 1, recordEvery: 1) { _ in }
        let rounds = 20_000
        var sum = [Double](repeating: 0, count: 4), countSq = sum, count = sum
        for _ in 0..<rounds {
            for rate in try sppo.sampledWinRates(pi: pi, context: 0, run: run) {
                let (y, c) = (rate.response, Double(rate.occurrences))
                sum[y] += c * rate.estimate; countSq[y] += c * c; count[y] += c
            }
        }
        #expect(oracle.queries <= rounds * 6)
        let exact = problem.preferences[0].times(pi)
        for y in 0..<4 {
            let se = 0.5 * countSq[y].squareRoot() / count[y]
            #expect(abs(sum[y] / count[y] - exact[y]) < 5 * se)
        }
    }

    /// Sampled runs spend at most K(K−1)/2 labels per context and iteration; budget respected.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 5, seed: 3, contexts: 2)
        let run = try Harness.run(SPPOAlgorithm.self, ["responses": .number(5)], on: problem, mode: .sampled, iterations: 10)
        #expect(run.queries <= 10 * 2 * 10)
        let short = try Harness.run(SPPOAlgorithm.self, [:], on: problem, mode: .sampled, iterations: 50, budget: 30)
        #expect(short.queries <= 30)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }
}
