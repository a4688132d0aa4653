import Foundation
import Testing

/// `bench report` end to end: a real sweep through the built binary, its report loaded in a real
/// headless browser (Debian's chromium, installed by scripts/setup.sh), which must show every
/// figure and every table with no console error; the bytes are the same when written again; bad
/// directories are one-line errors that leave nothing behind.
@Suite(.serialized)
struct ReportBrowserTests {
    /// Two environments, a grid, an algorithm whose runs fail numerically (DPO, IPO loss, SGD at
    /// learning rate 1e10 diverges on the Bradley–Terry game), three figures, a description
    /// with HTML-special characters.
    static let spec = """
    {"name": "rep", "description": "A <small> report & its \\"checks\\"",
     "environments": [{"id": "rps", "kind": "cyclic"}, {"id": "bt", "kind": "bradley-terry", "actions": 4}],
     "budget": {"iterations": 40}, "record_every": 10, "seeds": 3,
     "algorithms": [{"id": "nash-md", "grid": {"eta": [0.1, 0.3]}}, {"id": "omwu"},
                    {"id": "dpo", "label": "dpo-diverges", "params": {"optimizer": "sgd", "loss": "ipo", "learning_rate": 1e10}}],
     "figures": [{"id": "curves", "kind": "curves", "metric": "exploitability"},
                 {"id": "bars", "kind": "bars", "metric": "exploitability"},
                 {"id": "heatmap", "kind": "heatmap", "metric": "win_rate_vs_reference", "title": "P(row ≻ column) <&>"}]}
    """

    /// The tables the page of `spec` has: provenance (manifest, latest invocation, history), the
    /// headline and the tests of each environment, and the failed runs.
    static let tableIDs = ["provenance-manifest", "provenance-latest", "provenance-history", "headline-rps", "headline-bt",
                           "tests-rps", "tests-bt", "failed-runs"]

    /// Chromium's executable (`$CHROMIUM`, else `chromium` or `chromium-browser` on PATH), or nil.
    static var chromium: URL? {
        let env = ProcessInfo.processInfo.environment
        if let c = env["CHROMIUM"], FileManager.default.isExecutableFile(atPath: c) { return URL(fileURLWithPath: c) }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Chromium, or nil after saying why: in CI (`CI` set) its absence is a failure, since
    /// scripts/setup.sh installs it; locally the browser tests are skipped with a loud message.
    static func requireChromium() -> URL? {
        if let c = chromium { return c }
        let message = "chromium is not installed: the report's browser tests cannot run (scripts/setup.sh installs it: apt-get install chromium)"
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record(Comment(rawValue: message))
        } else {
            print(String(repeating: "#", count: 80) + "\n# SKIPPED: " + message + "\n" + String(repeating: "#", count: 80))
        }
        return nil
    }

    /// Loads `file` in headless chromium and returns its DOM after load and the console messages
    /// chromium logged (`--enable-logging=stderr --v=0` prints each as an `INFO:CONSOLE` line).
    static func load(_ file: URL, chromium: URL) throws -> (dom: String, console: [String]) {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("report-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = chromium
        // CI runs as root, where chromium needs --no-sandbox.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                             "--enable-logging=stderr", "--v=0", "--dump-dom", file.absoluteString]
        let out = profile.appendingPathExtension("dom"), err = profile.appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = try String(contentsOf: err, encoding: .utf8)
        #expect(process.terminationStatus == 0, "chromium: \(log)")
        let dom = try String(contentsOf: out, encoding: .utf8)
        let console = log.split(separator: "\n").map(String.init).filter { $0.contains("CONSOLE") }
        return (dom, console)
    }

    /// The number of non-overlapping occurrences of `needle`.
    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theConsoleCheckSeesABrokenScript() throws {
        guard let chromium = Self.requireChromium() else { return }
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("broken.html")
        try "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><table id=\"x\"></table><script>notDefined();</script></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let (dom, console) = try Self.load(page, chromium: chromium)
        #expect(dom.contains("<table id=\"x\">"))
        #expect(console.count == 1 && console[0].contains("notDefined is not defined"), "\(console)")
    }

    @Test func sweepWritesAReportThatLoadsWithEveryFigureAndTable() throws {
        guard let chromium = Self.requireChromium() else { return }
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "rep", in: dir)
        let sweep = try BenchProcess.run(["sweep", "rep", "--jobs", "2", "--bootstrap", "100"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(sweep.stdout.contains("\nreport: Plots/rep/report.html (3 figures, 8 tables)\n"), "\(sweep.stdout)")
        let file = dir.appendingPathComponent("Plots/rep/report.html")
        let html = try String(contentsOf: file, encoding: .utf8)
        // Self-contained: nothing to fetch, no code.
        for forbidden in ["://", "src=", "<link", "<script", "<img", "@import", "url(http"] {
            #expect(!html.contains(forbidden), "the report contains \(forbidden)")
        }
        #expect(html.contains("<p>A &lt;small&gt; report &amp; its &quot;checks&quot;</p>"))

        let (dom, console) = try Self.load(file, chromium: chromium)
        #expect(console.isEmpty, "\(console)")
        #expect(Self.count("<svg", in: dom) == 3, "one inline SVG per figure")
        for figure in ["curves", "bars", "heatmap"] {
            #expect(dom.contains("<figure id=\"figure-\(figure)\">\n<svg"), "\(figure)")
        }
        #expect(dom.contains("<figcaption>heatmap: heatmap of win_rate_vs_reference — P(row ≻ column) &lt;&amp;&gt;</figcaption>"))
        #expect(Self.count("<table id=", in: dom) == Self.tableIDs.count)
        for id in Self.tableIDs { #expect(dom.contains("<table id=\"\(id)\">"), "\(id)") }
        for section in ["provenance", "headline", "significance", "figures", "failures"] {
            #expect(dom.contains("<section id=\"\(section)\">"), "\(section)")
        }
        // The failed runs are listed with their error; every run of the diverging label failed on bt.
        let failures = dom.components(separatedBy: "<table id=\"failed-runs\">")[1].components(separatedBy: "</table>")[0]
        let runs = try String(contentsOf: dir.appendingPathComponent("Results/rep/runs.csv"), encoding: .utf8)
        let failedRuns = runs.split(separator: "\n").filter { $0.contains(",failed,") }
        #expect(!failedRuns.isEmpty)
        #expect(Self.count("<tr><td>", in: failures) == failedRuns.count)
        for line in failedRuns { #expect(failures.contains("<td>\(line.prefix(12))</td>"), "\(line)") }

        // `bench report` writes the same bytes again (no clock, no path of its own).
        let again = try BenchProcess.run(["report", "Results/rep", "--output", "again.html"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "report: again.html (3 figures, 8 tables)\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("again.html")) == Data(contentsOf: file))
    }

    @Test func noReportAndMerge() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "rep", in: dir)
        let sweep = try BenchProcess.run(["sweep", "rep", "--bootstrap", "0", "--no-report", "--plots", "P"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(!sweep.stdout.contains("report:"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("P/report.html").path))
        for k in 1...2 {
            let shard = try BenchProcess.run(["sweep", "rep", "--shard", "\(k)/2", "--out", "S", "--bootstrap", "0"], in: dir)
            #expect(shard.status == 0, "\(shard.stderr)")
            #expect(!shard.stdout.contains("report:"))
        }
        let merge = try BenchProcess.run(["merge", "S", "--plots", "MP", "--bootstrap", "0"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("\nreport: MP/report.html ("), "\(merge.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("MP/report.html").path))
    }

    @Test(arguments: [
        ("Results/none", "error: Results/none/: no such results directory; run `bench sweep <spec>` first (or give the directory it wrote with --out)\n"),
        ("half", "error: half/: incomplete results, summary.csv is missing; a report needs manifest.json, runs.csv, summary.csv, "
            + "pairwise.csv, tests.csv (written by `bench sweep`, or by `bench merge` once every shard is done)\n"),
    ])
    func missingOrIncompleteResultsAreOneLineAndWriteNothing(_ argument: String, _ message: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "rep", in: dir)
        let sweep = try BenchProcess.run(["sweep", "rep", "--bootstrap", "0", "--no-report"], in: dir, path: "/nonexistent")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let half = dir.appendingPathComponent("half")
        try FileManager.default.createDirectory(at: half, withIntermediateDirectories: true)
        for file in ["manifest.json", "runs.csv", "spec.json"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent("Results/rep/\(file)"), to: half.appendingPathComponent(file))
        }
        let out = try BenchProcess.run(["report", argument, "--plots", "R"], in: dir)
        #expect(out.status == 9, "\(out.stderr)")  // BenchExitCode.results
        #expect(out.stderr == message)
        #expect(out.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("R").path))
    }
}
