import Foundation
import Testing

/// End-to-end security of `bench` (issue 9 §4): a spec is data, never code, and a shared results
/// directory cannot make a sweep write through a planted link.
@Suite(.serialized)
struct BenchSecurityTests {
    static let victimBytes = Data("victim: these bytes must survive\n".utf8)

    /// A title that tries a shell escape is refused at validation (exit 3, one line, the newline
    /// shown escaped); nothing is created and no command runs.
    @Test func titleWithAShellLineIsRefused() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = BenchCLITests.small.replacingOccurrences(
            of: #""by": ["environment", "algorithm"]}"#,
            with: #""by": ["environment", "algorithm"], "title": "Gap\n! touch PWNED\nsystem \"touch PWNED2\""}"#)
        try writeSpec(spec, name: "small", in: dir)
        for command in ["validate", "sweep"] {
            let out = try BenchProcess.run([command, "small"], in: dir)
            BenchReliabilityTests.expectFailure(out, status: 3, stderr: #"error: Experiments/small.json: $.figures[0].title: the text "Gap\n! touch PWNED\nsystem \"touch PWNED2\"" contains the character U+000A; allowed: text without control characters (U+0000–U+001F, U+007F–U+009F), line or paragraph separators (U+2028, U+2029) or format characters such as bidirectional overrides (U+202A–U+202E, U+2066–U+2069)"# + "\n")
        }
        #expect(!BenchReliabilityTests.exists(dir, "Results"))
        #expect(!BenchReliabilityTests.exists(dir, "Plots"))
        #expect(!BenchReliabilityTests.exists(dir, "PWNED"))
        #expect(!BenchReliabilityTests.exists(dir, "PWNED2"))
    }

    /// A `.sweep.lock` that is a symbolic link is refused with exit 4 naming it; the file it points
    /// to keeps its bytes. The same for a planted `runs.csv` link (refused when the files are written,
    /// after the runs are journaled).
    @Test(arguments: [(".sweep.lock", "Results/small/.sweep.lock"), ("runs.csv", "Results/small/runs.csv")])
    func symbolicLinkInResultsIsRefused(_ name: String, _ shown: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let victim = dir.appendingPathComponent("victim.txt")
        try Self.victimBytes.write(to: victim)
        let results = dir.appendingPathComponent("Results/small")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: results.appendingPathComponent(name), withDestinationURL: victim)
        // An empty journal makes the directory a sweep's (without one, a planted runs.csv is
        // refused before any run as a foreign file: `foreignResultFilesAreNotOverwritten`).
        if name == "runs.csv" { try Data().write(to: results.appendingPathComponent("journal.jsonl")) }
        let out = try BenchProcess.run(["sweep", "small", "--bootstrap", "0"], in: dir)
        #expect(out.status == 4, "\(out.stderr)")
        #expect(out.stderr.hasSuffix("error: \(shown): is a symbolic link; refusing to write through it\n"), "\(out.stderr)")
        #expect(try Data(contentsOf: victim) == Self.victimBytes)
    }
}
