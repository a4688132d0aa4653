import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
@testable import NashMD

/// Nash-MD-PG: fixed points in exact-gradient mode, and the sampled gradient's unbiasedness.
struct NashMDPGTests {
    /// Self-play (β = 0) in exact-gradient mode converges to π*_τ: the regularized duality gap,
    /// zero exactly at π*_τ, falls below 1e-12 on `random` n = 10, τ = 0.1.
    @Test func selfPlayConvergesToRegularizedEquilibrium() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(NashMDPGAlgorithm.self, ["beta": .number(0), "tau": .number(0.1), "learning_rate": .number(5)],
                                  on: problem, iterations: 3000, recordEvery: 3000)
        #expect(GameMetrics.regularizedGap(problem, run.final, tau: 0.1) < 1e-12)
    }

    /// With constant β the stationary point solves π ∝ μ exp(Pπ_β/τ), the fixed point of tabular
    /// Nash-MD with η = β/τ: the two independent update rules agree to 1e-9 in log-probabilities.
    @Test func constantMixtureMatchesTabularNashMD() throws {
        let problem = try Harness.random(actions: 6, seed: 13)
        let (beta, tau) = (0.05, 0.2)
        let pg = try Harness.run(NashMDPGAlgorithm.self, ["beta": .number(beta), "tau": .number(tau), "learning_rate": .number(5)],
                                 on: problem, iterations: 6000, recordEvery: 6000)
        let md = try Harness.run(NashMDAlgorithm.self, ["eta": .number(beta / tau), "tau": .number(tau)],
                                 on: problem, iterations: 6000, recordEvery: 6000)
        let a = pg.final.logProbabilities[0], b = md.final.logProbabilities[0]
        for y in a.indices { #expect(abs(a[y] - b[y]) < 1e-9) }
    }

    /// The "theory" schedule β_t = 2/(t+2) (Nash-MD's η_tτ) drives the opponent to the current
    /// policy, so the iterates approach π*_τ: the gap falls by more than four orders of magnitude
    /// between iteration 50 and 5000 and ends below 1e-7 (≈ 6e-9 in an independent numpy run).
    @Test func theoryMixtureScheduleApproachesRegularizedEquilibrium() throws {
        let problem = try Harness.random(actions: 10, seed: 7)
        let run = try Harness.run(NashMDPGAlgorithm.self, ["beta_schedule": .string("theory"), "tau": .number(0.1), "learning_rate": .number(2)],
                                  on: problem, iterations: 5000, recordEvery: 50)
        let gaps = run.checkpoints.map { GameMetrics.regularizedGap(problem, $0.policy, tau: 0.1) }
        #expect(gaps.last! < 1e-7)
        #expect(gaps.last! < 1e-4 * gaps[1])
    }

    @Test func theoryMixtureSchedule() throws {
        let pg = try NashMDPGAlgorithm.make(["beta_schedule": .string("theory")])
        #expect(pg.mixture(at: 0) == 1)
        #expect(pg.mixture(at: 2) == 0.5)
        #expect(try NashMDPGAlgorithm.make(["beta": .number(0.25)]).mixture(at: 9) == 0.25)
    }

    /// Sampled Nash-MD-PG against the environment spends at most batch_size labels per context and
    /// iteration, and with large batches tracks the exact-gradient run: 300 iterations on `random`
    /// n = 5 (τ = 0.5, β = 0.2, lr = 0.5, batch 256). Each gradient coordinate has sd ≲ 0.5/√256 ≈
    /// 0.03 and a step moves logits by lr times that, while the dynamics contract; tolerance 0.03
    /// in total variation (measured 0.007), while the exact run moves more than 0.05 away from μ.
    @Test func sampledRunTracksExactGradientRun() throws {
        let problem = try Harness.random(actions: 5, seed: 21)
        let params: [String: ParameterValue] = ["tau": .number(0.5), "beta": .number(0.2), "learning_rate": .number(0.5),
                                                "batch_size": .number(256)]
        let exact = try Harness.run(NashMDPGAlgorithm.self, params, on: problem, iterations: 300, recordEvery: 300)
        let sampled = try Harness.run(NashMDPGAlgorithm.self, params, on: problem, mode: .sampled, iterations: 300, recordEvery: 300)
        #expect(sampled.queries <= 300 * 256)
        let distance = GameMetrics.totalVariation(problem, exact.final, sampled.final)
        #expect(GameMetrics.totalVariation(problem, exact.final, problem.reference) > 0.05)
        #expect(distance < 0.03)
    }

    /// Against a fitted preference model (sampled feedback), both variants draw the same labelled
    /// pairs from the same seed, so they face the same P̂: self-play Nash-MD-PG converges to the
    /// model's π*_τ exactly, and tabular Nash-MD with the theory schedule approaches it too — the
    /// two end within 1e-3 in total variation after 5000 iterations (KL(π*_τ‖π_T) ≤ 8/(τ²(T+1))
    /// with τ = 0.5 bounds the Nash-MD error by ≈ 0.06 in total variation via Pinsker; the actual
    /// error is far smaller). Only the model's labels are spent.
    @Test func modelSourceGivesBothVariantsTheSameGame() throws {
        let problem = try Harness.random(actions: 5, seed: 23)
        let model: [String: ParameterValue] = ["preference": .string("model"), "model_pairs": .number(300), "tau": .number(0.5)]
        var pgParams = model
        pgParams["beta"] = .number(0)
        pgParams["learning_rate"] = .number(5)
        var mdParams = model
        mdParams["schedule"] = .string("theory")
        let pg = try Harness.run(NashMDPGAlgorithm.self, pgParams, on: problem, mode: .sampled, iterations: 5000, recordEvery: 5000)
        let md = try Harness.run(NashMDAlgorithm.self, mdParams, on: problem, mode: .sampled, iterations: 5000, recordEvery: 5000)
        #expect(pg.queries == 300 && md.queries == 300)
        #expect(GameMetrics.totalVariation(problem, pg.final, md.final) < 1e-3)
        // The model is not the truth: on the true P the final policy is not π*_τ.
        #expect(GameMetrics.regularizedGap(problem, pg.final, tau: 0.5) > 1e-6)
    }
}
