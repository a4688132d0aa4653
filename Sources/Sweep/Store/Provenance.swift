import AlignmentCore
import BuildProvenance
import Figures
import Foundation

/// What one invocation of `bench` that wrote a results directory was: the command line, the host,
/// when it ran, with how many jobs, and the build and libraries that computed the numbers
/// (issue 9 §2). `manifest.json` keeps the latest under "provenance" and appends every invocation to
/// "history", so what the first invocation recorded is never overwritten.
public struct Invocation: Sendable {
    /// The command line (`CommandLine.arguments`).
    public var arguments: [String]
    /// The parallel jobs of a sweep (nil for commands that run nothing).
    public var jobs: Int?
    /// When the invocation started.
    public var started: Date

    /// Creates a description of the current process's invocation.
    public init(arguments: [String] = CommandLine.arguments, jobs: Int? = nil, started: Date = Date()) {
        self.arguments = arguments
        self.jobs = jobs
        self.started = started
    }

    /// ISO 8601 in UTC with milliseconds, e.g. "2026-11-29T17:05:03.250Z".
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// The provenance object: command, host, times, jobs, git commit and dirty flag, build
    /// configuration, compiler, library versions and code fingerprints (full SHA-256).
    /// - Parameters:
    ///   - spec: the experiment (its algorithms' code fingerprints are listed by label).
    ///   - action: what the invocation did ("sweep", "summarize", …).
    ///   - extra: further members (run counts, selection rule).
    func json(spec: ExperimentSpec, action: String, extra: [JSONMember] = []) -> JSONValue {
        var algorithms: [JSONMember] = []
        for a in spec.algorithms where !algorithms.contains(where: { $0.key == a.label }) {
            if let p = a.points.first {
                algorithms.append(JSONMember(a.label, .string(CodeFingerprints.algorithmFull(type(of: p.algorithm)))))
            }
        }
        let git: JSONValue = CompiledSources.gitCommit.map { .string($0) } ?? .null
        let dirty: JSONValue = CompiledSources.gitDirty.map { .bool($0) } ?? .null
        return .object([
            JSONMember("action", .string(action)),
            JSONMember("command", .array(arguments.map { .string($0) })),
            JSONMember("host", .string(ProcessInfo.processInfo.hostName)),
            JSONMember("started", .string(Self.timestamp(started))),
            JSONMember("ended", .string(Self.timestamp(Date()))),
            JSONMember("jobs", jobs.map { .integer($0) } ?? .null),
            JSONMember("git_commit", git),
            JSONMember("git_dirty", dirty),
            JSONMember("build_configuration", .string(CompiledSources.buildConfiguration)),
            JSONMember("swift", .string(CompiledSources.compilerVersion)),
            JSONMember("gsl", .string(NumericLibraries.gsl)),
            JSONMember("glpk", .string(NumericLibraries.glpk)),
            JSONMember("platform", .string(NumericLibraries.platform)),
            JSONMember("gnuplot", Gnuplot.version.map { .string($0) } ?? .null),
            JSONMember("code", .object([
                JSONMember("harness", .string(CodeFingerprints.harnessFull)),
                JSONMember("algorithms", .object(algorithms)),
            ])),
        ] + extra)
    }
}

/// Reading and writing the parts of `manifest.json` that outlive one invocation.
enum ManifestHistory {
    /// The "history" array of an existing manifest (empty when none).
    static func history(of manifest: JSONValue?) -> [JSONValue] {
        manifest?["history"]?.arrayElements ?? []
    }

    /// The selection rule recorded by `bench summarize --select-by` ("select_by" with source
    /// "bench summarize"), which later sweeps and summaries keep until another `--select-by`
    /// replaces it — or until the spec's own `select_by` changes (the latest explicit choice wins):
    /// nil when the rule the spec had then ("spec_rule") differs from `specRule`.
    static func recordedSelection(in manifest: JSONValue?, specRule: ConfigurationSelection) -> ConfigurationSelection? {
        guard let s = manifest?["select_by"], s["source"]?.stringValue == "bench summarize",
              let metric = s["metric"]?.stringValue, let goal = s["goal"]?.stringValue.flatMap(ConfigurationSelection.Goal.init(rawValue:)),
              s["spec_rule"]?.stringValue == "\(specRule.metric):\(specRule.goal.rawValue)"
        else { return nil }
        return ConfigurationSelection(metric: metric, goal: goal)
    }

    /// The "select_by" member: the rule in effect, where it came from ("spec" or "bench summarize")
    /// and the spec's own rule at the time ("metric:goal").
    static func selectionJSON(_ s: ConfigurationSelection, source: String, specRule: ConfigurationSelection) -> JSONValue {
        .object([JSONMember("metric", .string(s.metric)), JSONMember("goal", .string(s.goal.rawValue)),
                 JSONMember("source", .string(source)),
                 JSONMember("spec_rule", .string("\(specRule.metric):\(specRule.goal.rawValue)"))])
    }

    /// The "inputs" member: every input file with its SHA-256 and the name of its copy.
    static func inputsJSON(_ spec: ExperimentSpec) -> JSONValue {
        .array(spec.inputFiles.map {
            .object([JSONMember("environment", .string($0.environment)), JSONMember("parameter", .string($0.parameter)),
                     JSONMember("path", .string($0.path)), JSONMember("sha256", .string($0.sha256)),
                     JSONMember("bytes", .integer($0.bytes)), JSONMember("copy", .string($0.copyName))])
        })
    }

    /// `manifest` with the members of `changes` replaced (or appended, in order).
    static func updating(_ manifest: JSONValue, with changes: [JSONMember]) -> JSONValue {
        var members = manifest.objectMembers ?? []
        for c in changes {
            if let i = members.firstIndex(where: { $0.key == c.key }) { members[i] = c } else { members.append(c) }
        }
        return .object(members)
    }

    /// Reads `<directory>/manifest.json` as JSON (nil when absent or not JSON).
    static func read(directory: URL) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("manifest.json").path),
              data.count < 64 << 20, let text = String(data: data, encoding: .utf8) else { return nil }
        return try? JSONParser.parse(text, file: "manifest.json")
    }

    /// The name of the spec's copy inside a results directory.
    static let specCopyName = "spec.json"

    /// Writes the spec's text and every input file into the results directory (atomically; input
    /// copies are named by their SHA-256, so an existing copy is already right).
    /// - Throws: `SweepError.io`.
    static func writeCopies(of spec: ExperimentSpec, to directory: URL) throws {
        try ResultStore.writeAtomically(spec.sourceText, to: directory.appendingPathComponent(specCopyName))
        guard !spec.inputFiles.isEmpty else { return }
        let inputs = directory.appendingPathComponent("inputs")
        guard !FileIO.isSymbolicLink(inputs.path) else {
            throw SweepError.io(path: inputs.path, message: FileIO.symbolicLinkMessage)
        }
        try FileIO.createDirectory(inputs, display: directory.path + "/inputs", what: "inputs directory")
        for input in spec.inputFiles {
            let target = directory.appendingPathComponent(input.copyName)
            if let existing = FileManager.default.contents(atPath: target.path), CompiledSources.sha256Hex(existing) == input.sha256 { continue }
            let bytes = spec.environments.first { $0.id == input.environment }?.inputBytes[input.parameter] ?? []
            try ResultStore.writeAtomically(bytes, to: target)
        }
    }

    /// Checks that `spec`'s input files are byte for byte the ones a results directory's manifest
    /// records (SHA-256 per environment and parameter).
    /// - Returns: nil when they match; otherwise what differs, for a one-line error.
    static func inputMismatch(_ spec: ExperimentSpec, manifest: JSONValue?) -> String? {
        let recorded = manifest?["inputs"]?.arrayElements
        guard let recorded else {
            return spec.inputFiles.isEmpty ? nil : "the manifest records no input files, so \(spec.inputFiles.map(\.path).joined(separator: ", ")) cannot be checked"
        }
        var byKey: [String: String] = [:]
        for e in recorded {
            if let env = e["environment"]?.stringValue, let p = e["parameter"]?.stringValue, let h = e["sha256"]?.stringValue { byKey[env + "|" + p] = h }
        }
        for f in spec.inputFiles {
            let was = byKey[f.environment + "|" + f.parameter]
            if was != f.sha256 {
                return "input file \(f.path) of environment \(f.environment) has SHA-256 \(f.sha256.prefix(16))…, "
                    + "but the results were computed from \(was.map { String($0.prefix(16)) + "…" } ?? "no such file")"
            }
        }
        if byKey.count != spec.inputFiles.count { return "the manifest records \(byKey.count) input files, the spec has \(spec.inputFiles.count)" }
        return nil
    }

    /// An `InputLocator` that reads a moved results directory's copies in place of the paths its
    /// manifest records; paths without a copy are read as given.
    static func locator(directory: URL, manifest: JSONValue?) -> InputLocator {
        var copies: [String: String] = [:]
        for e in manifest?["inputs"]?.arrayElements ?? [] {
            guard let path = e["path"]?.stringValue, let copy = e["copy"]?.stringValue,
                  !copy.contains(".."), copy.hasPrefix("inputs/") else { continue }
            let url = directory.appendingPathComponent(copy)
            if FileManager.default.fileExists(atPath: url.path) { copies[path] = url.path }
        }
        return InputLocator(copies: copies)
    }
}
