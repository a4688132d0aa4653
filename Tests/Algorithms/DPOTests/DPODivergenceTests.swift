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

    static func run(learningRate: Double) throws -> DrivenRun {
        try Harness.run(DirectPreferenceOptimization.self,
                        ["loss": .string("ipo"), "optimizer": .string("sgd"), "beta": .number(0.5),
                         "learning_rate": .number(learningRate)],
                        on: problem(), mode: .exact, iterations: 200, recordEvery: 50)
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

    /// Above 0.798758 the unstable component grows by |1 − 2.50388708·η| per step: ×1.504 at η = 1,
    /// ×6.5 at 3, ×24 at 10, ×74 at 30, ×249 at 100. Before the monitor these runs ended `ok` with
    /// logits 1e34–1e275 (or overflowed). The iteration of detection was computed by a numpy
    /// re-implementation of the full-batch step (θ ← θ − η∇L, re-centred) and of the monitor's rules
    /// (spread ≥ 10⁴ nats, growing at each of the last 10 reports — the first being μ itself at
    /// iteration 0 — and ×2 over them; or > 2⁵²): η = 1 → iteration 27 (spread 1.47e4, ×59 over 10
    /// steps), 3 → 10 (3.3e7), 10 → 10 (1.6e13), 30 → 9 (beyond 2⁵²: 1.6e16), 100 → 7 (1.5e16).
    @Test(arguments: [(1.0, 27), (3.0, 10), (10.0, 10), (30.0, 9), (100.0, 7)])
    func unstableStepFailsAsDiverging(learningRate: Double, iteration: Int) throws {
        do {
            let run = try Self.run(learningRate: learningRate)
            Issue.record("η = \(learningRate) ended normally at \(run.final.probabilities)")
        } catch let AlignmentCoreError.numericalFailure(at, reason) {
            #expect(at == iteration)
            #expect(reason.hasPrefix("diverging: "), "\(reason)")
        }
    }

    /// The just-stable step η = 0.79 (factor 0.978) also converges; η = 0.8 is unstable in theory
    /// (factor 1.0031) but grows only ×1.9 in 200 steps, far from divergence: both end normally.
    @Test(arguments: [0.79, 0.8])
    func stepsAtTheStabilityLimitEndNormally(learningRate: Double) throws {
        let run = try Self.run(learningRate: learningRate)
        #expect(run.checkpoints.last?.iteration == 200)
    }
}
