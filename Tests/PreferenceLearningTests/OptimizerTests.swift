import AlignmentCore
import Foundation
import PreferenceLearning
import Testing

/// Adam and SGD on the convex quadratic f(θ) = ½ Σ a_i (θ_i − c_i)², gradient a ⊙ (θ − c).
struct OptimizerTests {
    static let a = [1.0, 4.0, 0.25]
    static let c = [1.0, -2.0, 3.0]
    static func gradient(_ t: [Double]) -> [Double] { (0..<3).map { a[$0] * (t[$0] - c[$0]) } }

    @Test func sgdFollowsTheClosedFormIterates() {
        // θ_k − c = (1 − η a)^k (θ_0 − c) exactly in exact arithmetic; 1e-12 allows rounding.
        var opt = GradientDescent(learningRate: 0.2)
        var t = [0.0, 0.0, 0.0]
        for _ in 0..<25 { opt.step(&t, gradient: Self.gradient(t)) }
        for i in 0..<3 {
            let expected = Self.c[i] + pow(1 - 0.2 * Self.a[i], 25) * (0 - Self.c[i])
            #expect(abs(t[i] - expected) < 1e-12)
        }
    }

    @Test func adamFirstStepsMatchHandComputation() {
        // Step 1: m̂ = g, v̂ = g², so each coordinate moves by η·g/(|g| + ε) ≈ η·sign(g).
        var opt = Adam(parameterCount: 3, learningRate: 0.1)
        var t = [0.0, 0.0, 0.0]
        let g1 = Self.gradient(t)
        opt.step(&t, gradient: g1)
        for i in 0..<3 { #expect(abs(t[i] - (-0.1 * g1[i] / (abs(g1[i]) + 1e-8))) < 1e-15) }
        // Step 2 by hand: m = 0.9·0.1·g1 + 0.1·g2, v = 0.999·0.001·g1² + 0.001·g2²,
        // m̂ = m/(1 − 0.81), v̂ = v/(1 − 0.998001).
        let g2 = Self.gradient(t)
        var expected = t
        for i in 0..<3 {
            let m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i]
            let v = 0.999 * 0.001 * g1[i] * g1[i] + 0.001 * g2[i] * g2[i]
            expected[i] -= 0.1 * (m / 0.19) / ((v / (1 - 0.998001)).squareRoot() + 1e-8)
        }
        opt.step(&t, gradient: g2)
        #expect(Fixture.maxAbs(t, expected) < 1e-14)
        #expect(opt.steps == 2)
    }

    @Test func adamConvergesToTheMinimiser() {
        // Constant-step Adam settles within O(η) of the minimiser; with η = 1e-3 after 20,000 steps
        // every coordinate is within 1e-2 (the start is at distance up to 3).
        var opt = Adam(parameterCount: 3, learningRate: 1e-3)
        var t = [0.0, 0.0, 0.0]
        for _ in 0..<20_000 { opt.step(&t, gradient: Self.gradient(t)) }
        #expect(Fixture.maxAbs(t, Self.c) < 1e-2)
    }

    @Test func logitGradientIdentityMatchesFiniteDifferences() throws {
        // ∂ log π(y)/∂θ = e_y − π, checked by central differences (h = 1e-6, tolerance 1e-8).
        var logits = TabularLogits(policy: try Policy(probabilities: [[0.1, 0.6, 0.3]]))
        let pi = logits.probabilities(context: 0)
        for j in 0..<3 {
            let h = 1e-6
            logits.values[j] += h
            let up = logits.logProbabilities(context: 0)[1]
            logits.values[j] -= 2 * h
            let down = logits.logProbabilities(context: 0)[1]
            logits.values[j] += h
            #expect(abs((up - down) / (2 * h) - ((j == 1 ? 1 : 0) - pi[j])) < 1e-8)
        }
        // Re-centring leaves the policy unchanged.
        let before = try logits.policy()
        logits.recentre()
        #expect(Fixture.maxAbs(try logits.policy().logProbabilities[0], before.logProbabilities[0]) < 1e-15)
        #expect(abs(logits.values.reduce(0, +)) < 1e-14)
    }
}
