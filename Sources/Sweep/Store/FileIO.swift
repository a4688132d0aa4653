import Foundation
import ResultFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers whose errors carry the system's reason (`strerror`), used by the
/// journal, the lock and the result files.
enum FileIO {
    /// The system's text for an `errno` value.
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes every byte to `fd`, retrying after signals and short writes (`AtomicFile.writeAll`).
    /// - Returns: 0, or the `errno` of the failed `write(2)`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 { AtomicFile.writeAll(fd, bytes) }

    /// Every byte of `fd` from its current offset.
    /// - Returns: the bytes and 0, or the bytes read so far and the `errno` of the failed `read(2)`.
    static func readAll(_ fd: Int32) -> (bytes: [UInt8], error: Int32) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            #if canImport(Glibc)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            #else
            let n = buffer.withUnsafeMutableBytes { Darwin.read(fd, $0.baseAddress, $0.count) }
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return (out, errno)
            }
            if n == 0 { return (out, 0) }
            out.append(contentsOf: buffer[0..<n])
        }
    }

    /// The message for a path that is a symbolic link where the tool writes.
    static let symbolicLinkMessage = "is a symbolic link; refusing to write through it"

    /// `open(2)` of a file the tool writes or truncates, never following a symbolic link in the
    /// last component (`O_NOFOLLOW`); `O_CLOEXEC` is added.
    /// - Returns: the descriptor, or the `errno` (`ELOOP` when `path` is a symbolic link).
    static func openNoFollow(_ path: String, _ flags: Int32, mode: mode_t = 0o644) -> (fd: Int32, error: Int32) {
        let fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        return fd >= 0 ? (fd, 0) : (-1, errno)
    }

    /// Whether `path` is a symbolic link (`lstat`).
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// `close(2)`.
    @discardableResult
    static func close(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.close(fd)
        #else
        return Darwin.close(fd)
        #endif
    }

    /// Flushes a directory entry change (create, rename, unlink) to disk; best effort (some file
    /// systems cannot sync directories).
    static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Checks, without creating anything, that `url` is a directory or could be created as one: the
    /// nearest existing ancestor must be a writable directory and no existing component may be a file.
    /// - Parameter display: the path as the user gave it (for the message).
    /// - Throws: `SweepError.io` naming the component that is in the way.
    static func checkCreatableDirectory(_ url: URL, display: String, what: String) throws {
        var current = url.standardizedFileURL
        var info = stat()
        while stat(current.path, &info) != 0 {
            let e = errno
            guard e == ENOENT || e == ENOTDIR else {
                throw SweepError.io(path: display, message: "cannot create the \(what): \(current.path): \(reason(e))")
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SweepError.io(path: display, message: "cannot create the \(what): \(current.path) is not a directory")
        }
        guard access(current.path, W_OK | X_OK) == 0 else {
            throw SweepError.io(path: display, message: "cannot create the \(what): \(current.path): \(reason(errno))")
        }
    }

    /// Creates a directory and its missing parents.
    /// - Throws: `SweepError.io` with the component and the system's reason.
    static func createDirectory(_ url: URL, display: String, what: String) throws {
        try checkCreatableDirectory(url, display: display, what: what)
        var missing: [URL] = []
        var current = url.standardizedFileURL
        var info = stat()
        while stat(current.path, &info) != 0 {
            missing.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        for dir in missing.reversed() where mkdir(dir.path, 0o755) != 0 && errno != EEXIST {
            throw SweepError.io(path: display, message: "cannot create the \(what): \(dir.path): \(reason(errno))")
        }
    }
}

extension SweepRunner {
    /// Checks, without creating anything, that an output directory exists or can be created (every
    /// existing component a directory, the nearest existing one writable), so that a sweep fails
    /// before running when `--out` or `--plots` is unusable.
    /// - Parameters:
    ///   - url: the directory.
    ///   - display: the path as the user gave it.
    ///   - what: "results directory" or "figures directory" (for the message).
    /// - Throws: `SweepError.io` naming the component that is in the way.
    public static func checkOutputDirectory(_ url: URL, display: String, what: String) throws {
        try FileIO.checkCreatableDirectory(url, display: display, what: what)
    }
}
