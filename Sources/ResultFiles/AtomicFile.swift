import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written through a temporary file `.<name>.tmp` next to it, synced and renamed over it
/// when committed, so readers see the old or the new file, never a partial one — the one atomic
/// write of the result files, the journal snapshot and the figure scripts.
///
/// Symbolic links are never followed: a destination that is a link is refused, and the temporary
/// file is created with `O_CREAT | O_EXCL | O_NOFOLLOW` after unlinking a stale one. On failure the
/// temporary file is removed and the destination keeps its previous content.
public final class AtomicFile {
    /// The message for a path that is a symbolic link where the tool writes.
    public static let symbolicLinkMessage = "is a symbolic link; refusing to write through it"

    /// The destination.
    public let url: URL
    private let temporary: URL
    private var fd: Int32

    /// Creates the temporary file of `url`.
    /// - Throws: `ResultFilesError.io` naming `url` (or the temporary file when it is a planted
    ///   link) with `symbolicLinkMessage` or the system's reason.
    public init(_ url: URL) throws {
        self.url = url
        var info = stat()
        if lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
            throw ResultFilesError.io(path: url.path, message: Self.symbolicLinkMessage)
        }
        temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
        unlink(temporary.path)
        fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let e = errno
            let link = e == ELOOP || e == EEXIST
            throw ResultFilesError.io(path: link ? temporary.path : url.path,
                                      message: link ? Self.symbolicLinkMessage : "cannot write: \(String(cString: strerror(e)))")
        }
    }

    deinit { abandon() }

    private func fail(_ code: Int32) -> ResultFilesError {
        abandon()
        return ResultFilesError.io(path: url.path, message: "cannot write: \(String(cString: strerror(code)))")
    }

    /// Appends bytes to the temporary file (retrying after signals and short writes).
    /// - Throws: `ResultFilesError.io`; the temporary file is then removed.
    public func write(_ bytes: [UInt8]) throws {
        precondition(fd >= 0, "write after commit or abandon")
        let code = Self.writeAll(fd, bytes)
        if code != 0 { throw fail(code) }
    }

    /// Writes every byte to `fd`, retrying after signals (`EINTR`) and short writes — the one
    /// write loop of the result files, the journal and the figure scripts.
    /// - Returns: 0, or the `errno` of the failed `write(2)`.
    /// - Complexity: O(bytes.count).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var written = 0
        while written < bytes.count {
            #if canImport(Glibc)
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            #else
            let n = bytes[written...].withUnsafeBytes { Darwin.write(fd, $0.baseAddress, $0.count) }
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return 0
    }

    /// Syncs the temporary file, renames it over the destination and syncs the directory.
    /// - Throws: `ResultFilesError.io`; the temporary file is then removed.
    public func commit() throws {
        precondition(fd >= 0, "commit after commit or abandon")
        guard fsync(fd) == 0 else { throw fail(errno) }
        close(fd)
        fd = -1
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw ResultFilesError.io(path: url.path, message: "cannot write: \(String(cString: strerror(code)))")
        }
        let dir = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    /// Closes and removes the temporary file (no effect after `commit`).
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporary.path)
    }

    /// Writes `bytes` to `url` atomically (one `AtomicFile`, written and committed).
    /// - Throws: `ResultFilesError.io`.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let file = try AtomicFile(url)
        try file.write(bytes)
        try file.commit()
    }
}
