import AlignmentCore
import Foundation
import ResultFiles
import StableFloor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Journal {
    /// Bytes read from a journal file at a time (`JournalBytes`).
    static let readBlockSize = 1 << 20

    /// Reads a journal without changing it; an absent file is an empty journal. The file is read
    /// forward through a buffer of `blockSize` bytes (`JournalReader`): the header on line 1, then
    /// the longest prefix of complete lines that decode as run records (`goodEnd`); the rest (a
    /// partial or corrupt tail) is counted in `discardedBytes`. Memory holds one block and one
    /// checkpoint (or a line's head or tail) at a time, plus the records without their curves.
    /// - Parameters:
    ///   - curves: where the records' checkpoints go (`JournalCurves`).
    ///   - verifyCanonical: whether to determine which lines are exactly the writer's bytes for
    ///     their records (`JournalLineSource.canonical`), so `rewrite` can copy them.
    ///   - blockSize: bytes read at a time.
    /// - Throws: `SweepError.io` when the file exists but cannot be read (or is a symbolic link),
    ///   or a scratch file for the checkpoints cannot be written.
    /// - Complexity: O(size of the journal) time; memory O(`blockSize` + largest checkpoint +
    ///   records without their checkpoints).
    static func read(_ url: URL, curves: JournalCurves, verifyCanonical: Bool = false, blockSize: Int = readBlockSize) throws -> Contents {
        let (fd, openError) = FileIO.openNoFollow(url.path, O_RDONLY)
        guard fd >= 0 else {
            if openError == ENOENT { return Contents(header: nil, records: [], goodEnd: 0, discardedBytes: 0) }
            if openError == ELOOP { throw SweepError.io(path: url.path, message: FileIO.symbolicLinkMessage) }
            throw SweepError.io(path: url.path, message: "cannot read: \(FileIO.reason(openError))")
        }
        defer { FileIO.close(fd) }
        let reader = JournalReader(bytes: JournalBytes(fd: fd, blockSize: blockSize), curves: curves, verifyCanonical: verifyCanonical)
        var contents = try collect(reader)
        guard reader.readError == 0 else { throw SweepError.io(path: url.path, message: "cannot read: \(FileIO.reason(reader.readError))") }
        // A journal of another format is never taken for a corrupt one (which the next sweep
        // would discard with every run in it).
        if let format = reader.foreignFormat {
            throw SweepError.store("\(url.path): journal format \(format) is not one this bench reads (format \(JournalHeader.format)): "
                                   + "another version of bench wrote it; use that version, or move the results directory away to start over")
        }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : reader.readEnd
        contents.discardedBytes = max(size, reader.readEnd) - contents.goodEnd
        if contents.discardedBytes > 0 {
            (contents.discardedLines, contents.discardedPartial) = try countLines(fd, from: contents.goodEnd, to: contents.goodEnd + contents.discardedBytes, url: url)
        }
        return contents
    }

    /// The newlines in bytes `from..<to` of `fd`, and whether the last of those bytes is not one.
    /// - Throws: `SweepError.io` when the file cannot be read.
    /// - Complexity: O(to − from) time, memory O(1 MiB).
    private static func countLines(_ fd: Int32, from: Int, to: Int, url: URL) throws -> (lines: Int, partial: Bool) {
        var buffer = [UInt8](repeating: 0, count: min(1 << 20, max(1, to - from)))
        var offset = from, lines = 0, last: UInt8 = 0x0A
        while offset < to {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, min($0.count, to - offset), off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                if n == 0 { break }
                throw SweepError.io(path: url.path, message: "cannot read: \(FileIO.reason(errno))")
            }
            for k in 0..<n where buffer[k] == 0x0A { lines += 1 }
            last = buffer[n - 1]
            offset += n
        }
        return (lines, last != 0x0A)
    }

    /// The header (if the first line is one), then the longest prefix of newline-terminated lines
    /// that decode as run records (checkpoints in memory), and the prefix's length in bytes — what
    /// `read` finds in a file holding `bytes`.
    /// - Complexity: O(size of the journal).
    static func decode(_ bytes: [UInt8], blockSize: Int = readBlockSize) -> (header: JournalHeader?, records: [RunRecord], goodEnd: Int) {
        let reader = JournalReader(bytes: JournalBytes(bytes: bytes, blockSize: blockSize), curves: .memory, verifyCanonical: false)
        // Only spilling checkpoints can throw.
        let contents = (try? collect(reader)) ?? Contents(header: nil, records: [], goodEnd: 0, discardedBytes: 0)
        return (contents.header, contents.records, contents.goodEnd)
    }

    /// The records of a journal's bytes (header skipped); see `decode(_:)`.
    static func decode(_ data: Data) -> (records: [RunRecord], goodEnd: Int) {
        let d = decode([UInt8](data))
        return (d.records, d.goodEnd)
    }

    private static func collect(_ reader: JournalReader) throws -> Contents {
        var contents = Contents(header: nil, records: [], goodEnd: 0, discardedBytes: 0)
        while let line = try reader.next() {
            switch line {
            case let .header(h): contents.header = h
            case let .record(r, source):
                contents.records.append(r)
                contents.sources.append(source)
            }
        }
        contents.goodEnd = reader.goodEnd
        return contents
    }

    /// Replaces the journal by `header` and `records` (temporary file, fsync, rename, directory
    /// fsync), then opens it for appending. A record whose line in the current file is given in
    /// `sources` and is canonical is copied from that file byte for byte (so 1 MiB at a time,
    /// never re-encoded); any other record is encoded (`RunRecord.appendJournalLine`, or its
    /// checkpoints from its `spill` with the same bytes). Either way the file is the one encoding
    /// every record would give.
    /// - Parameter sources: for each record, its line in the current journal at `url`, or nil.
    /// - Throws: `SweepError.io`; the old journal is then unchanged.
    static func rewrite(_ url: URL, header: JournalHeader, records: [RunRecord], sources: [JournalLineSource?] = []) throws -> Journal {
        precondition(sources.isEmpty || sources.count == records.count, "one source per record")
        let sink = try ChunkedFile(url)
        sink.out = Array((header.json.compactText + "\n").utf8)
        var old: Int32 = -1
        defer { if old >= 0 { FileIO.close(old) } }
        for (k, r) in records.enumerated() {
            if let s = sources.isEmpty ? nil : sources[k], s.canonical {
                if old < 0 {
                    let (fd, e) = FileIO.openNoFollow(url.path, O_RDONLY)
                    guard fd >= 0 else { throw SweepError.io(path: url.path, message: "cannot read: \(FileIO.reason(e))") }
                    old = fd
                }
                try copy(old, s.range, url: url, to: sink)
            } else if let spill = r.spill {
                r.appendJournalPrefix(to: &sink.out)
                try appendCurveText(spill, to: sink)
                r.appendJournalSuffix(to: &sink.out)
            } else {
                r.appendJournalLine(to: &sink.out)
            }
            try sink.flush()
        }
        let size = try sink.commit()
        return try Journal(appendingTo: url, goodEnd: size)
    }

    /// A file written through `AtomicFile` from a buffer flushed every MiB.
    final class ChunkedFile {
        private let file: AtomicFile
        /// Bytes not yet written.
        var out: [UInt8] = []
        private var size = 0

        /// Creates the temporary file of `url`.
        /// - Throws: `SweepError.io`.
        init(_ url: URL) throws { file = try SweepError.mapping { try AtomicFile(url) } }

        /// Writes the buffer when it holds at least 1 MiB (or `force`).
        /// - Throws: `SweepError.io`.
        func flush(force: Bool = false) throws {
            guard force || out.count >= 1 << 20 else { return }
            try SweepError.mapping { try file.write(out) }
            size += out.count
            out.removeAll(keepingCapacity: true)
        }

        /// Writes the rest, syncs and renames; returns the file's size.
        /// - Throws: `SweepError.io`.
        func commit() throws -> Int {
            try flush(force: true)
            try SweepError.mapping { try file.commit() }
            return size
        }
    }

    /// Appends the bytes `range` of `fd` to `sink`, 1 MiB at a time.
    private static func copy(_ fd: Int32, _ range: Range<Int>, url: URL, to sink: ChunkedFile) throws {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let n = min(1 << 20, range.upperBound - offset)
            let start = sink.out.count
            sink.out.append(contentsOf: repeatElement(0, count: n))
            var done = 0
            while done < n {
                let r = sink.out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + start + done, n - done, off_t(offset + done)) }
                if r < 0 && errno == EINTR { continue }
                guard r > 0 else {
                    throw SweepError.io(path: url.path, message: r < 0 ? "cannot read: \(FileIO.reason(errno))" : "cannot read: the journal is shorter than when it was read")
                }
                done += r
            }
            offset += n
            try sink.flush()
        }
    }

    /// Appends the journal's `"curve"` value for the checkpoints of `spill` — the bytes
    /// `CurveRecorder` and `RunRecord.appendJournalCurve` write (format 2,
    /// `RunRecord.journalCurveFormat`): the names of the columns with a value at some checkpoint,
    /// each list sorted, then one row per checkpoint, `null` where absent. The spill is read twice:
    /// once for which columns have a value, once for the rows.
    /// - Throws: `SweepError.io` when the spill cannot be read.
    static func appendCurveText(_ spill: CurveSpill, to sink: ChunkedFile) throws {
        let reader = try CurveSpill.Reader(spill)
        var present = [Bool](repeating: false, count: spill.names.count)
        for b in 0..<spill.blocks {
            let rows = spill.rows(inBlock: b)
            let block = try reader.columns(0..<spill.width, block: b)
            for c in present.indices where !present[c] {
                let column = block.startIndex + (2 + c) * rows
                present[c] = (0..<rows).contains { !Double(bitPattern: block[column + $0]).isNaN }
            }
        }
        func order(_ range: Range<Int>) -> [Int] { range.filter { present[$0] }.sorted { spill.names[$0] < spill.names[$1] } }
        let columns = order(0..<spill.metricCount) + order(spill.metricCount..<spill.names.count)
        let metricCount = columns.prefix { $0 < spill.metricCount }.count
        RunRecord.appendCurveColumns(metrics: columns[..<metricCount].map { spill.names[$0] },
                                     diagnostics: columns[metricCount...].map { spill.names[$0] }, to: &sink.out)
        var out: [UInt8] = []
        swap(&out, &sink.out)
        try RunRecord.appendCurveRows(spill, columns: columns, to: &out) { buffer in
            swap(&buffer, &sink.out)
            try sink.flush()
            swap(&buffer, &sink.out)
        }
        swap(&out, &sink.out)
        sink.out.append(contentsOf: RunRecord.curveClosing)
    }
}
