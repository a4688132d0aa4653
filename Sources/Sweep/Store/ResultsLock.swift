import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive lock of a results directory: `flock(2)` on `<dir>/.sweep.lock`, whose content is
/// the holder's pid.
///
/// The kernel releases a `flock` when its holder dies, however it dies, so a lock left by a killed
/// sweep is never "held": the next sweep takes it at once and overwrites the pid. A sweep that ends
/// (successfully or with an error) empties the file before releasing it, so a pid found in the file
/// when the lock is taken names a sweep that was killed or crashed (`previousHolder`). The file is
/// never deleted: unlinking a lock file lets two processes lock two different inodes. A lock file
/// that is a symbolic link is refused (opened with `O_NOFOLLOW`), since truncating it would empty
/// the file it points to.
final class ResultsLock: @unchecked Sendable {
    /// The lock file's name inside the results directory.
    static let fileName = ".sweep.lock"

    /// The pid of a sweep that held the lock and did not end normally, or nil.
    let previousHolder: Int32?
    private var fd: Int32

    /// Takes the lock without waiting for a real holder (a lock busy only through a descriptor
    /// copied into a starting child process is retried briefly; see `acquire`).
    /// - Parameters:
    ///   - directory: the results directory (must exist).
    ///   - display: the directory as shown to the user.
    ///   - fileName: the lock file (`fileName` for the whole directory, `Shard.lockName` for a shard).
    /// - Throws: `SweepError.locked` naming the holder's pid when another process holds it,
    ///   `SweepError.io` on file-system errors.
    init(directory: URL, display: String, fileName: String = ResultsLock.fileName) throws {
        let path = directory.appendingPathComponent(fileName).path
        let (fd, openError) = FileIO.openNoFollow(path, O_RDWR | O_CREAT)
        guard fd >= 0 else {
            if openError == ELOOP {
                throw SweepError.io(path: display + "/" + fileName, message: FileIO.symbolicLinkMessage)
            }
            throw SweepError.io(path: display, message: "cannot create the lock file \(fileName): \(FileIO.reason(openError))")
        }
        if let busy = Self.acquire(fd) {
            defer { FileIO.close(fd) }
            guard busy.error == EWOULDBLOCK else {
                throw SweepError.io(path: display, message: "cannot lock \(fileName): \(FileIO.reason(busy.error))")
            }
            throw SweepError.locked(directory: display, pid: busy.holder)
        }
        self.fd = fd
        let previous = Self.pid(in: fd)
        previousHolder = previous == getpid() ? nil : previous
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0, FileIO.writeAll(fd, text) == 0, fsync(fd) == 0 else {
            let message = FileIO.reason(errno)
            FileIO.close(fd)
            self.fd = -1
            throw SweepError.io(path: display, message: "cannot write the lock file \(fileName): \(message)")
        }
    }

    /// How long a lock that is busy while its file names no holder is retried (see `acquire`).
    static let transientHolderGrace: Duration = .seconds(2)

    /// Takes `flock(LOCK_EX)` on `fd` without blocking on a real holder.
    ///
    /// A `flock` belongs to an open file description, and so does every copy of the descriptor:
    /// a child process started by any thread of this process (Foundation's `Process` on Linux,
    /// `posix_spawn`, `fork`) gets copies of all descriptors and holds the lock until it closes
    /// them just before `exec` — `O_CLOEXEC` cannot prevent that copy. A lock released by a sweep
    /// can therefore stay busy for a moment after its release. A sweep writes its pid into the
    /// file right after locking and empties the file before releasing, so a busy lock whose file
    /// names a pid is a real holder and is reported at once, while a busy lock with an empty file
    /// (such a copy, or a holder about to write its pid) is retried every 2 ms for up to
    /// `transientHolderGrace`.
    /// - Returns: nil when the lock is taken; otherwise the `errno` of `flock` (`EWOULDBLOCK`
    ///   when another description holds the lock) and the pid the lock file names, if any.
    static func acquire(_ fd: Int32) -> (error: Int32, holder: Int32?)? {
        let clock = ContinuousClock()
        let deadline = clock.now + transientHolderGrace
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return nil }
            let e = errno
            if e == EINTR { continue }
            guard e == EWOULDBLOCK else { return (e, nil) }
            let holder = pid(in: fd)
            if holder != nil || clock.now >= deadline { return (e, holder) }
            usleep(2_000)
        }
    }

    deinit { release() }

    /// Empties the lock file and releases the lock (idempotent).
    func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        FileIO.close(fd)
        fd = -1
    }

    /// The lock file that serialises writes of the files every shard writes alike (the spec copy
    /// and the input copies), held only while they are written.
    static let copiesFileName = ".copies.lock"

    /// Runs `body` holding `<directory>/.copies.lock` (a blocking `flock`: the files it guards are
    /// written in milliseconds), so that shards starting at once never replace each other's
    /// temporary files.
    /// - Throws: `SweepError.io` when the lock file is a symbolic link or cannot be locked, and what
    ///   `body` throws.
    static func withCopiesLock<T>(directory: URL, display: String, _ body: () throws -> T) throws -> T {
        let (fd, openError) = FileIO.openNoFollow(directory.appendingPathComponent(copiesFileName).path, O_RDWR | O_CREAT)
        guard fd >= 0 else {
            if openError == ELOOP { throw SweepError.io(path: display + "/" + copiesFileName, message: FileIO.symbolicLinkMessage) }
            // A directory where the lock cannot be created (read-only, permission revoked) takes
            // no write either: `body` then fails naming the file it writes.
            return try body()
        }
        defer { FileIO.close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SweepError.io(path: display + "/" + copiesFileName, message: "cannot lock: \(FileIO.reason(errno))") }
        }
        return try body()
    }

    /// The pid written in the lock file, if it holds one.
    private static func pid(in fd: Int32) -> Int32? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        let (bytes, error) = FileIO.readAll(fd)
        guard error == 0 else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(text), pid > 0 else { return nil }
        return pid
    }
}
