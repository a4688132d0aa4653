import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
@testable import SPPO

/// SPPO in the log-linear class: the regression step Δθ = argmin Σ ρ(x)π_t(y|x)(Δᵀφ(x, y) −
/// η(P(y ≻ π_t) − ½))² against hand derivations (the indicator-feature equality with the tabular
/// run is the catalogue's `LogLinearConformanceTests`).
struct SPPOLogLinearTests {
    /// One exact iteration by hand, d = 1: RPS, μ = (½, ¼, ¼), η = 2, φ = (1, −1, 2). Pμ = (½, ⅜, ⅝),
    /// so the targets are r = 2(Pμ − ½) = (0, −¼, ¼) with weights μ, and
    /// Δθ = Σ μφr / Σ μφ² = (1/16 + 2/16)/(7/4) = 3/28; π_1 ∝ μ·exp(3φ/28). Tolerance 1e-15.
    @Test func oneExactIterationByHand() throws {
        let mu = [0.5, 0.25, 0.25]
        let problem = try Harness.rps(mu: mu)
        let phi = [1.0, -1, 2]
        let c = try LogLinearPolicyClass(reference: problem.reference, features: FeatureMap(given: [phi.map { [$0] }]))
        let run = try Harness.run(SPPOAlgorithm.self, ["eta": .number(2)], on: problem, iterations: 1, policyClass: .logLinear(c))
        let w = (0..<3).map { mu[$0] * exp(3.0 / 28 * phi[$0]) }
        let z = w.reduce(0, +)
        let p = run.final.probabilities(context: 0)
        for y in 0..<3 { #expect(abs(p[y] - w[y] / z) < 1e-15, "\(p) vs \(w.map { $0 / z })") }
    }

    /// One exact iteration with d = 2 random features on a 3-context, 5-action random game with
    /// ρ non-uniform: Δθ solves the weighted normal equations (Σ wφφᵀ)Δ = Σ wφr, here solved by
    /// Cramer's rule in the test (independent of LAPACK), and π_1 = softmax(log μ + Δᵀφ) per
    /// context. Tolerance 1e-13 on probabilities.
    @Test(arguments: [UInt64(3), 11, 2027])
    func oneExactIterationSolvesTheNormalEquations(seed: UInt64) throws {
        let problem = try Harness.random(actions: 5, seed: seed, contexts: 3)
        let features = FeatureMap(randomContexts: 3, actions: 5, dimension: 2, seed: seed &+ 1)
        let c = try LogLinearPolicyClass(reference: problem.reference, features: features)
        let eta = 0.7
        let run = try Harness.run(SPPOAlgorithm.self, ["eta": .number(eta)], on: problem, iterations: 1, policyClass: .logLinear(c))
        var m = [0.0, 0, 0], v = [0.0, 0]   // m = (a11, a12, a22), v = right-hand side
        for x in 0..<3 {
            let mu = problem.reference.probabilities(context: x)
            let pmu = problem.preferences[x].times(mu)
            for y in 0..<5 {
                let w = problem.contextWeights[x] * mu[y], r = eta * (pmu[y] - 0.5)
                let f = features.feature(context: x, action: y)
                m[0] += w * f[0] * f[0]; m[1] += w * f[0] * f[1]; m[2] += w * f[1] * f[1]
                v[0] += w * f[0] * r; v[1] += w * f[1] * r
            }
        }
        let det = m[0] * m[2] - m[1] * m[1]
        let theta = [(v[0] * m[2] - m[1] * v[1]) / det, (m[0] * v[1] - m[1] * v[0]) / det]
        for x in 0..<3 {
            let mu = problem.reference.probabilities(context: x)
            let w = (0..<5).map { y in mu[y] * exp(zip(theta, features.feature(context: x, action: y)).reduce(0) { $0 + $1.0 * $1.1 }) }
            let z = w.reduce(0, +)
            let p = run.final.probabilities(context: x)
            for y in 0..<5 { #expect(abs(p[y] - w[y] / z) < 1e-13, "seed \(seed) context \(x): \(p[y]) vs \(w[y] / z)") }
        }
    }

    /// Sampled feedback with d = 2 on a 2-context, 4-action random game, K = 3, 30 iterations:
    /// at most K(K−1)/2 = 3 labels per context and iteration (identical responses tie without a
    /// query), at least one label, and the last iterate has moved away from μ.
    @Test func sampledLabelsPerIteration() throws {
        let problem = try Harness.random(actions: 4, seed: 5, contexts: 2)
        let c = try LogLinearPolicyClass(reference: problem.reference,
                                         features: FeatureMap(randomContexts: 2, actions: 4, dimension: 2, seed: 9))
        let run = try Harness.run(SPPOAlgorithm.self, ["responses": .number(3)], on: problem, mode: .sampled, iterations: 30,
                                  budget: 10_000, seed: 4, policyClass: .logLinear(c))
        for (a, b) in zip(run.checkpoints, run.checkpoints.dropFirst()) {
            #expect(b.queries - a.queries <= 2 * 3 * (b.iteration - a.iteration), "seed 4, iteration \(b.iteration)")
        }
        #expect(run.checkpoints.last?.queries ?? 0 > 0)
        #expect(Harness.maxAbs(run.final, problem.reference) > 1e-3)
    }
}
