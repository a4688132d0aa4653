import Foundation
import Testing
@testable import Sweep

/// Files the sweep writes or truncates are never opened through a symbolic link: a link planted
/// in a shared results directory is refused (status 4, one line naming it) or, for a temporary
/// file, replaced — and the file it points to keeps every byte.
struct SymlinkSafetyTests {
    static let victimBytes = Data("victim: these bytes must survive\n".utf8)

    /// A directory with a victim file outside the results directory `out`.
    static func setUp() throws -> (root: URL, out: URL, victim: URL) {
        let root = try temporaryDirectory()
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let victim = root.appendingPathComponent("victim.txt")
        try victimBytes.write(to: victim)
        return (root, out, victim)
    }

    static func sweep(_ out: URL) throws {
        var options = SweepOptions(jobs: 2, resultsDirectory: out, bootstrapSamples: 200)
        options.displayDirectory = "Results/runner"
        _ = try SweepRunner.run(try testSpec(SweepRunnerTests.text), options: options)
    }

    /// A link at each file the sweep writes is refused with its one-line message; the victim is
    /// unchanged. The journal is named by its path, the other files under the display directory.
    @Test(arguments: [".sweep.lock", "journal.jsonl", "runs.csv", "summary.csv", "manifest.json", "frontier.csv"])
    func linkAtAWrittenFileIsRefused(_ name: String) throws {
        let (root, out, victim) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent(name), withDestinationURL: victim)
        // An empty journal makes the directory a sweep's; without one a planted result file is
        // refused before any run as a foreign file (`StoreSession.refuseForeignFiles`).
        if name.hasSuffix(".csv") { try Data().write(to: out.appendingPathComponent("journal.jsonl")) }
        let shown = name == "journal.jsonl" ? out.appendingPathComponent(name).path : "Results/runner/" + name
        #expect(throws: SweepError.io(path: shown, message: "is a symbolic link; refusing to write through it")) {
            try Self.sweep(out)
        }
        #expect(try bytes(victim) == Self.victimBytes)
        #expect(SweepError.io(path: shown, message: FileIO.symbolicLinkMessage).exitCode == .io)
    }

    /// A link planted at a temporary file is removed and a fresh file created in its place: the
    /// sweep succeeds and the victim is unchanged.
    @Test(arguments: [".runs.csv.tmp", ".journal.jsonl.tmp", ".manifest.json.tmp"])
    func linkAtATemporaryFileIsNotFollowed(_ name: String) throws {
        let (root, out, victim) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent(name), withDestinationURL: victim)
        try Self.sweep(out)
        #expect(try bytes(victim) == Self.victimBytes)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("runs.csv").path))
    }

    /// `writeAtomically` on its own: a dangling link at the temporary path (which `O_CREAT` alone
    /// would follow and create) and a link at the destination.
    @Test func atomicWriterNeverFollowsLinks() throws {
        let (root, out, victim) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: root) }
        let dangling = root.appendingPathComponent("created-through-link")
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent(".a.csv.tmp"), withDestinationURL: dangling)
        try ResultStore.writeAtomically("x\n", to: out.appendingPathComponent("a.csv"))
        #expect(!FileManager.default.fileExists(atPath: dangling.path))
        #expect(try String(contentsOf: out.appendingPathComponent("a.csv"), encoding: .utf8) == "x\n")
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("b.csv"), withDestinationURL: victim)
        #expect(throws: SweepError.io(path: out.appendingPathComponent("b.csv").path, message: "is a symbolic link; refusing to write through it")) {
            try ResultStore.writeAtomically("y\n", to: out.appendingPathComponent("b.csv"))
        }
        #expect(try bytes(victim) == Self.victimBytes)
    }
}
