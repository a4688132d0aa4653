import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `bench sweep --shard`, `bench merge` and `bench status` through the real binary.
@Suite(.serialized)
struct ShardCLITests {
    /// Files compared byte for byte between the merge and the local `--jobs 1` sweep.
    static let compared = ["runs.csv", "curves.csv", "policies.csv", "parameters.csv", "summary.csv", "curve_summary.csv",
                           "pairwise.csv", "tests.csv", "frontier.csv", "aggregates.csv"]

    static func expectSameFiles(_ dir: URL, _ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for f in Self.compared {
            let x = try Data(contentsOf: dir.appendingPathComponent("\(a)/\(f)"))
            let y = try Data(contentsOf: dir.appendingPathComponent("\(b)/\(f)"))
            #expect(x == y, "\(f) differs between \(a) and \(b)", sourceLocation: sourceLocation)
        }
    }

    /// Two shards started at once in one directory, then `bench merge`: the files equal a local
    /// `--jobs 1` sweep; `bench status` shows both shards done; `bench sweep` merges again.
    @Test func concurrentShardsMergeToTheLocalBytes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let local = try BenchProcess.run(["sweep", "small", "--out", "local", "--plots", "PL", "--jobs", "1", "--bootstrap", "200"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        let started = try (1...2).map { k in
            try BenchProcess.start(["sweep", "small", "--shard", "\(k)/2", "--jobs", "1", "--bootstrap", "200"], in: dir)
        }
        var lines: [String] = []
        for (process, out, err) in started {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
            lines.append(try String(contentsOf: out, encoding: .utf8))
            try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err)
        }
        for (k, line) in lines.enumerated() {
            #expect(line.hasPrefix("small: shard \(k + 1)/2: "), "\(line)")
            #expect(line.hasSuffix(" → Results/small/journal-\(k + 1)-of-2.jsonl\n"), "\(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/small/runs.csv").path))
        let status = try BenchProcess.run(["status", "Results/small"], in: dir)
        #expect(status.status == 0, "\(status.stderr)")
        let statusLines = status.stdout.split(separator: "\n").map(String.init)
        #expect(statusLines.first == "small: 12 runs planned, 12 done (Results/small/)")
        #expect(statusLines.count == 4 && statusLines[1].hasPrefix("  shard 1/2: ") && statusLines[2].hasPrefix("  shard 2/2: "))
        #expect(statusLines.last == "complete: `bench merge Results/small` writes the result files")
        let merge = try BenchProcess.run(["merge", "Results/small", "--bootstrap", "200"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.hasPrefix("small: merged 12 runs in "), "\(merge.stdout)")
        try Self.expectSameFiles(dir, "local", "Results/small")
        let merged = try BenchProcess.run(["status", "Results/small"], in: dir)
        #expect(merged.stdout.hasSuffix("\ncomplete: the result files in Results/small/ are written from these journals\n"), "\(merged.stdout)")
        let localStatus = try BenchProcess.run(["status", "local"], in: dir)
        #expect(localStatus.stdout.hasSuffix("\ncomplete: the result files in local/ are written from these journals\n"), "\(localStatus.stdout)")
        let sweep = try BenchProcess.run(["sweep", "small"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.hasPrefix("small: 12 runs (0 executed, 12 resumed) in "), "\(sweep.stdout)")
        try Self.expectSameFiles(dir, "local", "Results/small")
    }

    /// Only shard 2 of 3 ran: merge refuses with one line naming 1/3 and 3/3 (status 9); a bad
    /// --shard is a usage error (status 2).
    @Test func missingShardsAreNamed() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let shard = try BenchProcess.run(["sweep", "small", "--shard", "2/3", "--bootstrap", "0"], in: dir)
        #expect(shard.status == 0, "\(shard.stderr)")
        let merge = try BenchProcess.run(["merge", "Results/small"], in: dir)
        #expect(merge.status == 9)
        #expect(merge.stdout.isEmpty && merge.stderr.filter { $0 == "\n" }.count == 1)
        #expect(merge.stderr.hasPrefix("error: Results/small: cannot merge: "), "\(merge.stderr)")
        #expect(merge.stderr.contains("2 shards are incomplete or stale: shard 1/3 (not started), shard 3/3 (not started); "
            + "run them with `bench sweep Results/small/spec.json --shard K/N`"), "\(merge.stderr)")
        let status = try BenchProcess.run(["status", "small"], in: dir)
        #expect(status.stdout.contains("  shard 1/3: 0/") && status.stdout.contains("(not started)"), "\(status.stdout)")
        #expect(status.stdout.hasSuffix(": run `bench sweep Experiments/small.json --shard K/N` for K/N = 1/3, 3/3, then `bench merge Results/small`\n"),
                "\(status.stdout)")
        let bad = try BenchProcess.run(["sweep", "small", "--shard", "4/3"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("K = 4 is not between 1 and N = 3; allowed: K/N with whole numbers"), "\(bad.stderr)")
    }

    /// A shard killed with SIGKILL after some of its runs resumes where it stopped (no run lost or
    /// journaled twice), and the merge equals the local `--jobs 1` sweep.
    @Test func killedShardResumes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchReliabilityTests.long, name: "small", in: dir)
        let local = try BenchProcess.run(["sweep", "small", "--out", "local", "--plots", "PL", "--jobs", "1", "--bootstrap", "100"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        let journal = dir.appendingPathComponent("Results/small/journal-1-of-2.jsonl")
        let (process, out, err) = try BenchProcess.start(["sweep", "small", "--shard", "1/2", "--jobs", "2", "--bootstrap", "100"], in: dir)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        BenchReliabilityTests.waitForLines(journal, atLeast: 4, while: process)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the shard finished before it could be killed")
        let (before, _) = try BenchReliabilityTests.journalRuns(journal)
        #expect(before.count >= 3)
        let resumed = try BenchProcess.run(["sweep", "small", "--shard", "1/2", "--jobs", "2", "--bootstrap", "100"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("note: Results/small (shard 1/2): resumed after an interrupted sweep (pid \(process.processIdentifier))"), "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed)") && resumed.stdout.contains("\(before.count) resumed"), "\(resumed.stdout)")
        let (after, partial) = try BenchReliabilityTests.journalRuns(journal)
        #expect(Set(after).count == after.count && !partial && Set(before).isSubset(of: Set(after)))
        let other = try BenchProcess.run(["sweep", "small", "--shard", "2/2", "--jobs", "2", "--bootstrap", "100"], in: dir)
        #expect(other.status == 0, "\(other.stderr)")
        let merge = try BenchProcess.run(["merge", "small", "--bootstrap", "100"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        try Self.expectSameFiles(dir, "local", "Results/small")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Results/small").path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
