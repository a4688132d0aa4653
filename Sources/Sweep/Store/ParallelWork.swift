import Foundation

/// Bounded parallelism for the end of a sweep (result files, statistics), with output whose order
/// never depends on the number of workers: work items are computed on up to `jobs` threads, and
/// their results are consumed on the calling thread in index order.
///
/// Determinism: each item is a pure function of its index (and of values captured before the
/// call), so the consumed sequence — hence every byte written from it — is the same for any
/// `jobs`, including 1, where everything runs on the calling thread in order.
enum ParallelWork {
    /// Slots for the results of one window, written by the workers (each slot by exactly one) and
    /// read by the caller after `concurrentPerform` returns.
    private final class Slots<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let count: Int
        var values: [Result<T, any Error>?]

        init(count: Int) {
            self.count = count
            values = Array(repeating: nil, count: count)
        }

        /// The next index to compute, nil when every index has been taken.
        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ value: Result<T, any Error>, at i: Int) {
            lock.lock()
            defer { lock.unlock() }
            values[i] = value
        }
    }

    /// Computes `compute(i)` for every i in 0..<count on up to `jobs` threads, `window` items at a
    /// time, and passes each result to `consume` in index order on the calling thread. At most
    /// `window` results are held at once, so memory stays bounded by the largest `window` items.
    /// - Parameters:
    ///   - jobs: the maximum number of threads computing at once (1: all on the calling thread).
    ///   - window: items computed before the first of them is consumed (default 4 per job).
    /// - Throws: the first error (in index order) that `compute` or `consume` throws; items after it
    ///   are not consumed.
    /// - Complexity: `count` calls of `compute` and `consume`.
    static func orderedStream<T>(count: Int, jobs: Int, window: Int? = nil,
                                 compute: @escaping @Sendable (Int) throws -> T,
                                 consume: (T) throws -> Void) throws {
        guard count > 0 else { return }
        if jobs <= 1 {
            for i in 0..<count { try consume(try compute(i)) }
            return
        }
        let size = max(1, window ?? 4 * jobs)
        var start = 0
        while start < count {
            let n = min(size, count - start)
            let slots = Slots<T>(count: n)
            let base = start
            DispatchQueue.concurrentPerform(iterations: min(jobs, n)) { _ in
                while let k = slots.take() {
                    slots.store(Result { try compute(base + k) }, at: k)
                }
            }
            for k in 0..<n { try consume(try slots.values[k]!.get()) }
            start += n
        }
    }

    /// Runs `tasks` on up to `jobs` threads (each task once, started in index order) and waits for
    /// all of them.
    /// - Throws: the error of the first task (in index order) that threw, after every task ended;
    ///   with `jobs` ≤ 1 the tasks run in order on the calling thread and the first error stops them.
    static func run(jobs: Int, _ tasks: [@Sendable () throws -> Void]) throws {
        guard !tasks.isEmpty else { return }
        if jobs <= 1 {
            for t in tasks { try t() }
            return
        }
        let slots = Slots<Void>(count: tasks.count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, tasks.count)) { _ in
            while let k = slots.take() { slots.store(Result { try tasks[k]() }, at: k) }
        }
        for k in tasks.indices { try slots.values[k]!.get() }
    }
}
