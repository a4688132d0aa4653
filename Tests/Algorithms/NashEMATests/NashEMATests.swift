import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
@testable import NashEMA

/// Nash-EMA-PG: convergence to π*_τ in exact-gradient mode, the moving-average rule, and the
/// sampled gradient.
struct NashEMATests {
    /// Stationary points have π_θ̄ = π_θ ∝ μ exp(Pπ_θ/τ) = π*_τ. On `random` n = 10, τ = 0.1
    /// (learning rate 5) both the last iterate and the moving average reach a regularized gap
    /// below 1e-10 within 5000 iterations, and KL(π*_τ‖π) < 1e-10 with π*_τ from
    /// `RegularizedEquilibriumSolver`, for a slow (α = 0.1) and a fast (α = 1, self-play) average.
    @Test(arguments: [0.1, 1.0])
    func convergesToRegularizedEquilibrium(emaRate: Double) throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        for report in ["last", "ema"] {
            let run = try Harness.run(NashEMAAlgorithm.self, ["tau": .number(0.1), "learning_rate": .number(5),
                                                              "ema_rate": .number(emaRate), "report": .string(report)],
                                      on: problem, iterations: 5000, recordEvery: 5000)
            #expect(GameMetrics.regularizedGap(problem, run.final, tau: 0.1) < 1e-10)
            #expect(GameMetrics.kl(problem, star, run.final) < 1e-10)
        }
    }

    /// One iteration by hand (τ = 0, lr = 1, α = ½) on rock–paper–scissors with μ = (½, ¼, ¼):
    /// θ_1 = log μ + g with g_y = μ(y)(Pμ(y) − ½ − Σ μ(Pμ − ½)), Pμ = (½, ⅜, ⅝) and Σ μ Pμ = ½;
    /// the reported moving average is normalise(½ log μ + ½ log π_1). Tolerance 1e-15.
    @Test func oneIterationByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let pm = [0.5, 0.375, 0.625]
        let g = (0..<3).map { mu[$0] * (pm[$0] - 0.5) }
        let logPi1 = LogSpace.normalize((0..<3).map { log(mu[$0]) + g[$0] })
        let params: [String: ParameterValue] = ["tau": .number(0), "learning_rate": .number(1), "ema_rate": .number(0.5)]
        let last = try Harness.run(NashEMAAlgorithm.self, params, on: problem, iterations: 1)
        var emaParams = params
        emaParams["report"] = .string("ema")
        let ema = try Harness.run(NashEMAAlgorithm.self, emaParams, on: problem, iterations: 1)
        let expectedEMA = LogSpace.normalize((0..<3).map { 0.5 * log(mu[$0]) + 0.5 * logPi1[$0] })
        for y in 0..<3 {
            #expect(abs(last.final.logProbabilities[0][y] - logPi1[y]) < 1e-15)
            #expect(abs(ema.final.logProbabilities[0][y] - expectedEMA[y]) < 1e-15)
        }
    }

    /// Sampled feedback: at most batch_size labels per context and iteration; budget respected.
    @Test func sampledQueriesAndBudget() throws {
        let problem = try Harness.random(actions: 4, seed: 3, contexts: 2)
        let run = try Harness.run(NashEMAAlgorithm.self, ["batch_size": .number(5)], on: problem, mode: .sampled, iterations: 12)
        #expect(run.queries <= 12 * 2 * 5)
        let short = try Harness.run(NashEMAAlgorithm.self, [:], on: problem, mode: .sampled, iterations: 50, budget: 40)
        #expect(short.queries <= 40)
        #expect((short.context.last?.iteration ?? 99) < 50)
    }
}
