import COpenBLAS

/// The dense BLAS/LAPACK kernels of the harness, through OpenBLAS (module `COpenBLAS`).
///
/// OpenBLAS runs single-threaded here (`openblas_set_num_threads(1)` before the first call): the
/// sweep already runs one run per core (`--jobs`), and a second level of threads would oversubscribe
/// the cores. Results depend on the OpenBLAS kernel chosen for the processor (its summation order),
/// which is why `NumericLibraries.openblas` enters every run's fingerprint.
public enum DenseLinearAlgebra {
    /// Pins OpenBLAS to the calling thread, once per process (Swift's lazy globals are thread-safe).
    private static let singleThreaded: Void = { copenblas_set_threads(1) }()

    /// Makes sure OpenBLAS is single-threaded before a call (idempotent, one atomic load after the
    /// first call).
    @inline(__always)
    static func configure() { _ = singleThreaded }

    /// y = α·A x for a row-major m×n matrix A (BLAS `dgemv`).
    /// - Parameters:
    ///   - rows: m ≥ 1.
    ///   - columns: n ≥ 1.
    ///   - alpha: the scale α.
    ///   - a: the entries of A, `a[i * columns + j] = A_ij`.
    ///   - x: the n-vector x.
    ///   - y: receives the m-vector y (must not overlap x).
    /// - Complexity: O(m·n).
    public static func gemv(rows: Int, columns: Int, alpha: Double = 1, _ a: UnsafePointer<Double>,
                            _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        precondition(rows > 0 && columns > 0 && rows <= Int(Int32.max) && columns <= Int(Int32.max),
                     "dgemv dimensions \(rows)×\(columns) out of range")
        configure()
        copenblas_gemv_rowmajor(Int32(rows), Int32(columns), alpha, a, Int32(columns), x, y)
    }

    /// Solves A x = b for a dense row-major n×n matrix A by LU with partial pivoting (LAPACK
    /// `dgetrf` + `dgetrs`, blocked, on OpenBLAS's tuned BLAS 3 kernels).
    /// - Parameters:
    ///   - n: the order n ≥ 1.
    ///   - a: A row-major, `a[i * n + j] = A_ij`; overwritten by LU factors.
    ///   - b: b on entry, x on return.
    /// - Returns: false when A is exactly singular (a zero pivot; b is then unusable), true otherwise.
    /// - Complexity: (2/3)n³ flops for the factorisation, 2n² for the solve.
    public static func solve(order n: Int, _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Bool {
        precondition(n > 0 && n <= Int(Int32.max), "LU order \(n) out of range")
        configure()
        let pivots = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { pivots.deallocate() }
        let info = copenblas_lu_solve_rowmajor(Int32(n), a, pivots, b)
        precondition(info >= 0, "LAPACK rejected argument \(-info)")
        return info == 0
    }

    /// The linked OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY
    /// Zen MAX_THREADS=64" (`openblas_get_config`): its version and the kernel chosen for this
    /// processor.
    public static var configuration: String { String(cString: copenblas_config()) }
}
