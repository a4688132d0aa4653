import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a spec file with one-line errors: missing, a directory or another non-regular file
/// (a FIFO would block), unreadable (the system's reason), too large, or not UTF-8.
enum SpecFile {
    /// Largest spec file accepted (16 MiB); specs are a few kilobytes.
    static let maximumBytes = 16 << 20

    /// The text of the spec file at `url`.
    /// - Parameter displayName: the name used in messages.
    /// - Throws: `SweepError.specNotFound` when missing, `SweepError.io` when it is not a readable
    ///   regular file, `SweepError.spec` when larger than `maximumBytes`, `SweepError.syntax`
    ///   when not UTF-8.
    static func contents(_ url: URL, displayName name: String) throws -> String {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw SweepError.specNotFound("\(name): no such spec file") }
            throw SweepError.io(path: name, message: "cannot read the spec file: \(String(cString: strerror(e)))")
        }
        let type = info.st_mode & S_IFMT
        guard type != S_IFDIR else {
            throw SweepError.io(path: name, message: "is a directory; allowed: a JSON spec file or an experiment name")
        }
        guard type == S_IFREG else {
            throw SweepError.io(path: name, message: "is not a regular file; allowed: a JSON spec file")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw SweepError.spec(file: name, path: "$", message: "the file has \(info.st_size) bytes",
                                  allowed: "a spec of at most \(maximumBytes) bytes")
        }
        let data = try readAllBytes(url.path, displayName: name)
        guard let text = String(data: data, encoding: .utf8) else {
            throw SweepError.syntax(file: name, line: 1, column: 1, message: "the file is not valid UTF-8")
        }
        return text
    }

    /// All bytes of a file.
    private static func readAllBytes(_ path: String, displayName name: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SweepError.io(path: name, message: "cannot read the spec file: \(FileIO.reason(errno))")
        }
        defer { FileIO.close(fd) }
        let (bytes, error) = FileIO.readAll(fd)
        guard error == 0 else {
            throw SweepError.io(path: name, message: "cannot read the spec file: \(FileIO.reason(error))")
        }
        guard bytes.count <= maximumBytes else {
            throw SweepError.spec(file: name, path: "$", message: "the file has \(bytes.count) bytes",
                                  allowed: "a spec of at most \(maximumBytes) bytes")
        }
        return Data(bytes)
    }
}
