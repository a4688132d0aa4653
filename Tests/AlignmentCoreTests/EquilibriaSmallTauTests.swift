import AlignmentCore
import Foundation
import Testing

/// π*_τ for small τ, where the logit system's Jacobian (entries 1/τ) is numerically singular and
/// the bordered system takes over. Expected values: an independent 60-digit mpmath solve of
/// τ(log π − log μ) − Pπ + λ = 0, Σπ = 1 (`mp.findroot`, continuation in τ from 1 by factors of 4),
/// each checked as a fixed point π = BR_τ(π) to 12 digits at 60-digit precision. (The issue quoted
/// π*_τ ≈ (0.333333407, 0.333333214, 0.33333338) for RPS at τ = 1e-7; that is not a fixed point —
/// its best response is (0.3887, 0.3389, 0.2724) — the values below are.)
struct EquilibriaSmallTauTests {
    /// RPS with strength 0.8: P = ½ + 0.4·A, A the 3-cycle.
    static let rps = [[0.5, 0.9, 0.1], [0.1, 0.5, 0.9], [0.9, 0.1, 0.5]]
    /// OpenSpiel's biased RPS, P = ½ + ½·A/50, A = [[0,−25,50],[25,0,−5],[−50,5,0]].
    static let biased = [[0.5, 0.25, 1.0], [0.75, 0.5, 0.45], [0.0, 0.55, 0.5]]

    struct Case: Sendable, CustomTestStringConvertible {
        var game: String
        var mu: [Double]
        var tau: Double
        var expected: [Double]
        var testDescription: String { "\(game) μ=\(mu) τ=\(tau)" }
    }

    static let cases: [Case] = [
        Case(game: "rps", mu: [0.6, 0.3, 0.1], tau: 1e-7,
             expected: [0.33333342488440915789, 0.33333318402005267821, 0.3333333910955381639]),
        Case(game: "rps", mu: [0.6, 0.3, 0.1], tau: 1e-12,
             expected: [0.33333333333424884357, 0.33333333333184020044, 0.33333333333391095598]),
        Case(game: "rps", mu: [0.6, 0.3, 0.1], tau: 1e-9,
             expected: [0.33333333424884357907, 0.33333333184020044315, 0.33333333391095597778]),
        Case(game: "rps", mu: [0.6, 0.3, 0.1], tau: 1e-4,
             expected: [0.33342493611621473745, 0.33318402851752083583, 0.33339103536626442672]),
        Case(game: "biased", mu: [0.6, 0.3, 0.1], tau: 1e-12,
             expected: [0.062499999999493198973, 0.62500000000425146203, 0.31249999999625533899]),
        Case(game: "biased", mu: [0.6, 0.3, 0.1], tau: 1e-9,
             expected: [0.062499999493168668704, 0.62500000425149668754, 0.31249999625533464375]),
        Case(game: "biased", mu: [0.6, 0.3, 0.1], tau: 1e-7,
             expected: [0.062499949317096333511, 0.62500042514962425215, 0.31249962553327941434]),
        Case(game: "biased", mu: [0.6, 0.3, 0.1], tau: 1e-4,
             expected: [0.062449551803607861244, 0.6254251006589526246, 0.31212534753743951415]),
        Case(game: "rps", mu: [1 - 2e-9, 1e-9, 1e-9], tau: 1e-12,
             expected: [0.33333333333333333333, 0.33333333331606394514, 0.33333333335060272153]),
        Case(game: "rps", mu: [1 - 2e-9, 1e-9, 1e-9], tau: 1e-7,
             expected: [0.33333333333419680274, 0.3333316063940820212, 0.33333506027172117605]),
        Case(game: "rps", mu: [1 - 2e-9, 1e-9, 1e-9], tau: 1e-4,
             expected: [0.33333419681086596382, 0.33160596421717718638, 0.3350598389719568498]),
    ]

    @Test(arguments: cases)
    func matchesAnIndependentHighPrecisionSolve(_ c: Case) throws {
        let p = try PreferenceMatrix(rows: c.game == "rps" ? Self.rps : Self.biased)
        let problem = try Problem(preferences: [p], reference: Policy(probabilities: [c.mu]), isTransitive: false)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: c.tau)
        // Tolerance 1e-14 absolute: the bordered Newton iterate is at the double-precision floor
        // (its Jacobian is O(1)); the logit path alone was off by 3e-11 at τ = 1e-7.
        for (got, want) in zip(pi.probabilities(context: 0), c.expected) {
            #expect(abs(got - want) < 1e-14, "\(got) vs \(want)")
        }
        #expect(GameMetrics.regularizedGap(problem, pi, tau: c.tau) < 1e-12)
    }

    /// τ below 1e-12 is outside the spec's range but the solver still handles interior equilibria:
    /// on RPS with μ = (0.6, 0.3, 0.1), π*_τ → (⅓, ⅓, ⅓) with deviations ≈ 0.92·τ (the mpmath values
    /// above: 9.15e-13 at τ = 1e-12), checked to τ + 1e-15 (four ulps of ⅓ for rounding).
    @Test(arguments: [1e-15, 1e-30, 1e-100, 1e-300])
    func tinyTauOnAnInteriorEquilibrium(tau: Double) throws {
        let p = try PreferenceMatrix(rows: Self.rps)
        let problem = try Problem(preferences: [p], reference: Policy(probabilities: [[0.6, 0.3, 0.1]]), isTransitive: false)
        let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
        for v in pi.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) < tau + 1e-15) }
    }
}
