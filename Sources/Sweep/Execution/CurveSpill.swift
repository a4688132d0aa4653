import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's recorded checkpoints held column by column, in a scratch file while the sweep runs (or
/// in memory for records decoded from a journal or a results directory), so a run of 100,001
/// checkpoints costs the sweep's memory one block, not 100,001 dictionaries.
///
/// Layout (scratch only, never a result file; removed when the sweep ends): blocks of
/// `blockRows` checkpoints (the last may be shorter), each block column-major — column 0 the
/// iteration, column 1 the queries (both `Int64` bit patterns), then one column per name in
/// `names` (`Double` bit patterns, NaN = absent: recorded metrics and diagnostics are finite,
/// `RunContext.report` and `RunExecutor` fail a run otherwise). Column c of block b starts at byte
/// 8·(b·blockRows·width + c·rows(b)) with width = 2 + names.count, so one column of one block is
/// one contiguous read.
///
/// Immutable once made; any number of `Reader`s may read it at once.
public final class CurveSpill: @unchecked Sendable, Equatable {
    /// Checkpoints per block.
    static let blockRows = 1024

    /// Where the bytes are.
    enum Storage {
        /// A scratch file.
        case file(URL)
        /// In memory, same layout.
        case memory([UInt64])
    }

    /// The value columns after iteration and queries: metric ids, then diagnostic names.
    let names: [String]
    /// How many of `names` are metrics (the rest are diagnostics).
    let metricCount: Int
    /// Number of checkpoints.
    let count: Int
    /// The iteration of each block's first checkpoint (ascending).
    let blockFirstIterations: [Int]
    /// The last checkpoint's diagnostics (what summary.csv reports for a diagnostic).
    let lastDiagnostics: [String: Double]
    let storage: Storage

    init(names: [String], metricCount: Int, count: Int, blockFirstIterations: [Int], lastDiagnostics: [String: Double], storage: Storage) {
        self.names = names
        self.metricCount = metricCount
        self.count = count
        self.blockFirstIterations = blockFirstIterations
        self.lastDiagnostics = lastDiagnostics
        self.storage = storage
    }

    /// Identity: a spill equals only itself (records holding one are compared by their other fields).
    public static func == (a: CurveSpill, b: CurveSpill) -> Bool { a === b }

    /// Columns per checkpoint (iteration, queries, then `names`).
    var width: Int { 2 + names.count }
    /// Number of blocks.
    var blocks: Int { (count + Self.blockRows - 1) / Self.blockRows }
    /// Checkpoints in block `b`.
    func rows(inBlock b: Int) -> Int { min(Self.blockRows, count - b * Self.blockRows) }
    /// The column of a metric, nil when the run has none by that id.
    func metricColumn(_ id: String) -> Int? { names[..<metricCount].firstIndex(of: id).map { $0 + 2 } }
    /// The column of a diagnostic, nil when the run has none by that name.
    func diagnosticColumn(_ name: String) -> Int? { names[metricCount...].firstIndex(of: name).map { $0 + 2 } }

    /// An in-memory spill of checkpoints (records decoded from a journal or read from curves.csv).
    /// Value columns: `Metric.ids` given as `metricNames`, then every diagnostic name the points
    /// hold, sorted.
    /// - Precondition: iterations strictly increase (`RunContext.report` guarantees it).
    convenience init(points: [CurvePoint], metricNames: [String]) {
        let diagnostics = Set(points.flatMap(\.diagnostics.keys)).sorted()
        let names = metricNames + diagnostics
        var writer = Builder(names: names)
        var row = [Double](repeating: .nan, count: names.count)
        for p in points {
            for (k, n) in metricNames.enumerated() { row[k] = p.metrics[n] ?? .nan }
            for (k, n) in diagnostics.enumerated() { row[metricNames.count + k] = p.diagnostics[n] ?? .nan }
            writer.appendKeeping(iteration: p.iteration, queries: p.queries, values: row)
        }
        self.init(names: names, metricCount: metricNames.count, count: points.count, blockFirstIterations: writer.firstIterations,
                  lastDiagnostics: points.last?.diagnostics ?? [:], storage: .memory(writer.finishMemory()))
    }

    /// Block-wise accumulation of rows into the column-major block layout: a full block is handed
    /// to `flush` (a file) or kept (memory).
    struct Builder {
        let names: [String]
        var rows = 0
        var count = 0
        var firstIterations: [Int] = []
        var memory: [UInt64] = []
        /// Columns of the block being filled, each `blockRows` long until the block is written.
        private var columns: [[UInt64]]

        init(names: [String]) {
            self.names = names
            columns = Array(repeating: [], count: 2 + names.count)
            for c in columns.indices { columns[c].reserveCapacity(CurveSpill.blockRows) }
        }

        /// Adds one checkpoint; returns the finished block's bytes when it filled one.
        @discardableResult
        mutating func append(iteration: Int, queries: Int, values: [Double]) -> [UInt64]? {
            if rows == 0 { firstIterations.append(iteration) }
            columns[0].append(UInt64(bitPattern: Int64(iteration)))
            columns[1].append(UInt64(bitPattern: Int64(queries)))
            for (k, v) in values.enumerated() { columns[k + 2].append(v.bitPattern) }
            rows += 1
            count += 1
            guard rows == CurveSpill.blockRows else { return nil }
            return takeBlock()
        }

        /// The partial block's words, emptying it (nil when empty).
        mutating func takeBlock() -> [UInt64]? {
            guard rows > 0 else { return nil }
            var out: [UInt64] = []
            out.reserveCapacity(rows * columns.count)
            for c in columns.indices {
                out.append(contentsOf: columns[c])
                columns[c].removeAll(keepingCapacity: true)
            }
            rows = 0
            return out
        }

        /// Every block in memory (for `Storage.memory`).
        mutating func finishMemory() -> [UInt64] {
            if let b = takeBlock() { memory.append(contentsOf: b) }
            return memory
        }

        /// In memory: keeps full blocks as they fill.
        mutating func appendKeeping(iteration: Int, queries: Int, values: [Double]) {
            if let b = append(iteration: iteration, queries: queries, values: values) { memory.append(contentsOf: b) }
        }
    }

    /// Reads columns of blocks into reused buffers (one reader per thread).
    final class Reader {
        let spill: CurveSpill
        private var fd: Int32 = -1
        private var buffer: [UInt64] = []

        /// Opens the spill for reading.
        /// - Throws: `SweepError.io` when the scratch file cannot be opened.
        init(_ spill: CurveSpill) throws {
            self.spill = spill
            if case let .file(url) = spill.storage {
                fd = open(url.path, O_RDONLY)
                guard fd >= 0 else { throw SweepError.io(path: url.path, message: "cannot read a run's checkpoints: \(FileIO.reason(errno))") }
            }
        }

        deinit { if fd >= 0 { _ = FileIO.close(fd) } }

        /// Column `c` of block `b` (`rows(inBlock: b)` words).
        /// - Throws: `SweepError.io` on a short or failed read.
        func column(_ c: Int, block b: Int) throws -> ArraySlice<UInt64> {
            try columns(c..<(c + 1), block: b)
        }

        /// Columns `range` of block `b`, one after the other (`rows(inBlock: b)` words each).
        /// - Throws: `SweepError.io` on a short or failed read.
        func columns(_ range: Range<Int>, block b: Int) throws -> ArraySlice<UInt64> {
            let rows = spill.rows(inBlock: b)
            let start = b * CurveSpill.blockRows * spill.width + range.lowerBound * rows
            let n = range.count * rows
            switch spill.storage {
            case let .memory(words):
                return words[start..<(start + n)]
            case let .file(url):
                if buffer.count < n { buffer = Array(repeating: 0, count: n) }
                let bytes = n * 8
                var done = 0
                let ok: Bool = buffer.withUnsafeMutableBytes { raw in
                    while done < bytes {
                        let r = pread(fd, raw.baseAddress! + done, bytes - done, off_t(start * 8 + done))
                        if r < 0 && errno == EINTR { continue }
                        guard r > 0 else { return false }
                        done += r
                    }
                    return true
                }
                guard ok else { throw SweepError.io(path: url.path, message: "cannot read a run's checkpoints (short read)") }
                return buffer[0..<n]
            }
        }
    }
}
