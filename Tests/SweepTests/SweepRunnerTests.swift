import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// The runner and result store: determinism across --jobs, resume after interruption, failures,
/// budgets. (Not timed: only file contents and counts are checked.)
struct SweepRunnerTests {
    static let text = """
    {
      "name": "runner",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"}
      ],
      "reference": {"kind": "softmax-normal", "scale": 1},
      "budget": {"iterations": 30},
      "record_every": 5,
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [
        {"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}},
        {"id": "label-spender", "feedback": "sampled", "params": {"per_iteration": 3}}
      ]
    }
    """
    /// Every result file except timings.csv (wall-clock seconds) and manifest.json (times, host).
    static let deterministicFiles = ResultStore.fileNames.filter { $0 != "timings.csv" && $0 != "manifest.json" }

    static func run(_ spec: ExperimentSpec, in dir: URL, jobs: Int) throws -> SweepReport {
        try SweepRunner.run(spec, options: SweepOptions(jobs: jobs, resultsDirectory: dir, bootstrapSamples: 500))
    }

    /// Every deterministic file (runs, curves, policies, and the statistics computed concurrently
    /// per group, environment and metric: summary.csv, curve_summary.csv, pairwise.csv, tests.csv, aggregates.csv) is the
    /// same with --jobs 1 and with more workers than groups (8 > the 2 environments of pairwise.csv).
    @Test(arguments: [2, 3, 8])
    func jobsOneAndMoreGiveIdenticalBytes(jobs: Int) throws {
        let spec = try testSpec(Self.text)
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let ra = try Self.run(spec, in: a, jobs: 1)
        let rb = try Self.run(spec, in: b, jobs: jobs)
        #expect(ra.planned == 18 && ra.executed == 18 && ra.resumed == 0 && ra.failed == 0)
        #expect(rb.planned == 18 && rb.executed == 18)
        for f in Self.deterministicFiles {
            #expect(try bytes(a.appendingPathComponent(f)) == bytes(b.appendingPathComponent(f)), "\(f) differs")
        }
        for f in ResultStore.fileNames { #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent(f).path)) }
    }

    @Test(arguments: [0, 5, 17])
    func resumeAfterPartialJournalGivesIdenticalBytes(keep: Int) throws {
        let spec = try testSpec(Self.text)
        let full = try temporaryDirectory(), cut = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: full); try? FileManager.default.removeItem(at: cut) }
        _ = try Self.run(spec, in: full, jobs: 2)
        // Simulate kill -9: the header and the first `keep` records, then half of the next line.
        let journal = try String(contentsOf: full.appendingPathComponent(ResultStore.journalName), encoding: .utf8)
        let lines = journal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 1 + 18 + 1 && lines.last == "")
        let partial = lines[keep + 1].prefix(lines[keep + 1].count / 2)
        let truncated = lines[...keep].map { $0 + "\n" }.joined() + partial
        try truncated.write(to: cut.appendingPathComponent(ResultStore.journalName), atomically: false, encoding: .utf8)

        let report = try Self.run(spec, in: cut, jobs: 2)
        #expect(report.resumed == keep && report.executed == 18 - keep)
        for f in Self.deterministicFiles {
            #expect(try bytes(full.appendingPathComponent(f)) == bytes(cut.appendingPathComponent(f)), "\(f) differs")
        }
        // Nothing lost or duplicated in the journal.
        let after = try String(contentsOf: cut.appendingPathComponent(ResultStore.journalName), encoding: .utf8)
        let records = Journal.decode(Data(after.utf8))
        #expect(records.goodEnd == after.utf8.count)
        #expect(records.records.count == 18)
        #expect(Set(records.records.map(\.runID)).count == 18)
    }

    @Test func rerunSkipsCompletedRunsAndStaleRecordsAreRerun() throws {
        let spec = try testSpec(Self.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(spec, in: dir, jobs: 2)
        let before = try bytes(dir.appendingPathComponent("runs.csv"))
        let again = try Self.run(spec, in: dir, jobs: 2)
        #expect(again.executed == 0 && again.resumed == 18)
        #expect(try bytes(dir.appendingPathComponent("runs.csv")) == before)
        let manifest = try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8), file: "m")
        #expect(manifest["runs"]?["resumed"]?.integerValue == 18)
        #expect(manifest["runs"]?["planned"]?.integerValue == 18)
        #expect(manifest["spec_hash"]?.stringValue == spec.specHash)
        // The manifest lists every result file, the between-algorithm tables included, and each exists.
        let listed = manifest["files"]?.arrayElements?.compactMap(\.stringValue) ?? []
        #expect(listed == ResultStore.fileNames)
        #expect(Set(["pairwise.csv", "tests.csv", "frontier.csv"]).isSubset(of: listed))
        for f in listed { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f)") }
        // Changing the budget changes every fingerprint: the changed spec is refused, and with
        // --extend nothing is reused.
        let longer = try testSpec(Self.text.replacingOccurrences(of: #""iterations": 30"#, with: #""iterations": 35"#))
        #expect(throws: SweepError.self) { _ = try Self.run(longer, in: dir, jobs: 2) }
        var options = SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 500)
        options.existingResults = .extend
        let third = try SweepRunner.run(longer, options: options)
        #expect(third.executed == 18 && third.resumed == 0 && third.dropped == 18)
    }

    @Test func secondSweepOnTheSameStoreIsRefusedWhileLocked() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let held = try ResultsLock(directory: dir, display: "held")
        defer { held.release() }
        #expect(throws: SweepError.self) { _ = try Self.run(testSpec(Self.text), in: dir, jobs: 1) }
    }

    @Test func failedRunsAreRecordedAndTheSweepGoesOn() throws {
        let spec = try testSpec("""
        {"name": "fail", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 10},
         "record_every": 1, "seeds": 2,
         "algorithms": [{"id": "failing", "params": {"fail_at": 3}}, {"id": "exact-only"}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.run(spec, in: dir, jobs: 2)
        #expect(report.planned == 4 && report.failed == 2)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        func col(_ row: [String], _ name: String) -> String { row[h.firstIndex(of: name)!] }
        let failing = runs.dropFirst().filter { col($0, "algorithm") == "failing" }
        #expect(failing.count == 2)
        for r in failing {
            #expect(col(r, "status") == "failed")
            #expect(col(r, "error") == "numerical failure at iteration 3: diverged on purpose")
            #expect(col(r, "iterations") == "2")
            #expect(col(r, "exploitability") == "")
        }
        #expect(runs.dropFirst().filter { col($0, "algorithm") == "exact-only" }.allSatisfy { col($0, "status") == "ok" })
        // Failed runs keep the checkpoints recorded before the failure but have no final policy.
        let failedIDs = Set(failing.map { $0[0] })
        let curves = try readCSV(dir.appendingPathComponent("curves.csv")).dropFirst()
        #expect(curves.filter { failedIDs.contains($0[0]) }.map { $0[1] } == ["0", "1", "2", "0", "1", "2"])
        let policies = try readCSV(dir.appendingPathComponent("policies.csv")).dropFirst()
        #expect(policies.allSatisfy { !failedIDs.contains($0[0]) })
        #expect(policies.count == 2 * 3)
        let summary = try readCSV(dir.appendingPathComponent("summary.csv"))
        let failRow = summary.first { $0[1] == "failing" && $0[3] == "exploitability" }
        #expect(failRow?[4] == "0" && failRow?[5] == "2" && failRow?[6] == "")
    }

    @Test func exhaustedBudgetEndsTheRunNormally() throws {
        let spec = try testSpec("""
        {"name": "budget", "environments": [{"id": "rps", "kind": "cyclic"}],
         "budget": {"iterations": 5, "queries": 25}, "record_every": 2, "feedback": "sampled",
         "algorithms": [{"id": "label-spender", "params": {"per_iteration": 10}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(spec, in: dir, jobs: 1)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        #expect(runs.count == 2)
        #expect(runs[1][h.firstIndex(of: "status")!] == "ok")
        // Iterations 1 and 2 drew 20 labels; iteration 3 drew 5 more, then the budget ran out.
        #expect(runs[1][h.firstIndex(of: "iterations")!] == "2")
        #expect(runs[1][h.firstIndex(of: "queries")!] == "25")
        let curves = try readCSV(dir.appendingPathComponent("curves.csv"))
        #expect(curves[0] == ["run_id", "iteration", "queries"] + Metric.ids + ["wins"])
        #expect(curves.dropFirst().map { [$0[1], $0[2]] } == [["0", "0"], ["2", "20"]])
    }

    /// Mirror descent on rock–paper–scissors from a uniform μ never moves (Pμ = ½·1), so by hand:
    /// exploitability 0, win rate ½, KL 0, gap_0.1 = 2[0.1·log e^{5} − ½] = 0, π = (⅓, ⅓, ⅓).
    @Test func uniformFixedPointGivesHandComputedMetrics() throws {
        let spec = try testSpec("""
        {"name": "fixed", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 20},
         "tau": 0.1, "seeds": 2, "algorithms": [{"id": "exact-only", "params": {"eta": 0.5, "tau": 0.1}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(spec, in: dir, jobs: 2)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        for r in runs.dropFirst() {
            func v(_ name: String) -> Double { Double(r[h.firstIndex(of: name)!])! }
            #expect(abs(v("exploitability")) < 1e-15)          // rounding of (½ + 1 + 0)/3
            #expect(abs(v("win_rate_vs_reference") - 0.5) < 1e-15)
            #expect(abs(v("kl_to_reference")) < 1e-15)
            #expect(abs(v("regularized_gap")) < 1e-14)          // τ·log of e^{5}: a few ulps of 1
            #expect(r[h.firstIndex(of: "true_reward")!] == "")   // cyclic has no true reward
        }
        let policies = try readCSV(dir.appendingPathComponent("policies.csv")).dropFirst()
        #expect(policies.count == 6)
        #expect(policies.allSatisfy { abs(Double($0[3])! - 1.0 / 3.0) < 1e-15 })
    }

    /// manifest.json is written last: when a between-algorithm table cannot be written (here a
    /// directory stands where pairwise.csv goes, so the rename fails), the sweep fails with an I/O
    /// error and no manifest naming the missing files exists.
    /// With --jobs 2 the files are written concurrently, and the failure of one still stops the
    /// manifest.
    @Test(arguments: [1, 2])
    func manifestIsWrittenAfterTheAnalysisFiles(jobs: Int) throws {
        let spec = try testSpec(Self.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pairwise.csv"), withIntermediateDirectories: false)
        // An empty journal makes the directory a sweep's (otherwise the obstacle is refused before
        // any run as a foreign file, `StoreSession.refuseForeignFiles`).
        try Data().write(to: dir.appendingPathComponent("journal.jsonl"))
        #expect(throws: SweepError.self) { _ = try Self.run(spec, in: dir, jobs: jobs) }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("summary.csv").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path))
        #expect(ResultStore.fileNames.last == "manifest.json")
        // Once the obstacle is gone the sweep resumes from the journal and completes.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("pairwise.csv"))
        let again = try Self.run(spec, in: dir, jobs: jobs)
        #expect(again.executed == 0 && again.resumed == 18)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path))
    }
}
