import Foundation
import Testing

/// Peak memory of `bench sweep` does not grow with the checkpoints of a run (they stream to
/// scratch files, the journal and the result files), measured through the real binary with GNU
/// time's maximum resident set size; and the per-run limit's one-line error.
struct StreamingMemoryCLITests {
    static func spec(iterations: Int) -> String {
        """
        {"name": "long", "environments": [{"id": "g", "kind": "random", "actions": 10, "seed": 1}],
         "budget": {"iterations": \(iterations)}, "record_every": 1, "seeds": 1,
         "algorithms": [{"id": "nash-md", "params": {"tau": 0.1, "eta": 0.1}}]}
        """
    }

    /// Peak RSS in kB of `bench sweep long` for a run of `iterations` iterations recorded every
    /// iteration, and the line count of its curves.csv.
    static func peak(iterations: Int) throws -> (kB: Int, curveLines: Int) {
        let dir = try workingDirectory("streaming\(iterations)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(spec(iterations: iterations), name: "long", in: dir)
        let report = dir.appendingPathComponent("time.txt")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%M", "-o", report.path, BenchProcess.executable!.path, "sweep", "long", "--bootstrap", "0", "--jobs", "1", "--no-report"]
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(["PATH": "/nonexistent"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let kB = try #require(Int(String(contentsOf: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let curves = try String(contentsOf: dir.appendingPathComponent("Results/long/curves.csv"), encoding: .utf8)
        // No scratch directory is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Results/long").path)
        #expect(!left.contains { $0.hasPrefix(".scratch-") }, "\(left)")
        return (kB, curves.split(separator: "\n").count)
    }

    /// 1,000 against 40,000 checkpoints. Holding the checkpoints cost about 2.1 kB each before
    /// (README, "Performance": 134 MB for 50,001), i.e. about 80 MB more for the longer run;
    /// streamed, the difference is a few MB of buffers (measured 0–3 MB). The bound, 20 MB, is a
    /// quarter of the old growth.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func peakMemoryIsFlatInTheCheckpoints() throws {
        let short = try Self.peak(iterations: 1_000)
        let long = try Self.peak(iterations: 40_000)
        #expect(short.curveLines == 1 + 1_001)
        #expect(long.curveLines == 1 + 40_001)
        #expect(long.kB - short.kB < 20_000, "peak RSS \(short.kB) kB for 1,001 checkpoints, \(long.kB) kB for 40,001")
    }
}
