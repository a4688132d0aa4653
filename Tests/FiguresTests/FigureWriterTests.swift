import Foundation
import Testing
@testable import Figures

/// A block of a generated `.dat` file: its comment and numeric rows (NaN for missing).
struct DataBlock {
    var comment: String
    var rows: [[Double]]
}

/// Splits a `.dat` file into gnuplot index blocks (separated by two blank lines).
func parseBlocks(_ text: String) -> [DataBlock] {
    text.components(separatedBy: "\n\n\n").map { chunk in
        var block = DataBlock(comment: "", rows: [])
        for line in chunk.split(separator: "\n") {
            if line.hasPrefix("# index") { block.comment = String(line) } else if !line.hasPrefix("#") {
                block.rows.append(line.split(separator: " ").map { Double($0) ?? .nan })
            }
        }
        return block
    }
}

/// Writes one figure of the standard fixture and returns (script text, data blocks).
func generate(_ spec: FigureSpec, in fixture: Fixture) throws -> (String, [DataBlock]) {
    let urls = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results,
                                      plotsDirectory: fixture.plots)
    #expect(urls == [fixture.plots.appendingPathComponent("\(spec.id).gp")])
    let script = try fixture.read(urls[0])
    let data = try fixture.read(fixture.plots.appendingPathComponent("\(spec.id).dat"))
    return (script, parseBlocks(data))
}

@Suite("Script generation")
struct FigureWriterTests {
    @Test("curves: one block per (environment, configuration), log axis drops zeros and clips CIs")
    func curves() throws {
        let fixture = try Fixture("curves")
        defer { fixture.remove() }
        try fixture.writeAll()
        let (script, blocks) = try generate(FigureSpec(id: "gap", kind: .curves, metric: "regularized_gap", logY: true), in: fixture)
        #expect(blocks.count == 15)  // 3 environments × 5 configurations
        // The script is self-locating and renders the three formats.
        for needle in ["ARG0", "datafile = scriptdir . '/gap.dat'", "pngcairo", "pdfcairo", "set terminal svg",
                       "set output scriptdir . '/gap.' . fmt", "set logscale y", "with filledcurves",
                       "'regularized duality gap'", "'iteration'", "'rps'", "'dice'", "'random10'",
                       "title 'nash-md (eta=0.1, tau=0.1)'", "title 'online-mirror-descent (eta=0.1, tau=0)'",
                       "../../Results/demo/curve_summary.csv"] {
            #expect(script.contains(needle), "missing \(needle)")
        }
        // Rows are sorted by iteration; every plotted value is positive on the log axis.
        for block in blocks {
            let xs = block.rows.map { $0[0] }
            #expect(xs == xs.sorted())
            #expect(block.rows.allSatisfy { $0[1] > 0 && $0[2] > 0 })
        }
        // rps / online-mirror-descent: the exact zero at iteration 0 is dropped; its CI lower end
        // (−0.01) is clipped to the panel's bottom decade 10^⌊log10(min positive)⌋.
        let omd = try #require(blocks.first { $0.comment.contains("environment=rps algorithm=online-mirror-descent") })
        #expect(omd.rows.count == 50 && omd.rows[0][0] == 20)
        let rps = blocks.filter { $0.comment.contains("environment=rps ") }
        let minPositive = rps.flatMap { $0.rows.flatMap { [$0[1], $0[2]] } }.filter { $0 > 0 }.min()!
        #expect(omd.rows.allSatisfy { $0[2] == minPositive })
        #expect(minPositive == pow(10, log10(minPositive).rounded(.down)))
        // The values are the fixture's: extragradient at iteration 1000 on dice.
        let eg = try #require(blocks.first { $0.comment.contains("environment=dice algorithm=extragradient") })
        #expect(abs(eg.rows.last![1] - (0.4 * exp(-1000.0 / 60) + 1e-13)) < 1e-18)
    }

    @Test("curves against queries, restricted to two environments")
    func curvesQueries() throws {
        let fixture = try Fixture("queries")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "q", kind: .curves, metric: "exploitability", x: "queries", environments: ["dice", "rps"])
        let (script, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 10)
        #expect(!script.contains("random10"))
        #expect(script.contains("'preference queries (mean over seeds)'"))
        // Panels follow the filter's order: dice first.
        #expect(blocks[0].comment.contains("environment=dice"))
        #expect(blocks[0].rows.map { $0[0] } == stride(from: 0.0, through: 100_000, by: 2_000).map { $0 })
    }

    @Test("bars: one block per configuration, bars centred on their environment, t-CI whiskers")
    func bars() throws {
        let fixture = try Fixture("bars")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "b", kind: .bars, metric: "exploitability", by: ["environment", "algorithm"],
                              environments: ["rps", "dice", "random10"])
        let (script, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 5)
        #expect(script.contains("set xtics ('rps' 0, 'dice' 1, 'random10' 2)"))
        #expect(script.contains("with boxes") && script.contains("with vectors heads"))
        // Five bars of width slot = 0.8/5: offsets −0.32, −0.16, 0, 0.16, 0.32 around each cluster.
        let offsets = blocks.map { $0.rows[1][0] - 1 }
        for (o, e) in zip(offsets, [-0.32, -0.16, 0, 0.16, 0.32]) { #expect(abs(o - e) < 1e-12) }
        // extragradient is configuration index 2 of the fixture: mean 0.02 + 0.05·2 + 0.01·e, half 0.02.
        let eg = try #require(blocks.first { $0.comment.contains("algorithm=extragradient") })
        #expect(abs(eg.rows[0][1] - 0.12) < 1e-12 && abs(eg.rows[0][2] - 0.10) < 1e-12 && abs(eg.rows[0][3] - 0.14) < 1e-12)
    }

    @Test("bars grouped by algorithm with an algorithm filter")
    func barsByAlgorithm() throws {
        let fixture = try Fixture("bars-alg")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "b", kind: .bars, metric: "win_rate_vs_reference", by: ["algorithm", "environment"],
                              algorithms: ["rlhf-ppo", "nash-md"])
        let (script, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 3)  // one per environment
        // Clusters follow the listed order: rlhf-ppo, then nash-md's configurations in natural order.
        #expect(script.contains("'rlhf-ppo (beta=0.1)' 0, 'nash-md (eta=0.1, tau=0.1)' 1, 'nash-md (eta=0.5, tau=0.1)' 2"))
        #expect(!script.contains("extragradient"))
    }

    @Test("bars on a log axis skip failed groups and non-positive values")
    func barsLog() throws {
        let fixture = try Fixture("bars-log")
        defer { fixture.remove() }
        try fixture.writeAll()
        let (script, blocks) = try generate(FigureSpec(id: "b", kind: .bars, metric: "exploitability", logY: true, environments: ["bt"]), in: fixture)
        #expect(blocks.count == 19)  // 12 dpo + 6 rlhf-ppo + 1 nash-md; the failed `rest` group has no mean
        #expect(!script.contains("'rest'"))
        #expect(blocks.allSatisfy { $0.rows.allSatisfy { $0[1] > 0 && $0[2] > 0 } })
    }

    @Test("heatmap: cells, mirrored pairs and the diagonal")
    func heatmap() throws {
        let fixture = try Fixture("heatmap")
        defer { fixture.remove() }
        try fixture.writeAll()
        let (script, blocks) = try generate(FigureSpec(id: "h", kind: .heatmap, metric: "preference"), in: fixture)
        #expect(blocks.count == 2)
        let rps = blocks[0].rows
        #expect(rps.count == 25)
        func cell(_ row: Int, _ col: Int) -> Double { rps.first { $0[0] == Double(col) && $0[1] == Double(row) }![2] }
        #expect(abs(cell(0, 1) - 0.58) < 1e-12)   // as written: P(reference ≻ rlhf-ppo)
        #expect(abs(cell(1, 0) - 0.42) < 1e-12)   // mirrored: 1 − 0.58
        #expect(cell(2, 2) == 0.5)
        #expect(script.contains("with boxxyerror") && script.contains("with labels") && script.contains("sprintf('%.2f', $3)"))
        #expect(script.contains("'reference' 0, 'rlhf-ppo (beta=0.1)' 1, 'nash-md-pg (beta=0)' 2"))
    }

    @Test("heatmap keeps both directions when the file has them")
    func heatmapBothDirections() throws {
        let fixture = try Fixture("heatmap2")
        defer { fixture.remove() }
        try fixture.write("pairwise.csv", [
            "environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high",
            "e,a,,b,,5,0.7,0.6,0.8", "e,b,,a,,5,0.25,0.2,0.3", "e,a,,a,,5,0.5,0.5,0.5",
        ])
        let (_, blocks) = try generate(FigureSpec(id: "h", kind: .heatmap, metric: "p"), in: fixture)
        let rows = blocks[0].rows
        #expect(rows.count == 4)  // (a,a), (a,b), (b,a) as written, and the diagonal (b,b)
        #expect(rows.contains { $0[0] == 0 && $0[1] == 1 && $0[2] == 0.25 })  // row b, column a as written
        #expect(rows.contains { $0[0] == 1 && $0[1] == 0 && $0[2] == 0.7 })
        #expect(rows.contains { $0[0] == 1 && $0[1] == 1 && $0[2] == 0.5 })   // filled-in diagonal
    }

    @Test("frontier: one point per configuration and the exact curve sorted by KL")
    func frontier() throws {
        let fixture = try Fixture("frontier")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "f", kind: .frontier, metric: "true_reward", x: "kl_to_reference")
        let (script, blocks) = try generate(spec, in: fixture)
        let curve = try #require(blocks.last)
        #expect(curve.comment.contains("exact frontier"))
        #expect(curve.rows.count == 41 && curve.rows.map { $0[0] } == curve.rows.map { $0[0] }.sorted())
        #expect(blocks.count == 20)  // 19 configurations on bt + the curve
        let md = try #require(blocks.first { $0.comment.contains("algorithm=nash-md") })
        // nash-md on bt: KL 0.7 ± 0.05, reward 0.45 ± 0.03 (fixture arithmetic, hence 1e-12).
        let expected = [0.7, 0.45, 0.65, 0.75, 0.42, 0.48]
        #expect(md.rows.count == 1 && zip(md.rows[0], expected).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(script.contains("with xyerrorbars") && script.contains("'exact frontier μ·exp(r/β)/Z'"))
        #expect(script.contains("'KL(π ‖ μ)  [nats]'") && script.contains("'true reward  E_π[r]'"))
        // Without frontier.csv the figure has no curve.
        try FileManager.default.removeItem(at: fixture.results.appendingPathComponent("frontier.csv"))
        let (script2, blocks2) = try generate(spec, in: fixture)
        #expect(blocks2.count == 19 && !script2.contains("exact frontier"))
    }

    @Test("lines: numeric sweep sorted by the parameter, one line per remaining configuration, reference lines")
    func lines() throws {
        let fixture = try Fixture("lines")
        defer { fixture.remove() }
        try fixture.writeAll()
        let spec = FigureSpec(id: "l", kind: .lines, metric: "exploitability", x: "beta", logX: true, environments: ["bt"])
        let (script, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 4)  // dpo × {ipo, sigmoid}, rlhf-ppo, nash-md reference
        let ipo = try #require(blocks.first { $0.comment.contains("algorithm=dpo config=loss=ipo") })
        #expect(ipo.rows.map { $0[0] } == [0.01, 0.03, 0.1, 0.3, 1.0, 3.0])
        let reference = try #require(blocks.first { $0.comment.contains("reference algorithm=nash-md") })
        #expect(reference.rows == [[0.01, 0.12], [3.0, 0.12]])
        #expect(script.contains("title 'dpo (loss=ipo)'") && script.contains("title 'nash-md — no beta'"))
        #expect(script.contains("with yerrorlines") && script.contains("set logscale x") && script.contains("set xlabel 'beta'"))
    }

    @Test("lines over a categorical parameter")
    func linesCategorical() throws {
        let fixture = try Fixture("lines-cat")
        defer { fixture.remove() }
        try fixture.writeAll()
        let (script, blocks) = try generate(FigureSpec(id: "l", kind: .lines, metric: "true_reward", x: "loss"), in: fixture)
        #expect(script.contains("set xtics ('ipo' 0, 'sigmoid' 1)"))
        #expect(blocks.filter { $0.comment.contains("algorithm=dpo") }.count == 6)  // one line per β
    }

    @Test("errors: missing files, bad specs, nothing to plot")
    func errors() throws {
        let fixture = try Fixture("errors")
        defer { fixture.remove() }
        func write(_ spec: FigureSpec) throws {
            _ = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
        let summaryPath = fixture.results.appendingPathComponent("summary.csv").path
        #expect(throws: FiguresError.missingFile(path: summaryPath, figure: "b")) {
            try write(FigureSpec(id: "b", kind: .bars, metric: "exploitability"))
        }
        try fixture.writeAll()
        #expect(throws: FiguresError.invalidSpec(figure: "f", reason: "frontier needs `x` (the x-axis metric, e.g. \"kl_to_reference\")")) {
            try write(FigureSpec(id: "f", kind: .frontier, metric: "true_reward"))
        }
        #expect(throws: FiguresError.invalidSpec(figure: "c", reason: "curves need x = \"iteration\" or \"queries\", got \"beta\"")) {
            try write(FigureSpec(id: "c", kind: .curves, metric: "exploitability", x: "beta"))
        }
        #expect(throws: FiguresError.self) { try write(FigureSpec(id: "b", kind: .bars, metric: "exploitability", by: ["seed"])) }
        #expect(throws: FiguresError.self) { try write(FigureSpec(id: "../x", kind: .bars, metric: "exploitability")) }
        #expect(throws: FiguresError.invalidSpec(figure: "d", reason: "duplicate figure id")) {
            _ = try FigureWriter.write(figures: [FigureSpec(id: "d", kind: .bars, metric: "exploitability"),
                                                 FigureSpec(id: "d", kind: .bars, metric: "exploitability")],
                                       experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
        #expect(throws: FiguresError.noData(figure: "n", reason: "summary.csv has no rows with a mean for metric 'no_such_metric'")) {
            try write(FigureSpec(id: "n", kind: .bars, metric: "no_such_metric"))
        }
        #expect(throws: FiguresError.self) { try write(FigureSpec(id: "e", kind: .bars, metric: "exploitability", environments: ["nowhere"])) }
        #expect(throws: FiguresError.unsupportedFormat("bmp")) {
            try Gnuplot.render(script: fixture.plots.appendingPathComponent("x.gp"), formats: ["bmp"])
        }
        // Nothing was written for the failing figures.
        let written = (try? FileManager.default.contentsOfDirectory(atPath: fixture.plots.path)) ?? []
        #expect(written.isEmpty)
    }
}
