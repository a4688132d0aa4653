import Foundation
import Testing

/// A code change is detected by really rebuilding (issue 9 §1): the package is copied to a scratch
/// folder, `bench` is built there, a sweep runs; then a plugin source, a harness source and a store
/// source are edited in turn and `bench` is rebuilt. The sweep must refuse the stale runs (exit 6,
/// naming the plugin or the harness), `--extend` must re-run exactly them, and a change outside the
/// harness (the result store) must leave every run reusable.
///
/// The copy and its build live in `.build-codechange/` (ignored by git) so that later runs build
/// incrementally; the first build takes a few minutes on 2 cores.
@Suite(.serialized)
struct CodeChangeDetectionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let work = root.appendingPathComponent(".build-codechange")
    static let package = work.appendingPathComponent("package")
    static let scratch = work.appendingPathComponent("build")
    static let spec = """
    {"name": "cc", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.8}],
     "reference": {"kind": "given", "probabilities": [0.6, 0.3, 0.1]},
     "budget": {"iterations": 40}, "seeds": 2, "tau": 0.1,
     "algorithms": [{"id": "mmd"}, {"id": "extragradient"}]}
    """

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = "/opt/swift/usr/bin:" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let out = work.appendingPathComponent("out-\(UUID().uuidString)"), err = work.appendingPathComponent("err-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
              FileManager.default.createFile(atPath: err.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: work.path])
        }
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// Copies Package.swift, Sources, Benchmarks, Plugins and Tests (modification times kept, so an
    /// unchanged file is not recompiled) over a clean copy (the manifest names the Benchmarks
    /// targets, so the copy needs their folders even though only `bench` is built).
    static func copyPackage() throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: package)
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        let copy = try run("/bin/cp", ["-a", "Package.swift", "Sources", "Benchmarks", "Plugins", "Tests", package.path], in: root)
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    static func build() throws {
        let b = try run("/usr/bin/env", ["swift", "build", "--product", "bench", "--scratch-path", scratch.path], in: package)
        #expect(b.status == 0, "swift build failed:\n\(b.stdout.suffix(3000))\n\(b.stderr.suffix(3000))")
    }

    static func bench(_ arguments: [String], in dir: URL) throws -> Output {
        try run(scratch.appendingPathComponent("debug/bench").path, arguments, in: dir)
    }

    /// Appends a comment to a source file of the copy (a real source change; behaviour unchanged).
    static func touch(_ relative: String) throws {
        let url = package.appendingPathComponent(relative)
        var text = try String(contentsOf: url, encoding: .utf8)
        text += "\n// edited by CodeChangeDetectionTests \(UUID().uuidString)\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func editingAPluginOrTheHarnessMakesItsRunsStale() throws {
        try Self.copyPackage()
        try Self.build()
        let dir = Self.work.appendingPathComponent("experiment")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Experiments"), withIntermediateDirectories: true)
        try Self.spec.write(to: dir.appendingPathComponent("Experiments/cc.json"), atomically: true, encoding: .utf8)
        let first = try Self.bench(["sweep", "cc", "--bootstrap", "0"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let runs = try Data(contentsOf: dir.appendingPathComponent("Results/cc/runs.csv"))

        // 1. A plugin's source: only that plugin's runs are stale.
        try Self.touch("Sources/Algorithms/MMD/MagneticMirrorDescentAlgorithm.swift")
        try Self.build()
        let plugin = try Self.bench(["sweep", "cc", "--bootstrap", "0"], in: dir)
        #expect(plugin.status == 6)
        #expect(plugin.stderr == "error: Results/cc: 2 of the 4 runs done are stale: 2 runs of mmd (its source (MMD) changed since they were computed); rerun with --extend to re-run exactly these 2 runs and keep the other 2, or with --fresh to delete these results and start over\n")
        let extended = try Self.bench(["sweep", "cc", "--bootstrap", "0", "--extend"], in: dir)
        #expect(extended.stdout.hasPrefix("cc: 4 runs (2 executed, 2 resumed, 2 stale re-run) in "), "\(extended.stdout) \(extended.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("Results/cc/runs.csv")) == runs, "a comment changes no number")

        // 2. A file of the result store (outside the harness): every run is still reused.
        try Self.touch("Sources/Sweep/Store/SweepProgress.swift")
        try Self.build()
        let store = try Self.bench(["sweep", "cc", "--bootstrap", "0"], in: dir)
        #expect(store.status == 0 && store.stdout.hasPrefix("cc: 4 runs (0 executed, 4 resumed) in "), "\(store.stdout) \(store.stderr)")

        // 3. A harness file: every run is stale.
        try Self.touch("Sources/Sweep/Execution/RunExecutor.swift")
        try Self.build()
        let harness = try Self.bench(["sweep", "cc", "--bootstrap", "0"], in: dir)
        #expect(harness.status == 6)
        #expect(harness.stderr.hasPrefix("error: Results/cc: 4 of the 4 runs done are stale: 4 runs (the harness's source (environments, metrics, solvers, recording) changed since they were computed)"), "\(harness.stderr)")
        let rerun = try Self.bench(["sweep", "cc", "--bootstrap", "0", "--extend"], in: dir)
        #expect(rerun.stdout.hasPrefix("cc: 4 runs (4 executed, 0 resumed, 4 stale re-run) in "), "\(rerun.stdout) \(rerun.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("Results/cc/runs.csv")) == runs)
    }
}
