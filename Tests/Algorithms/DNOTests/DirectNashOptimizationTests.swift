import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
import DNO

/// DNO (practical form): the exact K = 2 expectation, monotone improvement against μ on a
/// Bradley–Terry game, and the labels it spends.
///
/// Derivation of the exact first step. With K = 2 the pair is (a, b) ∼ π⊗π and a wins with
/// probability P(a ≻ b); the win-rate gap is 1, so every pair is kept (margin < 1). At θ = θ_t the
/// DPO log-ratio difference is 0 and the ascent direction of −log σ is (η/2)(e_w − e_l), so
/// E[g]_y = (η/2)·Σ_{a,b} π(a)π(b)P(a ≻ b)(1[a = y] − 1[b = y])
///        = (η/2)·(π(y)(Pπ)(y) − π(y)(1 − (Pπ)(y))) = η·π(y)((Pπ)(y) − ½),
/// using Σ_a π(a)P(a ≻ y) = 1 − (Pπ)(y). One step: θ_1 = log π_0 + lr·η·π_0⊙(Pπ_0 − ½).
struct DirectNashOptimizationTests {
    /// One exact step from uniform μ on Bradley–Terry rewards (0, 1, 2, 3) with η = 0.5, lr = 2:
    /// by the formula above, Pμ(y) = ¼ Σ_b σ(r_y − r_b); tolerance 1e-12 in every probability.
    @Test func oneExactStepFromUniform() throws {
        let rewards = [0.0, 1, 2, 3]
        let problem = try Harness.bradleyTerry(rewards: rewards, mu: [0.25, 0.25, 0.25, 0.25])
        let run = try Harness.run(DirectNashOptimization.self, ["samples": .number(2), "eta": .number(0.5), "learning_rate": .number(2)],
                                  on: problem, iterations: 1)
        func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let p = rewards.map { ry in rewards.reduce(0) { $0 + 0.25 * sigma(ry - $1) } }
        let theta = p.map { log(0.25) + 2 * 0.5 * 0.25 * ($0 - 0.5) }
        let z = theta.reduce(0) { $0 + exp($1) }
        let got = run.final.probabilities(context: 0)
        for y in 0..<4 { #expect(abs(got[y] - exp(theta[y]) / z) < 1e-12, "y = \(y)") }
    }

    /// Exact DNO (K = 2, η = 1, lr = 1, epochs 1 and 3) on Bradley–Terry rewards (0, 0.5, 1, 1.5, 2)
    /// with μ = (0.4, 0.3, 0.15, 0.1, 0.05): the win rate against μ, π_tᵀPμ, starts at ½, rises
    /// strictly at every one of 300 iterations (smallest rise measured: 2.0e-5 with 1 epoch, 3.4e-6
    /// with 3) and ends at the value of an independent numpy implementation of the same exact
    /// iteration: 0.7907717052935773 (1 epoch), 0.7936108691862759 (3 epochs), tolerance 1e-9; the
    /// supremum is the best action's win rate against μ, Σ_b μ(b)σ(2 − r_b) ≈ 0.7945.
    @Test(arguments: [(1, 0.7907717052935773), (3, 0.7936108691862759)])
    func winRateAgainstMuRisesMonotonically(epochs: Int, final: Double) throws {
        let problem = try Harness.bradleyTerry(rewards: [0, 0.5, 1, 1.5, 2], mu: [0.4, 0.3, 0.15, 0.1, 0.05])
        let run = try Harness.run(DirectNashOptimization.self, ["samples": .number(2), "epochs": .number(Double(epochs))],
                                  on: problem, iterations: 300)
        let mu = problem.reference.probabilities(context: 0)
        let P = problem.preferences[0]
        let w = run.checkpoints.map { P.value($0.policy.probabilities(context: 0), mu) }
        #expect(w.count == 301)
        for t in 1..<w.count { #expect(w[t] > w[t - 1], "iteration \(t): \(w[t - 1]) → \(w[t])") }
        #expect(abs(w[0] - 0.5) < 1e-15)
        #expect(abs(w.last! - final) < 1e-9, "measured \(w.last!)")
    }

    /// Sampled feedback spends exactly K(K−1)/2 labels per context and iteration, kept pair or not
    /// (2 contexts × 9 iterations on `random` n = 5, seed 4; run seed 13).
    @Test(arguments: [2, 3, 5])
    func spendsOneLabelPerPair(samples: Int) throws {
        let problem = try Harness.random(actions: 5, seed: 4, contexts: 2)
        let run = try Harness.run(DirectNashOptimization.self, ["samples": .number(Double(samples)), "margin": .number(0.3)],
                                  on: problem, mode: .sampled, iterations: 9, seed: 13)
        #expect(run.queries == 9 * 2 * samples * (samples - 1) / 2, "seed 13")
        #expect(run.context.last?.iteration == 9)
    }

    /// The DPO gradient by hand: pair (0 wins over 2), weight 1, η = 2, at h = log π_θ − log π_t =
    /// (0.1, 0, −0.2): margin m = 2·(0.1 + 0.2) = 0.6, coefficient 2σ(−0.6); g = (c, 0, −c).
    @Test func dpoGradientByHand() throws {
        let plugin = try DirectNashOptimization.make(["eta": .number(2)])
        let ref = [log(0.5), log(0.3), log(0.2)]
        let cur = [ref[0] + 0.1, ref[1], ref[2] - 0.2]
        let g = plugin.gradient([WeightedPair(winner: 0, loser: 2, weight: 1)], logPi: cur, logReference: ref)
        let c = 2 / (1 + exp(0.6))
        #expect(abs(g[0] - c) < 1e-15 && g[1] == 0 && abs(g[2] + c) < 1e-15)
    }

    /// Exact feedback is refused for K > 2 and accepted for K = 2; sampled accepts every K.
    @Test func exactNeedsTwoSamples() throws {
        #expect(try DirectNashOptimization.make(["samples": .number(3)]).refusal(feedback: .exact)?.contains("samples = 3") == true)
        #expect(try DirectNashOptimization.make(["samples": .number(2)]).refusal(feedback: .exact) == nil)
        #expect(try DirectNashOptimization.make(["samples": .number(3)]).refusal(feedback: .sampled) == nil)
    }
}
