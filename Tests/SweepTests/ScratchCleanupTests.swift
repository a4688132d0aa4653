import Foundation
import Testing
@testable import Sweep

/// Scratch directories left by killed sweeps: removed by the next sweep on the same host, even one
/// with nothing left to run; another host's (a shard on another node sharing the directory) never.
struct ScratchCleanupTests {
    /// The pid of a process that has exited (a finished `/bin/true`), so `kill(pid, 0)` fails with
    /// ESRCH unless the pid was reused in the meantime.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func removesOnlyThisHostsDeadProcesses() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = try Self.deadPID()
        let names = [
            ScratchDirectory.name(host: ScratchDirectory.host, pid: dead),        // this host, dead: removed
            ScratchDirectory.name(host: "node_7", pid: dead),                     // another host: kept
            ScratchDirectory.name(host: ScratchDirectory.host, pid: getpid()),    // this process: kept
            ScratchDirectory.name(host: ScratchDirectory.host, pid: 1),           // a live process (init): kept
            ScratchDirectory.prefix + String(dead),                               // the old form, dead here: removed
        ]
        for n in names { try FileManager.default.createDirectory(at: dir.appendingPathComponent(n), withIntermediateDirectories: true) }
        ScratchDirectory.removeStale(in: dir)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == [names[1], names[2], names[3]], "dead pid \(dead), host \(ScratchDirectory.host)")
    }

    /// The host part never contains "-" (so the pid is what follows the last one) and is not empty.
    @Test func hostPartIsParseable() {
        #expect(!ScratchDirectory.host.isEmpty && !ScratchDirectory.host.contains("-") && !ScratchDirectory.host.contains("/"))
    }

    /// A finished sweep's directory with a dead process's scratch left in it: resuming (nothing to
    /// execute, so no scratch of its own) removes it.
    @Test func aResumeWithNothingToRunRemovesStaleScratch() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try ExperimentSpec.parse("""
            {"name": "scratch", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 5},
             "seeds": 2, "algorithms": [{"id": "nash-md"}]}
            """, file: "spec.json", catalog: testCatalog)
        let options = SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0)
        _ = try SweepRunner.run(spec, options: options)
        let stale = dir.appendingPathComponent(ScratchDirectory.name(host: ScratchDirectory.host, pid: try Self.deadPID()))
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        let again = try SweepRunner.run(spec, options: options)
        #expect(again.executed == 0)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }
}
