import Foundation
import Testing
@testable import Sweep

/// Shards and their merge, in process: merged bytes equal an unsharded `--jobs 1` sweep; a
/// missing or stale shard is refused, named, and nothing is written.
struct ShardMergeTests {
    static func options(_ dir: URL, shard: Shard? = nil, jobs: Int = 2) -> SweepOptions {
        var o = SweepOptions(jobs: jobs, resultsDirectory: dir, bootstrapSamples: 500)
        o.shard = shard
        o.displayDirectory = "out"
        return o
    }

    /// Every file except timings.csv and manifest.json is byte-identical to `--jobs 1`, for N = 1, 2, 3, 8.
    @Test(arguments: [1, 2, 3, 8])
    func mergedBytesEqualAnUnshardedSweep(n: Int) throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let local = try temporaryDirectory(), sharded = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: local); try? FileManager.default.removeItem(at: sharded) }
        _ = try SweepRunner.run(spec, options: Self.options(local, jobs: 1))
        var total = 0
        for k in 1...n {
            let r = try SweepRunner.run(spec, options: Self.options(sharded, shard: Shard(index: k, count: n)))
            #expect(r.executed == r.planned && r.resumed == 0)
            total += r.planned
            // A shard writes its journal and the spec copy, never a result file.
            #expect(!FileManager.default.fileExists(atPath: sharded.appendingPathComponent("runs.csv").path))
            #expect(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("journal-\(k)-of-\(n).jsonl").path))
        }
        #expect(total == 18)
        let merged = try SweepRunner.merge(spec, options: Self.options(sharded))
        #expect(merged.planned == 18 && merged.executed == 0 && merged.resumed == 18)
        for f in SweepRunnerTests.deterministicFiles {
            #expect(try bytes(local.appendingPathComponent(f)) == bytes(sharded.appendingPathComponent(f)), "\(f) differs (N = \(n))")
        }
        // A shard run again resumes everything; `run` without a shard merges again, same bytes.
        let again = try SweepRunner.run(spec, options: Self.options(sharded, shard: Shard(index: 1, count: n)))
        #expect(again.executed == 0 && again.resumed == again.planned)
        let viaSweep = try SweepRunner.run(spec, options: Self.options(sharded))
        #expect(viaSweep.executed == 0 && viaSweep.resumed == 18)
        for f in SweepRunnerTests.deterministicFiles {
            #expect(try bytes(local.appendingPathComponent(f)) == bytes(sharded.appendingPathComponent(f)), "\(f) differs (N = \(n))")
        }
    }

    /// Shards 1 and 3 of 3 done, shard 2 not started: refused naming shard 2/3, nothing written.
    @Test func missingShardIsRefusedByName() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for k in [1, 3] { _ = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: k, count: 3))) }
        let plans = try GridExpansion.plan(spec)
        let missing = Shard(index: 2, count: 3).runs(of: plans).count
        #expect(missing > 0)
        let expected = SweepError.store("out: cannot merge: \(missing) planned runs have no current record; 1 shard is incomplete or stale: "
            + "shard 2/3 (not started); run it with `bench sweep spec.json --shard 2/3 --out out`, then merge again")
        #expect(throws: expected) { try SweepRunner.merge(spec, options: Self.options(dir)) }
        #expect(throws: expected) { try SweepRunner.run(spec, options: Self.options(dir)) }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs.csv").path))
        let progress = try ResultsProgress.read(spec: spec, directory: dir)
        #expect(progress.planned == 18 && progress.covered == 18 - missing)
        #expect(progress.journals.map(\.label) == ["shard 1/3", "shard 2/3", "shard 3/3"])
        #expect(progress.journals.map(\.exists) == [true, false, true])
        #expect(progress.journals.map(\.total).reduce(0, +) == 18)
        #expect(progress.journals[1].done == 0 && progress.journals[0].done == progress.journals[0].total)
    }

    /// Shards 2/4 and 4/4 not started: the hint gives the command with K/N and lists the shards it
    /// stands for, in shard order.
    @Test func severalMissingShardsAreListedInTheHint() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for k in [1, 3] { _ = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: k, count: 4))) }
        let plans = try GridExpansion.plan(spec)
        let missing = [2, 4].map { Shard(index: $0, count: 4).runs(of: plans).count }
        #expect(missing.allSatisfy { $0 > 0 })
        let expected = SweepError.store("out: cannot merge: \(missing.reduce(0, +)) planned runs have no current record; 2 shards are "
            + "incomplete or stale: shard 2/4 (not started), shard 4/4 (not started); run them with "
            + "`bench sweep spec.json --shard K/N --out out` for K/N = 2/4, 4/4 (with --extend for a stale one or one written under "
            + "another version of the spec), then merge again")
        #expect(throws: expected) { try SweepRunner.merge(spec, options: Self.options(dir)) }
    }

    /// A complete line of a shard's journal that is not a journal line (edited): `bench status`
    /// and the merge's refusal say which line, that the next sweep of the shard discards it and
    /// the lines after it, and count only the runs before it as done; the shard re-run then
    /// restores the merge's bytes.
    @Test func aCorruptLineIsNamedByStatusAndMerge() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory(), local = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: local) }
        for k in 1...2 { _ = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: k, count: 2))) }
        let journal = dir.appendingPathComponent("journal-2-of-2.jsonl")
        var lines = try String(contentsOf: journal, encoding: .utf8).components(separatedBy: "\n")
        #expect(lines.count >= 5 && lines.last == "")
        let total = lines.count - 2  // header and the final empty string
        lines[3] = "{" + lines[3]  // line 4: no longer one JSON object
        try lines.joined(separator: "\n").write(to: journal, atomically: true, encoding: .utf8)
        let after = total - 3, discarded = lines[3...].dropLast().map { $0.utf8.count + 1 }.reduce(0, +)
        let corruption = "line 4 is not a valid journal line (corrupt or edited): the next sweep discards it and the \(after) line(s) "
            + "after it (\(discarded) bytes) and runs again the runs they held"
        let progress = try ResultsProgress.read(spec: spec, directory: dir)
        #expect(progress.journals.map(\.corruption) == [nil, corruption])
        #expect(progress.journals[1].done == 2 && progress.covered == progress.journals[0].total + 2)
        let missing = progress.planned - progress.covered
        let expected = SweepError.store("out: cannot merge: \(missing) planned runs have no current record; 1 shard is incomplete or "
            + "stale: shard 2/2 (2 of \(progress.journals[1].total) runs done; \(corruption)); run it with "
            + "`bench sweep spec.json --shard 2/2 --out out`, then merge again")
        #expect(throws: expected) { try SweepRunner.merge(spec, options: Self.options(dir)) }
        let rerun = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: 2, count: 2)))
        #expect(rerun.executed == missing && rerun.resumed == 2)
        #expect(try ResultsProgress.read(spec: spec, directory: dir).journals.allSatisfy { $0.corruption == nil })
        _ = try SweepRunner.merge(spec, options: Self.options(dir))
        _ = try SweepRunner.run(spec, options: Self.options(local, jobs: 1))
        for f in SweepRunnerTests.deterministicFiles {
            #expect(try bytes(local.appendingPathComponent(f)) == bytes(dir.appendingPathComponent(f)), "\(f) differs")
        }
    }

    /// Shard 1/2 ran under a spec with fewer seeds, shard 2/2 under the current one: shard 1/2's
    /// runs are current but its journal's header names the other spec, so its sweep would refuse
    /// without --extend. Status says so, the merge's hint is the shard's command with --extend, and
    /// running that command completes the merge; an unsharded --fresh then counts every run of the
    /// deleted shard journals as dropped.
    @Test func aShardOfAnEarlierSpecIsToldToExtend() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let fewer = try testSpec(SweepRunnerTests.text.replacingOccurrences(of: #""seeds": 3"#, with: #""seeds": 2"#))
        #expect(fewer.resultsHash != spec.resultsHash)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(fewer, options: Self.options(dir, shard: Shard(index: 1, count: 2)))
        _ = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: 2, count: 2)))
        let progress = try ResultsProgress.read(spec: spec, directory: dir)
        #expect(progress.journals.map(\.specChanged) == [true, false] && progress.journals[0].stale == 0)
        let first = progress.journals[0]
        #expect(first.done > 0 && first.done < first.total)
        let expected = SweepError.store("out: cannot merge: \(first.total - first.done) planned runs have no current record; 1 shard is "
            + "incomplete or stale: shard 1/2 (\(first.done) of \(first.total) runs done; \(JournalProgress.specChangedNote)); "
            + "run it with `bench sweep spec.json --shard 1/2 --out out --extend`, then merge again")
        #expect(throws: expected) { try SweepRunner.merge(spec, options: Self.options(dir)) }
        // The command without --extend is refused; with it, the shard completes and the merge succeeds.
        #expect(throws: SweepError.self) { try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: 1, count: 2))) }
        var extend = Self.options(dir, shard: Shard(index: 1, count: 2))
        extend.existingResults = .extend
        _ = try SweepRunner.run(spec, options: extend)
        let merged = try SweepRunner.merge(spec, options: Self.options(dir))
        #expect(merged.resumed == 18)
        var fresh = Self.options(dir)
        fresh.existingResults = .fresh
        let again = try SweepRunner.run(spec, options: fresh)
        #expect(again.dropped == 18 && again.executed == 18)
    }

    /// Shard 2/2 ran a spec whose budget differs (same run keys, other definitions): its records
    /// are stale; the merge is refused naming it (status 6), and the shard re-run with --extend
    /// makes the merge equal to the unsharded sweep.
    @Test func staleShardIsRefusedByName() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let other = try testSpec(SweepRunnerTests.text.replacingOccurrences(of: #""iterations": 30"#, with: #""iterations": 20"#))
        let dir = try temporaryDirectory(), local = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: local) }
        _ = try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: 1, count: 2)))
        let stale = try SweepRunner.run(other, options: Self.options(dir, shard: Shard(index: 2, count: 2)))
        let expected = SweepError.specChanged(directory: "out", message: "cannot merge: \(stale.planned) planned runs have no current record; "
            + "1 shard is incomplete or stale: shard 2/2 (stale: \(stale.planned) runs (changed in the spec)); "
            + "run it with `bench sweep spec.json --shard 2/2 --out out --extend`, then merge again")
        #expect(throws: expected) { try SweepRunner.merge(spec, options: Self.options(dir)) }
        let progress = try ResultsProgress.read(spec: spec, directory: dir)
        #expect(progress.journals[1].stale == stale.planned && progress.journals[1].done == 0)
        // The shard itself refuses to resume silently, then re-runs exactly its stale runs.
        #expect(throws: SweepError.self) { try SweepRunner.run(spec, options: Self.options(dir, shard: Shard(index: 2, count: 2))) }
        var extend = Self.options(dir, shard: Shard(index: 2, count: 2))
        extend.existingResults = .extend
        let redone = try SweepRunner.run(spec, options: extend)
        #expect(redone.executed == stale.planned && redone.resumed == 0)
        _ = try SweepRunner.merge(spec, options: Self.options(dir))
        _ = try SweepRunner.run(spec, options: Self.options(local, jobs: 1))
        for f in SweepRunnerTests.deterministicFiles {
            #expect(try bytes(local.appendingPathComponent(f)) == bytes(dir.appendingPathComponent(f)), "\(f) differs")
        }
    }
}
