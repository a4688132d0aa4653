import AlignmentCore
import Foundation
import Testing

/// The regularized equilibrium solver: fixed point, limits in τ, analytic bounds, and agreement
/// with an independent long run of small damped steps.
struct EquilibriaRegularizedTests {
    static func problem(n: Int, seed: UInt64, contexts: Int = 1, muScale: Double = 1) throws -> Problem {
        let rng = RandomSource(seed: seed)
        let ps = try (0..<contexts).map { _ in try PreferenceMatrix.fromUpperTriangle(size: n) { _, _ in rng.uniform() } }
        let mu = try ReferencePolicy.softmaxNormal(scale: muScale, seed: seed &+ 99).make(contexts: contexts, actions: n)
        return try Problem(preferences: ps, reference: mu, isTransitive: false)
    }

    /// max_x,y |π(y|x) − BR_τ(π)(y|x)|.
    static func fixedPointError(_ problem: Problem, _ pi: Policy, tau: Double) throws -> Double {
        let br = try GameMetrics.regularizedBestResponse(problem, pi, tau: tau)
        var worst = 0.0
        for x in 0..<problem.contexts {
            for (a, b) in zip(pi.probabilities(context: x), br.probabilities(context: x)) { worst = max(worst, abs(a - b)) }
        }
        return worst
    }

    @Test(arguments: [2.0, 0.5, 0.1, 0.01, 1e-3])
    func fixedPointHolds(tau: Double) throws {
        let problem = try Self.problem(n: 10, seed: 11, contexts: 3)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        #expect(pi.isDistribution(tolerance: 1e-12))
        // π*_τ = BR_τ(π*_τ): probabilities agree to 1e-12.
        let residual = try Self.fixedPointError(problem, pi, tau: tau)
        #expect(residual < 1e-12)
        // Polished until the regularized gap is below 1e-12.
        #expect(GameMetrics.regularizedGap(problem, pi, tau: tau) < 1e-12)
    }

    @Test func closedFormOnRockPaperScissors() throws {
        // With uniform μ, uniform π gives Pπ = ½·1, so BR_τ(uniform) = uniform: π*_τ is uniform for
        // every τ (tolerance 1e-14).
        let rps = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        let problem = try Problem(preferences: [rps], reference: .uniform(contexts: 1, actions: 3), isTransitive: false)
        for tau in [1.0, 0.1, 1e-3] {
            let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            for v in pi.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) < 1e-14) }
        }
    }

    @Test func approachesTheReferenceAsTauGrows() throws {
        // π*_τ ∝ μ·exp(Pπ/τ) with Pπ ∈ [0, 1], so π/μ ∈ [e^{−1/τ}, e^{1/τ}] and
        // TV(π*_τ, μ) ≤ ½(e^{1/τ} − 1) → 0 (a hand bound; checked with slack 1e-15).
        let problem = try Self.problem(n: 8, seed: 21)
        var previous = Double.infinity
        for tau in [1.0, 10, 100, 1000, 1e6] {
            let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            let tv = GameMetrics.totalVariation(problem, pi, problem.reference)
            #expect(tv <= 0.5 * (exp(1 / tau) - 1) + 1e-15)
            #expect(tv < previous)
            previous = tv
        }
        #expect(previous < 1e-6)
    }

    @Test func exploitabilityVanishesAsTauShrinks() throws {
        // At π*_τ: (Pπ)(y) − ½ = τ(log π(y) − log μ(y)) − τ·KL(π‖μ) ≤ τ·log(1/μ(y)), so
        // e(π*_τ) ≤ τ·max_y log(1/μ(y)) → 0 (hand derivation; slack 1e-12).
        let problem = try Self.problem(n: 10, seed: 31)
        let worst = -problem.reference.logProbabilities[0].min()!
        var previous = Double.infinity
        for tau in [0.3, 0.1, 0.01, 1e-3] {
            let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            let e = GameMetrics.exploitability(problem, pi)
            #expect(e <= tau * worst + 1e-12)
            #expect(e < previous)
            previous = e
        }
        #expect(previous < 0.01)
    }

    /// An independent reference: many small damped steps θ ← (1 − α)θ + α(log μ + Pπ(θ)/τ) in
    /// plain Swift (no GSL, no Newton), run until the step no longer changes anything.
    static func dampedReference(_ p: PreferenceMatrix, logMu: [Double], tau: Double, alpha: Double, steps: Int) -> [Double] {
        var theta = logMu
        for _ in 0..<steps {
            let m = theta.max()!
            let w = theta.map { exp($0 - m) }
            let z = w.reduce(0, +)
            let v = p.times(w.map { $0 / z })
            for y in theta.indices { theta[y] = (1 - alpha) * theta[y] + alpha * (logMu[y] + v[y] / tau) }
        }
        let m = theta.max()!
        let w = theta.map { exp($0 - m) }
        let z = w.reduce(0, +)
        return w.map { $0 / z }
    }

    @Test(arguments: [(0.5, UInt64(41)), (0.2, UInt64(42)), (0.1, UInt64(43))])
    func agreesWithALongDampedRun(tau: Double, seed: UInt64) throws {
        let problem = try Self.problem(n: 6, seed: seed)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        // α = 0.02 keeps the damped map contractive (its linearisation has eigenvalues
        // 1 − α + α·iλ/τ with |λ| ≤ ½); 40,000 steps reach machine precision.
        let reference = Self.dampedReference(problem.preferences[0], logMu: problem.reference.logProbabilities[0],
                                             tau: tau, alpha: 0.02, steps: 40_000)
        for (a, b) in zip(pi.probabilities(context: 0), reference) { #expect(abs(a - b) < 1e-8) }
    }

    @Test func actionsOutsideTheReferenceSupportGetZero() throws {
        let rps = try PreferenceMatrix(rows: [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        let mu = try Policy(probabilities: [[0.5, 0.5, 0]])
        let problem = try Problem(preferences: [rps], reference: mu, isTransitive: false)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.2)
        #expect(pi.logProbabilities[0][2] == -.infinity)
        // On {0, 1} action 0 beats 1 surely and μ is equal, so θ₀ − θ₁ = ((Pπ)₀ − (Pπ)₁)/τ
        // = ((½π₀ + π₁) − ½π₁)/τ = 1/(2τ): π₀ = σ(1/(2τ)) = σ(2.5) in closed form (1e-14).
        #expect(abs(pi.probabilities(context: 0)[0] - 1 / (1 + exp(-2.5))) < 1e-14)
        #expect(GameMetrics.regularizedGap(problem, pi, tau: 0.2) < 1e-12)
    }

    @Test func largeGameAtSmallTau() throws {
        // Robustness: n = 300, τ = 1e-3 (continuation in τ is needed here); gap below 1e-12.
        let problem = try Self.problem(n: 300, seed: 51)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 1e-3)
        #expect(GameMetrics.regularizedGap(problem, pi, tau: 1e-3) < 1e-12)
        let residual = try Self.fixedPointError(problem, pi, tau: 1e-3)
        #expect(residual < 1e-12)
    }

    @Test func rejectsNonPositiveTau() throws {
        let problem = try Self.problem(n: 3, seed: 1)
        #expect(throws: AlignmentCoreError.self) { try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0) }
        #expect(throws: AlignmentCoreError.self) { try RegularizedEquilibriumSolver.solve(problem: problem, tau: -1) }
    }
}
