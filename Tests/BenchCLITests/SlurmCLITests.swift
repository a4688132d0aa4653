import Foundation
import Testing

/// `bench slurm` through the real binary, without a cluster: the script's text, its bad inputs, and
/// the script itself run against a stand-in `sbatch` that records each job script; the recorded job
/// scripts are then run as Slurm would run them (array tasks 1…N, then the merge).
@Suite(.serialized)
struct SlurmCLITests {
    /// A stand-in sbatch: stores its arguments and standard input as job-<n>.args/.sh in $FAKE_SLURM
    /// and prints job ids 1001, 1002, … (with a ";cluster" suffix, as --parsable does on a federation).
    static let fakeSbatch = """
    #!/bin/bash
    n=$(( $(ls "$FAKE_SLURM"/job-*.sh 2>/dev/null | wc -l) + 1 ))
    printf '%s\\n' "$@" > "$FAKE_SLURM/job-$n.args"
    cat > "$FAKE_SLURM/job-$n.sh"
    echo "$((1000 + n));bench-local"
    """

    @Test func scriptHasTheArrayTheRequeueAndTheMergeDependency() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let out = try BenchProcess.run(["slurm", "small", "--shards", "3", "--partition", "cpu,gpu", "--time", "1-02:00",
                                        "--mem", "2G", "--account", "lab_1", "--cpus-per-task", "2", "--out", "R/s"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.isEmpty, "\(out.stderr)")
        let script = out.stdout
        let root = dir.resolvingSymlinksInPath().path
        for line in ["#SBATCH --array=1-3", "#SBATCH --requeue", "#SBATCH --open-mode=append",
                     "#SBATCH --output=\(root)/R/s/slurm/shard-%a-of-3.log", "#SBATCH --output=\(root)/R/s/slurm/merge.log",
                     "#SBATCH --partition=cpu,gpu", "#SBATCH --time=1-02:00", "#SBATCH --mem=2G", "#SBATCH --account=lab_1",
                     "#SBATCH --cpus-per-task=2", "#SBATCH --chdir=\(root)",
                     "merge=$(sbatch --parsable --dependency=afterok:\"$shards\" --kill-on-invalid-dep=yes <<'BENCH_MERGE'"] {
            #expect(script.contains("\n" + line + "\n"), "missing line \(line) in:\n\(script)")
        }
        #expect(script.contains(" sweep Experiments/small.json --shard \"${SLURM_ARRAY_TASK_ID}/3\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --out R/s --progress lines\n"), "\(script)")
        #expect(script.contains(" merge R/s --spec Experiments/small.json --plots Plots/s --progress lines\n"), "\(script)")
        #expect(script.hasPrefix("#!/bin/bash\n"))
        let syntax = try runShell(["bash", "-n"], input: script, in: dir)
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }

    /// The printed script, submitted through a stand-in sbatch, then its jobs run as Slurm would
    /// (each task with SLURM_ARRAY_TASK_ID, then the merge): the merged files equal a local
    /// `--jobs 1` sweep byte for byte; each task's log starts with its task line.
    @Test func submittedJobsMergeToTheLocalBytes() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let fake = dir.appendingPathComponent("fake-slurm")
        try FileManager.default.createDirectory(at: fake, withIntermediateDirectories: true)
        try Self.fakeSbatch.write(to: fake.appendingPathComponent("sbatch"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.appendingPathComponent("sbatch").path)
        let path = fake.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let submitted = try BenchProcess.run(["slurm", "small", "--shards", "2", "--submit"], in: dir, path: path,
                                             environment: ["FAKE_SLURM": fake.path])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(submitted.stdout == "small: submitted 2 shard(s) as job array 1001 and the merge as job 1002; logs in "
            + "\(dir.resolvingSymlinksInPath().path)/Results/small/slurm/\n", "\(submitted.stdout)")
        let mergeArgs = try String(contentsOf: fake.appendingPathComponent("job-2.args"), encoding: .utf8)
        #expect(mergeArgs == "--parsable\n--dependency=afterok:1001\n--kill-on-invalid-dep=yes\n", "\(mergeArgs)")
        let arrayJob = try String(contentsOf: fake.appendingPathComponent("job-1.sh"), encoding: .utf8)
        let mergeJob = try String(contentsOf: fake.appendingPathComponent("job-2.sh"), encoding: .utf8)
        for task in 1...2 {
            let run = try runShell(["bash", "-s"], input: arrayJob, in: dir,
                                   environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_JOB_ID": "1001", "SLURM_CPUS_PER_TASK": "1"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("bench: shard \(task)/2, job 1001_\(task) on "), "\(run.stdout)")
            #expect(run.stdout.contains("small: shard \(task)/2: "), "\(run.stdout)")
        }
        let merge = try runShell(["bash", "-s"], input: mergeJob, in: dir, environment: ["SLURM_JOB_ID": "1002"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("small: merged 12 runs in "), "\(merge.stdout)")
        let local = try BenchProcess.run(["sweep", "small", "--out", "local", "--plots", "PL", "--jobs", "1"], in: dir)
        #expect(local.status == 0, "\(local.stderr)")
        try ShardCLITests.expectSameFiles(dir, "local", "Results/small")
    }

    @Test(arguments: [
        (["--shards", "0"], 2, "error: --shards must be a whole number in [1, 100000], got 0 (see `bench slurm --help`)\n"),
        (["--shards", "13"], 2, "error: --shards: 13 shards for the 12 runs of Experiments/small.json; allowed: 1 to 12\n"),
        (["--shards", "2", "--time", "1h"], 2,
         "error: The value '1h' is invalid for '--time <time>': \"1h\" is not a time limit; allowed: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (see `bench slurm --help`)\n"),
        (["--shards", "2", "--mem", "4GB"], 2,
         "error: The value '4GB' is invalid for '--mem <mem>': \"4GB\" is not a memory; allowed: a whole number with an optional K, M, G or T suffix (e.g. 4G) (see `bench slurm --help`)\n"),
        (["--shards", "2", "--partition", "a b"], 2,
         "error: The value 'a b' is invalid for '--partition <partition>': \"a b\" is not a partition; allowed: partition names (letters, digits, _ . -) separated by commas (see `bench slurm --help`)\n"),
        (["--shards", "2", "--cpus-per-task", "0"], 2, "error: --cpus-per-task must be at least 1, got 0 (see `bench slurm --help`)\n"),
    ] as [([String], Int32, String)])
    func badInputIsOneLine(arguments: [String], status: Int32, stderr: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let out = try BenchProcess.run(["slurm", "small"] + arguments, in: dir)
        #expect(out.status == status, "\(out.stderr)")
        #expect(out.stderr == stderr)
        #expect(out.stdout.isEmpty)
    }

    /// A results directory whose path an #SBATCH line cannot hold is refused naming --out, and
    /// --submit without sbatch on PATH says so (status 4); nothing is written in either case.
    @Test func unusablePathsAndMissingSbatchAreRefused() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let spaced = try BenchProcess.run(["slurm", "small", "--shards", "2", "--out", "my results"], in: dir)
        #expect(spaced.status == 2)
        #expect(spaced.stderr.hasPrefix("error: --out: the path ") && spaced.stderr.contains("my results/slurm contains \" \""), "\(spaced.stderr)")
        let noSbatch = try BenchProcess.run(["slurm", "small", "--shards", "2", "--submit"], in: dir, path: "/nonexistent")
        #expect(noSbatch.status == 4)
        #expect(noSbatch.stderr == "error: --submit: sbatch is not on PATH (is this a Slurm login node?); without --submit, bench slurm prints the script\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results").path))
    }
}

/// Runs `arguments` (looked up on PATH) with `input` on standard input.
func runShell(_ arguments: [String], input: String, in directory: URL, environment: [String: String] = [:]) throws -> BenchProcess.Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("sh-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("sh-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    process.standardInput = stdin
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    return BenchProcess.Output(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                               stderr: try String(contentsOf: err, encoding: .utf8))
}
