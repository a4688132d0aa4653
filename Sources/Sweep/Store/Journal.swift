import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first line of a journal: which experiment and spec the records belong to.
struct JournalHeader: Sendable, Equatable {
    /// The experiment's name.
    var experiment: String
    /// `ExperimentSpec.specHash` of the spec that wrote the journal.
    var specHash: String
    /// `ExperimentSpec.resultsHash` of that spec (what a changed-spec check compares).
    var resultsHash: String
    /// The `--only` selection the runs belong to (`RunSubset.text`; empty for the whole spec, and
    /// then not written, so whole-spec journals are as before).
    var only: String

    /// The journal format this bench writes and reads (the header's `"bench_journal"` value).
    static let format = 1

    /// The header as one JSON object (the key "bench_journal" tells it apart from a record).
    var json: JSONValue {
        .object([JSONMember("bench_journal", .integer(Self.format)), JSONMember("experiment", .string(experiment)),
                 JSONMember("spec_hash", .string(specHash)), JSONMember("results_hash", .string(resultsHash))]
                + (only.isEmpty ? [] : [JSONMember("only", .string(only))]))
    }

    /// Decodes a header line; nil when `v` is not one.
    init?(json v: JSONValue) {
        guard v["bench_journal"]?.integerValue == Self.format, let e = v["experiment"]?.stringValue,
              let s = v["spec_hash"]?.stringValue, let r = v["results_hash"]?.stringValue else { return nil }
        self.init(experiment: e, specHash: s, resultsHash: r, only: v["only"]?.stringValue ?? "")
    }

    /// Creates a header.
    init(experiment: String, specHash: String, resultsHash: String, only: String = "") {
        self.experiment = experiment
        self.specHash = specHash
        self.resultsHash = resultsHash
        self.only = only
    }
}

/// The durable, append-only record of completed runs (`journal.jsonl`): a header line, then one
/// JSON object per run.
///
/// Each append writes complete lines — one, or a batch of those that finished meanwhile — and then
/// calls `fsync` once, so after a crash or `kill -9` the file holds every record that was
/// acknowledged (a record counts only once its batch is synced), possibly followed by complete
/// lines of the batch being written and one partial line. Reading keeps
/// the longest prefix of complete, decodable lines; opening for appends truncates the rest, so a
/// partial line is never parsed as data. Reading streams (`Journal+Read`): a bounded buffer, each
/// record's checkpoints into a scratch `CurveSpill` (or skipped), so memory does not grow with
/// the journal. A journal is rewritten (extend, fresh, dropped records) through a temporary file
/// and `rename`, so it is always either the old or the new one; kept lines are copied from the
/// old file byte for byte.
///
/// Callers hold the directory's `ResultsLock`. Not thread-safe: the runner's single serial writer
/// queue owns it.
final class Journal: @unchecked Sendable {
    /// What a journal file holds.
    struct Contents {
        /// The header line, if the journal has one (journals of version 0.1.0 have none).
        var header: JournalHeader?
        /// Records in file order.
        var records: [RunRecord]
        /// Length of the valid prefix in bytes.
        var goodEnd: Int
        /// Bytes after the valid prefix (a partial or corrupt tail), discarded when opened.
        var discardedBytes: Int
        /// Where each record's line is (parallel to `records`).
        var sources: [JournalLineSource] = []
        /// Newline-terminated lines in the discarded tail (0: the tail is one partial line, as a
        /// write cut short by a kill leaves it; more: a complete line that is not a record).
        var discardedLines = 0
        /// Whether the discarded tail ends without a newline.
        var discardedPartial = false

        /// What was discarded, as the note a sweep prints after the journal's path; nil when nothing was.
        /// - Complexity: O(1).
        var discardDescription: String? {
            guard discardedBytes > 0 else { return nil }
            guard let corrupt = corruptLine else {
                return "discarded \(discardedBytes) bytes of a partial last line left by an interrupted sweep"
            }
            return "line \(corrupt.line) is not a valid journal line (corrupt or edited): discarded it and the \(corrupt.after) line(s) after it "
                + "(\(discardedBytes) bytes); the runs they held are run again if still planned"
        }

        /// The first complete line that is not a valid journal line (1-based) and the lines after
        /// it, all of which the next sweep discards; nil when the valid prefix ends at the end of
        /// the file or at a partial last line (which a running sweep may still be writing).
        /// - Complexity: O(1).
        var corruptLine: (line: Int, after: Int)? {
            guard discardedBytes > 0, discardedLines > 0 else { return nil }
            return ((header == nil ? 0 : 1) + records.count + 1, discardedLines - 1 + (discardedPartial ? 1 : 0))
        }
    }

    /// The journal file.
    let url: URL
    private var fd: Int32
    private var size: off_t
    /// The 1 MiB buffer through which curve texts are copied (allocated at the first one).
    private var copyBuffer: [UInt8] = []

    /// Opens an existing journal for appending, truncating it to `goodEnd` (its valid prefix).
    /// - Throws: `SweepError.io` on file-system errors.
    init(appendingTo url: URL, goodEnd: Int) throws {
        self.url = url
        // `fd` is assigned only once every check has passed: a class whose stored properties are
        // all set runs `deinit` when its initializer throws, and `deinit` closes `fd`, so closing
        // it here and then assigning it would close the descriptor twice (the second time
        // possibly another thread's newly opened file with the same number).
        let (opened, openError) = FileIO.openNoFollow(url.path, O_WRONLY | O_APPEND)
        guard opened >= 0 else {
            throw SweepError.io(path: url.path, message: openError == ELOOP ? FileIO.symbolicLinkMessage
                                                                            : "cannot open for appending: \(FileIO.reason(openError))")
        }
        let size = off_t(goodEnd)
        var info = stat()
        guard fstat(opened, &info) == 0 else {
            let message = FileIO.reason(errno)
            FileIO.close(opened)
            throw SweepError.io(path: url.path, message: "cannot open for appending: \(message)")
        }
        if info.st_size != size {
            guard ftruncate(opened, size) == 0, fsync(opened) == 0 else {
                let message = FileIO.reason(errno)
                FileIO.close(opened)
                throw SweepError.io(path: url.path, message: "cannot truncate the partial last line: \(message)")
            }
        }
        self.size = size
        fd = opened
    }

    deinit { close() }

    /// Closes the file (idempotent).
    func close() {
        if fd >= 0 {
            FileIO.close(fd)
            fd = -1
        }
    }

    /// Appends one record as a line and forces it to disk. When the write fails part-way (disk
    /// full, file too large), the partial line is cut off again so the file stays a valid journal.
    /// - Throws: `SweepError.io` when writing or syncing fails.
    func append(_ record: RunRecord) throws {
        try append(Self.parts(record))
    }

    /// A record's journal line in parts made by any thread, so the serial writer only writes and
    /// syncs: the whole line for a record holding its checkpoints in memory; for a spilled record
    /// the line before and after its `"curve"` value, which is copied from the scratch file
    /// `CurveRecorder` wrote during the run (so the line is never held in memory whole).
    struct LineParts: Sendable {
        /// The bytes before the curve value (the whole line when `curveText` is nil).
        var head: [UInt8]
        /// The scratch file holding the curve value.
        var curveText: URL?
        /// The bytes after the curve value.
        var tail: [UInt8]
    }

    /// The parts of a record's line (see `LineParts`).
    static func parts(_ record: RunRecord) -> LineParts {
        guard let text = record.journalCurveText else {
            precondition(record.spill == nil, "a record read from a journal is rewritten by Journal.rewrite, never appended")
            return LineParts(head: record.journalLine, curveText: nil, tail: [])
        }
        var head: [UInt8] = [], tail: [UInt8] = []
        record.appendJournalPrefix(to: &head)
        record.appendJournalSuffix(to: &tail)
        return LineParts(head: head, curveText: text, tail: tail)
    }

    /// Appends a line made by `parts(_:)` and forces it to disk (`append(batch:)` of one line); the
    /// curve's text is copied in blocks of 1 MiB.
    /// - Throws: `SweepError.io` when reading the scratch file, writing or syncing fails.
    func append(_ parts: LineParts) throws {
        try append(batch: [parts])
    }

    /// Appends the lines of `batch` in order and forces them to disk with one `fsync` (a group
    /// commit: the sweep's writer appends every run that finished while it was syncing the
    /// previous ones).
    ///
    /// When a write fails (a full disk, a file-size limit) or a scratch file cannot be read, the
    /// partial line is cut off and the batch's complete lines before it are synced and kept: the
    /// journal then holds the same records whether they were written in one batch or one by one,
    /// so what survives a failure does not depend on how the writer's batches happened to fall.
    /// When the sync itself fails, everything written since the last sync is cut off again (the
    /// kernel may have dropped any of it). Either way the file stays a valid journal.
    /// - Throws: `SweepError.io` when reading a scratch file, writing or syncing fails.
    func append(batch: [LineParts]) throws {
        guard !batch.isEmpty else { return }
        var written: off_t = 0
        var complete: off_t = 0   // bytes of the batch's whole lines written so far
        func undo(_ message: String) -> SweepError {
            if complete > 0, ftruncate(fd, size + complete) == 0, fsync(fd) == 0 {
                size += complete
            } else {
                _ = ftruncate(fd, size)
            }
            return SweepError.io(path: url.path, message: message)
        }
        func put(_ bytes: [UInt8]) throws {
            let e = FileIO.writeAll(fd, bytes)
            guard e == 0 else { throw undo("cannot append a run: \(FileIO.reason(e))") }
            written += off_t(bytes.count)
        }
        for parts in batch {
            try put(parts.head)
            if let text = parts.curveText {
                let source = open(text.path, O_RDONLY)
                guard source >= 0 else { throw undo("cannot read a run's checkpoints from \(text.path): \(FileIO.reason(errno))") }
                defer { _ = FileIO.close(source) }
                if copyBuffer.isEmpty { copyBuffer = [UInt8](repeating: 0, count: 1 << 20) }
                var offset: off_t = 0
                while true {
                    let n = copyBuffer.withUnsafeMutableBytes { pread(source, $0.baseAddress!, $0.count, offset) }
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else { throw undo("cannot read a run's checkpoints from \(text.path): \(FileIO.reason(errno))") }
                    if n == 0 { break }
                    offset += off_t(n)
                    try put(Array(copyBuffer[0..<n]))
                }
            }
            try put(parts.tail)
            complete = written
        }
        guard fsync(fd) == 0 else {
            let reason = FileIO.reason(errno)
            complete = 0
            throw undo("cannot sync: \(reason)")
        }
        size += written
    }
}
