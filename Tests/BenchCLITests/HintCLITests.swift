import Foundation
import Testing

/// Every hint that names a command keeps the `--out` and `--plots` (and `--format`) the user gave,
/// and the command it names works as printed.
@Suite(.serialized)
struct HintCLITests {
    /// 4 runs and one figure.
    static let spec = """
    {
      "name": "hint",
      "environments": [{"id": "rps", "kind": "cyclic"}],
      "budget": {"iterations": 10},
      "record_every": 5,
      "seeds": 2,
      "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}}, {"id": "online-mirror-descent", "params": {"tau": 0.1}}],
      "figures": [{"id": "gap", "kind": "curves", "metric": "exploitability"}]
    }
    """

    static let noGnuplot = "/nonexistent"

    @Test func figureHintsKeepTheDirectoriesAndFormatsGiven() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "hint", in: dir)
        // bench figures before any sweep: the sweep it names writes where figures will look.
        let early = try BenchProcess.run(["figures", "hint", "--out", "my out", "--plots", "P"], in: dir, path: Self.noGnuplot)
        #expect(early.status == 9)
        #expect(early.stderr == "error: my out/: no results; run `bench sweep hint --out 'my out' --plots P` first\n")
        // Without gnuplot the sweep names the figures command with its own --out and --plots.
        let sweep = try BenchProcess.run(["sweep", "hint", "--out", "my out", "--plots", "P", "--bootstrap", "0"], in: dir, path: Self.noGnuplot)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.hasSuffix("install it (sudo apt-get install gnuplot-nox, or brew install gnuplot) and run "
            + "`bench figures hint --out 'my out' --plots P`\n"), "\(sweep.stdout)")
        // That command, as printed, finds the results and rewrites the script in P (the figure's
        // files removed together: a data file without its script is not known to be bench's).
        try FileManager.default.removeItem(at: dir.appendingPathComponent("P/gap.gp"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("P/gap.dat"))
        let figures = try BenchProcess.run(["figures", "hint", "--out", "my out", "--plots", "P", "--format", "svg,png"], in: dir,
                                           path: Self.noGnuplot)
        #expect(figures.status == 0, "\(figures.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("P/gap.gp").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots").path))
        #expect(figures.stdout.hasSuffix("and run `bench figures hint --out 'my out' --plots P --format svg,png`\n"), "\(figures.stdout)")
        // Defaults are not spelled out.
        let plain = try BenchProcess.run(["sweep", "Experiments/hint.json", "--bootstrap", "0"], in: dir, path: Self.noGnuplot)
        #expect(plain.stdout.hasSuffix("and run `bench figures Experiments/hint.json`\n"), "\(plain.stdout)")
    }

    @Test func shardHintsKeepTheResultsDirectoryGiven() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "hint", in: dir)
        // No directory yet (a bare name that is not a directory means Results/<name>).
        let none = try BenchProcess.run(["merge", "S", "--spec", "hint"], in: dir, path: Self.noGnuplot)
        #expect(none.status == 9)
        #expect(none.stderr == "error: Results/S: no such results directory; run `bench sweep Experiments/hint.json --shard K/N --out Results/S` first\n")
        // A directory without a spec copy.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("S2"), withIntermediateDirectories: true)
        let bare = try BenchProcess.run(["status", "S2"], in: dir)
        #expect(bare.status == 9)
        #expect(bare.stderr.hasSuffix("start one with `bench sweep <spec> --shard K/N --out S2`\n"), "\(bare.stderr)")
        // One shard of two done: the merge names the missing shard's command with --out.
        let first = try BenchProcess.run(["sweep", "hint", "--shard", "1/2", "--out", "S", "--bootstrap", "0"], in: dir, path: Self.noGnuplot)
        #expect(first.status == 0, "\(first.stderr)")
        let early = try BenchProcess.run(["merge", "S", "--plots", "SP"], in: dir, path: Self.noGnuplot)
        #expect(early.status == 9)
        #expect(early.stderr.contains("run it with `bench sweep S/spec.json --shard 2/2 --out S`, then merge again\n"),
                "\(early.stderr)")
        // Running the command as printed completes the results; the merge's figure hint keeps --out and --plots.
        let printed = try #require(early.stderr.components(separatedBy: "`").dropFirst().first)
        #expect(printed == "bench sweep S/spec.json --shard 2/2 --out S")
        let second = try BenchProcess.run(Array(printed.split(separator: " ").dropFirst().map(String.init)) + ["--bootstrap", "0"], in: dir,
                                          path: Self.noGnuplot)
        #expect(second.status == 0, "\(second.stderr)")
        let merge = try BenchProcess.run(["merge", "S", "--plots", "SP"], in: dir, path: Self.noGnuplot)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.hasSuffix("and run `bench figures S/spec.json --out S --plots SP`\n"), "\(merge.stdout)")
        let figures = try BenchProcess.run(["figures", "S/spec.json", "--out", "S", "--plots", "SP"], in: dir, path: Self.noGnuplot)
        #expect(figures.status == 0, "\(figures.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("SP/gap.gp").path))
    }

    @Test func paperHintKeepsItsDirectoriesAndFormats() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try Self.spec.write(to: dir.appendingPathComponent("mine/hint.json"), atomically: true, encoding: .utf8)
        let paper = try BenchProcess.run(["paper", "--specs", "mine", "--results", "R", "--plots", "P", "--format", "svg", "--bootstrap", "0"],
                                         in: dir, path: Self.noGnuplot)
        #expect(paper.status == 0, "\(paper.stderr)")
        #expect(paper.stderr.contains("and run `bench paper --specs mine --results R --plots P --format svg` again\n"), "\(paper.stderr)")
    }
}
