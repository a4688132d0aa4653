import AlgorithmTestSupport
import AlignmentCore
import DPO
import Foundation
import Testing

/// The Bradley–Terry-only losses of the DPO family with online pairs (`online = true`, exact
/// feedback: every step descends the population loss with pairs weighted by their law under the
/// current policy π_t, w(a, b) ∝ π_t(a)π_t(b) for a ≠ b) against their stationary points.
///
/// Derivation. A stationary point of the online iteration is a policy π at which the population
/// loss with weights ∝ π(a)π(b) has zero gradient. For a margin loss whose per-pair stationarity
/// condition P_ab f′(βh_ab) = P_ba f′(−βh_ab) has an additive solution (`exponential`: βh_ab =
/// (r_a − r_b)/2; `simpo` with γ = 0: β(log π(a) − log π(b)) = r_a − r_b), every pair is stationary
/// whatever its weight, so the online fixed point is the offline minimiser (DPOFamilyLossTests). With
/// two responses there is one pair and its weight does not matter either (`rpo`, `orpo`, `simpo`
/// with a margin). The truncated square is not additive: its minimiser is the weighted
/// least-squares fit Σ_{b≠a} w_ab(u_a − u_b − t_ab) = 0, t_ab = tanh((r_a − r_b)/2), u = β log π/μ,
/// so online its weights depend on the answer: π solves u = WLS(π(u)), computed here by iterating
/// that map from μ — a different policy from the offline fit (checked, so the test can tell).
struct DPOOnlineFamilyTests {
    static let rewards = DPOFamilyLossTests.rewards
    static let mu = DPOFamilyLossTests.mu

    /// Exact online dpo: Adam, step 0.05 annealed linearly, 6000 steps.
    static func converge(_ problem: Problem, _ parameters: [String: ParameterValue]) throws -> Policy {
        var p = parameters
        p["online"] = .bool(true)
        p["learning_rate"] = .number(0.05)
        p["lr_schedule"] = .string("linear")
        return try Harness.run(DirectPreferenceOptimization.self, p, on: problem, mode: .exact,
                               iterations: 6000, recordEvery: 6000).final
    }

    /// Tolerance 1e-9 on every probability: π ∝ μ·exp(r/(2β)) online as offline.
    @Test(arguments: [0.5, 1.0])
    func exponentialOnline(beta: Double) throws {
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let final = try Self.converge(problem, ["loss": .string("exponential"), "beta": .number(beta)])
        #expect(Harness.maxAbs(final, try Harness.regularisedOptimum(problem, beta: 2 * beta)) < 1e-9)
    }

    /// Tolerance 1e-9 on every probability: π ∝ exp(r/β), whatever μ.
    @Test(arguments: [0.5, 2.0])
    func simpoOnline(beta: Double) throws {
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let final = try Self.converge(problem, ["loss": .string("simpo"), "beta": .number(beta), "target_margin": .number(0)])
        #expect(Harness.maxAbs(final, try Policy(logits: [Self.rewards.map { $0 / beta }])) < 1e-9)
    }

    /// The weighted least-squares fit u (pinned u_0 = 0) with weights w_ab = c_a c_b.
    static func fit(weights c: [Double]) -> [Double] {
        let r = rewards, n = r.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: n - 1), count: n - 1)
        var rhs = [Double](repeating: 0, count: n - 1)
        for a in 1..<n {
            for b in 0..<n where b != a {
                let w = c[a] * c[b]
                m[a - 1][a - 1] += w
                if b > 0 { m[a - 1][b - 1] -= w }
                rhs[a - 1] += w * tanh((r[a] - r[b]) / 2)
            }
        }
        return [0] + DPOFamilyLossTests.solve(m, rhs)
    }

    /// Tolerance 1e-9 on every probability. The self-consistent fit is iterated 500 times from μ
    /// (the map's last change is below 1e-15, checked); its fitted |u_a − u_b| ≤ 1, where the
    /// truncation is inactive.
    @Test(arguments: [0.5, 1.0])
    func truncatedSquareOnlineIsTheSelfConsistentFit(beta: Double) throws {
        let n = Self.rewards.count
        var pi = Self.mu
        var change = Double.infinity
        for _ in 0..<500 {
            let u = Self.fit(weights: pi)
            let logits = (0..<n).map { log(Self.mu[$0]) + u[$0] / beta }
            let next = try Policy(logits: [logits]).probabilities(context: 0)
            change = zip(next, pi).map { abs($0 - $1) }.max()!
            pi = next
        }
        #expect(change < 1e-15, "the fixed-point map did not settle: last change \(change)")
        let u = Self.fit(weights: pi)
        for a in 0..<n { for b in 0..<n { #expect(abs(u[a] - u[b]) <= 1) } }
        let expected = try Policy(probabilities: [pi])
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let final = try Self.converge(problem, ["loss": .string("truncated_square"), "beta": .number(beta)])
        #expect(Harness.maxAbs(final, expected) < 1e-9)
        // The offline fit (weights μ_a μ_b) is a different policy.
        let offline = Self.fit(weights: Self.mu)
        let offlinePolicy = try Policy(logits: [(0..<n).map { log(Self.mu[$0]) + offline[$0] / beta }])
        #expect(Harness.maxAbs(offlinePolicy, expected) > 1e-3)
    }

    /// Two responses, one pair: the online stationary point is the offline minimiser of the same
    /// loss. Compared run against run (online vs offline, the offline ones are checked against their
    /// closed forms in DPOFamilyLossTests), tolerance 1e-9 on every probability.
    @Test(arguments: [
        ["loss": ParameterValue.string("rpo"), "nll_weight": .number(0.5)],
        ["loss": .string("orpo"), "odds_ratio_weight": .number(1)],
        ["loss": .string("simpo"), "target_margin": .number(1.5), "beta": .number(2)],
    ])
    func twoResponsesOnlineEqualsOffline(_ parameters: [String: ParameterValue]) throws {
        let problem = try Harness.bradleyTerry(rewards: [0.8, 0], mu: [0.3, 0.7])
        let online = try Self.converge(problem, parameters)
        let offline = try DPOFamilyLossTests.converge(problem, parameters)
        #expect(Harness.maxAbs(online, offline) < 1e-9)
        // Neither stays at μ.
        #expect(Harness.maxAbs(online, problem.reference) > 1e-2)
    }
}
