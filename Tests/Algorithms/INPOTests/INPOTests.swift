import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import INPO
import Testing

/// INPO: the exact mode's least-squares minimiser of the population loss is one online-mirror-descent
/// step (Zhang et al. 2024, the loss's minimiser lemma), and sampled feedback spends exactly
/// batch_size labels per iteration.
struct INPOTests {
    /// One online-mirror-descent step per context, written out here:
    /// π′ ∝ π^{1−ητ} μ^{ητ} exp(η (Pπ)(y)), (Pπ)(y) = Σ_b P(y ≻ b) π(b).
    static func mirrorStep(_ problem: Problem, _ pi: [[Double]], eta: Double, tau: Double) -> [[Double]] {
        (0..<problem.contexts).map { x in
            let p = problem.preferences[x], mu = problem.reference.probabilities(context: x), n = mu.count
            let w = (0..<n).map { y in
                pow(pi[x][y], 1 - eta * tau) * pow(mu[y], eta * tau) * exp(eta * (0..<n).reduce(0) { $0 + p[y, $1] * pi[x][$1] })
            }
            let z = w.reduce(0, +)
            return w.map { $0 / z }
        }
    }

    static func problems() throws -> [Problem] {
        [try Harness.rps(mu: [0.5, 0.3, 0.2]), try Harness.random(actions: 5, seed: 7),
         try Harness.multiContext(contexts: 3, actions: 4, seed: 21)]
    }

    @Test(arguments: [(0.5, 0.2), (1.0, 1.0), (2.0, 0.0)])
    func populationMinimiserIsOneMirrorDescentStep(eta: Double, tau: Double) throws {
        // The exact mode solves the least-squares normal equations of the population loss (pairs of
        // distinct responses from π_t, exact soft labels); the paper's lemma says the minimiser is the
        // OMD step. From π_0 = μ: π_1 ∝ μ exp(η Pμ). Tolerance 1e-12 on every probability; then 30 steps against the hand recursion, tolerance 1e-11.
        for problem in try Self.problems() {
            let run = try Harness.run(INPOAlgorithm.self, ["eta": .number(eta), "tau": .number(tau)],
                                      on: problem, iterations: 30, recordEvery: 1)
            var pi = problem.reference.probabilities
            for t in 1...30 {
                pi = Self.mirrorStep(problem, pi, eta: eta, tau: tau)
                let got = run.checkpoints.first { $0.iteration == t }!.policy
                #expect(Harness.maxAbs(got, try Policy(probabilities: pi)) < (t == 1 ? 1e-12 : 1e-11))
            }
            #expect(run.queries == 0)
        }
    }

    @Test func fixedPointIsTheRegularisedEquilibrium() throws {
        // OMD's fixed point is π*_τ ∝ μ exp(Pπ*_τ/τ); with η = 1, τ = 0.5 the exact INPO run reaches
        // the harness's π*_τ solver within 1e-10 after 300 iterations (contraction factor ≤ 1 − ητ/2
        // per step on these games).
        for problem in try Self.problems() {
            let run = try Harness.run(INPOAlgorithm.self, ["eta": .number(1), "tau": .number(0.5)],
                                      on: problem, iterations: 300, recordEvery: 300)
            #expect(Harness.maxAbs(run.final, try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.5)) < 1e-10)
        }
    }

    @Test func minimumNormSolutionMinimisesTheLossOnAnyPairGraph() throws {
        // Weights not of product form on 5 responses; responses 3 and 4 are in no pair, so the pair
        // graph has components {0, 1, 2}, {3}, {4}. At the solution the loss's partial derivatives vanish
        // (central differences, h = 1e-6, tolerance 1e-9), moving any g_a of {0, 1, 2} by ±0.01
        // increases the loss, g has mean 0 on {0, 1, 2} (tolerance 1e-15) and g_3 = g_4 = 0.
        let w: [[Double]] = [[0, 3, 1, 0, 0], [1, 0, 2, 0, 0], [0.5, 4, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]
        let m = 0.3
        let g = try #require(INPOAlgorithm.minimumNormSolution(wins: w, margin: m))
        let base = INPOAlgorithm.loss(g, wins: w, margin: m)
        for a in 0..<5 {
            for s in [-0.01, 0.01] {
                var h = g
                h[a] += s
                if a < 3 { #expect(INPOAlgorithm.loss(h, wins: w, margin: m) > base) }
            }
            var up = g, down = g
            up[a] += 1e-6
            down[a] -= 1e-6
            #expect(abs(INPOAlgorithm.loss(up, wins: w, margin: m) - INPOAlgorithm.loss(down, wins: w, margin: m)) / 2e-6 < 1e-9)
        }
        #expect(abs(g[0] + g[1] + g[2]) < 1e-15)
        #expect(g[3] == 0 && g[4] == 0)
    }

    @Test(arguments: [1, 64, 500])
    func sampledFeedbackSpendsExactlyTheBatch(batch: Int) throws {
        // Every iteration labels batch_size fresh pairs, one label each: 20 iterations cost 20·batch.
        let problem = try Harness.multiContext(contexts: 3, actions: 4, seed: 21)
        let run = try Harness.run(INPOAlgorithm.self, ["eta": .number(0.5), "tau": .number(0.5), "batch_size": .number(Double(batch))],
                                  on: problem, mode: .sampled, iterations: 20, recordEvery: 5)
        #expect(run.queries == 20 * batch)
        #expect(run.context.last!.iteration == 20)
    }

    @Test func sampledFeedbackStopsAtTheBudget() throws {
        // A budget of 1000 with 64 labels per iteration pays for 15 iterations (960 labels); the 16th
        // batch does not fit and is not drawn.
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        let run = try Harness.run(INPOAlgorithm.self, ["batch_size": .number(64)], on: problem, mode: .sampled,
                                  iterations: 100, recordEvery: 10, budget: 1000)
        #expect(run.queries == 960)
        #expect(run.context.last!.iteration == 15)
    }

    @Test(arguments: [1, 2] as [UInt64])
    func sampledFeedbackWithLargeBatchesTracksTheExactRun(seed: UInt64) throws {
        // 100,000 labels per iteration: the empirical minimiser differs from the population one by the
        // sampling error of the pair frequencies (order 1/√batch ≈ 3e-3 per step); after 40 iterations
        // (η = 1, τ = 0.5) the sampled run is within 0.02 of the exact run in every probability, while
        // the exact run has moved 0.062 from μ = (0.5, 0.3, 0.2) on RPS (checked > 0.05).
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        let parameters: [String: ParameterValue] = ["eta": .number(1), "tau": .number(0.5), "batch_size": .number(100_000)]
        let exact = try Harness.run(INPOAlgorithm.self, parameters, on: problem, iterations: 40, recordEvery: 40)
        let run = try Harness.run(INPOAlgorithm.self, parameters, on: problem, mode: .sampled, iterations: 40, recordEvery: 40, seed: seed)
        #expect(Harness.maxAbs(run.final, exact.final) < 0.02)
        #expect(Harness.maxAbs(problem.reference, exact.final) > 0.05)
        #expect(run.queries == 40 * 100_000)
    }

    @Test func rejectsAStepBeyondTheRegularisation() throws {
        #expect(throws: AlignmentCoreError.self) { try INPOAlgorithm.make(["eta": .number(2), "tau": .number(0.6)]) }
    }
}
