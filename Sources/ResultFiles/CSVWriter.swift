import Foundation

/// A streaming RFC 4180 writer: each row is encoded as it is appended (fields containing a comma,
/// quote, CR or LF are quoted, quotes doubled; every record ends with "\n") and flushed to the
/// file in blocks of 256 KiB, so a table is never held in memory as a whole.
///
/// A writer either targets a file (through `AtomicFile`: `finish()` commits it) or collects the
/// text in memory (`text`, for tests and small outputs).
public final class CSVWriter {
    /// Number of columns (every row must have it).
    public let columns: Int
    // @exclusivity(unchecked): a writer is used by one thread at a time (each file, or each unit
    // of a parallel file, has its own), and no access to these properties overlaps another; the runtime's
    // exclusivity check on every access cost about 4% of a sweep recording every iteration (perf).
    @exclusivity(unchecked) private var pending: [UInt8] = []
    @exclusivity(unchecked) private var collected: [UInt8] = []
    private let file: AtomicFile?
    @exclusivity(unchecked) private var failure: (any Error)?
    private static let flushThreshold = 1 << 18

    /// Starts an in-memory table with its header row.
    public init(header: [String]) {
        columns = header.count
        file = nil
        append(header)
    }

    /// Starts an in-memory block of rows without a header, to be appended to another writer with
    /// `append(rowsOf:)` (rows computed on another thread, written in a fixed order).
    public init(columns: Int) {
        self.columns = columns
        file = nil
    }

    /// Starts a file (written atomically when `finish()` is called) with its header row.
    /// - Throws: `ResultFilesError.io` when the temporary file cannot be created.
    public init(url: URL, header: [String]) throws {
        columns = header.count
        file = try AtomicFile(url)
        append(header)
    }

    /// The text written so far (in-memory writers; a file writer's text is on disk).
    public var text: String { String(decoding: collected + pending, as: UTF8.self) }

    /// The bytes written so far (in-memory writers).
    public var bytes: [UInt8] { collected + pending }

    /// Appends one row; a full block goes to the file. A write error is kept and thrown by
    /// `finish()` (later rows are dropped), so producers append without handling I/O.
    /// - Precondition: `fields.count == columns` (a programmer error otherwise).
    public func append(_ fields: [String]) {
        precondition(fields.count == columns, "CSV row has \(fields.count) fields, expected \(columns)")
        guard failure == nil else { return }
        for (i, f) in fields.enumerated() {
            if i > 0 { pending.append(UInt8(ascii: ",")) }
            pending.append(contentsOf: Self.escape(f).utf8)
        }
        pending.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    /// Appends one row that `body` writes field by field straight into the buffer (`CSVRow`: no
    /// array of cells, no `String` per number); the bytes are those `append(_:)` writes for the
    /// same cells, and a full block goes to the file as there.
    /// - Precondition: `body` writes `columns` fields (a programmer error otherwise).
    public func appendRow(_ body: (inout CSVRow) -> Void) {
        guard failure == nil else { return }
        var row = CSVRow(bytes: [])
        swap(&row.bytes, &pending)
        body(&row)
        swap(&row.bytes, &pending)
        precondition(row.fields == columns, "CSV row has \(row.fields) fields, expected \(columns)")
        pending.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    /// Writes a full block to the file, keeping a write error for `finish()`.
    private func flushIfFull() {
        if file != nil && pending.count >= Self.flushThreshold {
            do { try flush() } catch { failure = error }
        }
    }

    /// Appends every row of `block` (an in-memory writer with the same number of columns); a full
    /// block goes to the file. A write error is kept and thrown by `finish()`, as with `append(_:)`.
    /// - Precondition: `block.columns == columns` and `block` writes to memory.
    public func append(rowsOf block: CSVWriter) {
        precondition(block.columns == columns && block.file == nil, "CSV block has \(block.columns) columns, expected \(columns)")
        guard failure == nil else { return }
        guard let file else {
            pending.append(contentsOf: block.collected)
            pending.append(contentsOf: block.pending)
            return
        }
        // Written through without copying the block into `pending` (a block can be large).
        do {
            try flush()
            try file.write(block.collected)
            try file.write(block.pending)
        } catch {
            failure = error
        }
    }

    private func flush() throws {
        if let file { try file.write(pending) } else { collected.append(contentsOf: pending) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes what is pending and commits the file (temp file, fsync, rename).
    /// - Throws: `ResultFilesError.io` (also for an error met by an earlier `append`).
    public func finish() throws {
        if let failure { throw failure }
        try flush()
        try file?.commit()
    }

    /// One field, quoted when it contains a comma, a quote, CR or LF (RFC 4180 §2.6–2.7).
    public static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var out = "\""
        for ch in field.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }
}
