import AlignmentCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options of one sweep.
public struct SweepOptions: Sendable {
    /// Maximum number of runs executing at once (≥ 1).
    public var jobs: Int
    /// The results directory (`Results/<name>/` by default).
    public var resultsDirectory: URL
    /// Bootstrap resamples B for summary.csv (0 disables the bootstrap interval).
    public var bootstrapSamples: Int
    /// Whether to draw a progress line on stderr.
    public var showProgress: Bool

    /// Whether standard error is a terminal (the progress line is drawn only then).
    public static var standardErrorIsTerminal: Bool { isatty(2) != 0 }

    /// Creates options.
    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, resultsDirectory: URL,
                bootstrapSamples: Int = 10_000, showProgress: Bool = false) {
        precondition(jobs >= 1, "jobs must be at least 1")
        self.jobs = jobs
        self.resultsDirectory = resultsDirectory
        self.bootstrapSamples = bootstrapSamples
        self.showProgress = showProgress
    }
}

/// What a sweep did.
public struct SweepReport: Sendable, Equatable {
    /// Runs in the plan.
    public var planned: Int
    /// Runs executed by this invocation.
    public var executed: Int
    /// Runs taken from the journal (completed by an earlier invocation).
    public var resumed: Int
    /// Runs whose status is failed (executed or resumed).
    public var failed: Int
    /// Wall-clock seconds of this invocation.
    public var seconds: Double
}

/// Runs a validated spec: expands the grid, skips runs already in the journal, executes the rest
/// with bounded parallelism, appends each finished run to the journal from one serial writer, and
/// materialises the result files.
public enum SweepRunner {
    /// Executes the sweep.
    /// - Throws: `SweepError.store`/`.io` for result-store problems (a failing *run* does not throw).
    public static func run(_ spec: ExperimentSpec, options: SweepOptions) throws -> SweepReport {
        let clock = ContinuousClock()
        let start = clock.now
        let plans = try GridExpansion.plan(spec)
        let directory = options.resultsDirectory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SweepError.io(path: directory.path, message: "cannot create the results directory: \(error)")
        }
        let journal = try Journal(url: directory.appendingPathComponent(ResultStore.journalName))
        defer { journal.close() }

        var records: [String: RunRecord] = [:]
        let wanted = Dictionary(uniqueKeysWithValues: plans.map { ($0.runID, $0.fingerprint) })
        for r in journal.existing where wanted[r.runID] == r.fingerprint { records[r.runID] = r }
        let resumed = records.count
        let pending = plans.filter { records[$0.runID] == nil }

        let finished = try execute(pending, spec: spec, journal: journal, options: options)
        for r in finished { records[r.runID] = r }
        guard plans.allSatisfy({ records[$0.runID] != nil }) else {
            throw SweepError.store("internal error: some planned runs have no record")
        }
        let failed = plans.filter { records[$0.runID]!.status == .failed }.count
        let manifest = JSONValue.object([
            JSONMember("name", .string(spec.name)),
            JSONMember("spec_file", .string(spec.file)),
            JSONMember("spec_hash", .string(spec.specHash)),
            JSONMember("tool_version", .string(BenchVersion.current)),
            JSONMember("runs", .object([
                JSONMember("planned", .integer(plans.count)),
                JSONMember("completed", .integer(plans.count - failed)),
                JSONMember("failed", .integer(failed)),
                JSONMember("resumed", .integer(resumed)),
            ])),
            JSONMember("bootstrap_samples", .integer(options.bootstrapSamples)),
            JSONMember("files", .array(ResultStore.fileNames.map { .string($0) })),
        ])
        try ResultStore.materialize(spec: spec, plans: plans, records: records, directory: directory,
                                    bootstrapSamples: options.bootstrapSamples, manifest: manifest)
        let d = clock.now - start
        return SweepReport(planned: plans.count, executed: pending.count, resumed: resumed, failed: failed,
                           seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }

    /// Shared state of the workers: the next plan index, the writer's first error, progress.
    private final class WorkState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private(set) var writeError: Error?
        var finished: [RunRecord] = []

        func take(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard writeError == nil, next < count else { return nil }
            next += 1
            return next - 1
        }

        func fail(_ error: Error) {
            lock.lock()
            defer { lock.unlock() }
            if writeError == nil { writeError = error }
        }
    }

    /// Executes `pending` on up to `options.jobs` workers; records are appended to the journal by
    /// one serial writer queue in completion order (files are later written in plan order).
    private static func execute(_ pending: [RunPlan], spec: ExperimentSpec, journal: Journal,
                                options: SweepOptions) throws -> [RunRecord] {
        guard !pending.isEmpty else { return [] }
        let cache = EvaluationCache(spec: spec)
        let state = WorkState()
        let writer = DispatchQueue(label: "bench.sweep.writer")
        let progress = ProgressLine(total: pending.count, name: spec.name, enabled: options.showProgress)
        let workers = min(options.jobs, pending.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = state.take(below: pending.count) {
                let record = RunExecutor.execute(pending[i], spec: spec, cache: cache)
                writer.sync {
                    do {
                        try journal.append(record)
                        state.finished.append(record)
                        progress.update(failed: record.status == .failed)
                    } catch {
                        state.fail(error)
                    }
                }
            }
        }
        progress.finish()
        if let e = state.writeError { throw e }
        return state.finished
    }
}
