import Foundation
import Testing
@testable import Figures

/// Results files for the `policy` and `versus` kinds and for curve guides: runs.csv,
/// policies.csv, summary.csv and pairwise.csv of a small made-up sweep.
extension Fixture {
    /// runs.csv + policies.csv + summary.csv of a three-action sweep over two environments with
    /// parameter values ε = −0.1 ("neg") and ε = 0.1 ("pos"): "nash" (two seeds, two contexts),
    /// "rlhf" with a β grid {0.01, 0.1} (one seed each), and a failed run that must be ignored.
    func writePolicySweep() throws {
        try writeWideRuns([
            "run_id,environment,algorithm,beta,tau,seed,rng_seed,status,error,iterations,queries,exploitability",
            "n1,neg,nash,,0,0,00,ok,,100,0,0.01",
            "n2,neg,nash,,0,1,00,ok,,100,0,0.03",
            "n3,pos,nash,,0,0,00,ok,,100,0,0.02",
            "n4,pos,nash,,0,1,00,ok,,100,0,0.02",
            "n5,pos,nash,,0,2,00,failed,boom,3,0,",
            "r1,neg,rlhf,0.01,,0,00,ok,,100,0,0.15",
            "r2,pos,rlhf,0.01,,0,00,ok,,100,0,0.14",
            "r3,neg,rlhf,0.1,,0,00,ok,,100,0,0.09",
            "r4,pos,rlhf,0.1,,0,00,ok,,100,0,0.08",
            "x1,other,nash,,0,0,00,ok,,100,0,0.5",
        ])
        var policies = ["run_id,context,action,probability"]
        // nash: context 0 and 1 differ, so π(y) of a run is the average over its two contexts.
        let nash: [String: [[Double]]] = [
            "n1": [[0.2, 0.3, 0.5], [0.4, 0.3, 0.3]],   // π = (0.3, 0.3, 0.4)
            "n2": [[0.3, 0.3, 0.4], [0.3, 0.3, 0.4]],   // π = (0.3, 0.3, 0.4)
            "n3": [[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]],   // π = (0.4, 0.4, 0.2)
            "n4": [[0.6, 0.2, 0.2], [0.4, 0.4, 0.2]],   // π = (0.5, 0.3, 0.2)
            "n5": [[1, 0, 0], [1, 0, 0]],
            "x1": [[1, 0, 0], [1, 0, 0]],
        ]
        let rlhf: [String: [Double]] = ["r1": [1, 0, 0], "r2": [0, 1, 0], "r3": [0.7, 0.1, 0.2], "r4": [0.1, 0.7, 0.2]]
        for id in ["n1", "n2", "n3", "n4", "n5", "x1"] {
            for (x, row) in nash[id]!.enumerated() { for (y, p) in row.enumerated() { policies.append("\(id),\(x),\(y),\(p)") } }
        }
        for id in ["r1", "r2", "r3", "r4"] {
            for (y, p) in rlhf[id]!.enumerated() { policies.append("\(id),0,\(y),\(p)") }
        }
        try write("policies.csv", policies)
        try write("summary.csv", [
            Self.summaryHeader,
            Self.summaryLine("neg", "nash", "", "exploitability", mean: 0.02, half: 0.01, n: 2),
            Self.summaryLine("pos", "nash", "", "exploitability", mean: 0.02, half: 0.005, n: 2),
            Self.summaryLine("neg", "rlhf", "beta=0.01", "exploitability", mean: 0.15, half: 0, n: 1),
            Self.summaryLine("pos", "rlhf", "beta=0.01", "exploitability", mean: 0.14, half: 0, n: 1),
            Self.summaryLine("neg", "rlhf", "beta=0.1", "exploitability", mean: 0.09, half: 0, n: 1),
            Self.summaryLine("pos", "rlhf", "beta=0.1", "exploitability", mean: 0.08, half: 0, n: 1),
        ])
    }

    /// A mixture sweep: labels SP (β = 0), MD (β = 0.5), BR (β = 1) of one plugin and "rlhf"
    /// (whose own β = 0.2 must not make it a participant), with pairwise.csv (one direction per
    /// pair, μ first), runs.csv and summary.csv.
    func writeMixtureSweep() throws {
        try writeWideRuns([
            "run_id,environment,algorithm,beta,tau,seed,rng_seed,status,error,iterations,queries,exploitability",
            "a1,g,rlhf,0.2,,0,00,ok,,10,5,0.3", "a2,g,rlhf,0.2,,1,00,ok,,10,5,0.3",
            "b1,g,BR,1,0.05,0,00,ok,,10,5,0.25", "b2,g,BR,1,0.05,1,00,ok,,10,5,0.25",
            "c1,g,SP,0,0.05,0,00,ok,,10,5,0.1", "c2,g,SP,0,0.05,1,00,ok,,10,5,0.1",
            "d1,g,MD,0.5,0.05,0,00,ok,,10,5,0.15", "d2,g,MD,0.5,0.05,1,00,ok,,10,5,0.15",
        ])
        // Participant order as PairwiseTable writes it: μ, then the labels in spec order.
        let order = ["reference", "rlhf", "BR", "SP", "MD"]
        let p: [String: [String: Double]] = [
            "reference": ["rlhf": 0.35, "BR": 0.36, "SP": 0.43, "MD": 0.39],
            "rlhf": ["BR": 0.51, "SP": 0.50, "MD": 0.46],
            "BR": ["SP": 0.50, "MD": 0.45],
            "SP": ["MD": 0.48],
        ]
        var lines = ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high"]
        for (i, a) in order.enumerated() {
            lines.append("g,\(a),,\(a),,2,0.5,0.5,0.5")
            for b in order[(i + 1)...] {
                let v = p[a]![b]!
                lines.append("g,\(a),,\(b),,2,\(v),\(v - 0.02),\(v + 0.02)")
                lines.append("g,\(b),,\(a),,2,\(1 - v),\(1 - v - 0.02),\(1 - v + 0.02)")
            }
        }
        try write("pairwise.csv", lines)
        try write("summary.csv", [
            Self.summaryHeader,
            Self.summaryLine("g", "rlhf", "", "exploitability", mean: 0.3, half: 0.01, n: 2),
            Self.summaryLine("g", "BR", "", "exploitability", mean: 0.25, half: 0.01, n: 2),
            Self.summaryLine("g", "SP", "", "exploitability", mean: 0.1, half: 0.01, n: 2),
            Self.summaryLine("g", "MD", "", "exploitability", mean: 0.15, half: 0.01, n: 2),
        ])
    }
}

/// Student's t quantile t_{0.975, 1} (scipy.stats.t.ppf(0.975, 1)).
private let t975df1 = 12.706204736174707

@Suite("Paper figure kinds: policy, versus, curve guides")
struct PaperFigureTests {
    let epsilon = ["neg": -0.1, "pos": 0.1]

    @Test("policy: π(y) per action averaged over contexts, t intervals over seeds, grid configurations, metric panel")
    func policy() throws {
        let fixture = try Fixture("policy")
        defer { fixture.remove() }
        try fixture.writePolicySweep()
        let spec = FigureSpec(id: "p", kind: .policy, metric: "exploitability", x: "epsilon", parameterValues: epsilon)
        let (script, blocks) = try generate(spec, in: fixture)
        // 3 actions × 3 series (nash, rlhf β=0.01, rlhf β=0.1) + 3 metric blocks.
        #expect(blocks.count == 12)
        let nash0 = try #require(blocks.first { $0.comment.contains("action=0 algorithm=nash config=") })
        // ε = −0.1: runs n1, n2 both give π(y0) = 0.3 → mean 0.3, zero-width interval.
        // ε = +0.1: n3 gives 0.4, n4 0.5 (each the average of its two contexts); the failed n5
        // (π = 1) and the "other" environment are ignored. Mean 0.45, s = 0.05·√2, s/√2 = 0.05,
        // half-width t(0.975, 1)·0.05.
        #expect(nash0.rows.count == 2)
        #expect(abs(nash0.rows[0][0] + 0.1) < 1e-12 && abs(nash0.rows[0][1] - 0.3) < 1e-12)
        #expect(abs(nash0.rows[0][2] - 0.3) < 1e-12 && abs(nash0.rows[0][3] - 0.3) < 1e-12)
        #expect(abs(nash0.rows[1][0] - 0.1) < 1e-12 && abs(nash0.rows[1][1] - 0.45) < 1e-12)
        #expect(abs(nash0.rows[1][2] - (0.45 - t975df1 * 0.05)) < 1e-9)
        #expect(abs(nash0.rows[1][3] - (0.45 + t975df1 * 0.05)) < 1e-9)
        // One run per configuration: no interval, the error bar collapses to the mean.
        let sharp = try #require(blocks.first { $0.comment.contains("action=1 algorithm=rlhf config=beta=0.01") })
        #expect(sharp.rows == [[-0.1, 0, 0, 0], [0.1, 1, 1, 1]])
        let smooth = try #require(blocks.first { $0.comment.contains("action=2 algorithm=rlhf config=beta=0.1") })
        #expect(smooth.rows.map { $0[1] } == [0.2, 0.2])
        let metric = try #require(blocks.first { $0.comment.contains("metric=exploitability algorithm=nash") })
        #expect(metric.rows.map { $0[0] } == [-0.1, 0.1])
        #expect(abs(metric.rows[0][2] - 0.01) < 1e-12 && abs(metric.rows[0][3] - 0.03) < 1e-12)
        for needle in ["'rlhf (beta=0.01)'", "'rlhf (beta=0.1)'", "'nash'", "π(y0)", "π(y2)", "'epsilon'", "set yrange [-0.03:1.03]"] {
            #expect(script.contains(needle), "missing \(needle)")
        }
    }

    @Test("policy: no environment with a parameter value is an error that names the parameter")
    func policyNoData() throws {
        let fixture = try Fixture("policy-empty")
        defer { fixture.remove() }
        try fixture.writePolicySweep()
        let spec = FigureSpec(id: "p", kind: .policy, metric: "exploitability", x: "epsilon", parameterValues: ["nowhere": 1])
        #expect(throws: FiguresError.noData(figure: "p", reason: "runs.csv has no ok run on an environment with a value of 'epsilon'")) {
            _ = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
    }

    @Test("versus: P(π ≻ opponent) per participant sorted by the hyperparameter, opponents outside the filter, metric panel")
    func versus() throws {
        let fixture = try Fixture("versus")
        defer { fixture.remove() }
        try fixture.writeMixtureSweep()
        let spec = FigureSpec(id: "v", kind: .versus, metric: "exploitability", x: "beta",
                              algorithms: ["SP", "MD", "BR"], opponents: ["rlhf", "reference"])
        let (script, blocks) = try generate(spec, in: fixture)
        let vsRLHF = try #require(blocks.first { $0.comment.contains("P(pi > rlhf)") })
        // x = β of SP, MD, BR (0, 0.5, 1); P(SP ≻ rlhf) = 1 − 0.50, P(MD ≻ rlhf) = 1 − 0.46, P(BR ≻ rlhf) = 1 − 0.51.
        #expect(vsRLHF.rows.map { $0[0] } == [0, 0.5, 1])
        let expected = [0.5, 0.54, 0.49]
        for (row, p) in zip(vsRLHF.rows, expected) {
            #expect(abs(row[1] - p) < 1e-12 && abs(row[2] - (p - 0.02)) < 1e-12 && abs(row[3] - (p + 0.02)) < 1e-12)
        }
        let vsMu = try #require(blocks.first { $0.comment.contains("P(pi > reference)") })
        // P(SP ≻ μ) = 1 − 0.43, P(MD ≻ μ) = 1 − 0.39, P(BR ≻ μ) = 1 − 0.36.
        for (row, p) in zip(vsMu.rows, [0.57, 0.61, 0.64]) { #expect(abs(row[1] - p) < 1e-12) }
        let metric = try #require(blocks.first { $0.comment.contains("metric=exploitability") })
        #expect(metric.rows.map { $0[1] } == [0.1, 0.15, 0.25])
        let rlhfLine = try #require(blocks.first { $0.comment.contains("reference line rlhf") })
        #expect(rlhfLine.rows == [[0, 0.3], [1, 0.3]])
        for needle in ["'P(π ≻ rlhf)'", "'P(π ≻ μ (reference))'", "'beta'", "0.5 with lines"] {
            #expect(script.contains(needle), "missing \(needle)")
        }
    }

    @Test("versus: without opponents, and with no participant having the hyperparameter, are errors")
    func versusErrors() throws {
        let fixture = try Fixture("versus-errors")
        defer { fixture.remove() }
        try fixture.writeMixtureSweep()
        let noOpponents = FigureSpec(id: "v", kind: .versus, metric: "exploitability", x: "beta")
        #expect(throws: FiguresError.invalidSpec(figure: "v", reason: "versus figures need `opponents` (algorithm labels or \"reference\")")) {
            _ = try FigureWriter.write(figures: [noOpponents], experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
        let noParameter = FigureSpec(id: "w", kind: .versus, metric: "exploitability", x: "gamma", opponents: ["rlhf"])
        #expect(throws: FiguresError.self) {
            _ = try FigureWriter.write(figures: [noParameter], experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
    }

    @Test("curves: a guide a·(x + b)^p is drawn on every panel, in the legend and inside the y range")
    func guides() throws {
        let fixture = try Fixture("guides")
        defer { fixture.remove() }
        try fixture.writeAll()
        let bound = FigureSpec.Guide(label: "bound 8/(τ²(T+1))", scale: 800, shift: 1, power: -1)
        let spec = FigureSpec(id: "g", kind: .curves, metric: "regularized_gap", logY: true, guides: [bound])
        let (script, blocks) = try generate(spec, in: fixture)
        let guideBlocks = blocks.filter { $0.comment.contains("guide bound") }
        #expect(guideBlocks.count == 3)  // one per environment panel
        for block in guideBlocks {
            #expect(block.rows.count == 200)
            #expect(block.rows.first![0] == 0 && block.rows.last![0] == 1000)
            for row in block.rows { #expect(abs(row[1] - 800 / (row[0] + 1)) <= 1e-12 * row[1]) }
        }
        #expect(script.contains("title 'bound 8/(τ²(T+1))'"))
        // The guide's largest value, 800 at T = 0, sets the top of the log axis: 10^3.
        #expect(script.contains(":1000]"))
        #expect(bound.value(at: 99) == 8)
    }

    @Test("curves: x tick spacing is 1, 2 or 5 × 10^k with at most six intervals")
    func tickSpacing() throws {
        #expect(FigureWriter.tickStep(1000) == 200)
        #expect(FigureWriter.tickStep(18000) == 5000)
        #expect(FigureWriter.tickStep(12) == 2)
        #expect(abs(FigureWriter.tickStep(0.6) - 0.1) < 1e-15)
        let fixture = try Fixture("ticks")
        defer { fixture.remove() }
        try fixture.writeAll()
        let (script, _) = try generate(FigureSpec(id: "t", kind: .curves, metric: "exploitability"), in: fixture)
        #expect(script.contains("set xtics 200"))
    }

    @Test("a metric missing from summary.csv (a diagnostic) is read from curve_summary.csv at the last iteration")
    func diagnosticFallback() throws {
        let fixture = try Fixture("fallback")
        defer { fixture.remove() }
        try fixture.writeAll()
        // The fixture's summary.csv has no regularized_gap; curve_summary.csv has it up to T = 1000.
        let spec = FigureSpec(id: "b", kind: .bars, metric: "regularized_gap", environments: ["rps"])
        let (_, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 5)
        let eg = try #require(blocks.first { $0.comment.contains("algorithm=extragradient") })
        // Fixture: gap(T) = 0.4·exp(−T/60) + 1e-13, CI gap ± 1.6·gap/4 below and gap/4 above.
        let gap = 0.4 * exp(-1000.0 / 60) + 1e-13
        #expect(abs(eg.rows[0][1] - gap) <= 1e-12 * gap)
        #expect(abs(eg.rows[0][3] - 1.25 * gap) <= 1e-12 * gap)
    }

    @Test("heatmap: an algorithm filter keeps the reference μ, which is not an algorithm label")
    func heatmapKeepsReference() throws {
        let fixture = try Fixture("heatmap-filter")
        defer { fixture.remove() }
        try fixture.writeMixtureSweep()
        let spec = FigureSpec(id: "h", kind: .heatmap, metric: "win_rate_vs_reference", algorithms: ["rlhf", "SP", "BR"])
        let (script, blocks) = try generate(spec, in: fixture)
        #expect(blocks.count == 1 && blocks[0].rows.count == 16)  // μ, rlhf, BR, SP: 4 × 4 cells
        #expect(script.contains("'reference' 0, 'rlhf' 1, 'SP' 2, 'BR' 3"))  // μ, then the listed order
        #expect(!script.contains("'MD'"))
    }
}

@Suite("Rendering the paper figure kinds", .enabled(if: Gnuplot.isAvailable, "gnuplot is not installed"))
struct PaperFigureRenderTests {
    @Test("policy, versus and a curves figure with a guide render to PNG")
    func render() throws {
        let policyFixture = try Fixture("render-policy")
        defer { policyFixture.remove() }
        try policyFixture.writePolicySweep()
        let mixtureFixture = try Fixture("render-versus")
        defer { mixtureFixture.remove() }
        try mixtureFixture.writeMixtureSweep()
        let guideFixture = try Fixture("render-guide")
        defer { guideFixture.remove() }
        try guideFixture.writeAll()
        let cases: [(Fixture, FigureSpec)] = [
            (policyFixture, FigureSpec(id: "p", kind: .policy, metric: "exploitability", x: "epsilon",
                                       parameterValues: ["neg": -0.1, "pos": 0.1])),
            (mixtureFixture, FigureSpec(id: "v", kind: .versus, metric: "exploitability", x: "beta",
                                        algorithms: ["SP", "MD", "BR"], opponents: ["rlhf", "reference"])),
            (guideFixture, FigureSpec(id: "g", kind: .curves, metric: "regularized_gap", logY: true,
                                      guides: [FigureSpec.Guide(label: "bound", scale: 800, shift: 1, power: -1)])),
        ]
        for (fixture, spec) in cases {
            let scripts = try FigureWriter.write(figures: [spec], experiment: "demo", resultsDirectory: fixture.results,
                                                 plotsDirectory: fixture.plots)
            try Gnuplot.render(script: scripts[0], formats: ["png"])
            #expect(isPNG(scripts[0].deletingPathExtension().appendingPathExtension("png")))
        }
    }
}
