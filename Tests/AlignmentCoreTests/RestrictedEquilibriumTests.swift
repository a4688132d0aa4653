@testable import AlignmentCore
import Foundation
import Testing

/// The restricted regularised equilibrium of the log-linear class (`RestrictedEquilibriumSolver`):
/// indicator features give π*_τ, a hand case solved with scipy, random features checked by a
/// finite difference of the payoff and by a plain extragradient run written here, the analytic
/// Jacobian against finite differences, and rank-deficient features.
struct RestrictedEquilibriumTests {
    /// A random problem: P with uniform upper-triangle entries, μ softmax-normal (scale 1).
    static func problem(actions n: Int, contexts: Int, seed: UInt64, weights: [Double]? = nil) throws -> Problem {
        let rng = RandomSource(seed: seed)
        let ps = try (0..<contexts).map { _ in try PreferenceMatrix.fromUpperTriangle(size: n) { _, _ in rng.uniform() } }
        let mu = try ReferencePolicy.softmaxNormal(scale: 1, seed: seed &+ 99).make(contexts: contexts, actions: n)
        return try Problem(preferences: ps, reference: mu, isTransitive: false, contextWeights: weights)
    }

    /// max_{x,y} |π(y|x) − ρ(y|x)|.
    static func maxDifference(_ a: Policy, _ b: Policy) -> Double {
        var worst = 0.0
        for x in 0..<a.contexts {
            for (p, q) in zip(a.probabilities(context: x), b.probabilities(context: x)) { worst = max(worst, abs(p - q)) }
        }
        return worst
    }

    /// The symmetric payoff V(θ', θ) = Σ_x w_x [π_θ'ᵀ P_x π_θ − τ KL(π_θ'‖μ)], written out here.
    static func payoff(_ problem: Problem, _ cls: LogLinearPolicyClass, _ thetaPrime: [Double], _ theta: [Double], tau: Double) throws -> Double {
        let a = try cls.policy(thetaPrime), b = try cls.policy(theta)
        var v = 0.0
        for x in 0..<problem.contexts {
            let pa = a.probabilities(context: x), pb = b.probabilities(context: x)
            var s = 0.0, kl = 0.0
            for i in 0..<problem.actions {
                for j in 0..<problem.actions { s += pa[i] * problem.preferences[x][i, j] * pb[j] }
                if pa[i] > 0 { kl += pa[i] * (a.logProbabilities[x][i] - problem.reference.logProbabilities[x][i]) }
            }
            v += problem.contextWeights[x] * (s - tau * kl)
        }
        return v
    }

    /// F(θ) = ∇_θ' V(θ', θ) at θ' = θ, written out here from the definition (A_x with log π/μ).
    static func restrictedGradient(_ problem: Problem, _ features: FeatureMap, _ theta: [Double], tau: Double) throws -> [Double] {
        let pi = try LogLinearPolicyClass(reference: problem.reference, features: features).policy(theta)
        var g = [Double](repeating: 0, count: features.dimension)
        for x in 0..<problem.contexts {
            let p = pi.probabilities(context: x)
            let a = (0..<problem.actions).map { y in
                (0..<problem.actions).reduce(0.0) { $0 + problem.preferences[x][y, $1] * p[$1] }
                    - tau * (pi.logProbabilities[x][y] - problem.reference.logProbabilities[x][y])
            }
            let mean = zip(p, a).reduce(0.0) { $0 + $1.0 * $1.1 }
            for y in 0..<problem.actions {
                let phi = features.feature(context: x, action: y)
                for k in 0..<features.dimension { g[k] += problem.contextWeights[x] * p[y] * (a[y] - mean) * phi[k] }
            }
        }
        return g
    }

    struct IndicatorCase: Sendable, CustomStringConvertible {
        var actions: Int, contexts: Int, seed: UInt64, tau: Double
        var description: String { "n=\(actions) m=\(contexts) seed=\(seed) τ=\(tau)" }
    }

    /// With indicator features the class is every policy on μ's support, so π*_Φ = π*_τ
    /// (`RegularizedEquilibriumSolver`, itself checked against its fixed point to 1e-12): agree
    /// to 1e-10 in every probability.
    @Test(arguments: [
        IndicatorCase(actions: 3, contexts: 1, seed: 1, tau: 0.5),
        IndicatorCase(actions: 5, contexts: 3, seed: 2, tau: 0.1),
        IndicatorCase(actions: 8, contexts: 2, seed: 3, tau: 1.0),
        IndicatorCase(actions: 6, contexts: 4, seed: 4, tau: 0.05),
    ])
    func indicatorFeaturesGiveTheRegularizedEquilibrium(_ c: IndicatorCase) throws {
        let problem = try Self.problem(actions: c.actions, contexts: c.contexts, seed: c.seed)
        let features = FeatureMap(indicatorContexts: c.contexts, actions: c.actions)
        let restricted = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: c.tau)
        let tabular = try RegularizedEquilibriumSolver.solve(problem: problem, tau: c.tau)
        #expect(Self.maxDifference(restricted.policy, tabular) <= 1e-10)
        #expect(restricted.residual <= 1e-12)
    }

    /// Indicator features with a response outside μ's support and unequal context weights: that
    /// response keeps probability 0 and the rest is π*_τ (1e-10).
    @Test func indicatorFeaturesWithAZeroOfMuAndUnequalWeights() throws {
        let rng = RandomSource(seed: 9)
        let ps = try (0..<2).map { _ in try PreferenceMatrix.fromUpperTriangle(size: 4) { _, _ in rng.uniform() } }
        let mu = try Policy(logits: [[0, log(2), -.infinity, log(0.5)], [log(3), 0, 0, 0]])
        let problem = try Problem(preferences: ps, reference: mu, isTransitive: false, contextWeights: [0.7, 0.3])
        let restricted = try RestrictedEquilibriumSolver.solve(problem: problem, features: FeatureMap(indicatorContexts: 2, actions: 4), tau: 0.2)
        let tabular = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.2)
        #expect(restricted.policy.probabilities(context: 0)[2] == 0)
        #expect(Self.maxDifference(restricted.policy, tabular) <= 1e-10)
    }

    /// 1 context, 3 actions, d = 1: μ = (0.5, 0.3, 0.2), P rows (½, 0.8, 0.3), (0.2, ½, 0.9),
    /// (0.7, 0.1, ½), φ = (1, −0.5, 0.25), τ = 0.2. Then F(θ) = Cov_π(Pπ, φ) − τθ Var_π(φ), whose
    /// only sign change on [−20, 20] (scan at step 0.01) is θ* = 0.387907431192113, found with
    /// scipy.optimize.brentq (xtol = rtol = 1e-15) in numpy; π_θ* = (0.6118672632892661,
    /// 0.20516788565316332, 0.18296485105757057). Tolerance 1e-12.
    @Test func handCaseMatchesScipy() throws {
        let (problem, features) = try Self.handCase(columns: [[1.0, -0.5, 0.25]])
        let s = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.2)
        #expect(abs(s.theta[0] - 0.387907431192113) <= 1e-12)
        let expected = [0.6118672632892661, 0.20516788565316332, 0.18296485105757057]
        for (a, b) in zip(s.policy.probabilities(context: 0), expected) { #expect(abs(a - b) <= 1e-12) }
    }

    /// Rank-deficient features span the same class: φ = (φ₁, 2φ₁) and φ = (φ₁, constant) give the
    /// hand case's policy (1e-12), with the minimum-norm θ* = θ₁*·(1, 2)/5 for the first.
    @Test func rankDeficientFeaturesGiveTheSameClass() throws {
        let expected = [0.6118672632892661, 0.20516788565316332, 0.18296485105757057]
        let (p1, f1) = try Self.handCase(columns: [[1.0, -0.5, 0.25], [2.0, -1.0, 0.5]])
        let s1 = try RestrictedEquilibriumSolver.solve(problem: p1, features: f1, tau: 0.2)
        for (a, b) in zip(s1.policy.probabilities(context: 0), expected) { #expect(abs(a - b) <= 1e-12) }
        #expect(abs(s1.theta[0] - 0.387907431192113 / 5) <= 1e-12)
        #expect(abs(s1.theta[1] - 2 * 0.387907431192113 / 5) <= 1e-12)
        let (p2, f2) = try Self.handCase(columns: [[1.0, -0.5, 0.25], [3.0, 3.0, 3.0]])
        let s2 = try RestrictedEquilibriumSolver.solve(problem: p2, features: f2, tau: 0.2)
        for (a, b) in zip(s2.policy.probabilities(context: 0), expected) { #expect(abs(a - b) <= 1e-12) }
    }

    /// Features constant within each context leave only μ in the class: π*_Φ = μ (up to the
    /// renormalisation of log μ, 1e-15).
    @Test func constantFeaturesLeaveTheReference() throws {
        let problem = try Self.problem(actions: 4, contexts: 2, seed: 5)
        let features = try FeatureMap(given: [[[1, 2]] + Array(repeating: [1, 2], count: 3), Array(repeating: [-1, 0.5], count: 4)])
        let s = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.3)
        #expect(Self.maxDifference(s.policy, problem.reference) <= 1e-15)
        #expect(s.theta == [0, 0])
    }

    static func handCase(columns: [[Double]]) throws -> (Problem, FeatureMap) {
        let p = try PreferenceMatrix(rows: [[0.5, 0.8, 0.3], [0.2, 0.5, 0.9], [0.7, 0.1, 0.5]])
        let mu = try Policy(logits: [[log(0.5), log(0.3), log(0.2)]])
        let problem = try Problem(preferences: [p], reference: mu, isTransitive: false)
        let features = try FeatureMap(given: [(0..<3).map { y in columns.map { $0[y] } }])
        return (problem, features)
    }

    /// Random features, 4 contexts × 6 actions, d = 3, τ ∈ {0.5, 0.1}: F(θ*) ≈ 0 by the
    /// definition written here (1e-12); a central difference (h = 1e-5) of V(θ', θ*) in each θ'_k
    /// at θ' = θ* is 0 within 1e-8 (truncation O(h²) ≈ 1e-10, rounding ≈ 1e-16/h); and a plain
    /// extragradient run written here (fixed step 0.5, up to 200,000 steps, stopped at ‖F‖∞ ≤ 1e-13)
    /// reaches the same policy within 1e-9.
    @Test(arguments: [0.5, 0.1])
    func randomFeaturesAgreeWithIndependentChecks(tau: Double) throws {
        let problem = try Self.problem(actions: 6, contexts: 4, seed: 17, weights: [0.1, 0.2, 0.3, 0.4])
        let features = FeatureMap(randomContexts: 4, actions: 6, dimension: 3, seed: 23)
        let cls = try LogLinearPolicyClass(reference: problem.reference, features: features)
        let s = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: tau)
        #expect(try Self.restrictedGradient(problem, features, s.theta, tau: tau).allSatisfy { abs($0) <= 1e-12 })
        let h = 1e-5
        for k in 0..<3 {
            var up = s.theta, down = s.theta
            up[k] += h
            down[k] -= h
            let derivative = (try Self.payoff(problem, cls, up, s.theta, tau: tau) - Self.payoff(problem, cls, down, s.theta, tau: tau)) / (2 * h)
            #expect(abs(derivative) <= 1e-8)
        }
        var theta = [Double](repeating: 0, count: 3)
        for _ in 0..<200_000 {
            let g = try Self.restrictedGradient(problem, features, theta, tau: tau)
            if g.allSatisfy({ abs($0) <= 1e-13 }) { break }
            let mid = zip(theta, g).map { $0 + 0.5 * $1 }
            theta = zip(theta, try Self.restrictedGradient(problem, features, mid, tau: tau)).map { $0 + 0.5 * $1 }
        }
        #expect(try Self.restrictedGradient(problem, features, theta, tau: tau).allSatisfy { abs($0) <= 1e-12 })
        #expect(Self.maxDifference(try cls.policy(theta), s.policy) <= 1e-9)
    }

    /// The analytic Jacobian of the reduced system against central differences of its residual
    /// (h = 1e-6; agreement 1e-7, truncation O(h²) plus rounding ≈ 1e-16/h).
    @Test func jacobianMatchesFiniteDifferences() throws {
        let problem = try Self.problem(actions: 5, contexts: 3, seed: 31, weights: [0.5, 0.25, 0.25])
        let features = FeatureMap(randomContexts: 3, actions: 5, dimension: 4, seed: 37)
        let system = try RestrictedEquilibriumSystem(problem: problem, features: features, tau: 0.3)
        #expect(system.rank == 4)
        let eta = [0.3, -0.7, 0.2, 1.1]
        let jac = system.jacobian(system.evaluate(eta))
        let h = 1e-6
        for b in 0..<4 {
            var up = eta, down = eta
            up[b] += h
            down[b] -= h
            let fu = system.evaluate(up).residual, fd = system.evaluate(down).residual
            for a in 0..<4 { #expect(abs((fu[a] - fd[a]) / (2 * h) - jac[a * 4 + b]) <= 1e-7) }
        }
    }

    /// F vanishes at infinity too: at θ = −60 in the hand case π is nearly pure and ‖F‖∞ < 1e-12,
    /// yet a solve started there must not stop there — it returns θ* (1e-12) or nothing.
    @Test func aFlatPointIsNotARoot() throws {
        let (problem, features) = try Self.handCase(columns: [[1.0, -0.5, 0.25]])
        let system = try RestrictedEquilibriumSystem(problem: problem, features: features, tau: 0.2)
        let unit = system.theta([1])[0]
        let far = [-60 / unit]
        #expect(system.evaluate(far).maxNorm < 1e-12)
        if let eta = RestrictedEquilibriumSolver.solveFrom(far, system: system, tolerance: 1e-12) {
            #expect(abs(system.theta(eta)[0] - 0.387907431192113) <= 1e-12)
        }
    }

    /// The two metrics against π*_Φ (random features as above, τ = 0.1): both 0 at π*_Φ itself
    /// (restricted_gap exactly, the same value subtracted; KL below 1e-15), and at the tabular π*_τ,
    /// whose regularized gap is 0 (below 1e-12), restricted_gap = −G_τ(π*_Φ) < 0.
    @Test func restrictedMetricsAtBothEquilibria() throws {
        let problem = try Self.problem(actions: 6, contexts: 4, seed: 17, weights: [0.1, 0.2, 0.3, 0.4])
        let features = FeatureMap(randomContexts: 4, actions: 6, dimension: 3, seed: 23)
        let restricted = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.1).policy
        let tabular = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1)
        let evaluator = MetricEvaluator(problem: problem, tau: 0.1, restrictedEquilibrium: restricted)
        let atRestricted = evaluator.evaluate(restricted), atTabular = evaluator.evaluate(tabular)
        #expect(try #require(atRestricted["restricted_gap"] ?? nil) == 0)
        #expect(try #require(atRestricted["kl_from_restricted_equilibrium"] ?? nil) <= 1e-15)
        let base = GameMetrics.regularizedGap(problem, restricted, tau: 0.1)
        #expect(base > 1e-3)
        #expect(abs(try #require(atTabular["restricted_gap"] ?? nil) + base) <= 1e-12)
        #expect(try #require(atTabular["kl_from_restricted_equilibrium"] ?? nil) > 0)
    }

    /// τ ≤ 0 is refused.
    @Test func refusesNonPositiveTau() throws {
        let (problem, features) = try Self.handCase(columns: [[1.0, -0.5, 0.25]])
        #expect(throws: AlignmentCoreError.self) { try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0) }
    }

    /// A restricted game with three restricted equilibria: 1 context, 4 actions, μ uniform, P rows
    /// (½, 0.1, 1, 0.6), (0.9, ½, 0.5, 0.8), (0, 0.5, ½, 0.3), (0.4, 0.2, 0.7, ½), φ = (2, −2, ½, 1),
    /// τ = 0.05. F(θ) = Cov_π(Pπ, φ) − τθ Var_π(φ) changes sign three times on [−20, 20] (scan at
    /// step 0.01; roots by scipy.optimize.brentq, xtol = rtol = 1e-15): θ = −1.1123377280873965
    /// (F′ = −0.049), 0.4669138184050863 (F′ = +0.17, repelling for the extragradient ascent) and
    /// 3.3744391403109804 (F′ = −0.0033). From μ (θ = 0, where F < 0) the solver reaches the first
    /// (1e-12); with 8 starts (seed 0x5EED_F1) some start lies beyond the repelling root and reaches
    /// the third, so the solve refuses, naming the non-uniqueness, rather than pick one.
    @Test func severalRestrictedEquilibriaAreRefused() throws {
        let upper = [[0.5, 0.1, 1.0, 0.6], [0.9, 0.5, 0.5, 0.8], [0.0, 0.5, 0.5, 0.3], [0.4, 0.2, 0.7, 0.5]]
        let p = try PreferenceMatrix.fromUpperTriangle(size: 4) { i, j in upper[i][j] }
        let problem = try Problem(preferences: [p], reference: Policy(probabilities: [[0.25, 0.25, 0.25, 0.25]]), isTransitive: false)
        let features = try FeatureMap(given: [[[2], [-2], [0.5], [1]]])
        let one = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.05, starts: 1)
        #expect(abs(one.theta[0] - -1.1123377280873965) <= 1e-12, "θ* from μ: \(one.theta[0])")
        let expected = [0.01053551125841765, 0.9015382652479395, 0.0558828853451819, 0.03204333814846117]
        for (a, b) in zip(one.policy.probabilities(context: 0), expected) { #expect(abs(a - b) <= 1e-12) }
        do {
            _ = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.05, starts: 8, seed: 0x5EED_F1)
            Issue.record("three restricted equilibria, yet the solve (8 starts, seed 0x5EED_F1) returned one")
        } catch let AlignmentCoreError.numericalFailure(_, reason) {
            #expect(reason.contains("restricted equilibrium not unique"), "\(reason)")
        }
    }
}
