import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal's bytes read forward through a bounded buffer, addressed by file offset: the buffer
/// holds the bytes from `keep` (which the reader advances as it finishes a line or an element) to
/// the furthest offset asked for, read in blocks of `blockSize`. So reading a journal holds one
/// block plus the longest piece the reader keeps at once (a line's head or tail, one checkpoint),
/// never the file or a whole line.
struct JournalBytes {
    /// Reads up to `count` bytes into the pointer; returns how many (0 at the end), or -1 with `errno`.
    typealias Source = (UnsafeMutableRawPointer, Int) -> Int

    private let source: Source
    /// Bytes read per block.
    let blockSize: Int
    /// Storage; only `buffer[..<filled]` holds bytes of the file (from offset `base`), the rest is
    /// room for the next block. It grows geometrically and is never zero-filled per block, so a
    /// block costs one `read` (plus moving the kept bytes to the front), also in a debug build.
    private var buffer: [UInt8] = []
    /// How many bytes of `buffer` hold file bytes.
    private var filled = 0
    /// File offset of `buffer[0]`.
    private var base = 0
    /// Bytes before this offset may be dropped from the buffer.
    var keep = 0
    /// Whether the source reported its end (or an error).
    private(set) var atEnd = false
    /// The `errno` of a failed read (0 when none).
    private(set) var error: Int32 = 0
    /// File offset just past the last byte read.
    var readEnd: Int { base + filled }

    /// A reader of `source` in blocks of `blockSize` bytes.
    init(blockSize: Int, source: @escaping Source) {
        precondition(blockSize > 0, "the block size must be positive")
        self.blockSize = blockSize
        self.source = source
    }

    /// A reader of file descriptor `fd` (not closed by the reader).
    init(fd: Int32, blockSize: Int) {
        self.init(blockSize: blockSize) { pointer, count in
            #if canImport(Glibc)
            Glibc.read(fd, pointer, count)
            #else
            Darwin.read(fd, pointer, count)
            #endif
        }
    }

    /// A reader of bytes in memory.
    init(bytes: [UInt8], blockSize: Int) {
        var offset = 0
        self.init(blockSize: blockSize) { pointer, count in
            let n = min(count, bytes.count - offset)
            bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
    }

    /// The byte at file offset `offset` (≥ `keep`), reading blocks as needed; nil past the end of
    /// the file or after a read error.
    @inline(__always)
    mutating func byte(_ offset: Int) -> UInt8? {
        let i = offset - base
        if i < filled { return buffer[i] }
        return load(offset) ? buffer[offset - base] : nil
    }

    /// Reads blocks until `offset` is in the buffer, first dropping the bytes before `keep`.
    /// - Returns: false at the end of the file or after a read error.
    private mutating func load(_ offset: Int) -> Bool {
        precondition(offset >= keep && keep >= base, "journal bytes before the kept offset were dropped")
        while offset - base >= filled {
            if atEnd { return false }
            let drop = keep - base
            if drop > 0 {
                let kept = filled - drop
                buffer.withUnsafeMutableBytes { all in
                    if kept > 0 { memmove(all.baseAddress!, all.baseAddress! + drop, kept) }
                }
                filled = kept
                base += drop
            }
            if buffer.count - filled < blockSize { grow(to: max(filled + blockSize, 2 * buffer.count)) }
            var n = 0
            while true {
                n = buffer.withUnsafeMutableBytes { source($0.baseAddress! + filled, blockSize) }
                if n < 0 && errno == EINTR { continue }
                break
            }
            if n <= 0 {
                if n < 0 { error = errno }
                atEnd = true
                n = 0
            }
            filled += n
        }
        return true
    }

    /// Replaces the storage by `size` bytes (> `filled`) holding the same file bytes first.
    private mutating func grow(to size: Int) {
        let filled = self.filled
        let old = buffer
        buffer = [UInt8](unsafeUninitializedCapacity: size) { storage, count in
            let raw = UnsafeMutableRawBufferPointer(storage)
            old.withUnsafeBytes { if filled > 0 { raw.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: filled) } }
            memset(raw.baseAddress! + filled, 0, size - filled)
            count = size
        }
    }

    /// Calls `body` with the bytes of `range` (which must have been read: every offset in it at
    /// least `keep`, its last byte loaded by `byte(_:)`).
    func withBytes<T>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        precondition(range.lowerBound >= base && range.upperBound <= readEnd, "journal bytes not in the buffer")
        return try buffer.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(range.lowerBound - base)..<(range.upperBound - base)]))
        }
    }

    /// The bytes of `range` as an array (see `withBytes`).
    func bytes(_ range: Range<Int>) -> [UInt8] { withBytes(range) { Array($0) } }
}
