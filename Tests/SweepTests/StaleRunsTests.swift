import AlgorithmCatalog
import AlignmentCore
import BuildProvenance
import Foundation
import Testing
@testable import Sweep

/// A journaled run is never reused when what produced it changed (issue 9 §1): the sweep names the
/// stale runs and why (`SweepError.specChanged`, exit 6) and leaves the results as they were;
/// `--extend` re-runs exactly those and ends with the bytes of a fresh sweep.
struct StaleRunsTests {
    /// RPS with strength 0.8 and the same game with every preference reversed.
    static let game = "0.5,0.9,0.1\n0.1,0.5,0.9\n0.9,0.1,0.5\n"
    static let reversed = "0.5,0.1,0.9\n0.9,0.5,0.1\n0.1,0.9,0.5\n"

    static func spec(matrix: URL, algorithms: String = #"[{"id": "mmd"}]"#) -> String {
        """
        {"name": "stale", "environments": [{"id": "m", "kind": "matrix", "path": "\(matrix.path)"}, {"id": "rps", "kind": "cyclic"}],
         "budget": {"iterations": 50}, "seeds": 2, "algorithms": \(algorithms)}
        """
    }

    static func parse(_ text: String) throws -> ExperimentSpec {
        try ExperimentSpec.parse(text, file: "stale.json", catalog: .standard)
    }

    static func sweep(_ spec: ExperimentSpec, in dir: URL, policy: ExistingResults = .resume) throws -> SweepReport {
        var options = SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 200)
        options.existingResults = policy
        options.displayDirectory = "out"
        return try SweepRunner.run(spec, options: options)
    }

    static let files = ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "pairwise.csv", "tests.csv", "aggregates.csv"]

    /// The issue's reproduction: the matrix file is replaced by the reversed game under an unchanged
    /// spec. Only the 2 runs on `m` are stale; `--extend` re-runs them and keeps the 2 on `rps`.
    @Test func changedInputFileIsNamedAndExtendRerunsExactlyItsRuns() throws {
        let dir = try temporaryDirectory(), fresh = try temporaryDirectory(), inputs = try temporaryDirectory()
        defer { for d in [dir, fresh, inputs] { try? FileManager.default.removeItem(at: d) } }
        let matrix = inputs.appendingPathComponent("game.csv")
        try Self.game.write(to: matrix, atomically: true, encoding: .utf8)
        let first = try Self.sweep(Self.parse(Self.spec(matrix: matrix)), in: dir)
        #expect(first.executed == 4)
        let before = try Self.files.map { try bytes(dir.appendingPathComponent($0)) }

        try Self.reversed.write(to: matrix, atomically: true, encoding: .utf8)
        let changed = try Self.parse(Self.spec(matrix: matrix))
        do {
            _ = try Self.sweep(changed, in: dir)
            Issue.record("a sweep over a changed input file must be refused")
        } catch let e as SweepError {
            #expect(e.exitCode == .specChanged)
            #expect("\(e)" == "out: 2 of the 4 runs done are stale: 2 runs on environment m (its input file \(matrix.path) changed since they were computed); rerun with --extend to re-run exactly these 2 runs and keep the other 2, or with --fresh to delete these results and start over")
        }
        #expect(try Self.files.map { try bytes(dir.appendingPathComponent($0)) } == before, "a refused sweep changes nothing")

        let extended = try Self.sweep(changed, in: dir, policy: .extend)
        #expect(extended.executed == 2 && extended.resumed == 2 && extended.staleRerun == 2)
        _ = try Self.sweep(changed, in: fresh)
        for f in Self.files {
            #expect(try bytes(dir.appendingPathComponent(f)) == bytes(fresh.appendingPathComponent(f)), "\(f) differs from a fresh sweep")
        }
        // Nothing half-reused: every journal record now carries the plan's fingerprint.
        let contents = try Journal.read(dir.appendingPathComponent(ResultStore.journalName), curves: .memory)
        let plans = try GridExpansion.plan(changed)
        #expect(contents.records.count == 4)
        for r in contents.records {
            #expect(r.fingerprint == plans.first { $0.runID == r.runID }?.fingerprint)
        }
    }

    /// A record computed by other code: its part of the fingerprint is replaced in the journal, as a
    /// rebuild with another plugin source, harness source or library would leave it. (The real
    /// rebuild is exercised end to end by CodeChangeTests.)
    @Test(arguments: [
        ("algorithm", "2 runs of mmd (its source (MMD) changed since they were computed)", 2),
        ("harness", "4 runs (the harness's source (environments, metrics, solvers, recording) changed since they were computed)", 4),
        ("libraries", "4 runs (the numeric libraries changed since they were computed (now \(CodeFingerprints.librariesDescription)))", 4),
        ("legacy", "4 runs (computed by a version of bench without code fingerprints)", 4),
    ])
    func changedCodeIsNamed(part: String, reason: String, stale: Int) throws {
        let dir = try temporaryDirectory(), inputs = try temporaryDirectory()
        defer { for d in [dir, inputs] { try? FileManager.default.removeItem(at: d) } }
        let matrix = inputs.appendingPathComponent("game.csv")
        try Self.game.write(to: matrix, atomically: true, encoding: .utf8)
        // mmd on m (2 runs) and extragradient on m (2 runs); seeds 2, one environment.
        let text = Self.spec(matrix: matrix, algorithms: #"[{"id": "mmd"}, {"id": "extragradient"}]"#)
            .replacingOccurrences(of: #", {"id": "rps", "kind": "cyclic"}"#, with: "")
        let spec = try Self.parse(text)
        _ = try Self.sweep(spec, in: dir)
        let plans = try GridExpansion.plan(spec)
        let mmdRuns = Set(plans.filter { spec.algorithms[$0.algorithm].id == "mmd" }.map(\.runID))
        let journalURL = dir.appendingPathComponent(ResultStore.journalName)
        let lines = try String(contentsOf: journalURL, encoding: .utf8).split(separator: "\n").map(String.init)
        let tampered = try lines.map { line -> String in
            guard line.contains("\"run_id\"") else { return line }
            let id = String(line.split(separator: "\"")[3])
            let plan = try #require(plans.first { $0.runID == id })
            let f = plan.fingerprint
            switch part {
            case "algorithm":
                return mmdRuns.contains(id) ? line.replacingOccurrences(of: "\"algorithm\":\"\(f.algorithm)\"", with: "\"algorithm\":\"0000000000000000\"") : line
            case "harness": return line.replacingOccurrences(of: "\"harness\":\"\(f.harness)\"", with: "\"harness\":\"0000000000000000\"")
            case "libraries": return line.replacingOccurrences(of: "\"libraries\":\"\(f.libraries)\"", with: "\"libraries\":\"0000000000000000\"")
            default:
                let object = "{\"definition\":\"\(f.definition)\",\"inputs\":\"\(f.inputs)\",\"algorithm\":\"\(f.algorithm)\",\"harness\":\"\(f.harness)\",\"libraries\":\"\(f.libraries)\"}"
                #expect(line.contains(object))
                // The old format's definition hash also covered the tool version, so it never equals
                // the current one: the record must still be named as legacy, not as a spec change.
                return line.replacingOccurrences(of: object, with: "\"0123456789abcdef\"")
            }
        }
        #expect(tampered != lines)
        try (tampered.joined(separator: "\n") + "\n").write(to: journalURL, atomically: true, encoding: .utf8)
        do {
            _ = try Self.sweep(spec, in: dir)
            Issue.record("stale runs must be refused")
        } catch let e as SweepError {
            #expect(e.exitCode == .specChanged)
            #expect("\(e)".hasPrefix("out: \(stale) of the 4 runs done are stale: \(reason); rerun with --extend to re-run exactly these \(stale) runs"), "\(e)")
        }
        let extended = try Self.sweep(spec, in: dir, policy: .extend)
        #expect(extended.executed == stale && extended.resumed == 4 - stale && extended.staleRerun == stale)
    }
}

/// Shards re-run with --extend after their input file changed, then a merge of the directory's
/// spec copy (`bench merge <dir>`): the copy reads the input copy the last merge recorded, so the
/// shards' current runs look stale to it, and re-running them (the hint's command) changed nothing
/// — a loop. The refusal now also names the way out, `--spec` with the spec file, and merging with
/// that spec completes and records the new input.
struct StaleInputsMergeTests {
    @Test func aMergeOfTheDirectoryCopyNamesTheSpecWayOut() throws {
        let dir = try temporaryDirectory(), inputs = try temporaryDirectory("inputs")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: inputs) }
        let matrix = inputs.appendingPathComponent("game.csv")
        try StaleRunsTests.game.write(to: matrix, atomically: true, encoding: .utf8)
        func options(_ shard: Shard?) -> SweepOptions {
            var o = SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 200)
            o.shard = shard
            o.existingResults = .extend
            o.displayDirectory = "out"
            return o
        }
        func shardsAndMerge(_ spec: ExperimentSpec) throws {
            for k in 1...2 { _ = try SweepRunner.run(spec, options: options(Shard(index: k, count: 2))) }
        }
        let first = try StaleRunsTests.parse(StaleRunsTests.spec(matrix: matrix))
        try shardsAndMerge(first)
        _ = try SweepRunner.merge(first, options: options(nil))
        try StaleRunsTests.reversed.write(to: matrix, atomically: true, encoding: .utf8)
        let changed = try StaleRunsTests.parse(StaleRunsTests.spec(matrix: matrix))
        try shardsAndMerge(changed)
        // The directory's view: its spec.json with the input copies its manifest records.
        let copy = try ExperimentSpec.load(contentsOf: dir.appendingPathComponent("spec.json"), displayName: "out/spec.json",
                                           limits: .forced, inputs: ResultSummarizer.inputLocator(directory: dir))
        do {
            _ = try SweepRunner.merge(copy, options: options(nil))
            Issue.record("the merge of the directory's copy did not refuse")
        } catch let SweepError.specChanged(_, message) {
            #expect(message.hasSuffix("; if the shards already ran with the input files as they are now, the directory's spec copy "
                                      + "still reads the copies the last merge recorded: merge with `bench merge out --spec stale.json`"), "\(message)")
        }
        _ = try SweepRunner.merge(changed, options: options(nil))
        #expect(try ResultsProgress.read(spec: changed, directory: dir).journals.allSatisfy { $0.stale == 0 })
        let digests = try #require(RecordedManifest.previous(in: dir)?.inputDigests)
        #expect(digests.values.contains(changed.inputFiles[0].sha256))
    }
}
