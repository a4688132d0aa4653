import ArgumentParser
import Foundation
import StableFloor
import Sweep

/// `bench slurm <spec> --shards N`.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (or submit) a Slurm job array that runs a sweep as N shards, then merges them.",
        discussion: """
        Prints a bash script that submits two jobs with sbatch: a job array whose task K runs \
        `bench sweep <spec> --shard K/N` (requeueable: a preempted or requeued task resumes from its \
        shard's journal; one appended log per shard, <out>/slurm/shard-K-of-N.log), and a merge job \
        (`bench merge`, log <out>/slurm/merge.log) that starts once every task has succeeded \
        (--dependency=afterok) and writes the result files, byte-identical to a local \
        `bench sweep --jobs 1`, and the figures. With --submit it runs the script and prints the job \
        ids. Each shard runs --cpus-per-task runs at once. The jobs run this `bench` executable in the \
        current directory, which must be visible to the compute nodes (a shared file system). \
        Watch the shards with `bench status <out>`.

        Examples:
          bench slurm Experiments/intransitive.json --shards 8 --partition cpu --time 2:00:00 > submit.sh && bash submit.sh
          bench slurm intransitive --shards 8 --cpus-per-task 4 --mem 4G --submit

        Exit status:
        \(BenchExitCode.table)
        """)

    @Argument(help: "The experiment spec (a path, or a name under Experiments/).", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(parsing: .unconditional, help: "Number of shards, one array task each (1 ≤ N ≤ the number of runs).", transform: NumberArgument.whole("a whole number in [1, \(Shard.maximumCount)]"))
    var shards: Int

    @Option(help: "Results directory (default: Results/<name>).", completion: .directory)
    var out: String?

    @Option(help: "Figures directory of the merge (default: Plots/<name>; with --out DIR, Plots/<last component of DIR>).", completion: .directory)
    var plots: String?

    @Option(help: "Slurm partition (sbatch --partition; default: the cluster's default).", transform: SlurmValue.partition)
    var partition: String?

    @Option(help: "Slurm account (sbatch --account).", transform: SlurmValue.account)
    var account: String?

    @Option(help: "Time limit per task (sbatch --time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS).", transform: SlurmValue.time)
    var time: String?

    @Option(parsing: .unconditional, help: "CPUs per task; each shard runs this many runs at once (--jobs).", transform: NumberArgument.whole("a whole number ≥ 1"))
    var cpusPerTask: Int = 1

    @Option(help: "Memory per task (sbatch --mem: a whole number with an optional K, M, G or T suffix).", transform: SlurmValue.memory)
    var mem: String?

    @Flag(help: "Submit with sbatch instead of printing the script.")
    var submit = false

    @Flag(help: "Accept a grid above the size limit (as `bench sweep --force`; the shards get it too).")
    var force = false

    @OptionGroup var subsetOptions: SubsetOptions

    func validate() throws {
        guard shards >= 1, shards <= Shard.maximumCount else {
            throw ValidationError("--shards must be a whole number in [1, \(Shard.maximumCount)], got \(shards)")
        }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
    }

    func run() throws {
        try reportingErrors {
            let s = try loadSpec(spec, force: force, subset: try subsetOptions.subset())
            let planned = try GridExpansion.plan(s).count
            guard shards <= planned else {
                throw SweepError.usage("--shards: \(shards) shards for the \(planned) runs of \(s.file); allowed: 1 to \(planned)")
            }
            let results = DefaultLocations.results(out, for: s)
            let plotsDirectory = DefaultLocations.plots(plots, results: results, for: s)
            try SweepRunner.checkOutputDirectory(results, display: displayPath(results), what: "results directory")
            // The merge job draws the figures and report.html there (it is given --plots): a user's
            // files refuse the submission now, not the merge after the cluster's hours.
            try refuseForeignPlots(plotsDirectory, figures: s.figures.map(\.id), reports: [ResultReport.fileName])
            let logs = results.appendingPathComponent("slurm")
            let cwd = currentDirectory.standardizedFileURL.path
            for (option, path) in [("--out", logs.path), ("the current directory", cwd)] {
                try SlurmValue.requireSBATCHPath(path, option: option)
            }
            let script = SlurmScript(
                name: s.name, shards: shards, bench: Self.executable(), workingDirectory: cwd, spec: s.file,
                results: displayPath(results), plots: displayPath(plotsDirectory), logs: logs.path,
                partition: partition, time: time, memory: mem, account: account, cpusPerTask: cpusPerTask, force: force, only: s.subset.arguments,
                commandLine: (["bench"] + CommandLine.arguments.dropFirst()).map(SlurmScript.quoted).joined(separator: " "))
            let text = script.text
            guard submit else {
                print(text, terminator: "")
                return
            }
            print(try Self.runSubmission(text), terminator: "")
        }
    }

    /// This executable's absolute path (relative to the current directory when inside it).
    static func executable() -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = FileManager.default.fileExists(atPath: me.path) && me.path != "/proc/self/exe"
            ? me : URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: currentDirectory).standardizedFileURL
        return displayPath(path)
    }

    /// Runs the submission script with bash and returns its standard output (the job ids line).
    /// - Throws: `SweepError.io` naming sbatch's first error line when the submission fails.
    static func runSubmission(_ text: String) throws -> String {
        guard let sbatch = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ "\($0)/sbatch" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw SweepError.io(path: "--submit", message: "sbatch is not on PATH (is this a Slurm login node?); without --submit, bench slurm prints the script")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-s"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let (out, err) = try ChildProcess.run(process) {
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            return (output.fileHandleForReading.readDataToEndOfFile(), errors.fileHandleForReading.readDataToEndOfFile())
        }
        guard process.terminationStatus == 0 else {
            let first = String(decoding: err, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw SweepError.io(path: "--submit", message: "\(sbatch) failed (exit \(process.terminationStatus)): \(first)")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
