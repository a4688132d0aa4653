import Foundation

/// Runs the built `bench` executable in a directory and captures its output.
enum BenchProcess {
    /// The `bench` executable built with the tests: next to the test binary/bundle, or in the
    /// package's .build/debug.
    static let executable: URL? = {
        var dirs: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        dirs += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        // macOS: <products>/X.xctest/Contents/MacOS/X
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        dirs.append(package.appendingPathComponent(".build/debug"))
        for d in dirs {
            let candidate = d.appendingPathComponent("bench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// The result of one invocation.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `bench arguments` in `directory` with stdout/stderr redirected to files in
    /// `directory/.bench-process/` (removed with the test's working directory, so a test that
    /// kills the process leaves nothing in the system's temporary directory); `path` replaces
    /// `PATH` when given, `environment` adds variables.
    static func start(_ arguments: [String], in directory: URL, path: String? = nil,
                      environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = executable!
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["GNUPLOT"] = nil
        if let path { env["PATH"] = path }
        env.merge(environment) { $1 }
        process.environment = env
        let id = UUID().uuidString
        let captures = directory.appendingPathComponent(".bench-process", isDirectory: true)
        try FileManager.default.createDirectory(at: captures, withIntermediateDirectories: true)
        let out = captures.appendingPathComponent("out-\(id)")
        let err = captures.appendingPathComponent("err-\(id)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Runs `bench arguments` in `directory` to completion.
    /// - Parameter path: replaces `PATH` (e.g. to hide gnuplot).
    /// - Parameter environment: more environment variables for the process.
    static func run(_ arguments: [String], in directory: URL, path: String? = nil,
                    environment: [String: String] = [:]) throws -> Output {
        let (process, out, err) = try start(arguments, in: directory, path: path, environment: environment)
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        return Output(status: process.terminationStatus,
                      stdout: try String(contentsOf: out, encoding: .utf8),
                      stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// A fresh temporary working directory with an Experiments/ folder.
func workingDirectory(_ tag: String = #function) throws -> URL {
    let safe = tag.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("bench-cli-\(safe)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url.appendingPathComponent("Experiments"), withIntermediateDirectories: true)
    return url
}

/// Writes a spec to Experiments/<name>.json.
func writeSpec(_ text: String, name: String, in dir: URL) throws {
    try text.write(to: dir.appendingPathComponent("Experiments/\(name).json"), atomically: true, encoding: .utf8)
}

/// The first line of a CSV file, split at commas (headers have no quoted fields).
func header(_ url: URL) throws -> [String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.prefix { $0 != "\n" }.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
}
