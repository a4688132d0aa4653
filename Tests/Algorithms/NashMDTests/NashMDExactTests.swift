import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing
@testable import NashMD

/// Exact-feedback Nash-MD: fixed points and step-size rules.
struct NashMDExactTests {
    /// With a constant η the iterates converge to the solution of π ∝ μ·exp(P π^μ/τ), where
    /// π^μ ∝ π^{1−ητ} μ^{ητ} (take logs of the update at a fixed point) — which is not π*_τ.
    /// Tolerance: the fixed-point residual in log-probabilities below 1e-11 after 4000 iterations
    /// (the contraction is ≈ 1 − ητ = 0.9 per iteration, so rounding dominates).
    @Test func constantStepConvergesToTheMixtureFixedPoint() throws {
        let problem = try Harness.random(actions: 6, seed: 11)
        let (eta, tau) = (0.5, 0.2)
        let run = try Harness.run(NashMDAlgorithm.self, ["eta": .number(eta), "tau": .number(tau)],
                                  on: problem, iterations: 4000, recordEvery: 4000)
        let logPi = run.final.logProbabilities[0]
        let logMu = problem.reference.logProbabilities[0]
        let w = eta * tau
        let mixture = LogSpace.normalize(zip(logPi, logMu).map { (1 - w) * $0 + w * $1 })
        let v = problem.preferences[0].times(mixture.map { exp($0) })
        let implied = LogSpace.normalize(zip(logMu, v).map { $0 + $1 / tau })
        for y in logPi.indices { #expect(abs(implied[y] - logPi[y]) < 1e-11) }
        // The fixed point differs from π*_τ: its regularized gap stays clearly positive.
        #expect(GameMetrics.regularizedGap(problem, run.final, tau: tau) > 1e-6)
    }

    /// The theory schedule is η_t = 2/(τ(t+2)): η_0 τ = 1 makes the first mixture exactly μ.
    @Test func theoryScheduleStepSizes() throws {
        let md = try NashMDAlgorithm.make(["tau": .number(0.25), "schedule": .string("theory")])
        #expect(md.stepSize(at: 0) == 4)
        #expect(md.stepSize(at: 6) == 1)
        let constant = try NashMDAlgorithm.make(["eta": .number(0.3)])
        #expect(constant.stepSize(at: 100) == 0.3)
    }

    /// One iteration from μ on rock–paper–scissors, by hand: with η_0 τ = 1 the mixture is μ, so
    /// π_1 ∝ μ·exp(η_0 P μ). For μ = (½, ¼, ¼): Pμ = (½·½ + ¼ + 0, 0 + ⅛ + ¼, ½ + 0 + ⅛) =
    /// (½, ⅜, ⅝); with τ = 1, η_0 = 1. Tolerance 1e-15 (one exp and a normalisation).
    @Test func firstTheoryStepByHand() throws {
        let problem = try Harness.rps(mu: [0.5, 0.25, 0.25])
        let run = try Harness.run(NashMDAlgorithm.self, ["tau": .number(1), "schedule": .string("theory")],
                                  on: problem, iterations: 1)
        let w = [0.5 * exp(0.5), 0.25 * exp(0.375), 0.25 * exp(0.625)]
        let z = w.reduce(0, +)
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - w[y] / z) < 1e-15) }
    }

    @Test func rejectsInconsistentParameters() {
        #expect(throws: AlignmentCoreError.self) { try NashMDAlgorithm.make(["eta": .number(20), "tau": .number(0.1)]) }
        #expect(throws: AlignmentCoreError.self) { try NashMDAlgorithm.make(["tau": .number(0), "schedule": .string("theory")]) }
    }
}
