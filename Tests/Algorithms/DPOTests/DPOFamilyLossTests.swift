import AlgorithmTestSupport
import AlignmentCore
import DPO
import Foundation
import Testing

/// The Bradley–Terry-only losses of the DPO family (GPO exponential and truncated square, SimPO,
/// RPO, ORPO) against their population minimisers, derived here for the tabular softmax policy.
///
/// Setting of every test: exact feedback, offline, so each step descends the population loss
/// Σ_{a≠b} W(a, b) L(a ≻ b) with W(a, b) = 2q(a, b)·P(a ≻ b), q(a, b) ∝ μ(a)μ(b) the law of a pair of
/// distinct responses from μ and P(a ≻ b) = σ(r_a − r_b). Per unordered pair {a, b} the loss is
/// 2q(a, b)[P_ab L(a ≻ b) + P_ba L(b ≻ a)]. With h_ab = log π(a)/μ(a) − log π(b)/μ(b) a margin loss
/// f(βh) has the per-pair stationarity condition P_ab f′(βh) = P_ba f′(−βh); when the per-pair
/// solutions are additive (h_ac = h_ab + h_bc) they are the population minimiser. With two
/// responses there is a single pair (weight 1) and the minimiser is a 1-D root.
struct DPOFamilyLossTests {
    static let rewards = [1.0, 0.0, -0.5, 2.0]
    static let mu = [0.1, 0.4, 0.3, 0.2]

    /// Runs dpo with `loss` in exact offline mode (Adam, step 0.05 annealed linearly, 6000 steps).
    static func converge(_ problem: Problem, _ parameters: [String: ParameterValue]) throws -> Policy {
        var p = parameters
        p["learning_rate"] = .number(0.05)
        p["lr_schedule"] = .string("linear")
        return try Harness.run(DirectPreferenceOptimization.self, p, on: problem, mode: .exact,
                               iterations: 6000, recordEvery: 6000).final
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// The root of an increasing function on [−60, 60] by bisection (200 halvings).
    static func bisect(_ f: (Double) -> Double) -> Double {
        var lo = -60.0, hi = 60.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if f(mid) < 0 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The two-response policy with log π(0) − log π(1) = z.
    static func twoResponses(_ z: Double) throws -> Policy {
        try Policy(probabilities: [[sigmoid(z), sigmoid(-z)]])
    }

    @Test(arguments: [0.5, 1.0])
    func exponentialLossReachesHalfTheRewardOverBeta(beta: Double) throws {
        // GPO exponential f(ρ) = e^{−ρ}: P e^{−βh} = (1 − P) e^{βh} ⇔ e^{2βh} = P/(1 − P) = e^{r_a − r_b}
        // ⇔ βh_ab = (r_a − r_b)/2, additive, so π* = μ·exp(r/(2β))/Z — the DPO optimum at 2β.
        // Tolerance 1e-9 on every probability.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let final = try Self.converge(problem, ["loss": .string("exponential"), "beta": .number(beta)])
        #expect(Harness.maxAbs(final, try Harness.regularisedOptimum(problem, beta: 2 * beta)) < 1e-9)
    }

    @Test(arguments: [0.5, 1.0])
    func truncatedSquareLossIsTheWeightedLeastSquaresFit(beta: Double) throws {
        // GPO truncated square f(ρ) = max(0, 1 − ρ)². Where |βh| ≤ 1 both branches are active and
        // P(1 − βh)² + (1 − P)(1 + βh)² = (βh − (2P − 1))² + const, so with u_a = β log π(a)/μ(a) the
        // population loss is Σ_{a<b} μ_a μ_b (u_a − u_b − t_ab)² + const with t_ab = 2P_ab − 1 =
        // tanh((r_a − r_b)/2) — not additive, so the minimiser is the weighted least-squares fit:
        // Σ_{b≠a} μ_a μ_b (u_a − u_b − t_ab) = 0 for every a, pinned at u_0 = 0 (solved below by
        // Gaussian elimination). It is the minimiser of the true (truncated) loss because every fitted
        // |u_a − u_b| ≤ 1 (checked), where the truncation is inactive and the loss convex.
        // Tolerance 1e-9 on every probability.
        let r = Self.rewards, mu = Self.mu, n = r.count
        func t(_ a: Int, _ b: Int) -> Double { tanh((r[a] - r[b]) / 2) }
        var m = [[Double]](repeating: [Double](repeating: 0, count: n - 1), count: n - 1)
        var rhs = [Double](repeating: 0, count: n - 1)
        for a in 1..<n {
            for b in 0..<n where b != a {
                let c = mu[a] * mu[b]
                m[a - 1][a - 1] += c
                if b > 0 { m[a - 1][b - 1] -= c }
                rhs[a - 1] += c * t(a, b)
            }
        }
        let u = [0] + Self.solve(m, rhs)
        for a in 0..<n { for b in 0..<n { #expect(abs(u[a] - u[b]) <= 1) } }
        let expected = try Policy(logits: [(0..<n).map { log(mu[$0]) + u[$0] / beta }])
        let problem = try Harness.bradleyTerry(rewards: r, mu: mu)
        let final = try Self.converge(problem, ["loss": .string("truncated_square"), "beta": .number(beta)])
        #expect(Harness.maxAbs(final, expected) < 1e-9)
        // Not the per-pair solution: the fit differs from u_0 − u_1 = t_01 (so the test can tell).
        #expect(abs((u[0] - u[1]) - t(0, 1)) > 1e-3)
    }

    @Test(arguments: [[0.1, 0.4, 0.3, 0.2], [0.25, 0.25, 0.25, 0.25]], [0.5, 2.0])
    func simpoWithoutMarginIgnoresTheReference(mu: [Double], beta: Double) throws {
        // SimPO with γ = 0 and one-token responses: −log σ(β(log π(a) − log π(b))) is the DPO loss
        // with μ uniform, so βh_ab = r_a − r_b is additive and π* = exp(r/β)/Z whatever μ the pairs
        // come from. Tolerance 1e-9 on every probability.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: mu)
        let final = try Self.converge(problem, ["loss": .string("simpo"), "beta": .number(beta), "target_margin": .number(0)])
        let expected = try Policy(logits: [Self.rewards.map { $0 / beta }])
        #expect(Harness.maxAbs(final, expected) < 1e-9)
    }

    @Test(arguments: [0.5, 1.5], [0.5, 2.0])
    func simpoMarginHasItsClosedForm(gamma: Double, beta: Double) throws {
        // Two responses, rewards (0.8, 0), z = log π(0) − log π(1), u = βz, P = σ(0.8), k = e^{−γ}:
        // ∂/∂u [P log(1 + e^{γ−u}) + (1 − P) log(1 + e^{γ+u})] = −Pσ(γ − u) + (1 − P)σ(γ + u) = 0.
        // With e = e^u, σ(γ − u) = 1/(1 + ek) and σ(γ + u) = e/(e + k), so
        // (1 − P)k e² + (1 − 2P)e − Pk = 0 ⇒ e = [(2P − 1) + √((1 − 2P)² + 4P(1 − P)k²)] / (2(1 − P)k)
        // (γ = 0 gives e = P/(1 − P), the DPO value). μ = (0.3, 0.7) does not enter.
        // Tolerance 1e-9 on every probability.
        let p = Self.sigmoid(0.8), k = exp(-gamma)
        let e = ((2 * p - 1) + ((1 - 2 * p) * (1 - 2 * p) + 4 * p * (1 - p) * k * k).squareRoot()) / (2 * (1 - p) * k)
        let problem = try Harness.bradleyTerry(rewards: [0.8, 0], mu: [0.3, 0.7])
        let final = try Self.converge(problem, ["loss": .string("simpo"), "beta": .number(beta), "target_margin": .number(gamma)])
        #expect(Harness.maxAbs(final, try Self.twoResponses(log(e) / beta)) < 1e-9)
        // The margin moves the answer beyond the γ = 0 optimum z = 0.8/β.
        #expect(log(e) / beta > 0.8 / beta + 0.05)
    }

    @Test(arguments: [0.5, 2.0], [0.5, 1.0])
    func rpoBalancesTheMarginAndTheLikelihood(alpha: Double, beta: Double) throws {
        // RPO on two responses, rewards (0.8, 0), μ = (0.3, 0.7), m = log(0.3/0.7), z = log π(0)/π(1):
        // L(z) = P[softplus(−β(z − m)) − α log σ(z)] + (1 − P)[softplus(β(z − m)) − α log σ(−z)],
        // L′(z) = β(σ(β(z − m)) − P) + α(σ(z) − P), increasing in z: the minimiser is its root, found by
        // bisection. Tolerance 1e-9 on every probability.
        let p = Self.sigmoid(0.8), m = log(0.3 / 0.7)
        let z = Self.bisect { z in beta * (Self.sigmoid(beta * (z - m)) - p) + alpha * (Self.sigmoid(z) - p) }
        let problem = try Harness.bradleyTerry(rewards: [0.8, 0], mu: [0.3, 0.7])
        let final = try Self.converge(problem, ["loss": .string("rpo"), "beta": .number(beta), "nll_weight": .number(alpha)])
        #expect(Harness.maxAbs(final, try Self.twoResponses(z)) < 1e-9)
        // Differs from DPO's z = m + 0.8/β (the NLL pulls towards the label frequency P).
        #expect(abs(z - (m + 0.8 / beta)) > 1e-2)
    }

    @Test(arguments: [0.1, 1.0], [0.8, -1.2])
    func orpoBalancesTheOddsRatioAndTheLikelihood(lambda: Double, reward: Double) throws {
        // ORPO on two responses, rewards (r, 0), P = σ(r), z = log π(0)/π(1) = logit π(0). The log odds
        // ratio of (0 ≻ 1) is logit π(0) − logit π(1) = 2z, so
        // L(z) = P[−log σ(z) + λ softplus(−2z)] + (1 − P)[−log σ(−z) + λ softplus(2z)],
        // L′(z) = (σ(z) − P) + 2λ(σ(2z) − P), increasing: bisection. μ = (0.3, 0.7) does not enter.
        // Tolerance 1e-9 on every probability.
        let p = Self.sigmoid(reward)
        let z = Self.bisect { z in (Self.sigmoid(z) - p) + 2 * lambda * (Self.sigmoid(2 * z) - p) }
        let problem = try Harness.bradleyTerry(rewards: [reward, 0], mu: [0.3, 0.7])
        let final = try Self.converge(problem, ["loss": .string("orpo"), "odds_ratio_weight": .number(lambda)])
        #expect(Harness.maxAbs(final, try Self.twoResponses(z)) < 1e-9)
        #expect(abs(z - reward) > 1e-2)  // not the maximum-likelihood z = r of the NLL alone
    }

    /// Solves a x = b by Gaussian elimination with partial pivoting.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var a = a, b = b
        let n = b.count
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, p)
            b.swapAt(k, p)
            for i in (k + 1)..<n {
                let f = a[i][k] / a[k][k]
                for j in k..<n { a[i][j] -= f * a[k][j] }
                b[i] -= f * b[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            x[i] = (b[i] - ((i + 1)..<n).reduce(0) { $0 + a[i][$1] * x[$1] }) / a[i][i]
        }
        return x
    }
}
