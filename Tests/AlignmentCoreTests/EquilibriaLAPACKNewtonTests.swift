@testable import AlignmentCore
import Foundation
import Testing

/// The π*_τ Newton phase on LAPACK (`denseNewton`, the default) against the same iteration through
/// GSL's `gnewton` solver (the dense solver every earlier result was computed with), and the BLAS
/// matrix–vector product against a plain loop.
struct EquilibriaLAPACKNewtonTests {
    /// A random game on n actions (upper triangle uniform on [0, 1] from `RandomSource(seed:)`) and
    /// a softmax-normal μ (scale 1), as `EquilibriaRegularizedTests.problem` draws them.
    static func system(n: Int, seed: UInt64) throws -> (p: [Double], logMu: [Double]) {
        let problem = try EquilibriaRegularizedTests.problem(n: n, seed: seed)
        return (problem.preferences[0].entries, problem.reference.logProbabilities[0])
    }

    /// Both backends give the same π*_τ to 1e-12 in every probability, on random games with the
    /// hand-stated seeds and sizes below, at τ from 2 to 10⁻³ (above the bordered-first threshold,
    /// so both go through the logit Newton path), and both solutions have a regularized gap below
    /// the solver's 1e-12.
    @Test(arguments: [(n: 3, seed: UInt64(1)), (n: 10, seed: 7), (n: 25, seed: 2024), (n: 60, seed: 31337), (n: 120, seed: 5)],
          [2.0, 0.1, 0.01, 1e-3])
    func lapackMatchesGSL(game: (n: Int, seed: UInt64), tau: Double) throws {
        let (p, logMu) = try Self.system(n: game.n, seed: game.seed)
        let normalizedMu = LogSpace.normalize(logMu)
        let viaLAPACK = LogSpace.softmax(try RegularizedEquilibriumSolver.solveSystem(p: p, logMu: normalizedMu, tau: tau, backend: .lapack))
        let viaGSL = LogSpace.softmax(try RegularizedEquilibriumSolver.solveSystem(p: p, logMu: normalizedMu, tau: tau, backend: .gsl))
        for (a, b) in zip(viaLAPACK, viaGSL) { #expect(abs(a - b) <= 1e-12) }
        let system = LogitFixedPoint(p: p, logMu: normalizedMu, tau: tau)
        #expect(system.gap(viaLAPACK.map { log($0) }) < RegularizedEquilibriumSolver.gapTolerance)
    }

    /// `PreferenceMatrix.times` (OpenBLAS dgemv) equals a plain loop Σ_j P_ij q_j to 1e-15
    /// relative (entries and q in [0, 1], so each sum is at most 1 and the two orders differ by at
    /// most n·2⁻⁵³ ≈ 1.2e-13 at n = 1000 in the worst case; the test's bound 64·n·2⁻⁵³ covers it),
    /// at sizes that exercise the kernel's blocking and remainders.
    @Test(arguments: [1, 2, 3, 7, 16, 33, 255, 1000])
    func gemvMatchesLoop(n: Int) throws {
        let rng = RandomSource(seed: UInt64(n) &* 977)
        let p = try PreferenceMatrix.fromUpperTriangle(size: n) { _, _ in rng.uniform() }
        let q = LogSpace.softmax((0..<n).map { _ in rng.uniform() * 4 })
        let blas = p.times(q)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += p[i, j] * q[j] }
            #expect(abs(blas[i] - s) <= 64 * Double(n) * Double.ulpOfOne / 2)
        }
    }

    /// The LAPACK solve of A x = b: a hand-checked 3×3 system with x = (1, −2, 3), and an exactly
    /// singular matrix, which is reported (false) rather than solved.
    @Test func denseSolve() {
        // A = [[2, 1, 0], [1, 3, 1], [0, 1, 4]], x = (1, −2, 3): b = A x = (0, −2, 10).
        var a: [Double] = [2, 1, 0, 1, 3, 1, 0, 1, 4]
        var b: [Double] = [0, -2, 10]
        let ok = a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { DenseLinearAlgebra.solve(order: 3, ap.baseAddress!, $0.baseAddress!) }
        }
        #expect(ok)
        for (v, expected) in zip(b, [1.0, -2, 3]) { #expect(abs(v - expected) <= 1e-14) }
        var singular: [Double] = [1, 2, 2, 4]
        var rhs: [Double] = [1, 1]
        let solved = singular.withUnsafeMutableBufferPointer { ap in
            rhs.withUnsafeMutableBufferPointer { DenseLinearAlgebra.solve(order: 2, ap.baseAddress!, $0.baseAddress!) }
        }
        #expect(!solved)
    }
}
