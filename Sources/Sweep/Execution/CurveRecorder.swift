import AlignmentCore
import Foundation
import StableFloor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory for the sweep's scratch files (`<results>/.scratch-<host>-<pid>/`): the checkpoints
/// of the runs executing or waiting to be written to the result files. Removed when the sweep
/// ends; one left by a killed sweep is removed by the next sweep that opens the directory on the
/// same host (`removeStale`).
///
/// The host is part of the name because the shards of a cluster job share the results directory
/// across nodes, where process ids say nothing: a shard must never take another node's live
/// scratch directory for a dead process's.
final class ScratchDirectory: @unchecked Sendable {
    /// The directory.
    let url: URL
    private let lock = NSLock()
    private var next = 0

    /// The name prefix of scratch directories.
    static let prefix = ".scratch-"

    /// This host's name as it appears in scratch names: `gethostname`, with every character
    /// outside [A-Za-z0-9._] replaced by "_" (so the pid is what follows the last "-").
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let safe = String(name.unicodeScalars.map { s -> Character in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "." || s == "_") ? Character(s) : "_"
        })
        return safe.isEmpty ? "host" : safe
    }()

    /// The scratch directory name of process `pid` on `host`.
    static func name(host: String, pid: Int32) -> String { prefix + host + "-" + String(pid) }

    /// Creates `<results>/.scratch-<host>-<pid>/` (emptied when it exists).
    /// - Throws: `SweepError.io`.
    init(in results: URL) throws {
        Self.removeStale(in: results)
        url = results.appendingPathComponent(Self.name(host: Self.host, pid: getpid()), isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SweepError.io(path: url.path, message: "cannot create the scratch directory: \(error.localizedDescription)")
        }
    }

    /// A new file name in the directory.
    func file(_ stem: String, _ ext: String) -> URL {
        let n = lock.withLock { next += 1; return next }
        return url.appendingPathComponent("\(stem)-\(n).\(ext)")
    }

    /// Removes the directory and its files.
    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Removes the scratch directories of processes on this host that no longer exist (a killed
    /// sweep's); those of other hosts are left alone. A name without a host (`.scratch-<pid>`, from
    /// versions before the host was recorded) is treated as this host's.
    static func removeStale(in results: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: results.path) else { return }
        for n in names where n.hasPrefix(prefix) {
            let rest = n.dropFirst(prefix.count)
            let owner: (host: Substring?, pid: Substring)
            if let dash = rest.lastIndex(of: "-") {
                owner = (rest[..<dash], rest[rest.index(after: dash)...])
            } else {
                owner = (nil, rest)
            }
            guard owner.host.map({ $0 == host }) ?? true, let pid = Int32(owner.pid), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: results.appendingPathComponent(n))
        }
    }
}

/// Records a run's checkpoints as they are measured, straight to two scratch files: the
/// column blocks of a `CurveSpill` and the run's journal `"curve"` value (the bytes
/// `RunRecord.appendJournalLine` writes for the same checkpoints: `RunRecord.journalCurveFormat`),
/// so neither grows in memory. Holds one block and a 256 KiB text buffer.
final class CurveRecorder {
    private let names: [String]
    private let metricCount: Int
    /// The candidate metric columns of the journal (indices into `names`, sorted by name): every
    /// metric until `journalMetrics(_:)` narrows them to the ones the run computes.
    // @exclusivity(unchecked): a recorder belongs to one run on one thread, and no access to its
    // properties overlaps another; the runtime's
    // exclusivity check on every access cost about 4% of a sweep recording every iteration (perf).
    @exclusivity(unchecked) private var allMetrics: [Int]
    /// The candidate diagnostic columns (indices into `names`, sorted by name).
    @exclusivity(unchecked) private var allDiagnostics: [Int]
    /// The metric columns the text is written with: the candidates that had a value at the first
    /// checkpoint (the journal's columns are those with a value at any checkpoint; a column that
    /// first has one later makes `finish` re-print the text).
    @exclusivity(unchecked) private var metricOrder: [Int] = []
    /// The diagnostic columns the text is written with (as `metricOrder`).
    @exclusivity(unchecked) private var diagnosticOrder: [Int] = []
    @exclusivity(unchecked) private var builder: CurveSpill.Builder
    private let binaryURL: URL, textURL: URL
    private let binary: Int32, text: Int32
    @exclusivity(unchecked) private var textBuffer: [UInt8] = []
    @exclusivity(unchecked) private var writeError: Int32 = 0
    @exclusivity(unchecked) private var lastValues: [Double]
    /// Whether column c (of `names`) had a value at any checkpoint so far.
    @exclusivity(unchecked) private var present: [Bool]
    /// The journal columns without a value so far (checked per checkpoint only while positive).
    @exclusivity(unchecked) private var missing = 0
    /// Checkpoints recorded.
    @exclusivity(unchecked) private(set) var count = 0

    /// Opens the scratch files for a run whose value columns are `metricNames` then `diagnosticNames`.
    /// - Throws: `SweepError.io`.
    init(scratch: ScratchDirectory, runID: String, metricNames: [String], diagnosticNames: [String]) throws {
        names = metricNames + diagnosticNames
        metricCount = metricNames.count
        func order(_ list: [String], offset: Int) -> [Int] {
            list.indices.sorted { list[$0] < list[$1] }.map { offset + $0 }
        }
        allMetrics = order(metricNames, offset: 0)
        allDiagnostics = order(diagnosticNames, offset: metricNames.count)
        builder = CurveSpill.Builder(names: names)
        lastValues = Array(repeating: .nan, count: names.count)
        present = Array(repeating: false, count: names.count)
        binaryURL = scratch.file(runID, "bin")
        textURL = scratch.file(runID, "json")
        binary = open(binaryURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        text = open(textURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard binary >= 0, text >= 0 else {
            throw SweepError.io(path: binaryURL.path, message: "cannot create a scratch file: \(FileIO.reason(errno))")
        }
        textBuffer.reserveCapacity(1 << 18)
    }

    deinit {
        if binary >= 0 { _ = FileIO.close(binary) }
        if text >= 0 { _ = FileIO.close(text) }
    }

    /// Narrows the journal's metric columns to `columns` (indices into the metric names: the
    /// metrics the run's evaluator computes, `MetricEvaluator.computedMetricIndices`); the others
    /// are absent at every checkpoint, so the journal does not carry a column of nulls for them.
    /// - Precondition: no checkpoint is recorded yet.
    func journalMetrics(_ columns: [Int]) {
        precondition(count == 0, "the journal's columns are fixed at the first checkpoint")
        allMetrics = columns.sorted { names[$0] < names[$1] }
    }

    /// Records one checkpoint: `values` in `names` order, NaN = absent.
    /// - Complexity: O(values); no allocation but the buffers' amortised growth (the text is
    ///   written into a local copy of the buffer, moved in and out, so the class's storage is
    ///   accessed twice per checkpoint rather than once per byte run).
    func append(iteration: Int, queries: Int, values: [Double]) {
        if let block = builder.append(iteration: iteration, queries: queries, values: values) { write(block) }
        // Copied element by element: assigning the array would share `values`' storage and make
        // the caller's next in-place write copy it.
        for k in values.indices { lastValues[k] = values[k] }
        var out: [UInt8] = []
        swap(&out, &textBuffer)
        if count == 0 {
            // A declared diagnostic a plugin does not report in this run (or a metric nil at
            // the first checkpoint) is left out from the start, rather than written as nulls and
            // re-printed at the end; one that has a value later makes `finish` re-print.
            metricOrder = allMetrics.filter { !values[$0].isNaN }
            diagnosticOrder = allDiagnostics.filter { !values[$0].isNaN }
            for c in metricOrder { present[c] = true }
            for c in diagnosticOrder { present[c] = true }
            missing = allMetrics.count + allDiagnostics.count - metricOrder.count - diagnosticOrder.count
            appendColumns(to: &out)
        } else {
            out.append(UInt8(ascii: ","))
            if missing > 0 {  // only while a candidate column has had no value
                for c in allMetrics where !present[c] && !values[c].isNaN { present[c] = true; missing -= 1 }
                for c in allDiagnostics where !present[c] && !values[c].isNaN { present[c] = true; missing -= 1 }
            }
        }
        let metrics = metricOrder, diagnostics = diagnosticOrder
        out.append(UInt8(ascii: "["))
        CanonicalNumber.appendInteger(iteration, to: &out)
        out.append(UInt8(ascii: ","))
        CanonicalNumber.appendInteger(queries, to: &out)
        for c in metrics { RunRecord.appendCurveCell(values[c], to: &out) }
        for c in diagnostics { RunRecord.appendCurveCell(values[c], to: &out) }
        out.append(UInt8(ascii: "]"))
        swap(&out, &textBuffer)
        count += 1
        if textBuffer.count >= 1 << 18 { flushText() }
    }

    /// `{"m":[metric names],"d":[diagnostic names],"rows":[` — the curve value up to its first row.
    private func appendColumns(to out: inout [UInt8]) {
        RunRecord.appendCurveColumns(metrics: metricOrder.map { names[$0] }, diagnostics: diagnosticOrder.map { names[$0] }, to: &out)
    }

    /// Adds the journal columns that first had a value after the first checkpoint, so the text is
    /// the canonical one `RunRecord.appendJournalCurve` writes for the same checkpoints (a column
    /// for each metric and diagnostic with a value at any checkpoint): the text written so far is
    /// replaced by rows re-printed from the spill (the same values, bit for bit, so the same
    /// numbers). Nothing is done when the columns of the first checkpoint are all (the common case).
    /// - Complexity: O(checkpoints · columns) when a column is added, else O(columns).
    private func addLateColumns(_ spill: CurveSpill) throws {
        let metrics = allMetrics.filter { present[$0] }, diagnostics = allDiagnostics.filter { present[$0] }
        guard metrics.count > metricOrder.count || diagnostics.count > diagnosticOrder.count else { return }
        metricOrder = metrics
        diagnosticOrder = diagnostics
        textBuffer.removeAll(keepingCapacity: true)
        guard ftruncate(text, 0) == 0, lseek(text, 0, SEEK_SET) == 0 else {
            writeError = errno
            return
        }
        appendColumns(to: &textBuffer)
        var out: [UInt8] = []
        swap(&out, &textBuffer)
        try RunRecord.appendCurveRows(spill, columns: metricOrder + diagnosticOrder, to: &out) { buffer in
            guard buffer.count >= 1 << 18 else { return }
            swap(&buffer, &textBuffer)
            flushText()
            swap(&buffer, &textBuffer)
        }
        swap(&out, &textBuffer)
    }


    private func write(_ words: [UInt64]) {
        guard writeError == 0 else { return }
        let e = words.withUnsafeBytes { FileIO.writeAll(binary, Array($0)) }
        if e != 0 { writeError = e }
    }

    private func flushText() {
        if writeError == 0 {
            let e = FileIO.writeAll(text, textBuffer)
            if e != 0 { writeError = e }
        }
        textBuffer.removeAll(keepingCapacity: true)
    }

    /// The last recorded checkpoint's metrics (by id, present ones only).
    var lastMetrics: [String: Double] {
        var out: [String: Double] = [:]
        for k in 0..<metricCount where !lastValues[k].isNaN { out[names[k]] = lastValues[k] }
        return out
    }

    /// Closes the curve value, writes what is buffered, closes the files and returns the spill and
    /// the journal text's file (the whole `"curve"` value).
    /// - Throws: `SweepError.io` when a scratch write failed (disk full).
    func finish() throws -> (spill: CurveSpill, journalText: URL) {
        if let block = builder.takeBlock() { write(block) }
        var diagnostics: [String: Double] = [:]
        for k in metricCount..<names.count where !lastValues[k].isNaN { diagnostics[names[k]] = lastValues[k] }
        let spill = CurveSpill(names: names, metricCount: metricCount, count: count, blockFirstIterations: builder.firstIterations,
                               lastDiagnostics: count == 0 ? [:] : diagnostics, storage: .file(binaryURL))
        if count == 0 {
            metricOrder = []
            diagnosticOrder = []
            appendColumns(to: &textBuffer)
        } else if writeError == 0 {
            flushText()
            try addLateColumns(spill)
        }
        textBuffer.append(contentsOf: RunRecord.curveClosing)
        flushText()
        guard writeError == 0 else {
            throw SweepError.io(path: binaryURL.path, message: "cannot write a run's checkpoints: \(FileIO.reason(writeError))")
        }
        return (spill, textURL)
    }
}
