import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Journal records read with `JournalCurves.spill` hold exactly the checkpoints of the in-memory
/// decode (columns added for keys met late, across block boundaries); a rewrite is the bytes of
/// encoding every record, by copying canonical lines or re-encoding the others from their spill;
/// read-only commands leave nothing behind.
struct JournalSpillTests {
    /// A record of `n` checkpoints whose key sets change: an unknown metric from checkpoint 1500,
    /// a diagnostic from 2100, a metric absent at every 7th checkpoint.
    static func record(_ id: String, n: Int) -> RunRecord {
        let points = (0..<n).map { k -> CurvePoint in
            var m: [String: Double] = ["exploitability": 1 / Double(k + 1), "kl_to_reference": Double(k) * 1e-320]
            if k % 7 == 0 { m["exploitability"] = nil }
            if k >= 1500 { m["zzz_unknown"] = -Double(k) / 3 }
            var d: [String: Double] = ["beta": Double(k).squareRoot()]
            if k >= 2100 { d["late"] = 0.1 * Double(k) }
            return CurvePoint(iteration: 2 * k, queries: 3 * k, metrics: m, diagnostics: d)
        }
        return RunRecord(runID: id, fingerprint: JournalLineTests.fingerprint, status: .ok, error: nil, iterations: 2 * (n - 1),
                         queries: 3 * (n - 1), finalMetrics: ["exploitability": 0.5], curve: points, policy: [[0.5, 0.5]], seconds: 1.25)
    }

    static let header = JournalHeader(experiment: "e", specHash: "s", resultsHash: "r")

    /// The checkpoints of a spill, read back column by column.
    static func points(_ spill: CurveSpill) throws -> [CurvePoint] {
        let reader = try CurveSpill.Reader(spill)
        var out: [CurvePoint] = []
        for b in 0..<spill.blocks {
            let rows = spill.rows(inBlock: b)
            let block = try reader.columns(0..<spill.width, block: b)
            for k in 0..<rows {
                var m: [String: Double] = [:], d: [String: Double] = [:]
                for (c, name) in spill.names.enumerated() {
                    let x = Double(bitPattern: block[block.startIndex + (2 + c) * rows + k])
                    if x.isNaN { continue }
                    if c < spill.metricCount { m[name] = x } else { d[name] = x }
                }
                out.append(CurvePoint(iteration: Int(Int64(bitPattern: block[block.startIndex + k])),
                                      queries: Int(Int64(bitPattern: block[block.startIndex + rows + k])), metrics: m, diagnostics: d))
            }
        }
        return out
    }

    /// Spilled records equal the in-memory ones (3000, 1024, 1 and 0 checkpoints), and a rewrite
    /// of them — canonical lines copied — is the encoding of the in-memory records.
    @Test(arguments: [false, true])
    func spilledRecordsAndRewrite(canonicalLines: Bool) throws {
        let records = [Self.record("a", n: 3000), Self.record("b", n: 1024), Self.record("c", n: 1),
                       RunRecord(runID: "d", fingerprint: .legacy("x"), status: .failed, error: "boom", iterations: 0, queries: 0,
                                 finalMetrics: [:], curve: [], policy: [], seconds: 0)]
        var expected = Array((Self.header.json.compactText + "\n").utf8)
        for r in records { r.appendJournalLine(to: &expected) }
        // The non-canonical form: the same values written otherwise (a space before the first row
        // and between rows; the record without checkpoints has none, so its line stays canonical).
        let text = canonicalLines ? expected : Array(String(decoding: expected, as: UTF8.self)
            .replacingOccurrences(of: "\"rows\":[[", with: "\"rows\":[ [").replacingOccurrences(of: "],[", with: "], [").utf8)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Data(text).write(to: url)
        let scratch = try ScratchDirectory(in: dir)
        defer { scratch.remove() }
        let memory = try Journal.read(url, curves: .memory)
        #expect(memory.records == records)
        for blockSize in [4096, 1 << 20] {
            let spilled = try Journal.read(url, curves: .spill(scratch), verifyCanonical: true, blockSize: blockSize)
            #expect(spilled.goodEnd == text.count && spilled.discardedBytes == 0)
            #expect(spilled.sources.map(\.canonical) == [canonicalLines, canonicalLines, canonicalLines, true])
            for (s, m) in zip(spilled.records, memory.records) {
                #expect(s.curve.isEmpty)
                #expect((s.spill == nil) == m.curve.isEmpty)
                if let spill = s.spill {
                    #expect(try Self.points(spill) == m.curve)
                    #expect(spill.lastDiagnostics == m.curve.last?.diagnostics)
                }
                var a = s, b = m
                a.spill = nil
                b.curve = []
                #expect(a == b)
            }
            let journal = try Journal.rewrite(url, header: Self.header, records: spilled.records, sources: spilled.sources)
            journal.close()
            #expect(try [UInt8](Data(contentsOf: url)) == expected, "block \(blockSize)")
            try Data(text).write(to: url)
        }
        // Skipping the curves keeps the same records, without checkpoints.
        let skipped = try Journal.read(url, curves: .skip)
        #expect(skipped.records.map(\.runID) == ["a", "b", "c", "d"] && skipped.records.allSatisfy { $0.curve.isEmpty && $0.spill == nil })
    }

    /// A resumed sweep (nothing to run), `ResultsProgress.read` (bench status) and a merge leave
    /// no scratch directory and, for status, no file at all.
    @Test func readersLeaveNothingBehind() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: ShardMergeTests.options(dir))
        let first = try bytes(dir.appendingPathComponent("curves.csv"))
        let again = try SweepRunner.run(spec, options: ShardMergeTests.options(dir))
        #expect(again.executed == 0 && again.resumed == again.planned)
        #expect(try bytes(dir.appendingPathComponent("curves.csv")) == first)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(!names.contains { $0.hasPrefix(ScratchDirectory.prefix) })
        _ = try ResultsProgress.read(spec: spec, directory: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == names)
    }
}
