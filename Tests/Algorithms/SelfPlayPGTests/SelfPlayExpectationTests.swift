import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
import SelfPlayPG

/// The exact-expectation form of `self-play-pg` against its derivation.
///
/// Derivation (one context, one epoch, ρ = 1). Draw y_1…y_G i.i.d. from π, label each pair once,
/// r_i = Σ_{j≠i} z_ij/(G − 1), s_i = e_{y_i} − π, p = Pπ, ℓ = log(π/μ). Since E[s_i] = 0:
///  - E[r_i s_i] = Σ_y π(y) p(y)(e_y − π) = π⊙(p − πᵀp) = π⊙(p − ½), because πᵀPπ = ½ (P + Pᵀ = 1).
///  - Every pair contributes one win, so Σ_i r_i = G/2: mean r = ½ in every group. Hence
///    dr-grpo's A_i = r_i − ½ has E[A_i s_i] = π⊙(p − ½), and RLOO's
///    A_i = r_i − (G/2 − r_i)/(G − 1) = G/(G−1)·(r_i − ½) has E[A_i s_i] = G/(G−1)·π⊙(p − ½)
///    (its baseline contains the games against y_i, so it is not independent of y_i).
///  - KL in the reward, r̃_i = r_i − βℓ(y_i): E[ℓ(y_i) s_i] = π⊙(ℓ − πᵀℓ) =: h and E[ℓ(y_j) s_i] = 0
///    for j ≠ i. spo (A = r̃) gets −βh; rloo's leave-one-out baseline is independent of y_i, so −βh;
///    dr-grpo's mean includes y_i's own penalty: −β(1 − 1/G)h.
///  - k3 in the loss: ∇_θ k3(y) = (1 − μ(y)/π(y)) s_y, so E = Σ_y (π(y) − μ(y))(e_y − π) = π − μ,
///    and the ascent direction gets −β(π − μ) (the gradient of KL(μ‖π)).
/// The gradient is a·π⊙(p − ½) − b·β·h with (a, b) = spo (1, 1), rloo (G/(G−1), 1), dr-grpo
/// (1, (G−1)/G); stationary points with β > 0 satisfy a(p − ½) − bβℓ = const, i.e. π ∝ μ exp(Pπ/τ)
/// with τ = bβ/a: τ = β for spo and τ = β(G−1)/G for rloo and dr-grpo.
struct SelfPlayExpectationTests {
    static let estimators = ["spo", "rloo", "dr-grpo"]

    /// The plugin's exact gradient equals the expectation of the sampled estimator, computed here by
    /// enumerating every group (3³ = 27 for n = 3, G = 3) and every labelling of its three pairs
    /// (2³) with their probabilities, with rewards, advantages and score functions written out
    /// independently — and equals the closed form derived above. π = (0.5, 0.2, 0.3) ≠ μ, so the
    /// KL terms are non-zero; game `random` n = 3 (seed 5), β = 0.3. Tolerance 1e-14.
    @Test(arguments: estimators, ["reward", "k3"])
    func exactGradientIsTheExpectedSampledGradient(advantage: String, kl: String) throws {
        let problem = try Harness.random(actions: 3, seed: 5)
        let P = problem.preferences[0]
        let mu = problem.reference.probabilities(context: 0)
        let pi = [0.5, 0.2, 0.3]
        let (g, n, beta) = (3, 3, 0.3)
        let ell = (0..<n).map { log(pi[$0] / mu[$0]) }
        var expected = [Double](repeating: 0, count: n)
        for t in 0..<(n * n * n) {
            let ys = [t % n, (t / n) % n, t / (n * n)]
            let pairs = [(0, 1), (0, 2), (1, 2)]
            for labels in 0..<8 {
                var prob = ys.reduce(1.0) { $0 * pi[$1] }
                var wins = [0.0, 0.0, 0.0]
                for (k, (i, j)) in pairs.enumerated() {
                    let iWins = (labels >> k) & 1 == 1
                    prob *= iWins ? P[ys[i], ys[j]] : 1 - P[ys[i], ys[j]]
                    wins[iWins ? i : j] += 1
                }
                let r = (0..<g).map { wins[$0] / Double(g - 1) - (kl == "reward" ? beta * ell[ys[$0]] : 0) }
                let mean = r.reduce(0, +) / Double(g)
                let a: [Double] = (0..<g).map { i in
                    switch advantage {
                    case "spo": return r[i]
                    case "rloo": return r[i] - (r.reduce(0, +) - r[i]) / Double(g - 1)
                    default: return r[i] - mean
                    }
                }
                for i in 0..<g {
                    let k3 = kl == "k3" ? beta * (1 - mu[ys[i]] / pi[ys[i]]) : 0
                    for y in 0..<n {
                        let score = (y == ys[i] ? 1 : 0) - pi[y]
                        expected[y] += prob * (a[i] - k3) * score / Double(g)
                    }
                }
            }
        }
        let plugin = try SelfPlayPolicyGradient.make(["advantage": .string(advantage), "kl": .string(kl),
                                                      "group_size": .number(3), "beta": .number(beta)])
        let oracle = FeedbackOracle(problem: problem, mode: .exact, queryBudget: nil, rng: RandomSource(seed: 1))
        let logPi = pi.map { log($0) }
        let logMu = mu.map { log($0) }
        let got = plugin.gradient(try plugin.exactBatch(logPi: logPi, logMu: logMu, context: 0, oracle: oracle),
                                  logPi: logPi, logMu: logMu)
        let p = P.times(pi)
        let h = (0..<n).map { pi[$0] * (ell[$0] - zip(pi, ell).reduce(0) { $0 + $1.0 * $1.1 }) }
        let (sa, sb) = advantage == "rloo" ? (1.5, 1.0) : advantage == "dr-grpo" ? (1.0, 2.0 / 3) : (1.0, 1.0)
        let closed = (0..<n).map { y in
            sa * pi[y] * (p[y] - 0.5) - (kl == "reward" ? sb * beta * h[y] : beta * (pi[y] - mu[y]))
        }
        for y in 0..<n {
            #expect(abs(got[y] - expected[y]) < 1e-14, "y = \(y): plugin \(got[y]), enumeration \(expected[y])")
            #expect(abs(closed[y] - expected[y]) < 1e-14, "y = \(y): closed form \(closed[y]), enumeration \(expected[y])")
        }
    }

    /// Two exact steps by the closed form: θ_1 = log μ + lr·a·μ⊙(Pμ − ½) (ℓ = 0 at μ), then
    /// θ_2 = θ_1 + lr·(a·π_1⊙(Pπ_1 − ½) − bβ·π_1⊙(ℓ_1 − π_1ᵀℓ_1)); G = 4, lr = 2, β = 0.25, on
    /// `random` n = 5 (seed 11). Tolerance 1e-12 in every probability.
    @Test(arguments: estimators)
    func twoExactStepsByTheFormula(advantage: String) throws {
        let problem = try Harness.random(actions: 5, seed: 11)
        let P = problem.preferences[0]
        let (lr, beta) = (2.0, 0.25)
        let (a, b) = advantage == "rloo" ? (4.0 / 3, 1.0) : advantage == "dr-grpo" ? (1.0, 0.75) : (1.0, 1.0)
        let logMu = problem.reference.logProbabilities[0]
        func softmax(_ t: [Double]) -> [Double] { let m = t.max()!; let e = t.map { exp($0 - m) }; let z = e.reduce(0, +); return e.map { $0 / z } }
        var theta = logMu
        var policies: [[Double]] = []
        for _ in 0..<2 {
            let pi = softmax(theta)
            let p = P.times(pi)
            let ell = (0..<5).map { log(pi[$0]) - logMu[$0] }
            let mean = zip(pi, ell).reduce(0) { $0 + $1.0 * $1.1 }
            for y in 0..<5 { theta[y] += lr * (a * pi[y] * (p[y] - 0.5) - b * beta * pi[y] * (ell[y] - mean)) }
            policies.append(softmax(theta))
        }
        let run = try Harness.run(SelfPlayPolicyGradient.self, ["advantage": .string(advantage), "group_size": .number(4),
                                                                "learning_rate": .number(lr), "beta": .number(beta)],
                                  on: problem, iterations: 2)
        for t in 1...2 {
            let got = run.checkpoints.first { $0.iteration == t }!.policy.probabilities(context: 0)
            for y in 0..<5 { #expect(abs(got[y] - policies[t - 1][y]) < 1e-12, "iteration \(t), y = \(y)") }
        }
    }

    /// Fixed points on `random` n = 6 (seed 3), β = 0.2, G = 4, lr = 5, 3000 exact iterations: spo
    /// reaches π*_β, rloo and dr-grpo reach π*_τ with τ = β(G−1)/G = 0.15 (π*_τ from the harness's
    /// `RegularizedEquilibriumSolver`, accurate to ≈ 1e-12); max probability error below 1e-9 (numpy
    /// on a game of the same size: 4e-16 after 2000). rloo and dr-grpo stay more than 1e-2 away from
    /// π*_β (numpy: 0.06), so β is not their τ.
    @Test(arguments: estimators)
    func convergesToTheRegularizedEquilibrium(advantage: String) throws {
        let problem = try Harness.random(actions: 6, seed: 3)
        let beta = 0.2
        let tau = advantage == "spo" ? beta : beta * 3 / 4
        let run = try Harness.run(SelfPlayPolicyGradient.self, ["advantage": .string(advantage), "group_size": .number(4),
                                                                "learning_rate": .number(5), "beta": .number(beta)],
                                  on: problem, iterations: 3000, recordEvery: 3000)
        let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        #expect(Harness.maxAbs(run.final, star) < 1e-9)
        if advantage != "spo" {
            let starBeta = try RegularizedEquilibriumSolver.solve(problem: problem, tau: beta)
            #expect(Harness.maxAbs(run.final, starBeta) > 1e-2)
        }
    }

    /// With the KL as k3 in the loss the fixed point solves π⊙(Pπ − ½) = β(π − μ) (dr-grpo, a = 1):
    /// residual below 1e-12 after 3000 exact iterations (lr = 5, β = 0.2, `random` n = 6, seed 3),
    /// and it is more than 1e-3 from π*_β.
    @Test func k3FixedPointIsNotPiStar() throws {
        let problem = try Harness.random(actions: 6, seed: 3)
        let run = try Harness.run(SelfPlayPolicyGradient.self, ["advantage": .string("dr-grpo"), "kl": .string("k3"),
                                                                "learning_rate": .number(5), "beta": .number(0.2)],
                                  on: problem, iterations: 3000, recordEvery: 3000)
        let pi = run.final.probabilities(context: 0)
        let mu = problem.reference.probabilities(context: 0)
        let p = problem.preferences[0].times(pi)
        for y in 0..<6 { #expect(abs(pi[y] * (p[y] - 0.5) - 0.2 * (pi[y] - mu[y])) < 1e-12) }
        #expect(Harness.maxAbs(run.final, try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.2)) > 1e-3)
    }
}
