import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// The HTML builder of `bench report`: escaping, the table markup, number display, the inlining
/// of gnuplot's SVG, and every table read from hand-written result files with hand-written
/// expected cells.
struct ResultReportTests {
    // MARK: escaping and markup

    @Test(arguments: [
        ("plain", "plain"),
        ("a<b>&c", "a&lt;b&gt;&amp;c"),
        ("\"q\" 'r'", "&quot;q&quot; &#39;r&#39;"),
        ("</td><script>alert(1)</script>", "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("&amp;", "&amp;amp;"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("bell\u{7}", "bell\\u{7}"),
        ("rtl\u{202E}x", "rtl\\u{202E}x"),
        ("c1\u{85}", "c1\\u{85}"),
        ("π ≻ μ", "π ≻ μ"),
    ])
    func escape(_ input: String, _ expected: String) {
        #expect(ReportHTML.escape(input) == expected)
    }

    @Test func identifier() {
        #expect(ReportHTML.identifier("tests", "env=rps|x y") == "tests-env-rps-x-y")
        #expect(ReportHTML.identifier("headline", "r4\"><script>") == "headline-r4---script-")
    }

    @Test func tableMarkup() {
        let t = ReportTable(id: "t-1", caption: "a & b", header: ["name", "<v>"],
                            rows: [[ReportCell("x<y"), ReportCell("0.5", numeric: true, emphasis: true)]])
        #expect(t.html == """
        <table id="t-1">
        <caption>a &amp; b</caption>
        <thead><tr><th scope="col">name</th><th scope="col">&lt;v&gt;</th></tr></thead>
        <tbody>
        <tr><td>x&lt;y</td><td class="num"><strong>0.5</strong></td></tr>
        </tbody>
        </table>
        """)
    }

    @Test(arguments: [
        (Double?.none, "—"), (0.123456789, "0.1235"), (1e-12, "1e-12"), (-0.0, "0"), (12345.6, "1.235e+04"),
        (Double.infinity, "∞"), (-Double.infinity, "−∞"), (Double.nan, "nan"), (3.0, "3"),
    ])
    func numbers(_ value: Double?, _ expected: String) {
        #expect(ReportNumber.text(value) == expected)
    }

    // MARK: SVG

    static let gnuplotSVG = """
    <?xml version="1.0" encoding="utf-8"  standalone="no"?>
    <svg 
     width="600" height="480"
     viewBox="0 0 600 480"
     xmlns="http://www.w3.org/2000/svg"
     xmlns:xlink="http://www.w3.org/1999/xlink"
    >
    <title>Gnuplot</title>
    <g id="gnuplot_canvas">
    <defs>
    \t<circle id='gpPt5' r='1'/>
    \t<use xlink:href='#gpPt5' id='gpPt6'/>
    \t<filter id='textbox'/>
    </defs>
    <g filter="url(#textbox)"><text>see http://example.org &lt;b&gt; one=1</text></g>
    </g>
    </svg>

    """

    @Test func inlineSVG() throws {
        let svg = try ReportFigures.inline(Self.gnuplotSVG, prefix: "figure2-")
        #expect(svg.hasPrefix("<svg \n width=\"600\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(!svg.contains("<?xml"))
        #expect(!svg.contains("xmlns"))
        #expect(svg.contains("<g id=\"figure2-gnuplot_canvas\">"))
        #expect(svg.contains("<circle id='figure2-gpPt5' r='1'/>"))
        #expect(svg.contains("<use xlink:href='#figure2-gpPt5' id='figure2-gpPt6'/>"))
        #expect(svg.contains("filter=\"url(#figure2-textbox)\""))
        // Text content is kept as gnuplot escaped it, URL-looking text and "one=" included.
        #expect(svg.contains("<text>see http://example.org &lt;b&gt; one=1</text>"))
    }

    @Test(arguments: [
        "<svg><script>alert(1)</script></svg>",
        "<svg><foreignObject><p>x</p></foreignObject></svg>",
        "<svg><image href='x.png'/></svg>",
        "<svg><use xlink:href='http://evil/x.svg#a'/></svg>",
        "<svg><g onload=\"alert(1)\"/></svg>",
        "<svg><a href=\"javascript:alert(1)\">x</a></svg>",
        "<svg><style>@import url(x.css);</style></svg>",
        "no svg element here",
    ])
    func unsafeSVGIsRefused(_ svg: String) {
        #expect(throws: ReportFigures.UnsafeSVG.self) { try ReportFigures.inline(svg, prefix: "f-") }
    }

    // MARK: tables from hand-written result files

    /// A results directory holding `files` (name → text).
    static func directory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    static func csv(_ header: [String], _ rows: String) -> String { header.joined(separator: ",") + "\n" + rows }

    static let summary = csv(SummaryFile.header(), """
    rps,nash-md,eta=0.1,exploitability,10,0,0.25,0.1,0.0316,0.1785,0.3215,0.24,0.245,0.19,0.31,0.1,0.4,
    rps,nash-md,eta=0.1,win_rate_vs_reference,10,0,0.6,0.1,0.0316,0.5,0.7,0.6,0.6,0.52,0.68,0.4,0.8,
    rps,nash-md,eta=0.2,exploitability,10,0,0.5,0.1,0.0316,0.4,0.6,0.5,0.5,0.45,0.55,0.3,0.7,
    rps,omwu,default,exploitability,8,2,0.125,0.02,0.007,0.1,0.15,0.12,0.126,,,0.1,0.2,
    rps,"a<b,c",default,exploitability,3,0,0.1250000000000001,0,0,0.125,0.125,0.125,0.125,,,0.125,0.125,
    rps,dpo-huge,lr=1,exploitability,0,2,,,,,,,,,,,,
    rps,dpo-huge,lr=2,exploitability,0,3,,,,,,,,,,,,
    bt,dpo-huge,lr=1,exploitability,0,4,,,,,,,,,,,,

    """)

    static let pairwise = csv(PairwiseFile.header(), """
    rps,reference,default,reference,default,10,0.5,0.5,0.5,0,0.5,0.5
    rps,reference,default,nash-md,eta=0.1,10,0.4,0.35,0.45,0.05,0.36,0.44
    rps,reference,default,omwu,default,8,0.3,0.2,0.4,0.1,,
    rps,reference,default,"a<b,c",default,3,0.5,0.5,0.5,0,,
    rps,nash-md,eta=0.1,reference,default,10,0.6,0.55,0.65,0.05,0.56,0.64
    rps,omwu,default,reference,default,8,0.7,0.6,0.8,0.1,,
    rps,"a<b,c",default,reference,default,3,0.5,0.5,0.5,0,,
    bt,reference,default,reference,default,10,0.5,0.5,0.5,0,0.5,0.5

    """)

    @Test func headline() throws {
        let dir = try Self.directory(["summary.csv": Self.summary, "pairwise.csv": Self.pairwise])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tables = try ResultReport.headlineTables(directory: dir, display: "R", selection: .default, referenceLabel: "reference")
        #expect(tables.map(\.id) == ["headline-rps", "headline-bt"])
        #expect(tables[0].header == ["algorithm", "best config", "n", "failed", "exploitability mean", "95% t interval", "IQM",
                                     "bootstrap interval", "P(π ≻ μ)", "P(π ≻ μ) 95% t interval"])
        #expect(tables[0].rows.map { $0.map(\.text) } == [
            ["nash-md", "eta=0.1", "10", "0", "0.25", "[0.1785, 0.3215]", "0.245", "[0.19, 0.31]", "0.6", "[0.55, 0.65]"],
            ["omwu", "default", "8", "2", "0.125", "[0.1, 0.15]", "0.126", "—", "0.7", "[0.6, 0.8]"],
            ["a<b,c", "default", "3", "0", "0.125", "[0.125, 0.125]", "0.125", "—", "0.5", "[0.5, 0.5]"],
            // Every run of dpo-huge failed (2 + 3 over its two configurations): listed, not dropped.
            ["dpo-huge", "— (no ok run)", "0", "5", "—", "—", "—", "—", "—", "—"],
        ])
        #expect(tables[0].caption.hasSuffix("; 1 algorithm has no ok run (see Failed runs)"))
        // The lowest mean is emphasised; 0.1250000000000001 equals 0.125 up to ValueTolerance.
        #expect(tables[0].rows.map { $0[0].emphasis } == [false, true, true, false])
        #expect(tables[0].rows.map { $0[4].emphasis } == [false, true, true, false])
        #expect(tables[1].rows.map { $0.map(\.text) } == [["dpo-huge", "— (no ok run)", "0", "4", "—", "—", "—", "—", "—", "—"]])
        #expect(tables[1].caption.hasSuffix("no algorithm has an ok run"))
        // The page escapes the label.
        #expect(tables[0].html.contains("<td><strong>a&lt;b,c</strong></td>"))

        let byWinRate = try ResultReport.headlineTables(directory: dir, display: "R",
                                                        selection: ConfigurationSelection(metric: "win_rate_vs_reference", goal: .max),
                                                        referenceLabel: "reference")
        #expect(byWinRate[0].rows.map { $0.prefix(6).map(\.text) } == [
            ["nash-md", "eta=0.1", "10", "0", "0.6", "[0.5, 0.7]"],
            ["omwu", "default", "—", "—", "—", "—"],
            ["a<b,c", "default", "—", "—", "—", "—"],
        ])
        // dpo-huge has no win-rate rows in this summary.csv, so under that rule it is not listed.
        #expect(byWinRate[0].rows.count == 3)
    }

    @Test func significance() throws {
        let tests = Self.csv(TestsFile.header(), """
        rps,exploitability,nash-md,eta=0.1,omwu,default,10,8,0.25,0.125,3.1,12.5,0.009,0.018,0.8,,
        rps,win_rate_vs_reference,nash-md,eta=0.1,omwu,default,10,8,0.6,0.7,-1.2,14,0.25,0.5,0.3,,
        bt,exploitability,nash-md,eta=0.1,omwu,default,1,1,0.25,0.125,,,,,1,,
        bt,win_rate_vs_reference,nash-md,eta=0.1,omwu,default,10,10,0.9,0.7,inf,,0,0,1,,

        """)
        let dir = try Self.directory(["tests.csv": tests])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tables = try ResultReport.significanceTables(directory: dir, display: "R")
        #expect(tables.map(\.id) == ["tests-rps", "tests-bt"])
        #expect(tables[0].rows.map { $0.map(\.text) } == [
            ["exploitability", "nash-md", "eta=0.1", "omwu", "default", "10", "8", "0.25", "0.125", "3.1", "12.5", "0.009", "0.018", "0.8", "omwu"],
            ["win_rate_vs_reference", "nash-md", "eta=0.1", "omwu", "default", "10", "8", "0.6", "0.7", "-1.2", "14", "0.25", "0.5", "0.3", "—"],
        ])
        #expect(tables[0].rows.map { $0[12].emphasis } == [true, false])
        #expect(tables[1].rows.map { $0.map(\.text) } == [
            ["exploitability", "nash-md", "eta=0.1", "omwu", "default", "1", "1", "0.25", "0.125", "—", "—", "—", "—", "1", "—"],
            ["win_rate_vs_reference", "nash-md", "eta=0.1", "omwu", "default", "10", "10", "0.9", "0.7", "∞", "—", "0", "0", "1", "nash-md"],
        ])
    }

    @Test func failedRuns() throws {
        let runs = Self.csv(RunsFile.header(), """
        aaaaaaaaaaaa,rps,nash-md,eta=0.1,0,0000000000000001,ok,,10,0,
        bbbbbbbbbbbb,rps,nash-md,eta=0.1,1,0000000000000002,failed,"non-finite exploitability, iteration 3",3,0,

        """)
        let dir = try Self.directory(["runs.csv": runs])
        defer { try? FileManager.default.removeItem(at: dir) }
        let (table, count) = try ResultReport.failedRuns(directory: dir, display: "R")
        #expect(count == 2)
        #expect(table.rows.map { $0.map(\.text) } == [["bbbbbbbbbbbb", "rps", "nash-md", "eta=0.1", "1", "non-finite exploitability, iteration 3"]])
        #expect(table.caption == "Failed runs (runs.csv, status failed): 1 of 2")
    }

    @Test func malformedCellIsOneLineError() throws {
        let dir = try Self.directory(["tests.csv": Self.csv(TestsFile.header(), "rps,exploitability,a,default,b,default,2,2,0.5x,1,,,,,0.5,,\n")])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try ResultReport.significanceTables(directory: dir, display: "R") } throws: { error in
            let text = "\(error)"
            return text.contains("R/tests.csv") && text.contains("mean_a") && text.contains("0.5x") && !text.contains("\n")
        }
    }

    @Test func provenance() throws {
        let manifest = """
        {"name": "x<y", "spec_file": "Experiments/x.json", "spec_hash": "h1", "results_hash": "h2", "tool_version": "0.9",
         "runs": {"planned": 4, "completed": 3, "failed": 1, "resumed": 0, "dropped": 0, "stale_rerun": 0},
         "bootstrap_samples": 1000,
         "select_by": {"metric": "exploitability", "goal": "min", "source": "spec", "spec_rule": "exploitability:min"},
         "inputs": [{"environment": "m", "parameter": "file", "path": "p.json", "sha256": "ab", "bytes": 12, "copy": "inputs/ab.json"}],
         "files": ["runs.csv"],
         "provenance": {"action": "sweep", "command": ["bench", "sweep", "x y"], "jobs": 2, "git_dirty": false, "gnuplot": null,
                        "code": {"harness": "abc", "algorithms": {"nash-md": "def"}}},
         "history": [{"action": "sweep", "started": "2026-01-01T00:00:00.000Z", "ended": "2026-01-01T00:00:01.000Z", "command": ["bench", "sweep", "x"]}]}
        """
        let dir = try Self.directory(["manifest.json": manifest])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tables = ResultReport.provenanceTables(try RecordedManifest.read(directory: dir))
        #expect(tables.map(\.id) == ["provenance-manifest", "provenance-latest", "provenance-inputs", "provenance-history"])
        #expect(tables[0].rows.map { $0.map(\.text) } == [
            ["experiment", "x<y"], ["spec file", "Experiments/x.json"], ["spec hash", "h1"], ["results hash", "h2"], ["tool version", "0.9"],
            ["runs planned", "4"], ["runs completed", "3"], ["runs failed", "1"], ["runs resumed", "0"], ["runs dropped", "0"],
            ["runs stale rerun", "0"], ["bootstrap samples", "1000"], ["best configuration", "lowest mean final exploitability, set by spec"],
        ])
        #expect(tables[1].rows.map { $0.map(\.text) } == [
            ["action", "sweep"], ["command", "bench sweep 'x y'"], ["jobs", "2"], ["git_dirty", "false"], ["gnuplot", "—"],
            ["code.harness", "abc"], ["code.algorithms.nash-md", "def"],
        ])
        #expect(tables[2].rows.map { $0.map(\.text) } == [["m", "file", "p.json", "ab", "12"]])
        #expect(tables[3].rows.map { $0.map(\.text) } == [["1", "sweep", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z", "bench sweep x"]])
    }

    // MARK: the page

    @Test func pageEscapesEverythingAndLoadsNothing() {
        let evil = "</title><script>alert('x')</script>"
        let report = ResultReport(
            name: evil, description: "<b>d</b>", provenance: [], headline: [], selection: "exploitability:min", significance: [],
            figures: [.init(id: "f1", caption: evil, svg: "<svg width=\"1\" height=\"1\"></svg>")],
            missingFigures: [.init(id: "f2<", reason: evil)],
            failures: ReportTable(id: "failed-runs", caption: "c", header: ["error"], rows: [[ReportCell(evil)]]), runCount: 1)
        let html = report.html
        #expect(!html.contains("<script"))
        #expect(html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; — AlignmentBench report</title>"))
        #expect(html.contains("<p>&lt;b&gt;d&lt;/b&gt;</p>"))
        #expect(html.contains("<li><code>f2&lt;</code>: &lt;/title&gt;"))
        #expect(html.contains("<figure id=\"figure-f1\">\n<svg width=\"1\" height=\"1\"></svg>\n<figcaption>&lt;/title&gt;"))
        for network in ["://", "src=", "<link", "<img", "@import", "url("] { #expect(!html.contains(network), "\(network)") }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(report.tableCount == 1)
        #expect(html.components(separatedBy: "<table").count - 1 == report.tableCount)
    }
}
