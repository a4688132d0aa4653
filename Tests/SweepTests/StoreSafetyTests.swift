import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Fails with a numerical failure at iteration 2 on about half of the runs (decided by the run's
/// own generator, so deterministically per run) and otherwise moves π toward action 0 with
/// π_t ∝ μ·exp(t·e₀); tests that summaries exclude failed runs and count them per group.
struct FlakyAlgorithm: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "flaky", summary: "test plugin that fails on some runs", paper: "test",
        parameters: [ParameterSpec("rate", .real(.unit), default: .number(0.5), doc: "probability of failing")],
        feedbackModes: [.exact, .sampled], stochasticModes: [.exact, .sampled])

    let rate: Double

    init(parameters: ParameterValues) throws { rate = parameters.double("rate") }

    func run(_ run: RunContext) throws {
        let fails = run.rng.uniform() < rate
        let logMu = run.reference.logProbabilities
        for t in 0...run.iterations {
            if fails && t == 2 { throw AlignmentCoreError.numericalFailure(iteration: 2, reason: "flaky on purpose") }
            let logits = logMu.map { row in LogSpace.normalize(row.enumerated().map { $0.offset == 0 ? $0.element + Double(t) : $0.element }) }
            try run.report(iteration: t, policy: Policy(logits: logits))
        }
    }
}

/// The results directory's safety: changed specs (refuse, --extend, --fresh), the lock (held,
/// stale), numerical failures in statistics.
struct StoreSafetyTests {
    static let catalog = PluginCatalog(algorithms: testCatalog.algorithms + [FlakyAlgorithm.self], environments: testCatalog.environments)

    static func spec(_ text: String) throws -> ExperimentSpec {
        try ExperimentSpec.parse(text, file: "spec.json", catalog: catalog)
    }

    static func run(_ spec: ExperimentSpec, in dir: URL, _ policy: ExistingResults = .resume) throws -> SweepReport {
        var options = SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 200)
        options.existingResults = policy
        options.displayDirectory = "Results/runner"
        return try SweepRunner.run(spec, options: options)
    }

    /// Every file of a directory (but the lock) with its bytes.
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name != ResultsLock.fileName {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    static func seeds(_ n: Int) -> String {
        SweepRunnerTests.text.replacingOccurrences(of: #""seeds": 3"#, with: "\"seeds\": \(n)")
    }

    static let files = SweepRunnerTests.deterministicFiles

    @Test func changedSpecIsRefusedAndNothingChanges() throws {
        let dir = try temporaryDirectory(), reference = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: reference) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        let before = try Self.snapshot(dir)
        let four = try Self.spec(Self.seeds(4))
        #expect(throws: SweepError.specChanged(directory: "Results/runner", message:
            "the spec spec.json changed since these results were written (results hash \(try Self.spec(Self.seeds(3)).resultsHash) → \(four.resultsHash)); "
            + "of the 18 runs done, 18 are unchanged: rerun with --extend to keep them and run the 6 new ones, "
            + "or with --fresh to delete these results and start over")) {
            try Self.run(four, in: dir)
        }
        #expect(try Self.snapshot(dir) == before)
        #expect(SweepError.specChanged(directory: "d", message: "m").exitCode == .specChanged)
    }

    /// --extend keeps unchanged runs and gives the same bytes as a fresh sweep of the new spec, both
    /// when the grid grows (seeds 3 → 4: 6 new runs) and when it shrinks (→ 2: 6 runs dropped).
    @Test(arguments: [(4, 6, 18, 0), (2, 0, 12, 6)])
    func extendKeepsUnchangedRunsAndMatchesAFreshSweep(seeds: Int, executed: Int, resumed: Int, dropped: Int) throws {
        let dir = try temporaryDirectory(), reference = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: reference) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        let changed = try Self.spec(Self.seeds(seeds))
        let report = try Self.run(changed, in: dir, .extend)
        #expect(report.executed == executed && report.resumed == resumed && report.dropped == dropped)
        _ = try Self.run(changed, in: reference)
        for f in Self.files {
            #expect(try bytes(dir.appendingPathComponent(f)) == bytes(reference.appendingPathComponent(f)), "\(f)")
        }
        // The journal holds exactly the planned runs, once each, under the new spec's header.
        let journal = Journal.decode([UInt8](try bytes(dir.appendingPathComponent(ResultStore.journalName))))
        #expect(journal.header?.resultsHash == changed.resultsHash)
        #expect(journal.records.count == 6 * seeds && Set(journal.records.map(\.runID)).count == 6 * seeds)
        // The same spec again simply resumes.
        let again = try Self.run(changed, in: dir)
        #expect(again.executed == 0 && again.resumed == 6 * seeds && again.dropped == 0)
        let manifest = try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8), file: "m")
        #expect(manifest["results_hash"]?.stringValue == changed.resultsHash)
    }

    /// A changed budget changes every run's definition: --extend re-runs all of them.
    @Test func extendRerunsChangedDefinitions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        let longer = try Self.spec(Self.seeds(3).replacingOccurrences(of: #""iterations": 30"#, with: #""iterations": 31"#))
        #expect(throws: SweepError.self) { try Self.run(longer, in: dir) }
        let report = try Self.run(longer, in: dir, .extend)
        #expect(report.executed == 18 && report.resumed == 0 && report.dropped == 18)
    }

    /// --fresh deletes the experiment's files (not others) and starts over.
    @Test func freshStartsOverAndKeepsForeignFiles() throws {
        let dir = try temporaryDirectory(), reference = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: reference) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        try "mine".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let two = try Self.spec(Self.seeds(2))
        let report = try Self.run(two, in: dir, .fresh)
        #expect(report.executed == 12 && report.resumed == 0 && report.dropped == 18)
        _ = try Self.run(two, in: reference)
        for f in Self.files { #expect(try bytes(dir.appendingPathComponent(f)) == bytes(reference.appendingPathComponent(f)), "\(f)") }
        #expect(try String(contentsOf: dir.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    }

    /// --fresh only counts the old journal's runs (their checkpoints are checked, not spilled):
    /// over a journal whose last line is torn, `dropped` is the runs of its complete lines — the
    /// records a resume reads — and no scratch directory is left behind.
    @Test func freshCountsTheRunsOfATornJournal() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        let journal = dir.appendingPathComponent(ResultStore.journalName)
        var bytes = try Data(contentsOf: journal)
        bytes.removeLast(40)
        try bytes.write(to: journal)
        let complete = Set(try Journal.read(journal, curves: .memory).records.map(\.runID)).count
        #expect(complete == 17)
        let report = try Self.run(Self.spec(Self.seeds(2)), in: dir, .fresh)
        #expect(report.executed == 12 && report.resumed == 0 && report.dropped == complete)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasPrefix(ScratchDirectory.prefix) })
    }

    /// Description, $schema and figures change no result: such edits resume without --extend.
    @Test func presentationOnlyChangesResume() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Self.spec(Self.seeds(3))
        _ = try Self.run(a, in: dir)
        let text = Self.seeds(3).replacingOccurrences(of: #""name": "runner","#, with: #""name": "runner", "description": "now described", "figures": [{"id": "e", "kind": "bars", "metric": "exploitability"}],"#)
        let b = try Self.spec(text)
        #expect(a.specHash != b.specHash && a.resultsHash == b.resultsHash)
        let report = try Self.run(b, in: dir)
        #expect(report.executed == 0 && report.resumed == 18)
        let manifest = try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8), file: "m")
        #expect(manifest["spec_hash"]?.stringValue == b.specHash)
    }

    /// A journal without a header and without a manifest (written by version 0.1.0, killed before
    /// its first manifest): a changed spec is still detected from the records' fingerprints.
    @Test func headerlessJournalIsCheckedByFingerprints() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.run(Self.spec(Self.seeds(3)), in: dir)
        let url = dir.appendingPathComponent(ResultStore.journalName)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("manifest.json"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("runs.csv"))
        // Same spec: resumes (and the journal gains its header).
        #expect(try Self.run(Self.spec(Self.seeds(3)), in: dir).resumed == 18)
        #expect(Journal.decode([UInt8](try bytes(url))).header != nil)
        // Again without header, now with a changed budget: refused.
        let again = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        try (again.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("manifest.json"))
        let longer = try Self.spec(Self.seeds(3).replacingOccurrences(of: #""iterations": 30"#, with: #""iterations": 31"#))
        #expect(throws: SweepError.self) { try Self.run(longer, in: dir) }
    }

    /// A second sweep on a locked directory is refused at once, naming the holder's pid (here this
    /// process, which holds the lock through another open file description).
    @Test func lockedDirectoryIsRefusedNamingThePid() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let held = try ResultsLock(directory: dir, display: "Results/runner")
        #expect(throws: SweepError.locked(directory: "Results/runner", pid: getpid())) {
            try Self.run(Self.spec(Self.seeds(1)), in: dir)
        }
        #expect("\(SweepError.locked(directory: "Results/runner", pid: 4242))"
                == "Results/runner: another bench sweep (pid 4242) is writing these results; wait for it to finish or stop it (kill 4242), then run again to resume")
        held.release()
        let report = try Self.run(Self.spec(Self.seeds(1)), in: dir)
        #expect(report.executed == 6 && report.interruptedSweepPID == nil)
        // A finished sweep leaves an empty lock file.
        #expect(try bytes(dir.appendingPathComponent(ResultsLock.fileName)).isEmpty)
    }

    /// A lock file naming a dead process (a killed sweep) without a held lock is taken over; the
    /// report names the interrupted sweep.
    @Test func staleLockIsTakenOver() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/sh")
        dead.arguments = ["-c", "exit 0"]
        try dead.run()
        dead.waitUntilExit()
        try "\(dead.processIdentifier)\n".write(to: dir.appendingPathComponent(ResultsLock.fileName), atomically: true, encoding: .utf8)
        let report = try Self.run(Self.spec(Self.seeds(1)), in: dir)
        #expect(report.executed == 6 && report.interruptedSweepPID == dead.processIdentifier)
        #expect(try bytes(dir.appendingPathComponent(ResultsLock.fileName)).isEmpty)
    }

    /// A real plugin that diverges: DPO with the IPO loss and plain SGD at learning rate 1e10 has a
    /// loss gradient linear in the margin, so its logits grow by ~10¹⁰ per step and would overflow to
    /// ∞ within a few dozen steps; the harness's divergence monitor stops them once the log-ratio
    /// spread passes 2⁵² (checked: the same runs at learning rate 0.01 stay finite). Those runs are
    /// recorded as failed with the reason and the iteration; the sweep goes on; the summary excludes
    /// them and counts them.
    @Test func divergingRealPluginIsRecordedAsFailed() throws {
        let spec = try Self.spec("""
        {"name": "div", "environments": [{"id": "bt", "kind": "bradley-terry", "actions": 4}], "budget": {"iterations": 50},
         "record_every": 5, "seeds": 2, "feedback": "sampled",
         "algorithms": [{"id": "dpo", "params": {"optimizer": "sgd", "loss": "ipo"}, "grid": {"learning_rate": [0.01, 1e10]}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.run(spec, in: dir)
        #expect(report.planned == 4 && report.failed == 2)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        // The learning rate of each run, from parameters.csv (run_id, parameter, value).
        var learningRate: [String: String] = [:]
        for p in try readCSV(dir.appendingPathComponent("parameters.csv")).dropFirst() where p[1] == "learning_rate" { learningRate[p[0]] = p[2] }
        for r in runs.dropFirst() {
            if learningRate[col(r, "run_id")] == "0.01" {
                #expect(col(r, "status") == "ok" && col(r, "iterations") == "50" && Double(col(r, "exploitability")) != nil)
            } else {
                #expect(col(r, "status") == "failed")
                // "numerical failure at iteration k: diverging: log π/μ spans … nats, beyond 2^52 …", after
                // the last reported iteration.
                let error = col(r, "error")
                #expect(error.hasPrefix("numerical failure at iteration ") && error.contains(": diverging: log π/μ spans ")
                        && error.contains("beyond 2^52"), "\(error)")
                let k = Int(error.dropFirst("numerical failure at iteration ".count).prefix { $0.isNumber })!
                let last = Int(col(r, "iterations"))!
                #expect(last < k && k <= 50)
                #expect(col(r, "exploitability") == "")
            }
        }
        let summary = try readCSV(dir.appendingPathComponent("summary.csv"))
        let rows = summary.filter { $0[3] == "exploitability" }
        #expect(rows.map { [$0[2], $0[4], $0[5]] } == [["learning_rate=0.01", "2", "0"], ["learning_rate=10000000000", "0", "2"]])
        // curve_summary.csv uses ok runs only: no rows for the diverged configuration.
        let curves = try readCSV(dir.appendingPathComponent("curve_summary.csv"))
        #expect(!curves.contains { $0[2] == "learning_rate=10000000000" })
        #expect(curves.contains { $0[2] == "learning_rate=0.01" })
    }

    /// A group where some runs fail: n + failed = seeds, and every statistic is over the ok runs only
    /// (mean recomputed here from runs.csv; the minimum and maximum likewise).
    @Test func summariesExcludeFailedRunsPerGroup() throws {
        let spec = try Self.spec("""
        {"name": "flaky", "environments": [{"id": "rps", "kind": "cyclic"}, {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"}],
         "budget": {"iterations": 4}, "seeds": 12, "reference": {"kind": "softmax-normal"},
         "algorithms": [{"id": "flaky", "params": {"rate": 0.5}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.run(spec, in: dir)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        #expect(report.failed == runs.dropFirst().filter { col($0, "status") == "failed" }.count)
        let summary = try readCSV(dir.appendingPathComponent("summary.csv"))
        let sh = summary[0]
        for env in ["rps", "r4"] {
            let group = runs.dropFirst().filter { col($0, "environment") == env }
            let ok = group.filter { col($0, "status") == "ok" }.map { Double(col($0, "exploitability"))! }
            let failed = group.count - ok.count
            #expect(failed > 0 && !ok.isEmpty, "the seeded draws give a mixed group")
            for r in group where col(r, "status") == "failed" {
                #expect(col(r, "error") == "numerical failure at iteration 2: flaky on purpose" && col(r, "iterations") == "1")
            }
            let row = summary.first { $0[0] == env && $0[3] == "exploitability" }!
            func s(_ n: String) -> String { row[sh.firstIndex(of: n)!] }
            #expect(s("n") == String(ok.count) && s("failed") == String(failed))
            // Mean of the ok runs (tolerance: a few ulps of the summation order).
            #expect(abs(Double(s("mean"))! - ok.reduce(0, +) / Double(ok.count)) < 1e-15)
            #expect(Double(s("min")) == ok.min() && Double(s("max")) == ok.max())
        }
    }
}
