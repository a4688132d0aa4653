import Dispatch
import Foundation

/// Waits for a child process started with Foundation's `Process` without `waitUntilExit()`.
///
/// In swift-corelibs-foundation (Linux), `waitUntilExit()` runs the calling thread's run loop in
/// slices of 50 ms and checks the process between them, so it returns up to 50 ms after the child
/// has exited: `gnuplot --version` took about 65 ms that way against about 14 ms here (2026-12-01,
/// 5 calls each), and every `bench sweep` asks it once for the manifest's provenance. Here the
/// exit is signalled by the process's `terminationHandler`, which Foundation calls from its own
/// monitoring thread once it has reaped the child and set `terminationStatus`.
public enum ChildProcess {
    /// Starts `process` (configured, not yet started), runs `body` while it runs (typically
    /// reading its pipes to their end), then waits for it to exit.
    /// - Parameters:
    ///   - process: the process; a `terminationHandler` it already has is still called, first.
    ///   - body: work to do while the child runs (its pipes must be drained here when the child
    ///     writes more than a pipe holds).
    /// - Returns: `body`'s result; the process's `terminationStatus` is valid after the return.
    /// - Throws: what `process.run()` throws (the child did not start; `body` is not called), or
    ///   what `body` throws (then without waiting for the exit, as `waitUntilExit()` after a
    ///   throwing statement would not have been reached either).
    /// - Complexity: the child's run time, plus one thread hand-off.
    public static func run<T>(_ process: Process, whileRunning body: () throws -> T) throws -> T {
        let exited = DispatchSemaphore(value: 0)
        let previous = process.terminationHandler
        process.terminationHandler = { p in
            previous?(p)
            exited.signal()
        }
        try process.run()
        let result = try body()
        exited.wait()
        return result
    }
}
