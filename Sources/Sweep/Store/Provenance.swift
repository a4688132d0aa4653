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
    /// The gnuplot version asked for ahead of time (`startGnuplotProbe`), or nil to ask when the
    /// provenance is written.
    public var gnuplotProbe: Gnuplot.VersionProbe?

    /// Creates a description of the current process's invocation.
    public init(arguments: [String] = CommandLine.arguments, jobs: Int? = nil, started: Date = Date()) {
        self.arguments = arguments
        self.jobs = jobs
        self.started = started
    }

    /// Starts asking gnuplot for its version on another thread (`Gnuplot.VersionProbe`), so the
    /// provenance written at the end does not wait for it; a second call keeps the first probe.
    public mutating func startGnuplotProbe() {
        if gnuplotProbe == nil { gnuplotProbe = Gnuplot.VersionProbe() }
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
            JSONMember("openblas", .string(NumericLibraries.openblas)),
            JSONMember("platform", .string(NumericLibraries.platform)),
            JSONMember("gnuplot", (gnuplotProbe.map(\.version) ?? Gnuplot.version).map { .string($0) } ?? .null),
            JSONMember("code", .object([
                JSONMember("harness", .string(CodeFingerprints.harnessFull)),
                JSONMember("algorithms", .object(algorithms)),
            ])),
        ] + extra)
    }
}
