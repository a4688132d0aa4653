import AlignmentCore
import Testing

/// `DenseLinearAlgebra.leastSquares` (LAPACK `dgelsd`) against numpy 2.4's
/// `np.linalg.lstsq(A, b, rcond=None)` (also the least-norm solution), written as exact fractions:
/// an over-determined full-rank system, a rank-deficient one (a duplicate column: the least-norm
/// solution splits the weight equally) and an under-determined one. Tolerance 1e-14.
struct DenseLeastSquaresTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let rows: Int, columns: Int
        let a: [Double], b: [Double]
        let solution: [Double], rank: Int
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "3×2 full rank", rows: 3, columns: 2, a: [2, 1, 1, 3, 0, 1], b: [1, 0, 2],
             solution: [7.0 / 30, 1.0 / 6], rank: 2),
        Case(name: "4×3 duplicate column", rows: 4, columns: 3, a: [1, 2, 2, 0, 1, 1, 3, -1, -1, 1, 1, 1], b: [1, 2, 0.5, -1],
             solution: [3.0 / 22, 5.0 / 28, 5.0 / 28], rank: 2),
        Case(name: "2×3 under-determined", rows: 2, columns: 3, a: [1, 2, 0, 0, 1, 4], b: [3, 1],
             solution: [49.0 / 81, 97.0 / 81, -4.0 / 81], rank: 2),
    ]

    @Test(arguments: cases)
    func leastNormSolution(_ c: Case) throws {
        let result = try #require(DenseLinearAlgebra.leastSquares(rows: c.rows, columns: c.columns, c.a, c.b))
        #expect(result.rank == c.rank)
        #expect(result.solution.count == c.columns)
        for (x, e) in zip(result.solution, c.solution) { #expect(abs(x - e) <= 1e-14, "\(result.solution) vs \(c.solution)") }
    }

    /// An all-zero matrix has rank 0 and the least-norm solution 0.
    @Test func zeroMatrix() throws {
        let result = try #require(DenseLinearAlgebra.leastSquares(rows: 2, columns: 2, [0, 0, 0, 0], [1, -1]))
        #expect(result.rank == 0 && result.solution == [0, 0])
    }
}
