import Foundation
import Testing

/// Every command that draws figures or writes a report into a figures directory refuses one holding
/// a user's files of the names it would write (`PlotsDirectory`), before writing anything, with
/// status 9 and one line; its own files (a re-run) and files of other names are fine.
@Suite(.serialized)
struct ForeignPlotsCLITests {
    /// A command writing into the figures directory "mine", and what it writes there.
    struct Command: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        /// The report file it writes into "mine" (nil: none).
        var report: String?
        /// Needs the results of `bench sweep small` in Results/small first.
        var needsResults: Bool
        var testDescription: String { name }
    }

    static let commands: [Command] = [
        Command(name: "sweep", arguments: ["sweep", "small", "--bootstrap", "0", "--out", "fresh", "--plots", "mine"],
                report: "report.html", needsResults: false),
        Command(name: "figures", arguments: ["figures", "small", "--plots", "mine"], report: nil, needsResults: true),
        Command(name: "summarize", arguments: ["summarize", "Results/small", "--bootstrap", "0", "--plots", "mine"],
                report: "report.html", needsResults: true),
        Command(name: "merge", arguments: ["merge", "Results/small", "--bootstrap", "0", "--plots", "mine"],
                report: "report.html", needsResults: true),
        Command(name: "report", arguments: ["report", "Results/small", "--plots", "mine"], report: "report.html", needsResults: true),
        Command(name: "paper", arguments: ["paper", "--specs", "Experiments", "--results", "fresh", "--plots", "mine", "--bootstrap", "0"],
                report: "report-small.html", needsResults: false),
        Command(name: "slurm", arguments: ["slurm", "small", "--shards", "2", "--out", "fresh", "--plots", "mine"],
                report: "report.html", needsResults: false),
    ]

    /// A user's file planted in "mine" and whether the command must refuse it.
    enum Planted: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// exploitability.png without a script next to it.
        case picture
        /// exploitability.gp without bench's generator line (and its .dat).
        case script
        /// A user's page under the report's name.
        case page
        var testDescription: String { rawValue }
    }

    /// The files (name → bytes) of a directory, recursively; empty when it does not exist.
    static func snapshot(_ url: URL) -> [String: Data] {
        guard let e = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { return [:] }
        var files: [String: Data] = [:]
        for case let f as URL in e {
            if let d = try? Data(contentsOf: f) { files[String(f.path.dropFirst(url.path.count))] = d }
        }
        return files
    }

    /// A working directory with Experiments/small.json and, when asked, the results of a sweep in
    /// Results/small (figures and report in Plots/small).
    static func setUp(results: Bool, tag: String = #function) throws -> URL {
        let dir = try workingDirectory(tag)
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        if results {
            let out = try BenchProcess.run(["sweep", "small", "--bootstrap", "0", "--jobs", "2"], in: dir)
            #expect(out.status == 0, "\(out.stderr)")
        }
        return dir
    }

    @Test(arguments: commands, Planted.allCases)
    func foreignFilesAreRefusedBeforeAnythingIsWritten(_ command: Command, _ planted: Planted) throws {
        let dir = try Self.setUp(results: command.needsResults)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("notes\n".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        let foreign: [String]
        switch planted {
        case .picture:
            try Data("my picture".utf8).write(to: mine.appendingPathComponent("exploitability.png"))
            foreign = command.name == "report" ? [] : ["exploitability.png"]
        case .script:
            try Data("# my plot\nplot sin(x)\n".utf8).write(to: mine.appendingPathComponent("exploitability.gp"))
            try Data("1 2\n".utf8).write(to: mine.appendingPathComponent("exploitability.dat"))
            foreign = command.name == "report" ? [] : ["exploitability.gp", "exploitability.dat"]
        case .page:
            let name = command.report ?? "report.html"
            try Data("<html>my page</html>\n".utf8).write(to: mine.appendingPathComponent(name))
            foreign = command.report == nil ? [] : [name]
        }
        let resultsBefore = Self.snapshot(dir.appendingPathComponent("Results"))
        let before = Self.snapshot(mine)
        let out = try BenchProcess.run(command.arguments, in: dir)
        guard !foreign.isEmpty else {
            // This command writes none of the planted names: it works, and leaves them alone.
            #expect(out.status == 0, "\(out.stderr)")
            for (name, bytes) in before { #expect(Self.snapshot(mine)[name] == bytes, "\(name)") }
            return
        }
        let them = foreign.count == 1 ? "it" : "them"
        let option = "--plots"
        BenchReliabilityTests.expectFailure(out, status: 9, stderr: "error: mine: holds \(foreign.joined(separator: ", ")), which bench did not "
            + "write (its figure files sit next to an <id>.gp script with its generator line, its reports carry its note), and bench "
            + "would overwrite or remove \(them); choose another \(option) or move \(them) away\n")
        #expect(Self.snapshot(mine) == before)
        // Refused before anything ran: no results anywhere, those present unchanged.
        #expect(!BenchReliabilityTests.exists(dir, "fresh"))
        #expect(Self.snapshot(dir.appendingPathComponent("Results")) == resultsBefore)
    }

    /// `--no-report` writes no report, so a user's report.html is no obstacle and is kept.
    @Test(arguments: ["sweep", "summarize", "merge"])
    func aForeignReportIsFineWithoutReport(_ name: String) throws {
        let command = try #require(Self.commands.first { $0.name == name })
        let dir = try Self.setUp(results: command.needsResults)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("<html>my page</html>\n".utf8).write(to: mine.appendingPathComponent("report.html"))
        let out = try BenchProcess.run(command.arguments + ["--no-report"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try Data(contentsOf: mine.appendingPathComponent("report.html")) == Data("<html>my page</html>\n".utf8))
        #expect(BenchReliabilityTests.exists(dir, "mine/exploitability.gp"))
    }

    /// `bench report --output FILE` does not overwrite a user's file either (and names --output).
    @Test func reportOutputRefusesAForeignFile() throws {
        let dir = try Self.setUp(results: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("mine\n".utf8).write(to: dir.appendingPathComponent("page.html"))
        let out = try BenchProcess.run(["report", "Results/small", "--output", "page.html"], in: dir)
        BenchReliabilityTests.expectFailure(out, status: 9, stderr: "error: \(dir.standardizedFileURL.path): holds page.html, which bench did not "
            + "write (its figure files sit next to an <id>.gp script with its generator line, its reports carry its note), and bench "
            + "would overwrite or remove it; choose another --output or move it away\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("page.html")) == Data("mine\n".utf8))
        // Its own page is rewritten.
        let own = try BenchProcess.run(["report", "Results/small", "--output", "own.html"], in: dir)
        #expect(own.status == 0, "\(own.stderr)")
        let again = try BenchProcess.run(["report", "Results/small", "--output", "own.html"], in: dir)
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// Every command re-run into a figures directory holding only bench's own files and a file of
    /// another name works as before, and leaves that file alone.
    @Test func ownFilesAreRewritten() throws {
        let dir = try Self.setUp(results: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("notes\n".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        for args in [["sweep", "small", "--bootstrap", "0", "--plots", "mine"], ["sweep", "small", "--bootstrap", "0", "--plots", "mine"],
                     ["figures", "small", "--plots", "mine", "--format", "png,svg,pdf"], ["summarize", "Results/small", "--plots", "mine"],
                     ["merge", "Results/small", "--bootstrap", "0", "--plots", "mine"], ["report", "Results/small", "--plots", "mine"],
                     ["slurm", "small", "--shards", "2", "--plots", "mine"]] {
            let out = try BenchProcess.run(args, in: dir)
            #expect(out.status == 0, "\(args): \(out.stderr)")
        }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: mine.path))
        #expect(names.isSuperset(of: ["exploitability.gp", "exploitability.dat", "exploitability.png", "report.html", "notes.txt"]))
        #expect(try Data(contentsOf: mine.appendingPathComponent("notes.txt")) == Data("notes\n".utf8))
        // The paper's layout (report-<name>.html) re-run in place.
        for _ in 0..<2 {
            let out = try BenchProcess.run(["paper", "--specs", "Experiments", "--results", "paperresults", "--plots", "mine", "--bootstrap", "0"], in: dir)
            #expect(out.status == 0, "\(out.stderr)")
        }
        #expect(BenchReliabilityTests.exists(dir, "mine/report-small.html"))
    }
}
