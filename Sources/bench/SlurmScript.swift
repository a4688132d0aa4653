import Foundation

/// The submission script `bench slurm` prints or runs: a bash script that submits one Slurm job
/// array (task K of N runs `bench sweep <spec> --shard K/N`) and a merge job that starts when every
/// task has succeeded (`--dependency=afterok:<array>`), each job script passed to `sbatch` on its
/// standard input.
///
/// Array tasks are requeueable (`--requeue`: a preempted or requeued task starts again and resumes
/// from its shard's journal) and append to one log per shard (`--open-mode=append`, else Slurm
/// truncates the log of a requeued task). The merge job is cancelled if the array fails
/// (`--kill-on-invalid-dep=yes`) instead of waiting forever. Source: Slurm 22.05 sbatch(1).
struct SlurmScript {
    /// The experiment's name (job names `bench-<name>` and `bench-<name>-merge`).
    var name: String
    /// The number of shards N = array tasks 1…N.
    var shards: Int
    /// The `bench` executable the jobs run (absolute, or relative to `workingDirectory`).
    var bench: String
    /// The directory the jobs run in (absolute).
    var workingDirectory: String
    /// The spec as given to `bench sweep` (relative to `workingDirectory` or absolute).
    var spec: String
    /// `--out` of the shards and the results directory of the merge.
    var results: String
    /// `--plots` of the merge.
    var plots: String
    /// The directory of the logs (absolute): shard-K-of-N.log and merge.log.
    var logs: String
    /// `--partition`, `--time`, `--mem`, `--account` when given.
    var partition: String?
    var time: String?
    var memory: String?
    var account: String?
    /// `--cpus-per-task` (also each shard's `--jobs`).
    var cpusPerTask: Int
    /// `--force` for the shards and the merge (a grid above the size limit).
    var force: Bool
    /// The `--only` words of the shards (the merge reads the selection from their journals).
    var only: [String] = []
    /// The `bench slurm …` command line, quoted into the header.
    var commandLine: String

    /// POSIX shell single quoting ("it's" → 'it'\''s'); words of safe characters stay bare.
    static func quoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+=:,@%".unicodeScalars.contains($0) }
        if safe && !word.isEmpty && word.unicodeScalars.allSatisfy(\.isASCII) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The `#SBATCH` lines the two jobs share.
    private var resourceLines: [String] {
        var lines = ["#SBATCH --chdir=\(workingDirectory)"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let account { lines.append("#SBATCH --account=\(account)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        return lines
    }

    /// The script's text.
    var text: String {
        let q = Self.quoted
        let shardJob = ["#!/bin/bash",
                        "#SBATCH --job-name=bench-\(name)",
                        "#SBATCH --array=1-\(shards)",
                        "#SBATCH --requeue",
                        "#SBATCH --open-mode=append",
                        "#SBATCH --output=\(logs)/shard-%a-of-\(shards).log",
                        "#SBATCH --cpus-per-task=\(cpusPerTask)"] + resourceLines + [
                        "echo \"bench: shard ${SLURM_ARRAY_TASK_ID}/\(shards), job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                            + " on $(hostname), start $(date -u +%FT%TZ), restart ${SLURM_RESTART_COUNT:-0}\"",
                        "exec \(q(bench)) sweep \(q(spec)) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\""
                            + " --out \(q(results)) --progress lines" + (force ? " --force" : "") + only.map { " " + q($0) }.joined()]
        let mergeJob = ["#!/bin/bash",
                        "#SBATCH --job-name=bench-\(name)-merge",
                        "#SBATCH --open-mode=append",
                        "#SBATCH --output=\(logs)/merge.log",
                        "#SBATCH --cpus-per-task=1"] + resourceLines + [
                        "echo \"bench: merge, job ${SLURM_JOB_ID} on $(hostname), start $(date -u +%FT%TZ)\"",
                        "exec \(q(bench)) merge \(q(results)) --spec \(q(spec)) --plots \(q(plots)) --progress lines"]
        return """
        #!/bin/bash
        # Submits experiment "\(name)" to Slurm: a job array of \(shards) shard(s), then a merge job once
        # every shard has succeeded. Written by: \(commandLine)
        # Run it with bash; it prints the job ids. Watch with: bench status \(q(results))
        set -euo pipefail
        cd \(q(workingDirectory))
        mkdir -p \(q(logs))
        shards=$(sbatch --parsable <<'BENCH_SHARDS'
        \(shardJob.joined(separator: "\n"))
        BENCH_SHARDS
        )
        shards=${shards%%;*}
        merge=$(sbatch --parsable --dependency=afterok:"$shards" --kill-on-invalid-dep=yes <<'BENCH_MERGE'
        \(mergeJob.joined(separator: "\n"))
        BENCH_MERGE
        )
        merge=${merge%%;*}
        echo "\(name): submitted \(shards) shard(s) as job array $shards and the merge as job $merge; logs in \(logs)/"

        """
    }
}
