import Foundation
import Testing
@testable import Sweep
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The results lock against copies of its descriptor: a `flock` belongs to an open file
/// description, and a child process started by another thread (`Process`, `posix_spawn`) holds a
/// copy of every descriptor until just before `exec`, so a lock released a moment ago can still be
/// busy. That made sweeps in the parallel test run fail with "another bench sweep is writing these
/// results" on a directory no other sweep used.
struct ResultsLockTests {
    /// A second open file description of the lock file holding the `flock`, as a child's copy
    /// does, with the file emptied (as `release` leaves it); the description is closed after
    /// `holdFor`.
    static func holdCopy(in dir: URL, for holdFor: Duration) throws -> Thread {
        let fd = open(dir.appendingPathComponent(ResultsLock.fileName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        try #require(fd >= 0)
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let thread = Thread {
            Thread.sleep(forTimeInterval: Double(holdFor.components.seconds) + Double(holdFor.components.attoseconds) * 1e-18)
            close(fd)
        }
        thread.start()
        return thread
    }

    /// A copy held for 300 ms (longer than the 100 ms the lock used to wait for a pid) delays
    /// the lock; it is not reported as another sweep.
    @Test func lockBusyOnlyThroughACopyIsTakenWhenTheCopyCloses() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.holdCopy(in: dir, for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        let lock = try ResultsLock(directory: dir, display: "out")
        let waited = clock.now - start
        lock.release()
        #expect(waited >= .milliseconds(250) && waited < ResultsLock.transientHolderGrace, "\(waited)")
    }

    /// A copy that never closes within `transientHolderGrace` (2 s): the lock is refused, naming
    /// no pid (the file names none).
    @Test func lockBusyThroughACopyBeyondTheGraceIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.holdCopy(in: dir, for: ResultsLock.transientHolderGrace + .seconds(1))
        #expect(throws: SweepError.locked(directory: "out", pid: nil)) {
            try ResultsLock(directory: dir, display: "out")
        }
    }

    /// A real holder writes its pid: the second lock is refused at once (well under the 2 s
    /// grace), naming it.
    @Test func lockHeldByASweepIsRefusedAtOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let held = try ResultsLock(directory: dir, display: "out")
        defer { held.release() }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: SweepError.locked(directory: "out", pid: getpid())) {
            try ResultsLock(directory: dir, display: "out")
        }
        #expect(clock.now - start < .seconds(1))
    }

    /// The real mechanism: for 1.5 s one thread starts `/bin/true` again and again (each child
    /// holds copies of this process's descriptors until its `exec`) while this thread takes and
    /// releases the lock of one directory. Every take must succeed. (Before the retry, about 5 %
    /// of the takes failed on this machine.)
    @Test func lockSurvivesChildProcessesStartedByOtherThreads() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        final class Stop: @unchecked Sendable {
            private let lock = NSLock()
            private var stopped = false
            var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
            func set() { lock.lock(); stopped = true; lock.unlock() }
        }
        let stop = Stop(), done = DispatchSemaphore(value: 0)
        let spawner = Thread {
            while !stop.isSet {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/bin/true")
                guard (try? p.run()) != nil else { break }
                p.waitUntilExit()
            }
            done.signal()
        }
        spawner.start()
        defer { stop.set(); done.wait() }
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(1500)
        var takes = 0
        while clock.now < end {
            let lock = try ResultsLock(directory: dir, display: "out")
            lock.release()
            takes += 1
        }
        #expect(takes > 100)
    }
}
