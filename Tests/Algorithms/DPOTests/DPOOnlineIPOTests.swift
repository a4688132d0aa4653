import AlgorithmTestSupport
import AlignmentCore
import DPO
import Foundation
import Testing

/// Online IPO and IPO-MD (Calandriello et al. 2024) as dpo with loss = ipo, online = true and
/// online_mixture = β_m, against their analytic stationary points.
///
/// Derivation. The IPO loss (h − 1/(2τ))² on a labelled pair, h = log π(y_w)/μ(y_w) − log π(y_l)/μ(y_l),
/// averaged over the label of a pair {a, b} is (h_ab − (2P_ab − 1)/(2τ))² + const = (h_ab − (P_ab − ½)/τ)²
/// + const. With pairs drawn from a law ρ (two independent draws conditioned on being distinct, so
/// weights ∝ ρ(a)ρ(b)), the normal equations of this least-squares problem in g = log π/μ are
/// Σ_b ρ(b)(g_a − g_b − (P_ab − ½)/τ) = 0 for every a in ρ's support, solved by
/// g_a = P(a ≻ ρ)/τ + const. The plugin's exact online mode takes gradient steps on this loss with ρ
/// recomputed from the current policy, so a stationary point satisfies π ∝ μ exp(P ρ(π)/τ):
/// - online IPO, ρ = π: π = π*_τ, the regularised Nash equilibrium (the paper's equivalence of online
///   IPO with Nash-MD's target);
/// - IPO-MD, ρ ∝ π^{1−β_m} μ^{β_m}: the solution of π ∝ μ exp(P ρ(π)/τ), which differs from π*_τ
///   when β_m > 0 (computed below by iterating that map, a contraction here since τ = 1 and
///   |P − ½| ≤ ½).
struct DPOOnlineIPOTests {
    static func problems() throws -> [Problem] {
        [try Harness.rps(mu: [0.5, 0.3, 0.2]), try Harness.random(actions: 5, seed: 7)]
    }

    /// Exact online IPO-MD run: Adam, step 0.05 annealed linearly, 6000 steps.
    static func converge(_ problem: Problem, tau: Double, mixture: Double) throws -> Policy {
        try Harness.run(DirectPreferenceOptimization.self,
                        ["loss": .string("ipo"), "beta": .number(tau), "online": .bool(true), "online_mixture": .number(mixture),
                         "learning_rate": .number(0.05), "lr_schedule": .string("linear")],
                        on: problem, mode: .exact, iterations: 6000, recordEvery: 6000).final
    }

    /// The solution of π ∝ μ exp(P ρ(π)/τ), ρ ∝ π^{1−β}μ^β, by 5000 iterations of the map from μ.
    static func mixtureFixedPoint(_ problem: Problem, tau: Double, mixture: Double) throws -> Policy {
        let mu = problem.reference.probabilities(context: 0), p = problem.preferences[0], n = mu.count
        var pi = mu
        for _ in 0..<5000 {
            var rho = (0..<n).map { pow(pi[$0], 1 - mixture) * pow(mu[$0], mixture) }
            let zr = rho.reduce(0, +)
            rho = rho.map { $0 / zr }
            let w = (0..<n).map { a in mu[a] * exp((0..<n).reduce(0) { $0 + p[a, $1] * rho[$1] } / tau) }
            let z = w.reduce(0, +)
            pi = w.map { $0 / z }
        }
        return try Policy(probabilities: [pi])
    }

    @Test func onlineIPOReachesTheRegularisedNashEquilibrium() throws {
        // ρ = π: the stationary point is π*_τ (harness solver). τ = 1; tolerance 1e-8 on every probability.
        for problem in try Self.problems() {
            let final = try Self.converge(problem, tau: 1, mixture: 0)
            #expect(Harness.maxAbs(final, try RegularizedEquilibriumSolver.solve(problem: problem, tau: 1)) < 1e-8)
        }
    }

    @Test(arguments: [0.3, 0.7])
    func ipoMDReachesItsMixtureFixedPointNotTheRegularisedEquilibrium(mixture: Double) throws {
        // ρ ∝ π^{1−β_m}μ^{β_m}: the stationary point solves π ∝ μ exp(Pρ(π)/τ) (tolerance 1e-8 on every
        // probability, both games). On RPS it is not π*_τ: numpy, same map, gives a largest difference of
        // 3.6e-3 (β_m = 0.3) and 8.6e-3 (β_m = 0.7) from π*_1, checked > 2e-3.
        for (index, problem) in try Self.problems().enumerated() {
            let expected = try Self.mixtureFixedPoint(problem, tau: 1, mixture: mixture)
            let final = try Self.converge(problem, tau: 1, mixture: mixture)
            #expect(Harness.maxAbs(final, expected) < 1e-8)
            if index == 0 {
                #expect(Harness.maxAbs(expected, try RegularizedEquilibriumSolver.solve(problem: problem, tau: 1)) > 2e-3)
            }
        }
    }

    @Test func mixtureNeedsOnlinePairs() throws {
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["online_mixture": .number(0.5)]) }
        #expect(throws: AlignmentCoreError.self) {
            try DirectPreferenceOptimization.make(["online": .bool(true), "online_mixture": .number(1.5)])
        }
    }

    @Test func sampledIPOMDSpendsOneLabelPerPair() throws {
        // 32 labelled pairs from the mixture per iteration: 25 iterations cost 800 labels.
        let problem = try Harness.rps(mu: [0.5, 0.3, 0.2])
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["loss": .string("ipo"), "online": .bool(true), "online_mixture": .number(0.5), "batch_size": .number(32)],
                                  on: problem, mode: .sampled, iterations: 25, recordEvery: 5)
        #expect(run.queries == 800)
    }
}
