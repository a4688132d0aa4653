import Foundation
import Testing
@testable import Figures

/// `FigureWriter.writeAvailable`: a figure without data (or with values of different evaluation τ)
/// is skipped with its reason and never stops the others; every figure kind is checked on results
/// whose metric is exactly 0 (log axes) and on results where every run failed.
struct SkippedFigureTests {
    /// summary.csv / curve_summary.csv where kl_to_reference is 0 everywhere and exploitability is
    /// positive; runs.csv, policies.csv, pairwise.csv consistent with two ok runs.
    static func writeZeroResults(_ f: Fixture, failed: Bool = false) throws {
        let head = "environment,algorithm,config,metric,n,failed,mean,sd,sem,ci_low,ci_high,median,iqm,boot_low,boot_high,min,max,eval_tau"
        var summary = [head]
        for eta in ["0.1", "0.5"] {
            if failed {
                summary.append("rps,omd,eta=\(eta),exploitability,0,2,,,,,,,,,,,,")
            } else {
                summary.append("rps,omd,eta=\(eta),kl_to_reference,2,0,0,0,0,0,0,0,0,0,0,0,0,")
                summary.append("rps,omd,eta=\(eta),exploitability,2,0,0.2,0,0,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,")
            }
        }
        try f.write("summary.csv", summary)
        var curves = ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries,eval_tau"]
        if !failed {
            for eta in ["0.1", "0.5"] { for it in [0, 10] {
                curves.append("rps,omd,eta=\(eta),kl_to_reference,\(it),2,0,0,0,0,")
            } }
        }
        try f.write("curve_summary.csv", curves)
        let status = failed ? "failed" : "ok"
        try f.writeWideRuns(["run_id,environment,algorithm,eta,seed,status,error,iterations,queries,eval_tau,kl_to_reference",
                                 "r1,rps,omd,0.1,0,\(status),,10,0,,\(failed ? "" : "0")",
                                 "r2,rps,omd,0.5,0,\(status),,10,0,,\(failed ? "" : "0")"])
        try f.write("policies.csv", ["run_id,context,action,probability"]
            + (failed ? [] : ["r1", "r2"].flatMap { r in (0..<3).map { "\(r),0,\($0),0.3333333333333333" } }))
        try f.write("pairwise.csv", ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high",
                                     "rps,reference,,reference,,0,0.5,,"])
    }

    static let logFigures: [FigureSpec] = [
        FigureSpec(id: "curves", kind: .curves, metric: "kl_to_reference", logY: true),
        FigureSpec(id: "bars", kind: .bars, metric: "kl_to_reference", logY: true),
        FigureSpec(id: "lines", kind: .lines, metric: "kl_to_reference", x: "eta", logY: true),
        FigureSpec(id: "frontier", kind: .frontier, metric: "kl_to_reference", x: "exploitability", logY: true),
    ]

    @Test func zeroOnALogAxisSkipsOnlyThatFigure() throws {
        let f = try Fixture("zero-log")
        defer { f.remove() }
        try Self.writeZeroResults(f)
        let ok = FigureSpec(id: "ok-bars", kind: .bars, metric: "exploitability")
        // A stale script of a figure that is now skipped is removed.
        try FileManager.default.createDirectory(at: f.plots, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: f.plots.appendingPathComponent("curves.png"))
        let batch = try FigureWriter.writeAvailable(figures: Self.logFigures + [ok], experiment: "demo",
                                                    resultsDirectory: f.results, plotsDirectory: f.plots)
        #expect(batch.scripts.map(\.lastPathComponent) == ["ok-bars.gp"])
        #expect(batch.skipped.map(\.figure) == ["curves", "bars", "lines", "frontier"])
        #expect(batch.skipped.allSatisfy { $0.reason.contains("nothing to plot") })
        #expect(batch.skipped[0].reason == "figure 'curves': nothing to plot: no point of 'kl_to_reference' has a iteration value and positive coordinates on the log y axis")
        #expect(!FileManager.default.fileExists(atPath: f.plots.appendingPathComponent("curves.png").path))
        if Gnuplot.isAvailable {
            try Gnuplot.render(script: batch.scripts[0], formats: ["png"])
            #expect(isPNG(f.plots.appendingPathComponent("ok-bars.png")))
        }
    }

    /// Every run failed: no figure kind that needs ok runs has data; none throws, the heatmap of
    /// the reference alone is still drawn.
    @Test func allRunsFailedSkipsEveryFigureThatNeedsThem() throws {
        let f = try Fixture("all-failed")
        defer { f.remove() }
        try Self.writeZeroResults(f, failed: true)
        let figures = Self.logFigures + [
            FigureSpec(id: "bars-linear", kind: .bars, metric: "exploitability"),
            FigureSpec(id: "policy", kind: .policy, metric: "exploitability", x: "strength", parameterValues: ["rps": 1]),
            FigureSpec(id: "versus", kind: .versus, metric: "exploitability", x: "eta", opponents: ["reference"]),
            FigureSpec(id: "heatmap", kind: .heatmap, metric: "preference"),
        ]
        let batch = try FigureWriter.writeAvailable(figures: figures, experiment: "demo",
                                                    resultsDirectory: f.results, plotsDirectory: f.plots)
        #expect(batch.scripts.map(\.lastPathComponent) == ["heatmap.gp"])
        #expect(batch.skipped.map(\.figure) == ["curves", "bars", "lines", "frontier", "bars-linear", "policy", "versus"])
    }

    /// gap values at τ = 0.1 (nash-md) and τ = 0.5 (mmd) are not drawn side by side.
    @Test func mixedEvaluationTauIsRefused() throws {
        let f = try Fixture("mixed-tau")
        defer { f.remove() }
        let head = "environment,algorithm,config,metric,n,failed,mean,sd,sem,ci_low,ci_high,median,iqm,boot_low,boot_high,min,max,eval_tau"
        try f.write("summary.csv", [head,
                                    "rps,nash-md,,regularized_gap,2,0,0.1,0,0,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1",
                                    "rps,mmd,,regularized_gap,2,0,0.2,0,0,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.5",
                                    "rps,nash-md,,exploitability,2,0,0.1,0,0,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,"])
        try f.write("curve_summary.csv", ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries,eval_tau",
                                          "rps,nash-md,,regularized_gap,0,2,0.1,0.1,0.1,0,0.1",
                                          "rps,mmd,,regularized_gap,0,2,0.2,0.2,0.2,0,0.5"])
        let figures = [FigureSpec(id: "gap-bars", kind: .bars, metric: "regularized_gap"),
                       FigureSpec(id: "gap-curves", kind: .curves, metric: "regularized_gap"),
                       FigureSpec(id: "gap-nash-md", kind: .bars, metric: "regularized_gap", algorithms: ["nash-md"])]
        let batch = try FigureWriter.writeAvailable(figures: figures, experiment: "demo",
                                                    resultsDirectory: f.results, plotsDirectory: f.plots)
        #expect(batch.scripts.map(\.lastPathComponent) == ["gap-nash-md.gp"])
        #expect(batch.skipped == [
            .init(figure: "gap-bars", reason: "figure 'gap-bars': not drawn: 'regularized_gap' depends on τ and its values here are measured at τ = 0.1 (e.g. nash-md), τ = 0.5 (e.g. mmd); give the spec a top-level \"tau\" or restrict the figure's algorithms to one τ"),
            .init(figure: "gap-curves", reason: "figure 'gap-curves': not drawn: 'regularized_gap' depends on τ and its values here are measured at τ = 0.1 (e.g. nash-md), τ = 0.5 (e.g. mmd); give the spec a top-level \"tau\" or restrict the figure's algorithms to one τ"),
        ])
    }
}
