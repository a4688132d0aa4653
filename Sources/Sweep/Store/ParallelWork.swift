import Foundation

/// Bounded parallelism for the end of a sweep (result files, statistics), with output whose order
/// never depends on the number of workers: work items are computed on up to `jobs` threads, and
/// their results are consumed one at a time in index order.
///
/// Determinism: each item is a pure function of its index (and of values captured before the
/// call), so the consumed sequence — hence every byte written from it — is the same for any
/// `jobs`, including 1, where everything runs on the calling thread in order.
enum ParallelWork {
    /// The shared state of one `orderedStream`: the next index to hand out, the results not yet
    /// consumed, how many are consumed, and whether a worker is consuming.
    private final class Stream<T>: @unchecked Sendable {
        let condition = NSCondition()
        var next = 0
        var consumed = 0
        var consuming = false
        var ready: [Int: Result<T, any Error>] = [:]
        var failure: (any Error)?
    }

    /// A non-Sendable closure handed to the workers of a `concurrentPerform` that calls it under
    /// the stream's consumer role (one worker at a time, in index order).
    private struct Consumer<T>: @unchecked Sendable {
        let consume: (T) throws -> Void
    }

    /// Computes `compute(i)` for every i in 0..<count on up to `jobs` threads and passes each result
    /// to `consume` in index order, one at a time. Workers never wait for each other at a barrier:
    /// each takes the next index as soon as it is free, as long as it is fewer than `window` items
    /// ahead of the next one to consume, and a worker whose finished result is the next in order
    /// consumes it (and every following one already computed). So at most `window` results are
    /// held at once, and items of very different cost keep every worker busy.
    ///
    /// With `jobs` ≤ 1 everything runs on the calling thread in index order. Called from inside
    /// another `DispatchQueue.concurrentPerform` it still completes, on fewer threads: libdispatch
    /// runs a nested `concurrentPerform` on the calling thread alone.
    /// - Parameters:
    ///   - jobs: the maximum number of threads computing at once (1: all on the calling thread).
    ///   - window: how far ahead of the consumer computing may run (default 16 per job).
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
        let size = max(1, window ?? 16 * jobs)
        let stream = Stream<T>()
        withoutActuallyEscaping(consume) { consume in
            let consumer = Consumer(consume: consume)
            DispatchQueue.concurrentPerform(iterations: min(jobs, count)) { _ in
                let c = stream.condition
                c.lock()
                defer { c.unlock() }
                while stream.failure == nil, stream.consumed < count {
                    if !stream.consuming, let head = stream.ready.removeValue(forKey: stream.consumed) {
                        // The consumer role: consume in order while the next result is there.
                        stream.consuming = true
                        var result = head
                        while true {
                            c.unlock()
                            let outcome = Result { try consumer.consume(try result.get()) }
                            c.lock()
                            stream.consumed += 1
                            if case let .failure(e) = outcome, stream.failure == nil { stream.failure = e }
                            c.broadcast()
                            guard stream.failure == nil, let following = stream.ready.removeValue(forKey: stream.consumed) else { break }
                            result = following
                        }
                        stream.consuming = false
                        c.broadcast()
                    } else if stream.next < count, stream.next < stream.consumed + size {
                        let i = stream.next
                        stream.next += 1
                        c.unlock()
                        let result = Result { try compute(i) }
                        c.lock()
                        stream.ready[i] = result
                        c.broadcast()
                    } else {
                        c.wait()
                    }
                }
            }
        }
        if let e = stream.failure { throw e }
    }
}

/// A throwing closure run on a thread of its own (not a dispatch worker, so the parallel work
/// its caller starts meanwhile keeps every worker of the pool), whose outcome `wait` returns.
final class BackgroundTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Void, any Error> = .success(())

    /// Starts `body` at once on a new thread.
    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            outcome = Result { try body() }
            done.signal()
        }
        thread.start()
    }

    /// Waits until the body has returned or thrown, and gives its outcome (call it once).
    func wait() -> Result<Void, any Error> {
        done.wait()
        return outcome
    }
}
