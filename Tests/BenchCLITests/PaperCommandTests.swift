import Foundation
import Testing

/// `bench paper` end to end on two tiny paper specs in a temporary directory.
@Suite(.serialized)
struct PaperCommandTests {
    static func spec(name: String, figure: String) -> String {
        """
        {
          "name": "\(name)",
          "environments": [{"id": "rps", "kind": "cyclic"}],
          "reference": {"kind": "given", "probabilities": [0.6, 0.3, 0.1]},
          "budget": {"iterations": 20},
          "record_every": 10,
          "seeds": 2,
          "tau": 0.1,
          "algorithms": [{"id": "nash-md", "params": {"tau": 0.1}}],
          "figures": [{"id": "\(figure)", "kind": "curves", "metric": "regularized_gap", "log_y": true,
                       "guides": [{"label": "8/(τ²(T+1))", "scale": 800, "shift": 1, "power": -1}]}]
        }
        """
    }

    /// A working directory with Experiments/paper/ holding the given (file name, text) specs.
    static func paperDirectory(_ specs: [(String, String)], tag: String = #function) throws -> URL {
        let dir = try workingDirectory(tag)
        let paper = dir.appendingPathComponent("Experiments/paper")
        try FileManager.default.createDirectory(at: paper, withIntermediateDirectories: true)
        for (file, text) in specs { try text.write(to: paper.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test("runs every spec in file-name order, writes Results/paper/<name>/ and Plots/paper/, then resumes")
    func runsAndResumes() throws {
        let dir = try Self.paperDirectory([("b-second.json", Self.spec(name: "second", figure: "fig-b")),
                                           ("a-first.json", Self.spec(name: "first", figure: "fig-a"))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try BenchProcess.run(["paper", "--jobs", "2", "--bootstrap", "100"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "paper: 2 specs in Experiments/paper/, 2 figures → Plots/paper/")
        #expect(lines[1].hasPrefix("[1/2] first: 2 runs (2 executed, 0 resumed) in "))
        #expect(lines[2].hasPrefix("[2/2] second: 2 runs (2 executed, 0 resumed) in "))
        #expect(lines[3].hasPrefix("paper: 4 runs (4 executed) and 2 figures in "))
        for name in ["first", "second"] {
            let results = dir.appendingPathComponent("Results/paper/\(name)")
            for file in ["runs.csv", "curves.csv", "summary.csv", "pairwise.csv", "manifest.json", "journal.jsonl"] {
                #expect(FileManager.default.fileExists(atPath: results.appendingPathComponent(file).path), "\(name)/\(file)")
            }
            let manifest = try String(contentsOf: results.appendingPathComponent("manifest.json"), encoding: .utf8)
            #expect(manifest.contains("\"spec_file\": \"Experiments/paper/"))
            // Each spec's report, named in its line; its one figure inline.
            let report = try String(contentsOf: dir.appendingPathComponent("Plots/paper/report-\(name).html"), encoding: .utf8)
            #expect(report.components(separatedBy: "<svg").count - 1 == 1)
            #expect(lines.contains { $0.contains(" \(name): ") && $0.contains("; report report-\(name).html") }, "\(lines)")
        }
        let script = try String(contentsOf: dir.appendingPathComponent("Plots/paper/fig-a.gp"), encoding: .utf8)
        #expect(script.contains("../../Results/paper/first/curve_summary.csv"))
        #expect(script.contains("title '8/(τ²(T+1))'"))
        let runs = try String(contentsOf: dir.appendingPathComponent("Results/paper/first/runs.csv"), encoding: .utf8)

        // Second invocation: everything is resumed and the deterministic files are unchanged.
        let second = try BenchProcess.run(["paper", "--jobs", "1", "--bootstrap", "100"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("[1/2] first: 2 runs (0 executed, 2 resumed)"))
        #expect(second.stdout.contains("paper: 4 runs (0 executed) and 2 figures"))
        #expect(try String(contentsOf: dir.appendingPathComponent("Results/paper/first/runs.csv"), encoding: .utf8) == runs)

        // --fresh discards the results and runs everything again.
        let fresh = try BenchProcess.run(["paper", "--fresh", "--bootstrap", "0"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("paper: 4 runs (4 executed)"))
    }

    @Test("figure ids must be unique across the paper's specs; nothing runs")
    func duplicateFigureIDs() throws {
        let dir = try Self.paperDirectory([("a.json", Self.spec(name: "first", figure: "same")),
                                           ("b.json", Self.spec(name: "second", figure: "same"))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["paper"], in: dir)
        #expect(out.status != 0)
        #expect(out.stderr == "error: Experiments/paper/b.json: figure id \"same\" is also used by Experiments/paper/a.json; "
            + "figure ids must be unique across the paper's specs (they share Plots/paper/)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/paper").path))
    }

    @Test("a figure with nothing to draw is named on stderr, every other figure and spec still runs, exit 0")
    func figureWithoutDataDoesNotStopThePaper() throws {
        // μ uniform is the equilibrium of rps: every exploitability is exactly 0, so a log-scale
        // figure of it has nothing to draw (the runs themselves succeed). It used to fail the spec
        // with status 7.
        let failing = Self.spec(name: "first", figure: "zero")
            .replacingOccurrences(of: #"{"kind": "given", "probabilities": [0.6, 0.3, 0.1]}"#, with: #"{"kind": "uniform"}"#)
            .replacingOccurrences(of: #""metric": "regularized_gap""#, with: #""metric": "exploitability""#)
        let dir = try Self.paperDirectory([("a.json", failing), ("b.json", Self.spec(name: "second", figure: "fine"))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["paper", "--bootstrap", "0"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr == "note: figure 'zero': nothing to plot: no point of 'exploitability' has a iteration value and positive "
            + "coordinates on the log y axis — skipped, the other figures are drawn\n")
        #expect(out.stdout.contains("[2/2] second: 2 runs (2 executed, 0 resumed)"))
        #expect(!out.stdout.contains("failed"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/paper/zero.gp").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/paper/first/runs.csv").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/paper/fine.gp").path))
    }

    @Test("an empty paper directory is an error naming it")
    func noSpecs() throws {
        let dir = try Self.paperDirectory([])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["paper"], in: dir)
        #expect(out.status != 0)
        #expect(out.stderr == "error: Experiments/paper/: no paper specs (*.json)\n")
    }

    @Test("a paper spec named to figures, sweep or validate finds the paper's results: Results/paper/<name>/ and Plots/paper/")
    func paperSpecsFindThePaperResults() throws {
        let dir = try Self.paperDirectory([("a-first.json", Self.spec(name: "first", figure: "fig-a"))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let paper = try BenchProcess.run(["paper", "--jobs", "1", "--bootstrap", "100"], in: dir)
        #expect(paper.status == 0, "\(paper.stderr)")
        let script = dir.appendingPathComponent("Plots/paper/fig-a.gp")
        let drawn = try Data(contentsOf: script)
        try FileManager.default.removeItem(at: script)
        // Without its script, the figure's data file and picture are no longer known to be bench's:
        // refused, not overwritten (ForeignPlotsCLITests); the figure's files go together.
        let orphans = try BenchProcess.run(["figures", "a-first"], in: dir)
        #expect(orphans.status == 9 && orphans.stderr.hasPrefix("error: Plots/paper: holds fig-a.dat, fig-a.png, which bench did not write"),
                "\(orphans.stderr)")
        func removeFigure() {
            for ext in ["gp", "dat", "png", "svg", "pdf"] { try? FileManager.default.removeItem(at: script.deletingPathExtension().appendingPathExtension(ext)) }
        }
        removeFigure()
        // By bare name (Experiments/paper/<name>.json is looked up after Experiments/<name>.json).
        let figures = try BenchProcess.run(["figures", "a-first"], in: dir)
        #expect(figures.status == 0, "\(figures.stderr)")
        #expect(try Data(contentsOf: script) == drawn)
        removeFigure()
        // Without a name: every experiment with results, the paper's included.
        let all = try BenchProcess.run(["figures"], in: dir)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try Data(contentsOf: script) == drawn)
        let sweep = try BenchProcess.run(["sweep", "Experiments/paper/a-first.json", "--bootstrap", "100"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.hasPrefix("first: 2 runs (0 executed, 2 resumed) in "), "\(sweep.stdout)")
        #expect(sweep.stdout.contains(" → Results/paper/first/\n"), "\(sweep.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/first").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/first").path))
        let status = try BenchProcess.run(["status", "Results/paper/first"], in: dir)
        #expect(status.stdout.hasPrefix("first: 2 runs planned, 2 done (Results/paper/first/)"), "\(status.stdout)")
    }
}
