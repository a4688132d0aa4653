import AlignmentCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the checkpoints of one journal line, as they are decoded, into a `CurveSpill` scratch
/// file (the layout executed runs use, so the result files read them the same way), holding one
/// block of 1024 checkpoints in memory.
///
/// Value columns: `Metric.ids`, then every other metric key the line has (in the order met), then
/// its diagnostic keys (in the order met). A key first met after some checkpoints were written
/// adds a column, blank (NaN) for those: the blocks already in the file are rewritten once with
/// the column inserted. Readers find columns by name (`CurveSpill.metricColumn`,
/// `diagnosticColumn`), so the order of the columns does not matter.
final class JournalCurveSpill {
    private let scratch: ScratchDirectory
    private var url: URL?
    private var fd: Int32 = -1
    private var metricNames: [String] = Metric.ids
    private var diagnosticNames: [String] = []
    private var metricIndex: [String: Int]
    private var diagnosticIndex: [String: Int] = [:]
    /// The previous checkpoint's keys and the name indices they mapped to.
    private var metricCache: (keys: [[UInt8]], indices: [Int]) = ([], [])
    private var diagnosticCache: (keys: [[UInt8]], indices: [Int]) = ([], [])
    /// Columns of the block being filled (iteration, queries, values).
    private var columns: [[UInt64]]
    private var rows = 0
    private var count = 0
    private var firstIterations: [Int] = []
    private var lastDiagnostics: [(index: Int, value: Double)] = []
    private var written = 0  // full blocks in the file

    /// A spill whose file is created in `scratch` when the first block is written.
    init(scratch: ScratchDirectory) {
        self.scratch = scratch
        metricIndex = Dictionary(uniqueKeysWithValues: Metric.ids.enumerated().map { ($0.element, $0.offset) })
        columns = Array(repeating: [], count: 2 + Metric.ids.count)
    }

    deinit { if fd >= 0 { FileIO.close(fd) } }

    private var width: Int { 2 + metricNames.count + diagnosticNames.count }

    /// Adds one checkpoint.
    /// - Throws: `SweepError.io` when the scratch file cannot be written.
    func add(_ c: JournalCheckpoint) throws {
        let m = try indices(c.metricKeys, c, metric: true)
        let d = try indices(c.diagnosticKeys, c, metric: false)
        if rows == 0 { firstIterations.append(c.iteration) }
        columns[0].append(UInt64(bitPattern: Int64(c.iteration)))
        columns[1].append(UInt64(bitPattern: Int64(c.queries)))
        let nan = Double.nan.bitPattern
        for k in 2..<width { columns[k].append(nan) }
        let row = rows
        for (k, x) in zip(m, c.metricValues) { columns[2 + k][row] = x.bitPattern }
        let offset = 2 + metricNames.count
        for (k, x) in zip(d, c.diagnosticValues) { columns[offset + k][row] = x.bitPattern }
        lastDiagnostics = zip(d, c.diagnosticValues).map { ($0, $1) }
        rows += 1
        count += 1
        if rows == CurveSpill.blockRows { try writeBlock() }
    }

    /// The name indices of a checkpoint's keys (the previous checkpoint's when the keys are the same).
    private func indices(_ ranges: [Range<Int>], _ c: JournalCheckpoint, metric: Bool) throws -> [Int] {
        let cache = metric ? metricCache : diagnosticCache
        if cache.keys.count == ranges.count, zip(cache.keys, ranges).allSatisfy({ $0.elementsEqual(c.keys[$1]) }) {
            return cache.indices
        }
        var keys: [[UInt8]] = [], out: [Int] = []
        for r in ranges {
            let name = String(decoding: c.keys[r], as: UTF8.self)
            keys.append(Array(c.keys[r]))
            if let k = metric ? metricIndex[name] : diagnosticIndex[name] {
                out.append(k)
            } else {
                out.append(try addColumn(name, metric: metric))
            }
        }
        if metric { metricCache = (keys, out) } else { diagnosticCache = (keys, out) }
        return out
    }

    /// Adds a blank column for a new key and returns its name index.
    private func addColumn(_ name: String, metric: Bool) throws -> Int {
        let at = metric ? 2 + metricNames.count : width
        if written > 0 { try insertColumnInFile(at: at) }
        columns.insert(Array(repeating: Double.nan.bitPattern, count: rows), at: at)
        if metric {
            metricIndex[name] = metricNames.count
            metricNames.append(name)
            return metricNames.count - 1
        }
        diagnosticIndex[name] = diagnosticNames.count
        diagnosticNames.append(name)
        return diagnosticNames.count - 1
    }

    /// Rewrites the full blocks in the file with a blank column inserted at `at`.
    private func insertColumnInFile(at: Int) throws {
        guard let old = url else { return }
        let new = scratch.file("journal", "bin")
        let out = open(new.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard out >= 0 else { throw SweepError.io(path: new.path, message: "cannot create a scratch file: \(FileIO.reason(errno))") }
        defer { FileIO.close(out) }
        let n = CurveSpill.blockRows, w = width
        var block = [UInt64](repeating: 0, count: n * w)
        for b in 0..<written {
            let ok = block.withUnsafeMutableBytes { raw -> Bool in
                var done = 0
                while done < raw.count {
                    let r = pread(fd, raw.baseAddress! + done, raw.count - done, off_t(b * n * w * 8 + done))
                    if r < 0 && errno == EINTR { continue }
                    guard r > 0 else { return false }
                    done += r
                }
                return true
            }
            guard ok else { throw SweepError.io(path: old.path, message: "cannot read a run's checkpoints (short read)") }
            var wider = Array(block[0..<(at * n)])
            wider.append(contentsOf: repeatElement(Double.nan.bitPattern, count: n))
            wider.append(contentsOf: block[(at * n)...])
            try write(wider, to: out, url: new)
        }
        FileIO.close(fd)
        unlink(old.path)
        fd = open(new.path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw SweepError.io(path: new.path, message: "cannot open a scratch file: \(FileIO.reason(errno))") }
        url = new
    }

    private func write(_ words: [UInt64], to fd: Int32, url: URL) throws {
        let e = words.withUnsafeBytes { FileIO.writeAll(fd, Array($0)) }
        guard e == 0 else { throw SweepError.io(path: url.path, message: "cannot write a run's checkpoints: \(FileIO.reason(e))") }
    }

    /// Appends the block being filled to the file (creating it at the first block).
    private func writeBlock() throws {
        guard rows > 0 else { return }
        if url == nil {
            let u = scratch.file("journal", "bin")
            fd = open(u.path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw SweepError.io(path: u.path, message: "cannot create a scratch file: \(FileIO.reason(errno))") }
            url = u
        }
        var words: [UInt64] = []
        words.reserveCapacity(rows * columns.count)
        for k in columns.indices {
            words.append(contentsOf: columns[k])
            columns[k].removeAll(keepingCapacity: true)
        }
        try write(words, to: fd, url: url!)
        if rows == CurveSpill.blockRows { written += 1 }
        rows = 0
    }

    /// The spill of the checkpoints added (nil when there were none), its file closed.
    /// - Throws: `SweepError.io` when the last block cannot be written.
    func finish() throws -> CurveSpill? {
        guard count > 0 else { return nil }
        try writeBlock()
        FileIO.close(fd)
        fd = -1
        var diagnostics: [String: Double] = [:]
        for (k, x) in lastDiagnostics { diagnostics[diagnosticNames[k]] = x }
        return CurveSpill(names: metricNames + diagnosticNames, metricCount: metricNames.count, count: count,
                          blockFirstIterations: firstIterations, lastDiagnostics: diagnostics, storage: .file(url!))
    }

    /// Removes the file (a line that turned out not to be a record).
    func discard() {
        if fd >= 0 { FileIO.close(fd) }
        fd = -1
        if let url { unlink(url.path) }
        url = nil
    }
}
