import AlignmentCore
import Testing

/// `DenseLinearAlgebra.configure()` stops the worker pool a threaded OpenBLAS (Debian's
/// libopenblas0-pthread) starts when it is loaded; without it each worker spins on sched_yield
/// for ~0.1 s of a second core in every process. A serial OpenBLAS has no pool (nil: nothing to
/// check). The kernels still give the same values afterwards (a 2×2 solve checked exactly).
struct DenseLinearAlgebraThreadsTests {
    @Test func configureStopsTheIdleWorkerPool() throws {
        DenseLinearAlgebra.configure()
        guard let running = DenseLinearAlgebra.workerPoolRunning else { return }
        #expect(running == false, "OpenBLAS's worker pool still runs after DenseLinearAlgebra.configure()")
        // [[2, 1], [1, 3]] x = [3, 5] → x = [4/5, 7/5]: the calling thread still computes.
        var a: [Double] = [2, 1, 1, 3], b: [Double] = [3, 5]
        let solved = a.withUnsafeMutableBufferPointer { m in
            b.withUnsafeMutableBufferPointer { DenseLinearAlgebra.solve(order: 2, m.baseAddress!, $0.baseAddress!) }
        }
        #expect(solved)
        #expect(abs(b[0] - 0.8) <= 1e-15 && abs(b[1] - 1.4) <= 1e-15, "\(b)")
        #expect(DenseLinearAlgebra.workerPoolRunning == false)
    }
}
