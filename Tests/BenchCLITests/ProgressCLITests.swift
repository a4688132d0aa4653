import Foundation
import Testing

/// Plain progress lines (`--progress lines`), as a Slurm log or `nohup` gets them when standard
/// error is not a terminal, and the `--progress` options' errors.
@Suite
struct ProgressCLITests {
    /// With a line after every finished run: 12 run lines counting up, then one line per phase
    /// after the runs (result files, statistics, report, figures), each a plain line (no \r, no escapes).
    @Test func linesCountRunsThenNamePhases() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let out = try BenchProcess.run(["sweep", "small", "--jobs", "2", "--bootstrap", "0", "--progress", "lines", "--progress-every", "1runs"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("\r") && !out.stderr.contains("\u{1B}"))
        let lines = out.stderr.split(separator: "\n").map(String.init)
        let runLines = lines.filter { $0.contains(" runs, ") }
        #expect(runLines.count == 12, "\(out.stderr)")
        for (k, line) in runLines.enumerated() {
            #expect(line.hasPrefix("small: \(k + 1)/12 runs, 0 failed, "), "\(line)")
            #expect(line.contains(" elapsed"), "\(line)")
            #expect(line.contains(", ETA ") == (k < 11), "\(line)")
        }
        let phases = lines.filter { !$0.contains(" runs, ") }.map { $0.replacingOccurrences(of: #", [0-9hms]+ elapsed$"#, with: "", options: .regularExpression) }
        #expect(phases == [
            "small: result files (runs.csv, parameters.csv, curves.csv, policies.csv)",
            "small: statistics (summary.csv, curve_summary.csv, pairwise.csv, tests.csv, frontier.csv, aggregates.csv)",
            "small: report (Plots/small/report.html)",
            "small: figures (1 in Plots/small/)",
        ], "\(out.stderr)")
        // A resumed sweep runs nothing: no run lines, and no phase lines since the log printed none.
        let again = try BenchProcess.run(["sweep", "small", "--bootstrap", "0", "--progress", "lines"], in: dir)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
    }

    /// A shard and the merge name themselves in their lines.
    @Test func shardAndMergeLinesNameThemselves() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        for k in 1...2 {
            let shard = try BenchProcess.run(["sweep", "small", "--shard", "\(k)/2", "--progress-every", "1runs"], in: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
            let first = shard.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix("small shard \(k)/2: 1/"), "\(shard.stderr)")
        }
        let merge = try BenchProcess.run(["merge", "small", "--bootstrap", "0", "--progress", "off"], in: dir)
        #expect(merge.status == 0 && merge.stderr.isEmpty, "\(merge.stderr)")
    }

    @Test(arguments: [
        (["--progress", "loud"], "error: The value 'loud' is invalid for '--progress <mode>': unknown progress mode \"loud\"; allowed: auto, bar, lines, off (see `bench sweep --help`)\n"),
        (["--progress-every", "0s"], "error: The value '0s' is invalid for '--progress-every <interval>': \"0s\" is out of range; allowed: seconds (30, 30s), minutes (2m), finished runs (100runs), or a time and a count joined by a comma (5m,100runs), between 1 run and 24 hours (see `bench sweep --help`)\n"),
        (["--progress-every", "5m,0runs"], "error: The value '5m,0runs' is invalid for '--progress-every <interval>': \"0runs\" is out of range; allowed: seconds (30, 30s), minutes (2m), finished runs (100runs), or a time and a count joined by a comma (5m,100runs), between 1 run and 24 hours (see `bench sweep --help`)\n"),
    ] as [([String], String)])
    func badProgressOptionsAreUsageErrors(arguments: [String], stderr: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let out = try BenchProcess.run(["sweep", "small"] + arguments, in: dir)
        #expect(out.status == 2)
        #expect(out.stderr == stderr)
    }
}
