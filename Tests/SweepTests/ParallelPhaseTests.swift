import AlignmentCore
import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// The phases a sweep runs on several threads give the bytes of one thread: aggregates.csv in
/// pieces (`AggregateTable.pieces`), the ordered stream with items of very uneven cost and when
/// nested inside another `concurrentPerform`, the plain files written beside the statistics, and
/// the journal's group commit (`Journal.append(batch:)`).
struct ParallelPhaseTests {
    /// Four labels (exact-only with two grid points, exact-b, label-spender, spender-b), two
    /// environments, three seeds: 6 pairs per metric, 30 runs.
    static let text = """
    {
      "name": "parallel-phases",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 3, "seed": "per-run"}
      ],
      "budget": {"iterations": 12},
      "record_every": 4,
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [
        {"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}},
        {"id": "exact-only", "label": "exact-b", "params": {"tau": 0.1, "eta": 0.3}},
        {"id": "label-spender", "feedback": "sampled", "params": {"per_iteration": 2}},
        {"id": "label-spender", "label": "spender-b", "feedback": "sampled", "params": {"per_iteration": 1}}
      ]
    }
    """

    /// The pieces of a metric with L labels: per normalisation L centres and L profiles, and
    /// L(L−1)/2 pairs under `none` — 4L + L(L−1)/2 = 22 for L = 4, in file order.
    @Test func piecesOfFourLabelsInFileOrder() {
        let m = AggregateTable.MetricScores(metric: "exploitability", evalTau: nil, labels: ["a", "b", "c", "d"],
                                            scores: Array(repeating: [[0.1, 0.2]], count: 4))
        let p = AggregateTable.pieces(m)
        #expect(p.count == 22)
        #expect(Array(p[0..<4]) == (0..<4).map { .centre(normalization: 0, label: $0) })
        #expect(Array(p[4..<10]) == [.improvement(a: 0, b: 1), .improvement(a: 0, b: 2), .improvement(a: 0, b: 3),
                                     .improvement(a: 1, b: 2), .improvement(a: 1, b: 3), .improvement(a: 2, b: 3)])
        #expect(Array(p[10..<14]) == (0..<4).map { .profile(normalization: 0, label: $0) })
        #expect(Array(p[14..<18]) == (0..<4).map { .centre(normalization: 1, label: $0) })
        #expect(Array(p[18..<22]) == (0..<4).map { .profile(normalization: 1, label: $0) })
    }

    /// aggregates.csv computed piece by piece on 1, 2 and 3 threads: the same bytes, and one row
    /// count per metric of 2·2L (iqm, mean) + L(L−1)/2 + 2·101·L = 16 + 6 + 808 = 830 for L = 4.
    @Test func aggregatesAreTheSameBytesOnOneTwoAndThreeThreads() throws {
        let spec = try testSpec(Self.text)
        let (plans, records) = try AnalysisFixtures.records(spec) { label, config, replicate in
            // Distinct final values per run, with ties across labels (label-spender = exact-only's 0.1).
            let base: Double = ["exact-only": 0.1, "exact-b": 0.3, "label-spender": 0.1, "spender-b": 0.7][label]!
            let v = base + (config == "eta=0.5" ? 0.05 : 0) + 0.01 * Double(replicate)
            return AnalysisFixtures.Outcome(policy: [[1.0 / 3, 1.0 / 3, 1.0 / 3]],
                                            metrics: ["exploitability": v, "win_rate_vs_reference": 1 - v])
        }
        let input = AnalysisInput(spec: spec, plans: plans, records: records, selection: ResultAnalysis.selection(for: spec))
        var texts: [String] = []
        for jobs in [1, 2, 3] {
            let csv = CSVWriter(header: AggregateTable.header)
            try AggregateTable.write(input, bootstrapSamples: 200, jobs: jobs, to: csv)
            texts.append(csv.text)
        }
        #expect(texts[1] == texts[0] && texts[2] == texts[0])
        let rows = try AnalysisFixtures.rows(texts[0]).dropFirst()
        for metric in ["exploitability", "win_rate_vs_reference"] {
            #expect(rows.filter { $0[0] == metric }.count == 830, "\(metric)")
        }
        #expect(Set(rows.map { $0[0] }) == ["exploitability", "win_rate_vs_reference"])
    }

    /// A sweep of four labels writes identical result files (every file but timings.csv and
    /// manifest.json) with --jobs 1, 2 and 3, also with the plain files and the statistics
    /// written at the same time.
    @Test(arguments: [2, 3])
    func sweepFilesAreTheSameBytesWhateverJobs(jobs: Int) throws {
        let spec = try testSpec(Self.text)
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: a, bootstrapSamples: 300))
        let rb = try SweepRunner.run(spec, options: SweepOptions(jobs: jobs, resultsDirectory: b, bootstrapSamples: 300))
        #expect(rb.planned == 30 && rb.executed == 30)
        for f in SweepRunnerTests.deterministicFiles {
            #expect(try bytes(a.appendingPathComponent(f)) == bytes(b.appendingPathComponent(f)), "\(f) differs with --jobs \(jobs)")
        }
    }

    /// curves.csv formatted in units on 1, 2 and 3 threads: two spilled runs of 17,501 checkpoints
    /// (18 blocks of 1,024: cut into units of 16 and 2 blocks, `ResultStore.curvesChunkBlocks`)
    /// give the same bytes whatever the threads, and the same as the two runs executed with their
    /// checkpoints in memory (one unit per run); 2 × 17,501 rows after the header.
    @Test func curvesAreTheSameBytesOnOneTwoAndThreeThreads() throws {
        let spec = try testSpec("""
            {"name": "curve-units", "environments": [{"id": "g", "kind": "random", "actions": 3, "seed": "per-run"}],
             "budget": {"iterations": 17500}, "record_every": 1, "seeds": 2,
             "algorithms": [{"id": "nash-md", "params": {"tau": 0.1, "eta": 0.1}}]}
            """)
        let plans = try GridExpansion.plan(spec)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scratch = try ScratchDirectory(in: dir)
        var spilled: [String: RunRecord] = [:], memory: [String: RunRecord] = [:]
        for plan in plans {
            spilled[plan.runID] = try RunExecutor.executeSpilled(plan, spec: spec, cache: EvaluationCache(spec: spec), scratch: scratch)
            memory[plan.runID] = RunExecutor.execute(plan, spec: spec, cache: EvaluationCache(spec: spec))
        }
        #expect(spilled.values.allSatisfy { $0.spill?.blocks == 18 && $0.curve.isEmpty })
        func text(_ records: [String: RunRecord], jobs: Int) throws -> String {
            let csv = CSVWriter(header: ResultStore.curvesHeader(spec))
            try ResultStore.writeCurves(spec: spec, plans: plans, records: records, jobs: jobs, to: csv)
            return csv.text
        }
        let one = try text(spilled, jobs: 1)
        #expect(try text(spilled, jobs: 2) == one)
        #expect(try text(spilled, jobs: 3) == one)
        #expect(try text(memory, jobs: 2) == one)
        #expect(one.split(separator: "\n").count == 1 + 2 * 17_501)
    }

    /// Items whose cost falls steeply (item 0 the slowest) are still consumed in order, each once,
    /// with every window; the expected sequence i·3 is written out.
    @Test(arguments: [2, 3])
    func orderedStreamWithUnevenItems(jobs: Int) throws {
        for window in [nil, 1, 2, 5] as [Int?] {
            var seen: [Int] = []
            try ParallelWork.orderedStream(count: 24, jobs: jobs, window: window, compute: { i in
                if i % 7 == 0 { usleep(UInt32(4000 - 100 * i)) }
                return i * 3
            }, consume: { seen.append($0) })
            #expect(seen == [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63, 66, 69])
        }
    }

    /// An error thrown by `consume` at item 4 stops the stream: items 0…4 were consumed, no later one.
    @Test(arguments: [1, 2, 3])
    func orderedStreamStopsAtAConsumeError(jobs: Int) {
        struct Stop: Error, Equatable {}
        var seen: [Int] = []
        #expect(throws: Stop()) {
            try ParallelWork.orderedStream(count: 30, jobs: jobs, compute: { $0 }, consume: { i in
                seen.append(i)
                if i == 4 { throw Stop() }
            })
        }
        #expect(seen == [0, 1, 2, 3, 4])
    }

    /// Inside another `concurrentPerform` (where libdispatch runs the inner one on one thread)
    /// the stream still completes, in order.
    @Test func orderedStreamNestedInConcurrentPerform() {
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var sums = [Int](repeating: -1, count: 2)
        }
        let seen = Seen()
        DispatchQueue.concurrentPerform(iterations: 2) { outer in
            var order: [Int] = []
            try? ParallelWork.orderedStream(count: 50, jobs: 2, window: 3, compute: { $0 }, consume: { order.append($0) })
            let ok = order == Array(0..<50)
            seen.lock.withLock { seen.sums[outer] = ok ? order.reduce(0, +) : -2 }
        }
        #expect(seen.sums == [1225, 1225])
    }

    /// A background task's error is returned by `wait`, after its body ran.
    @Test func backgroundTaskReturnsItsOutcome() {
        struct Failed: Error {}
        let ok = BackgroundTask {}
        let failing = BackgroundTask { throw Failed() }
        #expect((try? ok.wait().get()) != nil)
        #expect((try? failing.wait().get()) == nil)
    }

    /// A batch of three lines is synced as one and reads back as the three records in order. A
    /// batch whose second entry's scratch file is missing keeps its first, complete line and cuts
    /// off the rest (the same records survive as if the lines had been appended one by one); the
    /// journal then goes on appending after it.
    @Test func journalBatchAppendAndFailedBatch() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let journal = try Journal.rewrite(url, header: JournalHeader(experiment: "batch", specHash: "s", resultsHash: "r"), records: [])
        let records = JournalLineTests.records
        try journal.append(batch: records.map(Journal.parts))
        let afterFirst = try Data(contentsOf: url)
        #expect(Journal.decode(afterFirst).records == records)
        var broken = Journal.parts(records[0])
        broken.curveText = dir.appendingPathComponent("missing-curve.txt")
        #expect(throws: SweepError.self) { try journal.append(batch: [Journal.parts(records[1]), broken, Journal.parts(records[2])]) }
        let afterFailure = try Data(contentsOf: url)
        #expect(afterFailure == afterFirst + Data(records[1].journalLine))
        try journal.append(Journal.parts(records[2]))
        journal.close()
        #expect(Journal.decode(try Data(contentsOf: url)).records == records + [records[1], records[2]])
    }
}
