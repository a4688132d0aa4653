import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The durable, append-only record of completed runs (`journal.jsonl`, one JSON object per line).
///
/// Each append writes one complete line and calls `fsync`, so after a crash or `kill -9` the file
/// holds every record that was acknowledged, possibly followed by one partial line. Opening the
/// journal keeps the longest prefix of complete, decodable lines and truncates the rest. An
/// exclusive `flock` keeps two sweeps from writing the same store.
///
/// Not thread-safe: the runner's single serial writer queue owns it.
final class Journal: @unchecked Sendable {
    /// The journal file.
    let url: URL
    /// Records found when the journal was opened, in file order.
    let existing: [RunRecord]
    /// Bytes discarded from the end of the file when it was opened (a partial or invalid tail).
    let discardedBytes: Int
    private var fd: Int32

    /// Opens (creating if needed) and locks the journal, loading its valid prefix.
    /// - Throws: `SweepError.store` when another process holds the lock, `SweepError.io` on
    ///   file-system errors.
    init(url: URL) throws {
        self.url = url
        let path = url.path
        fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw SweepError.io(path: path, message: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            _ = closeDescriptor(fd)
            if e == EWOULDBLOCK {
                throw SweepError.store("\(url.deletingLastPathComponent().path): another bench sweep is writing these results")
            }
            throw SweepError.io(path: path, message: String(cString: strerror(e)))
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            _ = closeDescriptor(fd)
            throw SweepError.io(path: path, message: "cannot read: \(error)")
        }
        let (records, goodEnd) = Self.decode(data)
        existing = records
        discardedBytes = data.count - goodEnd
        if goodEnd < data.count {
            guard ftruncate(fd, off_t(goodEnd)) == 0, fsync(fd) == 0 else {
                let message = String(cString: strerror(errno))
                _ = closeDescriptor(fd)
                throw SweepError.io(path: path, message: "cannot truncate the partial last line: \(message)")
            }
        }
    }

    deinit { close() }

    /// Releases the lock and closes the file (idempotent).
    func close() {
        if fd >= 0 {
            _ = closeDescriptor(fd)
            fd = -1
        }
    }

    /// The longest prefix of newline-terminated lines that decode as run records, and its length in bytes.
    /// - Complexity: O(size of the journal).
    static func decode(_ data: Data) -> (records: [RunRecord], goodEnd: Int) {
        var records: [RunRecord] = []
        var goodEnd = 0
        let bytes = [UInt8](data)
        var start = 0
        while start < bytes.count {
            guard let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let line = String(decoding: bytes[start..<nl], as: UTF8.self)
            guard let value = try? JSONParser.parse(line, file: "journal"), let record = RunRecord(json: value) else { break }
            records.append(record)
            start = nl + 1
            goodEnd = start
        }
        return (records, goodEnd)
    }

    /// Appends one record as a line and forces it to disk.
    /// - Throws: `SweepError.io` when writing or syncing fails.
    func append(_ record: RunRecord) throws {
        let line = Array((record.json.compactText + "\n").utf8)
        var written = 0
        while written < line.count {
            let n = line[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SweepError.io(path: url.path, message: "cannot append: " + String(cString: strerror(errno)))
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            throw SweepError.io(path: url.path, message: "cannot sync: " + String(cString: strerror(errno)))
        }
    }
}

/// `close(2)` under a name that does not clash with `Journal.close()`.
@inline(__always)
private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
