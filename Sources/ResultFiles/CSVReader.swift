import Foundation

/// One CSV record with the line it starts on (1-based, for messages).
public struct CSVRecord: Sendable, Equatable {
    /// The fields, unquoted.
    public var fields: [String]
    /// The line of the file on which the record starts.
    public var line: Int
}

/// A streaming RFC 4180 reader: a file is read in 64 KiB blocks and handed out record by record,
/// so no file is ever held in memory as a whole.
///
/// Fields may be quoted (`"a,b"`, `"say ""hi"""`) and then hold commas, doubled quotes and line
/// breaks; records end with LF, CRLF or CR; a UTF-8 byte-order mark before the header is skipped;
/// blank lines are skipped. Every record must have as many fields as the header.
///
/// Complexity: O(file size) time; memory O(block size + longest record).
public final class CSVReader {
    /// Where the records come from (for messages).
    public let path: String
    /// The header's fields.
    public private(set) var header: [String] = []

    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private let handle: FileHandle?
    private var line = 1

    /// Opens a file and reads its header.
    /// - Parameter display: the path used in messages (default: `url.path`).
    /// - Throws: `ResultFilesError.missingFile`, `.malformed` (empty file, bad quoting, not UTF-8).
    public init(url: URL, display: String? = nil) throws {
        path = display ?? url.path
        guard let h = try? FileHandle(forReadingFrom: url) else { throw ResultFilesError.missingFile(path: path) }
        handle = h
        try readHeader()
    }

    /// Reads CSV text held in memory (tests, small files).
    /// - Throws: `ResultFilesError.malformed` like `init(url:display:)`.
    public init(text: String, path: String) throws {
        self.path = path
        handle = nil
        buffer = Array(text.utf8)
        exhausted = true
        try readHeader()
    }

    deinit { try? handle?.close() }

    private func readHeader() throws {
        if try peek(0) == 0xEF, try peek(1) == 0xBB, try peek(2) == 0xBF { position += 3 }
        guard let first = try nextFields() else {
            throw ResultFilesError.malformed(path: path, line: 1, reason: "empty file (a header row is required)")
        }
        header = first.fields
    }

    /// The next data record, or nil at the end of the file.
    /// - Throws: `ResultFilesError.malformed` for bad quoting, invalid UTF-8 or a record whose
    ///   field count differs from the header's.
    public func next() throws -> CSVRecord? {
        guard let r = try nextFields() else { return nil }
        guard r.fields.count == header.count else {
            throw ResultFilesError.malformed(path: path, line: r.line, reason: "\(r.fields.count) fields, but the header has \(header.count)")
        }
        return r
    }

    /// The byte `offset` places ahead, reading another block when needed (nil at the end).
    private func peek(_ offset: Int) throws -> UInt8? {
        while position + offset >= buffer.count {
            guard !exhausted, let handle else { return nil }
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let block: Data
            do { block = try handle.read(upToCount: 1 << 16) ?? Data() } catch {
                throw ResultFilesError.io(path: path, message: "cannot read: \(error.localizedDescription)")
            }
            if block.isEmpty { exhausted = true } else { buffer.append(contentsOf: block) }
        }
        return buffer[position + offset]
    }

    private func string(_ bytes: [UInt8], line: Int) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw ResultFilesError.malformed(path: path, line: line, reason: "not UTF-8")
        }
        return s
    }

    /// Splits the next record (blank lines skipped), without the field-count check.
    private func nextFields() throws -> CSVRecord? {
        while true {
            guard try peek(0) != nil else { return nil }
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false, wasQuoted = false
            func endField() throws {
                fields.append(try string(field, line: start))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            recordLoop: while let c = try peek(0) {
                position += 1
                if quoted {
                    if c == UInt8(ascii: "\"") {
                        if try peek(0) == UInt8(ascii: "\"") {
                            field.append(c)
                            position += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        let next = try peek(0)
                        if c == UInt8(ascii: "\n") || (c == UInt8(ascii: "\r") && next != UInt8(ascii: "\n")) { line += 1 }
                        field.append(c)
                    }
                    continue
                }
                switch c {
                case UInt8(ascii: ","):
                    try endField()
                case UInt8(ascii: "\""):
                    guard field.isEmpty && !wasQuoted else {
                        throw ResultFilesError.malformed(path: path, line: line, reason: "quote inside an unquoted field")
                    }
                    quoted = true
                    wasQuoted = true
                case UInt8(ascii: "\r"):
                    if try peek(0) == UInt8(ascii: "\n") { position += 1 }
                    line += 1
                    break recordLoop
                case UInt8(ascii: "\n"):
                    line += 1
                    break recordLoop
                default:
                    guard !wasQuoted else {
                        throw ResultFilesError.malformed(path: path, line: line, reason: "text after a closing quote")
                    }
                    field.append(c)
                }
            }
            if quoted { throw ResultFilesError.malformed(path: path, line: start, reason: "unterminated quoted field") }
            let blank = fields.isEmpty && field.isEmpty && !wasQuoted
            try endField()
            if blank { continue }
            return CSVRecord(fields: fields, line: start)
        }
    }
}
