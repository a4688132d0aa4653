import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A run executed by a sweep keeps its checkpoints in scratch files, not in memory: the record
/// holds no `CurvePoint`, only a `CurveSpill` whose blocks are read back bit for bit, and the
/// journal line streamed from the scratch text is byte-identical to the line of the same run
/// executed with its checkpoints in memory (the encoder every committed journal was written with).
struct CurveSpillTests {
    /// 2,500 iterations recorded every iteration: 2,501 checkpoints, three blocks of 1,024 (the
    /// last partial); Nash-MD declares no diagnostics, the test plugin `label-spender` one
    /// ("wins") and draws labels (queries grow), `failing` fails after 1,000 checkpoints.
    static func spec(_ algorithm: String) -> String {
        """
        {"name": "spill", "environments": [{"id": "g", "kind": "random", "actions": 4, "seed": 3}],
         "budget": {"iterations": 2500}, "record_every": 1, "seeds": 1,
         "algorithms": [\(algorithm)]}
        """
    }

    /// (entry, status, checkpoints, first iteration of each block).
    static let cases: [(String, RunRecord.Status, Int, [Int])] = [
        (#"{"id": "nash-md", "params": {"tau": 0.1, "eta": 0.1}}"#, .ok, 2501, [0, 1024, 2048]),
        (#"{"id": "label-spender", "params": {"per_iteration": 3}}"#, .ok, 2501, [0, 1024, 2048]),
        (#"{"id": "failing", "params": {"fail_at": 1000}}"#, .failed, 1000, [0]),
    ]

    @Test(arguments: 0..<cases.count)
    func spilledRecordHoldsNoCheckpointsAndMatchesTheInMemoryRun(_ index: Int) throws {
        let (algorithm, status, checkpoints, firsts) = Self.cases[index]
        let spec = try testSpec(Self.spec(algorithm))
        let plan = try #require(try GridExpansion.plan(spec).first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scratch = try ScratchDirectory(in: dir)
        let memory = RunExecutor.execute(plan, spec: spec, cache: EvaluationCache(spec: spec))
        let spilled = try RunExecutor.executeSpilled(plan, spec: spec, cache: EvaluationCache(spec: spec), scratch: scratch)
        #expect(memory.status == status && spilled.status == status)
        #expect(memory.curve.count == checkpoints)
        // O(1) checkpoints in memory: none in the record.
        #expect(spilled.curve.isEmpty)
        let spill = try #require(spilled.spill)
        #expect(spill.count == checkpoints && spill.blocks == firsts.count)
        #expect(spill.rows(inBlock: firsts.count - 1) == checkpoints - 1024 * (firsts.count - 1))
        #expect(spill.blockFirstIterations == firsts)
        #expect(spilled.finalMetrics == memory.finalMetrics)
        #expect(spilled.lastDiagnostics == memory.lastDiagnostics)

        // Every value read back equals the in-memory checkpoint's, bit for bit (NaN = absent).
        let reader = try CurveSpill.Reader(spill)
        var k = 0
        for b in 0..<spill.blocks {
            let rows = spill.rows(inBlock: b)
            let block = Array(try reader.columns(0..<spill.width, block: b))
            for r in 0..<rows {
                let p = memory.curve[k]
                #expect(Int64(bitPattern: block[r]) == Int64(p.iteration))
                #expect(Int64(bitPattern: block[rows + r]) == Int64(p.queries))
                for (c, name) in spill.names.enumerated() {
                    let expected = c < spill.metricCount ? p.metrics[name] : p.diagnostics[name]
                    let v = Double(bitPattern: block[(c + 2) * rows + r])
                    #expect((v.isNaN ? nil : v.bitPattern) == expected?.bitPattern, "checkpoint \(k) \(name)")
                }
                k += 1
            }
        }
        #expect(k == checkpoints)

        // The journal line streamed from the scratch text equals the in-memory line, except the
        // measured seconds, which differ between two executions.
        var aligned = spilled
        aligned.seconds = memory.seconds
        let url = dir.appendingPathComponent("journal.jsonl")
        let journal = try Journal.rewrite(url, header: JournalHeader(experiment: "spill", specHash: "s", resultsHash: "r"), records: [])
        let before = try Data(contentsOf: url).count
        try journal.append(Journal.parts(aligned))
        journal.close()
        let written = Array(try Data(contentsOf: url).dropFirst(before))
        #expect(written == memory.journalLine)
        #expect(Journal.decode(written).records == [memory])
    }

    /// The in-memory form (records decoded from a journal) has the same columns and values.
    @Test func inMemorySpillOfPoints() throws {
        let points = [CurvePoint(iteration: 0, queries: 0, metrics: ["a": 1, "b": 2], diagnostics: ["z": 5]),
                      CurvePoint(iteration: 3, queries: 7, metrics: ["a": -0.5], diagnostics: ["a": 9])]
        let spill = CurveSpill(points: points, metricNames: ["a", "b"])
        #expect(spill.names == ["a", "b", "a", "z"] && spill.metricCount == 2 && spill.count == 2)
        #expect(spill.metricColumn("a") == 2 && spill.diagnosticColumn("a") == 4 && spill.diagnosticColumn("b") == nil)
        let words = Array(try CurveSpill.Reader(spill).columns(0..<6, block: 0))
        let values = words[4...].map { Double(bitPattern: $0) }
        #expect(words[0..<4] == [0, 3, 0, 7])
        #expect(values[0] == 1 && values[1] == -0.5 && values[2] == 2 && values[3].isNaN)
        #expect(values[4].isNaN && values[5] == 9 && values[6] == 5 && values[7].isNaN)
        #expect(spill.lastDiagnostics == ["a": 9])
    }
}
