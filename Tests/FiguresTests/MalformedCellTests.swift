import Foundation
import Testing
@testable import Figures

/// A hand-edited result file whose number cell is not a number is refused with one error naming
/// the file, the line, the column and the cell — never read as a missing point, which silently
/// dropped a bar, a curve point or a policy entry from the figure.
struct MalformedCellTests {
    /// Consistent small results for every table the figure kinds read (one environment, one
    /// algorithm with two configurations), with `edit` applied: (file, line, column, new cell).
    static func write(_ f: Fixture, edit: (file: String, line: Int, column: String, cell: String)) throws {
        var files: [String: [String]] = [
            "summary.csv": ["environment,algorithm,config,metric,n,failed,mean,sd,sem,ci_low,ci_high,median,iqm,boot_low,boot_high,min,max,eval_tau",
                            "rps,omd,eta=0.1,exploitability,2,0,0.2,0,0,0.1,0.3,0.2,0.2,0.2,0.2,0.2,0.2,",
                            "rps,omd,eta=0.5,exploitability,2,0,0.4,0,0,0.3,0.5,0.4,0.4,0.4,0.4,0.4,0.4,"],
            "curve_summary.csv": ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries,eval_tau",
                                  "rps,omd,eta=0.1,exploitability,0,2,0.5,0.4,0.6,0,",
                                  "rps,omd,eta=0.1,exploitability,10,2,0.2,0.1,0.3,0,"],
            "policies.csv": ["run_id,context,action,probability",
                             "r1,0,0,0.5", "r1,0,1,0.25", "r1,0,2,0.25"],
            "pairwise.csv": ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high",
                             "rps,omd,eta=0.1,reference,default,2,0.6,0.55,0.65"],
            "frontier.csv": ["environment,beta,kl,reward", "rps,0.1,1.5,0.8", "rps,1,0.5,0.4"],
        ]
        var lines = files[edit.file]!
        var cells = lines[edit.line - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = lines[0].split(separator: ",").map(String.init).firstIndex(of: edit.column)!
        cells[column] = edit.cell
        lines[edit.line - 1] = cells.joined(separator: ",")
        files[edit.file] = lines
        for (name, content) in files { try f.write(name, content) }
        try f.writeWideRuns(["run_id,environment,algorithm,eta,seed,status,error,iterations,queries,eval_tau,exploitability",
                             "r1,rps,omd,0.1,0,ok,,10,0,,0.2",
                             "r2,rps,omd,0.5,0,ok,,10,0,,0.4"])
    }

    /// (file, line, column, bad cell, a figure that reads that cell).
    static let cases: [(String, Int, String, String, FigureSpec)] = [
        ("summary.csv", 3, "mean", "0.4x", FigureSpec(id: "bars", kind: .bars, metric: "exploitability")),
        ("summary.csv", 2, "ci_high", "high", FigureSpec(id: "bars", kind: .bars, metric: "exploitability")),
        ("curve_summary.csv", 3, "mean", "0.2.1", FigureSpec(id: "curves", kind: .curves, metric: "exploitability")),
        ("curve_summary.csv", 3, "iteration", "ten", FigureSpec(id: "curves", kind: .curves, metric: "exploitability")),
        ("pairwise.csv", 2, "mean", "60%", FigureSpec(id: "heatmap", kind: .heatmap, metric: "preference")),
        ("frontier.csv", 3, "kl", "0.5 nats", FigureSpec(id: "frontier", kind: .frontier, metric: "exploitability", x: "exploitability")),
        ("policies.csv", 3, "probability", "p", FigureSpec(id: "policy", kind: .policy, metric: "exploitability", x: "strength", parameterValues: ["rps": 1])),
        ("policies.csv", 4, "action", "two", FigureSpec(id: "policy", kind: .policy, metric: "exploitability", x: "strength", parameterValues: ["rps": 1])),
    ]

    @Test(arguments: cases)
    func badNumberCellIsRefused(_ file: String, _ line: Int, _ column: String, _ cell: String, _ figure: FigureSpec) throws {
        let f = try Fixture("bad-cell")
        defer { f.remove() }
        try Self.write(f, edit: (file, line, column, cell))
        let path = f.results.appendingPathComponent(file).path
        let expected = FiguresError.malformedCSV(path: path, line: line, reason: "column \(column): \"\(cell)\" is not \(column == "action" ? "an integer" : "a number")")
        #expect(throws: expected) {
            _ = try FigureWriter.write(figures: [figure], experiment: "demo", resultsDirectory: f.results, plotsDirectory: f.plots)
        }
    }

    /// The same files without the edit draw (the fixture itself is valid), and `nan`/`inf`/empty
    /// cells still mean "no point" rather than an error.
    @Test func unEditedAndNonFiniteCellsDraw() throws {
        for cell in ["0.4", "nan", "inf", ""] {
            let f = try Fixture("good-cell")
            defer { f.remove() }
            try Self.write(f, edit: ("summary.csv", 3, "mean", cell))
            let scripts = try FigureWriter.write(figures: [FigureSpec(id: "bars", kind: .bars, metric: "exploitability")],
                                                 experiment: "demo", resultsDirectory: f.results, plotsDirectory: f.plots)
            #expect(scripts.map(\.lastPathComponent) == ["bars.gp"])
        }
    }
}
