import Foundation

/// A validated preference matrix P with P(y ≻ y') ∈ [0, 1] and P + Pᵀ = 1.
///
/// The diagonal is therefore ½. Entries are stored row-major.
public struct PreferenceMatrix: Sendable, Equatable, Hashable {
    /// Number of responses n.
    public let size: Int
    /// Row-major entries, `entries[i * size + j] = P(i ≻ j)`.
    public let entries: [Double]

    /// Tolerance for the antisymmetry check |P_ij + P_ji − 1| ≤ tolerance.
    public static let symmetryTolerance = 1e-12

    /// Creates a preference matrix from rows, validating shape, range and P + Pᵀ = 1.
    /// - Parameter rows: `rows[i][j] = P(i ≻ j)`.
    /// - Throws: `AlignmentCoreError.invalidPreference` naming the first offending entry.
    public init(rows: [[Double]]) throws {
        let n = rows.count
        guard n > 0 else {
            throw AlignmentCoreError.invalidPreference(row: 0, column: 0, reason: "the matrix is empty")
        }
        var flat: [Double] = []
        flat.reserveCapacity(n * n)
        for (i, row) in rows.enumerated() {
            guard row.count == n else {
                throw AlignmentCoreError.invalidPreference(
                    row: i, column: row.count, reason: "row \(i) has \(row.count) entries but the matrix has \(n) rows (it must be square)")
            }
            for (j, v) in row.enumerated() {
                guard v.isFinite, v >= 0, v <= 1 else {
                    throw AlignmentCoreError.invalidPreference(row: i, column: j, reason: "value \(v) is outside [0, 1]")
                }
            }
            flat.append(contentsOf: row)
        }
        for i in 0..<n {
            for j in i..<n {
                let s = flat[i * n + j] + flat[j * n + i]
                if abs(s - 1) > Self.symmetryTolerance {
                    throw AlignmentCoreError.invalidPreference(
                        row: i, column: j,
                        reason: "P[\(i)][\(j)] + P[\(j)][\(i)] = \(s), expected 1 (within \(Self.symmetryTolerance))")
                }
            }
        }
        self.size = n
        self.entries = flat
    }

    /// Builds P from an antisymmetric "margin" function: P(i ≻ j) = f(i, j) for i < j and
    /// P(j ≻ i) = 1 − f(i, j), with the diagonal set to ½ exactly.
    /// - Throws: `AlignmentCoreError.invalidPreference` when some f(i, j) ∉ [0, 1].
    public static func fromUpperTriangle(size n: Int, _ f: (Int, Int) throws -> Double) throws -> PreferenceMatrix {
        var rows = Array(repeating: Array(repeating: 0.5, count: n), count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let p = try f(i, j)
                rows[i][j] = p
                rows[j][i] = 1 - p
            }
        }
        return try PreferenceMatrix(rows: rows)
    }

    /// The preference of labels flipped with probability ε: P̃(i ≻ j) = (1 − ε)·P(i ≻ j) + ε·P(j ≻ i)
    /// = ½ + (1 − 2ε)(P(i ≻ j) − ½) — the probability that a noisy label says i ≻ j. The upper
    /// triangle is computed as (1 − ε)p + ε(1 − p) (the expression `FeedbackOracle.compare` draws
    /// with), the lower one as 1 − upper, the diagonal is ½; so P̃ is again a preference matrix.
    /// - Parameter epsilon: the flip probability ε ∈ [0, ½]; ε = 0 returns P unchanged.
    /// - Complexity: O(n²).
    public func withLabelNoise(_ epsilon: Double) -> PreferenceMatrix {
        precondition(epsilon >= 0 && epsilon <= 0.5, "label noise must be in [0, 1/2]")
        guard epsilon > 0 else { return self }
        var flat = [Double](repeating: 0.5, count: size * size)
        for i in 0..<size {
            for j in (i + 1)..<max(i + 1, size) {
                let p = self[i, j]
                let noisy = min(1, max(0, (1 - epsilon) * p + epsilon * (1 - p)))
                flat[i * size + j] = noisy
                flat[j * size + i] = 1 - noisy
            }
        }
        return PreferenceMatrix(validated: flat, size: size)
    }

    /// Wraps entries that already satisfy the invariants (no validation).
    private init(validated entries: [Double], size: Int) {
        self.size = size
        self.entries = entries
    }

    /// P(i ≻ j).
    @inlinable
    public subscript(i: Int, j: Int) -> Double { entries[i * size + j] }

    /// The rows of P.
    public var rows: [[Double]] {
        (0..<size).map { i in Array(entries[(i * size)..<((i + 1) * size)]) }
    }

    /// (P q)(y) = P(y ≻ q) = Σ_y' P(y ≻ y') q(y'), by OpenBLAS's `dgemv` (single-threaded;
    /// `DenseLinearAlgebra.gemv`), whose summation order is that of its kernel for the processor.
    /// - Parameter q: a vector of length n.
    /// - Returns: P q.
    /// - Complexity: O(n²).
    public func times(_ q: [Double]) -> [Double] {
        precondition(q.count == size, "vector length \(q.count) does not match matrix size \(size)")
        return [Double](unsafeUninitializedCapacity: size) { out, count in
            entries.withUnsafeBufferPointer { e in
                q.withUnsafeBufferPointer { x in
                    DenseLinearAlgebra.gemv(rows: size, columns: size, e.baseAddress!, x.baseAddress!, into: out.baseAddress!)
                }
            }
            count = size
        }
    }

    /// (P q)(y) written into `y`, the allocation-free form of `times(_:)` for a hot loop: the same
    /// OpenBLAS `dgemv`, so the same bits.
    /// - Parameters:
    ///   - q: a vector of length n.
    ///   - y: receives P q (length n; must not overlap `q`).
    /// - Complexity: O(n²), no allocation.
    public func times(_ q: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(q.count == size && y.count == size, "vector lengths \(q.count), \(y.count) do not match matrix size \(size)")
        entries.withUnsafeBufferPointer { e in
            DenseLinearAlgebra.gemv(rows: size, columns: size, e.baseAddress!, q.baseAddress!, into: y.baseAddress!)
        }
    }

    /// pᵀ P q = P(p ≻ q).
    /// - Complexity: O(n²).
    public func value(_ p: [Double], _ q: [Double]) -> Double {
        let pq = times(q)
        var s = 0.0
        for i in 0..<size { s += p[i] * pq[i] }
        return s
    }
}
