import AlgorithmTestSupport
import AlignmentCore
import DPO
import Environments
import Foundation
import Testing

/// SGD on the IPO loss diverges for step sizes above 2/λ_max; the run must fail as diverging, not
/// end `ok` at a pure policy with astronomically large logits (issue 9, "divergence counted as a
/// result").
struct DPODivergenceTests {
    /// Cyclic RPS with strength 0.8 and μ = (0.5, 0.3, 0.2).
    static func problem() throws -> Problem {
        try Harness.problem(CyclicEnvironment.make(["strength": .number(0.8)]), reference: .given([[0.5, 0.3, 0.2]]))
    }

    static func run(learningRate: Double, iterations: Int = 200) throws -> DrivenRun {
        try Harness.run(DirectPreferenceOptimization.self,
                        ["loss": .string("ipo"), "optimizer": .string("sgd"), "beta": .number(0.5),
                         "learning_rate": .number(learningRate)],
                        on: problem(), mode: .exact, iterations: iterations, recordEvery: 50)
    }

    /// The population IPO loss Σ_{a≠b} W(a,b)(Δ_ab − 1/(2β))² with W(a,b) = 2μ_aμ_b P(a≻b)/(1 − Σμ²)
    /// is quadratic with Hessian 2·Σ W(a,b)(e_a − e_b)(e_a − e_b)ᵀ, independent of P because
    /// W(a,b) + W(b,a) = 2μ_aμ_b/(1 − Σμ²). Its eigenvalues (numpy.linalg.eigvalsh, computed
    /// independently of this package) are 0 (the shift θ + c·1, removed by re-centring),
    /// 1.49611292 and 2.50388708, so SGD is stable exactly for η < 2/2.50388708 = 0.798758.
    /// At η = 0.5 both contraction factors |1 − ηλ| are 0.252 and the iterate converges to the
    /// least-squares minimiser, π = (0.5350442624017224, 0.23311312556088828, 0.23184261203738923)
    /// (numpy.linalg.lstsq on √W(e_a − e_b)·x = √W/(2β), π ∝ μ·exp(x)). Observed error ~1e-16 after
    /// 200 steps (0.252²⁰⁰ ≈ 1e-120); tolerance 1e-12.
    @Test func stableStepConvergesToTheIPOMinimiser() throws {
        let run = try Self.run(learningRate: 0.5)
        let expected = [0.5350442624017224, 0.23311312556088828, 0.23184261203738923]
        #expect(run.checkpoints.last?.iteration == 200)
        for (p, e) in zip(run.final.probabilities(context: 0), expected) { #expect(abs(p - e) < 1e-12) }
    }

    /// Above 0.798758 the unstable component grows by |1 − 2.50388708·η| per step: ×1.003 at
    /// η = 0.8, ×1.008 at 0.802, ×1.016 at 0.805, ×1.028 at 0.81, ×1.504 at 1, ×6.5 at 3, ×24 at
    /// 10, ×74 at 30, ×249 at 100. Before the doubling-time rule, 0.8 and 0.802 ended `ok` at a
    /// pure policy after 3,000 steps and 0.805 failed only at the 2⁵² ceiling at iteration 2416.
    /// The iteration of detection was computed by a numpy re-implementation of the full-batch
    /// step (θ ← θ − η∇L, re-centred, log-softmax) and of the monitor's rule (records at each new
    /// level 2ᵏ·8 nats, log-linear interpolated crossing times, fire when 3 consecutive ratios of
    /// times per doubling are ≤ 1.15): 0.8 → 2019 (D = 128.01), 0.802 → 776, 0.805 → 405,
    /// 0.81 → 226, 1 → 16, 3 → 6, 10 → 6, 30 → 5, 100 → 5 — all at D ≥ 128 nats, far before the
    /// policy is pure in double precision.
    @Test(arguments: [(0.8, 2019), (0.802, 776), (0.805, 405), (0.81, 226), (1.0, 16), (3.0, 6), (10.0, 6), (30.0, 5), (100.0, 5)])
    func unstableStepFailsAsDiverging(learningRate: Double, iteration: Int) throws {
        do {
            let run = try Self.run(learningRate: learningRate, iterations: 3000)
            Issue.record("η = \(learningRate) ended normally at \(run.final.probabilities)")
        } catch let AlignmentCoreError.numericalFailure(at, reason) {
            #expect(at == iteration)
            #expect(reason.hasPrefix("diverging: "), "\(reason)")
        }
    }

    /// The stable steps η = 0.5 and 0.79 (factor 0.978) and 0.798 (0.9988, just below the limit)
    /// end normally after 3,000 steps (the numpy run ends with D = 0.4000, 0.4000 and 0.3998, the
    /// spread of the IPO minimiser).
    @Test(arguments: [0.5, 0.79, 0.798])
    func stableStepsEndNormally(learningRate: Double) throws {
        let run = try Self.run(learningRate: learningRate, iterations: 3000)
        #expect(run.checkpoints.last?.iteration == 3000)
    }
}
