import AlignmentCore
import Foundation
import Testing

/// The log-linear parameterisation π_θ ∝ μ·exp(θᵀφ) and its chain rule ∇_θ J = Σ g(x, y) φ(x, y).
struct LogLinearPolicyClassTests {
    /// Hand-computed: one context, μ = (½, ½), φ(0) = [1], φ(1) = [−1], θ = [ln 2 / 2]. Logits
    /// ln ½ ± ln 2 / 2 give π = (2^{1/2}, 2^{−1/2}) / (2^{1/2} + 2^{−1/2}) = (2/3, 1/3). For
    /// J = log π(0) = log σ(2θ) the logit gradient is e_0 − π = (1/3, −1/3), and
    /// dJ/dθ = 2(1 − σ(2θ)) = 2/3 = (1/3)(1) + (−1/3)(−1). Tolerance 1e-15.
    @Test func handComputedCase() throws {
        let mu = try Policy(probabilities: [[0.5, 0.5]])
        let c = try LogLinearPolicyClass(reference: mu, features: FeatureMap(given: [[[1], [-1]]]))
        let theta = [log(2.0) / 2]
        let pi = try c.policy(theta).probabilities(context: 0)
        #expect(abs(pi[0] - 2.0 / 3) < 1e-15 && abs(pi[1] - 1.0 / 3) < 1e-15, "\(pi)")
        let g = c.parameterGradient(logitGradient: [1 - pi[0], -pi[1]])
        #expect(g.count == 1 && abs(g[0] - 2.0 / 3) < 1e-15, "\(g)")
    }

    /// Finite differences: 2 contexts × 3 actions, d = 2 given features, μ non-uniform, weights
    /// w = (0.3, 0.7) and J(θ) = Σ_x w_x Σ_y c(x, y) log π_θ(y|x), whose logit gradient is
    /// g(x, y) = w_x (c(x, y) − (Σ_y' c(x, y')) π_θ(y|x)). ∇_θ J = Φᵀg must equal the central
    /// difference (J(θ + h e_k) − J(θ − h e_k)) / 2h, h = 1e-5, within 1e-8 (truncation O(h²) ≈ 1e-10,
    /// rounding ≈ 1e-16/h ≈ 1e-11).
    @Test func gradientMatchesFiniteDifferences() throws {
        let mu = try Policy(probabilities: [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]])
        let phi: [[[Double]]] = [[[1, 0.5], [-0.3, 2], [0.7, -1.1]], [[0.2, 0.2], [1.5, -0.4], [-0.9, 0.8]]]
        let c = try LogLinearPolicyClass(reference: mu, features: FeatureMap(given: phi))
        let w = [0.3, 0.7]
        let counts: [[Double]] = [[2, 1, 0.5], [0, 3, 1]]
        func objective(_ theta: [Double]) throws -> Double {
            let p = try c.policy(theta)
            var j = 0.0
            for x in 0..<2 { for y in 0..<3 { j += w[x] * counts[x][y] * p.logProbabilities[x][y] } }
            return j
        }
        let theta = [0.4, -0.25]
        let p = try c.policy(theta)
        var g: [Double] = []
        for x in 0..<2 {
            let total = counts[x].reduce(0, +)
            for y in 0..<3 { g.append(w[x] * (counts[x][y] - total * exp(p.logProbabilities[x][y]))) }
        }
        let analytic = c.parameterGradient(logitGradient: g)
        let h = 1e-5
        for k in 0..<2 {
            var up = theta, down = theta
            up[k] += h
            down[k] -= h
            let numeric = (try objective(up) - objective(down)) / (2 * h)
            #expect(abs(analytic[k] - numeric) < 1e-8, "k = \(k): \(analytic[k]) vs \(numeric)")
        }
    }

    /// θ = 0 is μ (log-probabilities within 1e-15; logsumexp of a normalised row is 0 up to an
    /// ulp), and a response outside μ's support keeps logit −∞ (probability exactly 0).
    @Test func zeroParametersAreTheReference() throws {
        let mu = try Policy(probabilities: [[0.5, 0.5, 0], [0.2, 0.3, 0.5]])
        let c = try LogLinearPolicyClass(reference: mu, features: FeatureMap(randomContexts: 2, actions: 3, dimension: 2, seed: 4))
        let at0 = try c.policy([0, 0]).logProbabilities.flatMap { $0 }
        for (a, b) in zip(at0, mu.logProbabilities.flatMap { $0 }) {
            #expect(a == b || abs(a - b) < 1e-15, "\(a) vs \(b)")
        }
        #expect(try c.policy([3, -2]).probabilities(context: 0)[2] == 0)
    }

    /// Indicator features: Φθ = θ and Φᵀg = g exactly, d = contexts × actions, φ(x, y) = e_{(x,y)}.
    @Test func indicatorFeaturesAreTheIdentity() {
        let f = FeatureMap(indicatorContexts: 2, actions: 3)
        #expect(f.dimension == 6 && f.isIndicator)
        let v = [0.1, -2, 3.5, 0, 1e-300, 7]
        #expect(f.scores(v) == v && f.transposeTimes(v) == v)
        #expect(f.feature(context: 1, action: 0) == [0, 0, 0, 1, 0, 0])
    }

    /// Random features: the same seed gives the same bits, another seed other values; the entries
    /// are standard normal (mean within 4.5 standard errors of 0 and variance within 0.05 of 1 over
    /// 40,000 draws: the variance's standard error is √(2/n) ≈ 0.007).
    @Test func randomFeaturesAreReproducible() {
        let a = FeatureMap(randomContexts: 2, actions: 4, dimension: 3, seed: 11)
        let b = FeatureMap(randomContexts: 2, actions: 4, dimension: 3, seed: 11)
        let c = FeatureMap(randomContexts: 2, actions: 4, dimension: 3, seed: 12)
        #expect(a == b && a != c)
        let big = FeatureMap(randomContexts: 100, actions: 40, dimension: 10, seed: 5).values!
        let n = Double(big.count)
        let mean = big.reduce(0, +) / n
        let variance = big.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean) < 4.5 / n.squareRoot() && abs(variance - 1) < 0.05, "mean \(mean), variance \(variance)")
    }

    /// Given features are refused when ragged, empty or not finite, and when they do not fit μ.
    @Test func badGivenFeaturesAreRefused() throws {
        #expect(throws: AlignmentCoreError.self) { try FeatureMap(given: [[[1, 2], [3]]]) }
        #expect(throws: AlignmentCoreError.self) { try FeatureMap(given: [[[1]], [[1], [2]]]) }
        #expect(throws: AlignmentCoreError.self) { try FeatureMap(given: [[[.nan]]]) }
        #expect(throws: AlignmentCoreError.self) { try FeatureMap(given: []) }
        let mu = try Policy(probabilities: [[0.5, 0.5]])
        #expect(throws: AlignmentCoreError.self) { try LogLinearPolicyClass(reference: mu, features: FeatureMap(given: [[[1], [2], [3]]])) }
    }
}
