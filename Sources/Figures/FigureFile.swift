import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a figure's script or data file without following symbolic links: a plots directory
/// may be shared, and a link planted at `<id>.gp` or at the temporary file must not let a sweep
/// overwrite the file it points to.
enum FigureFile {
    /// Writes `text` to `url` through a temporary file `.<name>.tmp` (a stale one is unlinked, then
    /// created with `O_CREAT | O_EXCL | O_NOFOLLOW`) and renamed over `url`.
    /// - Throws: `FiguresError.writeFailed` naming the path — "is a symbolic link; refusing to write
    ///   through it" when `url` is a link, or the system's reason. The temporary file is removed.
    static func write(_ text: String, to url: URL) throws {
        var info = stat()
        if lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
            throw FiguresError.writeFailed(path: url.path, reason: "is a symbolic link; refusing to write through it")
        }
        let tmp = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
        unlink(tmp.path)
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = errno == ELOOP || errno == EEXIST ? "\(tmp.lastPathComponent) is a symbolic link; refusing to write through it"
                                                            : String(cString: strerror(errno))
            throw FiguresError.writeFailed(path: url.path, reason: reason)
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            #if canImport(Glibc)
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            #else
            let n = bytes[written...].withUnsafeBytes { Darwin.write(fd, $0.baseAddress, $0.count) }
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(tmp.path)
                throw FiguresError.writeFailed(path: url.path, reason: reason)
            }
            written += n
        }
        close(fd)
        guard rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp.path)
            throw FiguresError.writeFailed(path: url.path, reason: reason)
        }
    }
}
