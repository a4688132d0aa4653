import Foundation
import Testing
@testable import Figures

/// Degenerate data — every value equal (0, ½, a negative constant, 10⁹), a single point, blank
/// (NaN) interval cells, one series — is drawn, not failed: gnuplot refuses an explicit empty range
/// (`set yrange [0:0]` → "Can't plot with an empty y range!"), which made a bars figure of
/// exploitability (exactly 0 at the equilibrium) fail the sweep with status 7.
struct DegenerateRangeTests {
    /// `FigureWriter.range` on degenerate inputs; expected strings worked out by hand from the rule
    /// (constant c → c ± max(0.1|c|, 0.05), [0 : 0.05] when anchored at 0; 5% padding otherwise;
    /// whole decades on log axes; 8 significant digits).
    @Test(arguments: [
        ([0, 0, 0], false, true, "[0:0.05]"),                        // bars of zeros (the reported case)
        ([0, 0], false, false, "[-0.05:0.05]"),                      // a zero curve
        ([0.5, 0.5], false, false, "[0.45:0.55]"),                   // constant ½ (win rates)
        ([0.5, 0.5000000000000001], false, false, "[0.45:0.55]"),    // 1-ulp spread = constant
        ([1e9], false, false, "[9e+08:1.1e+09]"),                    // one large value
        ([-3, -3], false, false, "[-3.3:-2.7]"),                     // negative constant
        ([-2, -1], false, true, "[-2.1:0]"),                         // all negative bars end at 0
        ([0.2, 0.2], false, true, "[0:0.21]"),                       // constant bars grow from 0
        ([1, 3], false, false, "[0.9:3.1]"),                         // ordinary 5% padding
        ([Double.nan, 2, .infinity], false, false, "[1.8:2.2]"),     // non-finite cells ignored
        ([1e9, 1e9 + 5], false, false, "[1e+09:1.0000001e+09]"),     // span below 8 printed digits
        ([1.7e308, 1.7e308], false, false, "[1.53e+308:1.7976931e+308]"), // no "inf" bound
        ([1e-3, 1e-3], true, false, "[0.001:0.01]"),                 // log: one decade at least
        ([5, 5], true, false, "[1:10]"),
        ([5e-324], true, false, "[4.9406565e-324:9.8813129e-324]"), // subnormal: no bound of 0
    ] as [([Double], Bool, Bool, String)])
    func rangeOfDegenerateValues(values: [Double], log: Bool, includeZero: Bool, expected: String) {
        #expect(FigureWriter.range(values, log: log, includeZero: includeZero) == expected)
    }

    @Test func noPositiveValueOnALogAxisHasNoRange() {
        #expect(FigureWriter.range([0, -1, .nan], log: true) == nil)
        #expect(FigureWriter.range([], log: false) == nil)
    }

    /// Results of two algorithms on one cyclic game at its equilibrium: exploitability and
    /// kl_to_reference exactly 0, win rates exactly ½, true_reward −1 everywhere, n = 1 for omd
    /// (blank interval cells), one checkpoint for mmd, the environment parameter 10⁹.
    static func writeEquilibriumResults(_ f: Fixture) throws {
        let head = "environment,algorithm,config,metric,n,failed,mean,sd,sem,ci_low,ci_high,median,iqm,boot_low,boot_high,min,max,eval_tau"
        try f.write("summary.csv", [head,
            "cyc,mmd,eta=0.1,exploitability,2,0,0,0,0,0,0,0,0,0,0,0,0,",
            "cyc,omd,eta=0.1,exploitability,1,0,0,,,,,0,0,,,0,0,",
            "cyc,mmd,eta=0.1,kl_to_reference,2,0,0,0,0,0,0,0,0,0,0,0,0,",
            "cyc,omd,eta=0.1,kl_to_reference,1,0,0,,,,,0,0,,,0,0,",
            "cyc,mmd,eta=0.1,win_rate_vs_reference,2,0,0.5,0,0,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,",
            "cyc,omd,eta=0.1,win_rate_vs_reference,1,0,0.5,,,,,0.5,0.5,,,0.5,0.5,",
            "cyc,mmd,eta=0.1,true_reward,2,0,-1,0,0,-1,-1,-1,-1,-1,-1,-1,-1,",
            "cyc,omd,eta=0.1,true_reward,1,0,-1,,,,,-1,-1,,,-1,-1,",
        ])
        try f.write("curve_summary.csv", ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries,eval_tau",
                                          "cyc,mmd,eta=0.1,exploitability,0,2,0,0,0,0,",
                                          "cyc,omd,eta=0.1,exploitability,0,1,0,,,0,",
                                          "cyc,omd,eta=0.1,exploitability,10,1,0,,,0,"])
        // η = 0.5 of each grid failed on another environment (no summary rows): every line on cyc is
        // the single point η = 0.1.
        try f.writeWideRuns(["run_id,environment,algorithm,eta,seed,status,error,iterations,queries,eval_tau",
                             "r1,cyc,mmd,0.1,0,ok,,10,0,", "r2,cyc,mmd,0.1,1,ok,,10,0,", "r3,cyc,omd,0.1,0,ok,,10,0,",
                             "r4,other,mmd,0.5,0,failed,boom,3,0,", "r5,other,omd,0.5,0,failed,boom,3,0,"])
        try f.write("policies.csv", ["run_id,context,action,probability"]
            + ["r1", "r2", "r3"].flatMap { r in (0..<3).map { "\(r),0,\($0),0.3333333333333333" } })
        try f.write("pairwise.csv", ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high",
                                     "cyc,mmd,eta=0.1,reference,,2,0.5,0.5,0.5",
                                     "cyc,omd,eta=0.1,reference,,1,0.5,,",
                                     "cyc,mmd,eta=0.1,omd,eta=0.1,1,0.5,,"])
        // aggregates.csv of those runs: every exploitability 0, so IQM = mean = 0 with zero-width
        // intervals, P(mmd better than omd) = ½ (all ties), and a profile of one threshold (0) at 1.
        let agg = "metric,eval_tau,direction,normalization,statistic,algorithm,opponent,threshold,environments,runs,estimate,boot_low,boot_high"
        try f.write("aggregates.csv", [agg]
            + ["none", "min-max"].flatMap { norm in ["mmd", "omd"].flatMap { alg in
                ["exploitability,,lower,\(norm),iqm,\(alg),,,1,2,0,0,0", "exploitability,,lower,\(norm),mean,\(alg),,,1,2,0,0,0"] } }
            + ["exploitability,,lower,none,probability_of_improvement,mmd,omd,,1,2,0.5,0.5,0.5"]
            + ["none", "min-max"].flatMap { norm in ["mmd", "omd"].map { "exploitability,,lower,\(norm),profile,\($0),,0,1,2,1,1,1" } })
    }

    /// Every figure kind on the equilibrium results: each is written (only the log axis of an
    /// all-zero metric is skipped), its ranges are the padded constants, and gnuplot renders it.
    @Test func everyKindDrawsConstantValues() throws {
        let f = try Fixture("degenerate")
        defer { f.removeUnlessKept() }
        try Self.writeEquilibriumResults(f)
        let figures = [
            FigureSpec(id: "bars", kind: .bars, metric: "exploitability"),
            FigureSpec(id: "bars-by-algorithm", kind: .bars, metric: "exploitability", by: ["algorithm", "environment"]),
            FigureSpec(id: "bars-half", kind: .bars, metric: "win_rate_vs_reference"),
            FigureSpec(id: "bars-negative", kind: .bars, metric: "true_reward", algorithms: ["omd"]),
            FigureSpec(id: "curves", kind: .curves, metric: "exploitability"),
            FigureSpec(id: "curves-queries", kind: .curves, metric: "exploitability", x: "queries"),
            FigureSpec(id: "curves-log", kind: .curves, metric: "exploitability", logY: true),
            FigureSpec(id: "heatmap", kind: .heatmap, metric: "preference"),
            FigureSpec(id: "frontier", kind: .frontier, metric: "exploitability", x: "kl_to_reference"),
            FigureSpec(id: "lines", kind: .lines, metric: "exploitability", x: "eta"),
            FigureSpec(id: "policy", kind: .policy, metric: "win_rate_vs_reference", x: "size", parameterValues: ["cyc": 1e9]),
            FigureSpec(id: "versus", kind: .versus, metric: "exploitability", x: "eta", opponents: ["reference"]),
            FigureSpec(id: "aggregate", kind: .aggregate, metric: "exploitability"),
            FigureSpec(id: "improvement", kind: .improvement, metric: "exploitability"),
            FigureSpec(id: "profile", kind: .profile, metric: "exploitability", normalize: "min-max"),
        ]
        #expect(Set(figures.map(\.kind.id)) == Set(FigureKind.ids), "every kind of the catalogue is drawn here")
        let batch = try FigureWriter.writeAvailable(figures: figures, experiment: "demo",
                                                    resultsDirectory: f.results, plotsDirectory: f.plots)
        #expect(batch.skipped.map(\.figure) == ["curves-log"])
        #expect(batch.scripts.count == figures.count - 1)
        func script(_ id: String) throws -> String { try f.read(f.plots.appendingPathComponent("\(id).gp")) }
        // Expected ranges (see rangeOfDegenerateValues): zeros anchored → [0:0.05]; ½ anchored →
        // [0:0.525]; −1 anchored → [-1.05:0]; zero curve → [-0.05:0.05]; x = eta 0.1 alone →
        // 0.1 ± max(0.01, 0.5); x = 10⁹ alone → 10⁹ ± 10⁸; iterations 0 and 10 → [0:10]; queries
        // all 0 → [-0.05:0.05].
        let expectations: [(String, String)] = [
            ("bars", "set yrange [0:0.05]"),
            ("bars-by-algorithm", "set yrange [0:0.05]"),
            ("bars-half", "set yrange [0:0.525]"),
            ("bars-negative", "set yrange [-1.05:0]"),
            ("curves", "set xrange [0:10]; set yrange [-0.05:0.05]"),
            ("curves-queries", "set xrange [-0.05:0.05]; set yrange [-0.05:0.05]"),
            ("frontier", "set xrange [-0.05:0.05]; set yrange [-0.05:0.05]"),
            ("lines", "set xrange [-0.4:0.6]"),
            ("lines", "set yrange [-0.05:0.05]"),
            ("policy", "set xrange [9e+08:1.1e+09]"),
            ("policy", "set yrange [0.45:0.55]"),
            ("versus", "set xrange [-0.4:0.6]; set yrange [0.45:0.55]"),
            ("versus", "set xrange [-0.4:0.6]; set yrange [-0.05:0.05]"),
            ("aggregate", "set xrange [-0.05:0.05]"),
            ("improvement", "set xrange [0:1]"),
            ("profile", "set xrange [-0.05:0.05]"),
        ]
        for (id, line) in expectations {
            #expect(try script(id).contains(line), "\(id).gp lacks '\(line)'")
        }
        for text in try batch.scripts.map({ try f.read($0) }) {
            #expect(!text.contains("inf]") && !text.contains("[inf"))
        }
        // A single checkpoint (mmd) is a marker, not an invisible one-point line.
        #expect(try script("curves").contains("with points"))
        guard Gnuplot.isAvailable else { return }
        for url in batch.scripts {
            try Gnuplot.render(script: url, formats: ["png"])
            #expect(isPNG(url.deletingPathExtension().appendingPathExtension("png")), "\(url.lastPathComponent)")
        }
    }
}
