import Foundation
import Testing
@testable import Figures

/// A spec (and a results directory) is data, never code: titles, labels, environment names,
/// algorithm labels and configuration strings that try each of gnuplot's ways to reach a shell
/// must end up as text in the figure, and running the generated script must create no file.
@Suite("Figure scripts never execute user text")
struct ScriptInjectionTests {
    /// One attack per way gnuplot can run a command; each would create the marker file named in it
    /// (in the working directory of the gnuplot process) if it were executed.
    static let vectors: [String] = [
        "a\n! touch PWN01\n",                                    // shell escape line
        "b\nsystem \"touch PWN02\"\n",                           // system command
        "c `touch PWN03` d",                                     // backquote substitution
        "e\" . system(\"touch PWN04\") . \"",                     // break out of a double-quoted string
        "f' . system('touch PWN05') . '",                        // break out of a single-quoted string
        "g\nload \"< touch PWN06\"\n",                           // load from a pipe
        "h\nplot \"< touch PWN07\"\n",                           // plot from a pipe
        "i\nset print \"| touch PWN08\"\nprint 1\n",             // print to a pipe
        "j\nset output \"| touch PWN09\"\nplot x\n",              // output to a pipe
        "k\ncmd = \"system('touch PWN10')\"\n@cmd\n",           // macro expansion
        "l @cmd m",                                              // macro reference inside a label
        "n\rsystem(\"touch PWN12\")\r",                          // carriage returns
        "o\u{2028}system(\"touch PWN13\")\u{2029}",              // Unicode line/paragraph separators
        "p\u{202E}\u{2066}touch PWN14\u{2069}\u{202C}",          // bidirectional overrides/isolates
        "q\\\nsystem(\"touch PWN15\")",                          // continuation of the previous line
        "r\\",                                                   // trailing backslash (comment continuation)
        "s\u{0}t\u{1B}[31m\u{7F}\u{85}",                          // NUL, ESC, DEL, NEL
    ]

    /// The hostile text as a CSV field (RFC 4180).
    static func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Replaces `rps` (environment) and `nash-md` (algorithm label) in every results file with
    /// hostile names, and the configuration `eta=0.1 tau=0.1` with one that carries the attack.
    static func poison(_ fixture: Fixture, environment: String, algorithm: String, config: String) throws {
        let files = try FileManager.default.contentsOfDirectory(at: fixture.results, includingPropertiesForKeys: nil)
        for url in files where url.pathExtension == "csv" {
            var lines = try fixture.read(url).components(separatedBy: "\n")
            for k in lines.indices {
                var fields = lines[k].components(separatedBy: ",")
                for f in fields.indices {
                    if fields[f] == "rps" { fields[f] = csvField(environment) }
                    if fields[f] == "nash-md" { fields[f] = csvField(algorithm) }
                    if fields[f] == "eta=0.1 tau=0.1" { fields[f] = csvField("eta=0.1 tau=0.1 note=" + config) }
                }
                lines[k] = fields.joined(separator: ",")
            }
            try Data(lines.joined(separator: "\n").utf8).write(to: url)
        }
    }

    /// Files whose name starts with "PWN" anywhere under `root`.
    static func markers(under root: URL) -> [String] {
        let walker = FileManager.default.enumerator(atPath: root.path)
        var found: [String] = []
        while let p = walker?.nextObject() as? String {
            if (p as NSString).lastPathComponent.hasPrefix("PWN") { found.append(p) }
        }
        return found
    }

    /// Runs `gnuplot -e "formats='png'" <script>` with `directory` as working directory.
    static func runGnuplot(_ script: URL, in directory: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = Gnuplot.executable
        process.arguments = ["-e", "formats='png'", script.path]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("a hostile title, guide label, environment, algorithm label and config render as text",
          .enabled(if: Gnuplot.isAvailable, "gnuplot is not installed"),
          arguments: vectors.indices)
    func hostileTextIsInert(_ k: Int) throws {
        let attack = Self.vectors[k]
        let fixture = try Fixture("inject")
        defer { fixture.remove() }
        try fixture.writeAll()
        try Self.poison(fixture, environment: "env " + attack, algorithm: "alg " + attack, config: attack)
        let guide = FigureSpec.Guide(label: "guide " + attack, scale: 8, shift: 1, power: -1)
        let figures = [
            FigureSpec(id: "c", kind: .curves, metric: "regularized_gap", logY: true, title: "title " + attack, guides: [guide]),
            FigureSpec(id: "b", kind: .bars, metric: "exploitability", title: attack),
            FigureSpec(id: "h", kind: .heatmap, metric: "preference", title: attack),
            FigureSpec(id: "f", kind: .frontier, metric: "true_reward", x: "kl_to_reference", title: attack),
            FigureSpec(id: "l", kind: .lines, metric: "exploitability", x: "beta", logX: true, title: attack),
        ]
        let scripts = try FigureWriter.write(figures: figures, experiment: "demo",
                                             resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        for script in scripts {
            let text = try fixture.read(script)
            // No generated line starts with anything a user string could contribute raw.
            for line in text.components(separatedBy: "\n") {
                #expect(!line.hasPrefix("!") && !line.hasPrefix("system") && !line.hasPrefix("load")
                        && !line.hasPrefix("set print") && !line.hasPrefix("@") && !line.hasSuffix("\\\\"),
                        "\(script.lastPathComponent): \(line)")
            }
            #expect(!text.unicodeScalars.contains { FigureText.isUnsafe($0) && $0 != "\n" })
            let status = try Self.runGnuplot(script, in: fixture.root)
            #expect(status == 0, "\(script.lastPathComponent) failed to render")
            #expect(isPNG(script.deletingPathExtension().appendingPathExtension("png")))
        }
        let data = try fixture.read(fixture.plots.appendingPathComponent("c.dat"))
        #expect(!data.unicodeScalars.contains { FigureText.isUnsafe($0) && $0 != "\n" })
        #expect(Self.markers(under: fixture.root).isEmpty, "a command ran: \(Self.markers(under: fixture.root))")
    }

    @Test("unsafe characters are shown as \\u{XXXX}; quotes are doubled in single-quoted literals")
    func escaping() {
        #expect(GnuplotScript.quote("a\n! touch X") == "'a\\u{000A}! touch X'")
        #expect(GnuplotScript.quote("it's `x` @m") == "'it''s `x` @m'")
        #expect(GnuplotScript.quote("\u{202E}x\u{2069}") == "'\\u{202E}x\\u{2069}'")
        #expect(GnuplotScript.quote("\r\u{0}\u{7F}\u{85}\u{2028}\u{FEFF}") == "'\\u{000D}\\u{0000}\\u{007F}\\u{0085}\\u{2028}\\u{FEFF}'")
        #expect(GnuplotScript.comment("ends with \\") == "# ends with \\u{5C}")
        #expect(GnuplotScript.comment("x\ny") == "# x\\u{000A}y")
        #expect(FigureText.visible("plain ≻ text τ") == "plain ≻ text τ")
    }

    @Test("figure ids that are not plain file names are refused", arguments: [
        "", ".hidden", "a/b", "a\nb", "`touch X`", "a b", "$(x)", "a'b", "a\"b", "é", String(repeating: "a", count: 201),
    ])
    func badIds(_ id: String) throws {
        let fixture = try Fixture("badid")
        defer { fixture.remove() }
        try fixture.writeAll()
        #expect(throws: FiguresError.self) {
            _ = try FigureWriter.write(figures: [FigureSpec(id: id, kind: .bars, metric: "exploitability")], experiment: "demo",
                                       resultsDirectory: fixture.results, plotsDirectory: fixture.plots)
        }
    }

    @Test("a script in a directory named like a pipe still reads and writes files there",
          .enabled(if: Gnuplot.isAvailable, "gnuplot is not installed"))
    func pipeLikeDirectory() throws {
        let fixture = try Fixture("pipe")
        defer { fixture.remove() }
        try fixture.writeAll()
        let plots = fixture.root.appendingPathComponent("|touch PWNDIR")
        let scripts = try FigureWriter.write(figures: [FigureSpec(id: "b", kind: .bars, metric: "exploitability")],
                                             experiment: "demo", resultsDirectory: fixture.results, plotsDirectory: plots)
        // Run as `gnuplot '|touch PWNDIR/b.gp'` from the root: ARG0 starts with '|'.
        let process = Process()
        process.executableURL = Gnuplot.executable
        process.arguments = ["-e", "formats='png'", "|touch PWNDIR/b.gp"]
        process.currentDirectoryURL = fixture.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(isPNG(plots.appendingPathComponent("b.png")))
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("PWNDIR").path))
        _ = scripts
    }
}
