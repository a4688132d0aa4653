import Foundation
import Testing
@testable import Figures

/// The example figures of the fixture: one of each kind.
let exampleFigures: [FigureSpec] = [
    FigureSpec(id: "gap-curves", kind: .curves, metric: "regularized_gap", logY: true),
    FigureSpec(id: "exploitability-queries", kind: .curves, metric: "exploitability", x: "queries",
               environments: ["rps", "dice"]),
    FigureSpec(id: "exploitability-bars", kind: .bars, metric: "exploitability", by: ["environment", "algorithm"],
               environments: ["rps", "dice", "random10"]),
    FigureSpec(id: "pairwise", kind: .heatmap, metric: "preference"),
    FigureSpec(id: "frontier", kind: .frontier, metric: "true_reward", x: "kl_to_reference"),
    FigureSpec(id: "beta-sweep", kind: .lines, metric: "exploitability", x: "beta", logX: true, environments: ["bt"]),
    FigureSpec(id: "bars-by-algorithm", kind: .bars, metric: "win_rate_vs_reference", by: ["algorithm", "environment"],
               algorithms: ["nash-md", "rlhf-ppo"], title: "Win rate vs reference by algorithm"),
    FigureSpec(id: "bars-log", kind: .bars, metric: "exploitability", logY: true, environments: ["bt"]),
    FigureSpec(id: "loss-lines", kind: .lines, metric: "true_reward", x: "loss"),
]

/// True when the file starts with the 8-byte PNG signature and is larger than a bare header.
func isPNG(_ url: URL) -> Bool {
    guard let data = try? Data(contentsOf: url), data.count > 1_000 else { return false }
    return Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}

@Suite("Rendering with gnuplot", .enabled(if: Gnuplot.isAvailable, "gnuplot is not installed"))
struct RenderTests {
    @Test("every example figure renders to a non-empty PNG")
    func rendersPNG() throws {
        let fixture = try Fixture("render")
        defer { fixture.removeUnlessKept() }
        try fixture.writeAll()
        let scripts = try FigureWriter.write(figures: exampleFigures, experiment: "demo",
                                             resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        for script in scripts {
            try Gnuplot.render(script: script, formats: ["png"])
            let png = script.deletingPathExtension().appendingPathExtension("png")
            #expect(isPNG(png), "\(png.lastPathComponent) is not a PNG")
            #expect(!FileManager.default.fileExists(atPath: script.deletingPathExtension().appendingPathExtension("svg").path))
        }
    }

    /// Runs gnuplot like a user would: from `directory`, with `arguments`.
    func runGnuplot(_ arguments: [String], in directory: URL) throws -> Int32 {
        let process = Process()
        let executable = try #require(Gnuplot.executable)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("scripts run by hand from the repository root and from another directory, all formats by default")
    func runsByHand() throws {
        let fixture = try Fixture("by-hand")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "gap", kind: .curves, metric: "regularized_gap", logY: true)
        _ = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        let stem = fixture.plots.appendingPathComponent("gap")
        // From the root with a relative path and the default formats: png, svg and pdf.
        #expect(try runGnuplot(["Plots/demo/gap.gp"], in: fixture.root) == 0)
        #expect(isPNG(stem.appendingPathExtension("png")))
        let svg = try String(contentsOf: stem.appendingPathExtension("svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg"))
        let pdf = try Data(contentsOf: stem.appendingPathExtension("pdf"))
        #expect(pdf.count > 1_000 && Array(pdf.prefix(5)) == Array("%PDF-".utf8))
        // From an unrelated directory with an absolute path and formats overridden.
        for ext in ["png", "svg", "pdf"] { try FileManager.default.removeItem(at: stem.appendingPathExtension(ext)) }
        let elsewhere = fixture.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        #expect(try runGnuplot(["-e", "formats='png'", stem.appendingPathExtension("gp").path], in: elsewhere) == 0)
        #expect(isPNG(stem.appendingPathExtension("png")))
        #expect(!FileManager.default.fileExists(atPath: stem.appendingPathExtension("svg").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test("Gnuplot.render writes the requested formats and reports gnuplot's stderr on failure")
    func renderFormatsAndErrors() throws {
        let fixture = try Fixture("render-errors")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "bars", kind: .bars, metric: "exploitability")
        let script = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results,
                                            plotsDirectory: fixture.plots)[0]
        try Gnuplot.render(script: script, formats: ["svg", "pdf"])
        #expect(FileManager.default.fileExists(atPath: script.deletingPathExtension().appendingPathExtension("svg").path))
        #expect(FileManager.default.fileExists(atPath: script.deletingPathExtension().appendingPathExtension("pdf").path))
        #expect(try Gnuplot.availableTerminals().isSuperset(of: ["pngcairo", "svg", "pdfcairo"]))
        let broken = fixture.plots.appendingPathComponent("broken.gp")
        try Data("plot undefined_function_xyz(x)\n".utf8).write(to: broken)
        do {
            try Gnuplot.render(script: broken, formats: ["png"])
            Issue.record("a broken script must fail")
        } catch let FiguresError.renderFailed(path, _, stderr) {
            #expect(path == broken.path)
            #expect(stderr.contains("undefined"))
        }
    }

    @Test("larger layouts render: a 10 × 10 heatmap and five curve panels with seven algorithms")
    func largeLayouts() throws {
        let fixture = try Fixture("large")
        defer { fixture.removeUnlessKept() }
        try fixture.writeLarge()
        let specs = [
            FigureSpec(id: "table", kind: .heatmap, metric: "preference"),
            FigureSpec(id: "kl", kind: .curves, metric: "kl_from_regularized_equilibrium", logY: true),
        ]
        let scripts = try FigureWriter.write(figures: specs, experiment: "large", resultsDirectory: fixture.results,
                                             plotsDirectory: fixture.plots)
        for script in scripts {
            try Gnuplot.render(script: script, formats: ["png"])
            #expect(isPNG(script.deletingPathExtension().appendingPathExtension("png")))
        }
        let table = try fixture.read(fixture.plots.appendingPathComponent("table.dat"))
        #expect(parseBlocks(table)[0].rows.count == 100)
    }
}
