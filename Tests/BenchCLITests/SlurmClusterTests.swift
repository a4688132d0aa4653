import Foundation
import Testing

/// The one-node Slurm cluster of scripts/slurm-local.sh (which `.ci/run` starts), if it answers.
enum SlurmCluster {
    /// Runs a Slurm client command; nil when it cannot be started.
    static func command(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Whether `sinfo` answers with a usable node.
    static let isUp: Bool = {
        guard let (status, output) = command(["sinfo", "--noheader", "--format=%T"]), status == 0 else { return false }
        return output.split(separator: "\n").contains { ["idle", "mixed", "allocated", "completing"].contains(String($0)) }
    }()

    /// The loud reason shown when the suite is skipped.
    static let skipReason: Comment = "SLURM IS NOT RUNNING ON THIS MACHINE: the end-to-end Slurm test did not run; start a one-node cluster with scripts/slurm-local.sh (as .ci/run does)"
}

/// The end-to-end scale-out test on a real Slurm cluster: `bench slurm --submit` submits a 4-task
/// array and its merge job; one task is requeued in the middle of its shard (`scontrol requeue`);
/// once the merge job is done the merged files equal a local sweep byte for byte, the
/// requeued task resumed from its journal, and its log kept both attempts.
@Suite(.serialized, .enabled(if: SlurmCluster.isUp, SlurmCluster.skipReason))
struct SlurmClusterTests {
    /// 32 runs, 8 per shard, each slow enough (about 3 s in a debug build on an idle core) that a
    /// task is still running when the test requeues it after its first journaled run. 3000
    /// iterations were too fast, and so were 60,000 once CI ran this suite beside the browser
    /// tests: the polling task was not resumed for seconds and the shard (about 6 s) finished first.
    static let spec = """
    {
      "name": "slurm",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r6", "kind": "random", "actions": 6, "seed": "per-run"}
      ],
      "reference": {"kind": "softmax-normal"},
      "budget": {"iterations": 240000},
      "record_every": 12000,
      "seeds": 4,
      "tau": 0.1,
      "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}, "grid": {"eta": [0.05, 0.1, 0.2, 0.4]}}],
      "figures": [{"id": "exploitability", "kind": "bars", "metric": "exploitability", "by": ["environment", "algorithm"]}]
    }
    """

    @Test(.timeLimit(.minutes(15))) func requeuedShardResumesAndMergeEqualsLocal() async throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "slurm", in: dir)
        let submitted = try BenchProcess.run(["slurm", "slurm", "--shards", "4", "--submit", "--time", "20"], in: dir)
        try #require(submitted.status == 0, "\(submitted.stderr)")
        let ids = try #require(submitted.stdout.firstMatch(of: /job array ([0-9]+) and the merge as job ([0-9]+);/),
                               "no job ids in \(submitted.stdout)")
        let (array, merge) = (String(ids.1), String(ids.2))
        defer { _ = SlurmCluster.command(["scancel", array, merge]) }

        // Requeue task 2 once its journal holds a record and it has runs left.
        let journal = dir.appendingPathComponent("Results/slurm/journal-2-of-4.jsonl")
        var requeued = false
        for _ in 0..<1200 where !requeued {
            let lines = ((try? String(contentsOf: journal, encoding: .utf8)) ?? "").split(separator: "\n").count
            try #require(lines < 9, "task 2 finished its 8 runs before the test could requeue it; make the runs slower")
            if lines >= 2 {   // the header and at least one run
                let r = SlurmCluster.command(["scontrol", "requeue", "\(array)_2"])
                try #require(r?.status == 0, "scontrol requeue failed: \(r?.output ?? "not started")")
                requeued = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(requeued, "task 2 never journaled a run")

        // Wait for the merge job to leave the queue (the requeued task is held ~2 minutes first).
        var finished = false
        for _ in 0..<720 where !finished {
            let q = SlurmCluster.command(["squeue", "--noheader", "--jobs", "\(array),\(merge)", "--format=%i %T"])
            finished = q?.status == 0 && (q?.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? false)
            if !finished { try await Task.sleep(for: .seconds(1)) }
        }
        let logs = dir.appendingPathComponent("Results/slurm/slurm")
        let mergeLog = (try? String(contentsOf: logs.appendingPathComponent("merge.log"), encoding: .utf8)) ?? "(no merge log)"
        try #require(finished, "the jobs did not finish in 12 minutes; merge log: \(mergeLog)")
        #expect(mergeLog.contains("slurm: merged 32 runs in "), "\(mergeLog)")

        let log2 = try String(contentsOf: logs.appendingPathComponent("shard-2-of-4.log"), encoding: .utf8)
        #expect(log2.components(separatedBy: "bench: shard 2/4, job ").count == 3, "two attempts expected in:\n\(log2)")
        #expect(log2.contains(", restart 1\n"), "\(log2)")
        // The second attempt both resumed journaled runs and executed the rest: it was requeued mid-shard.
        let resumed = log2.range(of: #"slurm: shard 2/4: [0-9]+ runs \([1-9][0-9]* executed, [1-9][0-9]* resumed"#, options: .regularExpression)
        #expect(resumed != nil, "the requeued task did not resume in the middle of its shard:\n\(log2)")
        for k in [1, 3, 4] {
            let log = try String(contentsOf: logs.appendingPathComponent("shard-\(k)-of-4.log"), encoding: .utf8)
            #expect(log.contains("slurm: shard \(k)/4: "), "\(log)")
        }

        let local = try BenchProcess.run(["sweep", "slurm", "--out", "local", "--plots", "PL"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        try ShardCLITests.expectSameFiles(dir, "local", "Results/slurm")
    }
}
