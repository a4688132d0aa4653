import COpenBLAS

/// The dense BLAS/LAPACK kernels of the harness, through OpenBLAS (module `COpenBLAS`).
///
/// OpenBLAS runs single-threaded here (`openblas_set_num_threads(1)` before the first call): the
/// sweep already runs one run per core (`--jobs`), and a second level of threads would oversubscribe
/// the cores. Results depend on the OpenBLAS kernel chosen for the processor (its summation order),
/// which is why `NumericLibraries.openblas` enters every run's fingerprint.
public enum DenseLinearAlgebra {
    /// Pins OpenBLAS to the calling thread and stops the worker threads a threaded OpenBLAS starts
    /// when it is loaded (each would otherwise spin ~0.1 s on a second core before sleeping), once
    /// per process (Swift's lazy globals are thread-safe).
    private static let singleThreaded: Void = {
        copenblas_set_threads(1)
        copenblas_stop_idle_threads()
    }()

    /// Makes OpenBLAS single-threaded and stops its idle worker threads (idempotent: one atomic
    /// load after the first call). Every kernel here calls it first; a process that will use
    /// BLAS calls it at start-up so the workers stop before they spin (`bench` does).
    /// - Complexity: O(1); the first call joins OpenBLAS's worker threads.
    @inline(__always)
    public static func configure() { _ = singleThreaded }

    /// Whether OpenBLAS's worker pool is running: nil for a build without one (serial OpenBLAS),
    /// false after `configure()` until something asks OpenBLAS for more than one thread.
    public static var workerPoolRunning: Bool? {
        switch copenblas_worker_pool_running() {
        case -1: nil
        case 0: false
        default: true
        }
    }

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

    /// The minimum-norm least-squares solution x of min ‖A x − b‖₂ for a dense row-major m×n
    /// matrix A (LAPACK `dgelsd`: SVD by divide and conquer; singular values at most
    /// machine precision × σ_max count as zero, so a rank-deficient A — duplicate or all-zero
    /// columns — gets the solution of least norm).
    /// - Parameters:
    ///   - rows: m ≥ 1.
    ///   - columns: n ≥ 1.
    ///   - a: A row-major, `a[i * columns + j] = A_ij` (m·n entries).
    ///   - b: the m-vector b.
    /// - Returns: x (n entries) and the effective rank of A, or nil when the SVD did not converge.
    /// - Complexity: O(m·n·min(m, n)) flops; O(m·n) memory.
    public static func leastSquares(rows m: Int, columns n: Int, _ a: [Double], _ b: [Double]) -> (solution: [Double], rank: Int)? {
        precondition(m > 0 && n > 0 && m <= Int(Int32.max) && n <= Int(Int32.max), "least-squares dimensions \(m)×\(n) out of range")
        precondition(a.count == m * n && b.count == m, "least squares: A has \(a.count) entries, b \(b.count), for \(m)×\(n)")
        configure()
        var columnMajor = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n { columnMajor[j * m + i] = a[i * n + j] }
        }
        var rhs = b + [Double](repeating: 0, count: max(0, n - m))
        var singular = [Double](repeating: 0, count: min(m, n))
        var rank: Int32 = 0
        let info = copenblas_least_squares(Int32(m), Int32(n), &columnMajor, &rhs, &singular, -1, &rank)
        precondition(info >= 0 || info == -1000, "LAPACK dgelsd rejected argument \(-info)")
        precondition(info != -1000, "could not allocate the dgelsd workspace for \(m)×\(n)")
        guard info == 0 else { return nil }
        return (Array(rhs[0..<n]), Int(rank))
    }

    /// The linked OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY
    /// Zen MAX_THREADS=64" (`openblas_get_config`): its version and the kernel chosen for this
    /// processor.
    public static var configuration: String { String(cString: copenblas_config()) }
}
