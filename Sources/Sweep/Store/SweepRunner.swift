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
    /// What to do with results of a changed spec (default: refuse them).
    public var existingResults: ExistingResults = .resume
    /// The results directory as shown in messages (default: its path).
    public var displayDirectory: String?
    /// Receives one-line notes as soon as they arise (a resumed interrupted sweep, a discarded
    /// partial journal line); the CLI prints them on stderr.
    public var note: (@Sendable (String) -> Void)?

    /// Whether to use the bootstrap B an existing manifest records instead of `bootstrapSamples`
    /// (the CLI sets it when `--bootstrap` is not given, so a resume does not undo an earlier choice).
    public var keepRecordedBootstrap = false
    /// The command line and start time recorded in manifest.json's provenance and history.
    public var invocation = Invocation()

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
    /// Earlier runs removed from the results (no longer planned or changed; all with `fresh`).
    public var dropped = 0
    /// Bytes of a partial journal line (left by a killed sweep) that were discarded.
    public var discardedJournalBytes = 0
    /// The pid of an earlier sweep on the same directory that was killed or crashed, if any.
    public var interruptedSweepPID: Int32?
    /// Journaled runs re-run because what produced them changed (`--extend`).
    public var staleRerun = 0
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
        let original = spec
        let directory = options.resultsDirectory
        let display = options.displayDirectory ?? directory.path
        let store = try StoreSession.open(spec: spec, plans: plans, directory: directory, display: display,
                                          policy: options.existingResults)
        defer { store.close() }
        let journal = store.journal
        if let pid = store.interruptedPID { options.note?("\(display): resumed after an interrupted sweep (pid \(pid))") }
        if store.discardedBytes > 0 {
            options.note?("\(display)/\(ResultStore.journalName): discarded \(store.discardedBytes) bytes of a partial last line left by an interrupted sweep")
        }
        if store.staleRuns > 0 {
            options.note?("\(display): re-running \(store.staleRuns) stale runs: \(store.staleDescription)")
        }
        // Choices recorded by earlier invocations stay in force (a resume must not undo them),
        // unless the spec's own rule changed since or the recorded rule no longer fits the plan.
        let previous = options.existingResults == .fresh ? nil : store.previousManifest
        var spec = spec
        var selectionSource = "spec"
        if let s = previous?.recordedSelection(specRule: spec.selectBy) {
            if let conflict = EvaluationTau.selectionConflict(spec: spec, selection: s) ?? ConfigurationSelection.availabilityConflict(spec: spec, selection: s) {
                options.note?("\(display): the rule \(s.metric):\(s.goal.rawValue) recorded by `bench summarize --select-by` no longer applies (\(conflict)); selecting by the spec's \(spec.selectBy.metric):\(spec.selectBy.goal.rawValue)")
            } else {
                if s != spec.selectBy { options.note?("\(display): selecting configurations by \(s.metric):\(s.goal.rawValue), as recorded by `bench summarize --select-by`") }
                spec.selectBy = s
                selectionSource = "bench summarize"
            }
        }
        var bootstrapSamples = options.bootstrapSamples
        if options.keepRecordedBootstrap, let b = previous?.bootstrapSamples, b >= 0 { bootstrapSamples = b }

        var records = store.kept
        let resumed = records.count
        let pending = plans.filter { records[$0.runID] == nil }

        let finished = try relabel(directory, as: display) { try execute(pending, spec: spec, journal: journal, options: options) }
        for r in finished { records[r.runID] = r }
        guard plans.allSatisfy({ records[$0.runID] != nil }) else {
            throw SweepError.store("internal error: some planned runs have no record")
        }
        let failed = plans.filter { records[$0.runID]!.status == .failed }.count
        let runs = JSONValue.object([
            JSONMember("planned", .integer(plans.count)),
            JSONMember("completed", .integer(plans.count - failed)),
            JSONMember("failed", .integer(failed)),
            JSONMember("resumed", .integer(resumed)),
            JSONMember("dropped", .integer(store.dropped)),
            JSONMember("stale_rerun", .integer(store.staleRuns)),
        ])
        let selection = RecordedManifest.selectionJSON(spec.selectBy, source: selectionSource, specRule: original.selectBy)
        let action = options.existingResults == .resume ? "sweep" : "sweep --\(options.existingResults.rawValue)"
        // Made after every other file is written, so "ended" covers them.
        func makeManifest() -> JSONValue {
            let provenance = options.invocation.json(spec: spec, action: action, extra: [
                JSONMember("executed", .integer(pending.count)), JSONMember("resumed", .integer(resumed)),
                JSONMember("stale_rerun", .integer(store.staleRuns)), JSONMember("select_by", selection),
                JSONMember("bootstrap_samples", .integer(bootstrapSamples)),
            ])
            return .object([
                JSONMember(.name, .string(spec.name)),
                JSONMember(.specFile, .string(spec.file)),
                JSONMember(.specHash, .string(spec.specHash)),
                JSONMember(.resultsHash, .string(spec.resultsHash)),
                JSONMember(.toolVersion, .string(BenchVersion.current)),
                JSONMember(.runs, runs),
                JSONMember(.bootstrapSamples, .integer(bootstrapSamples)),
                JSONMember(.selectBy, selection),
                JSONMember(.specCopy, .string(RecordedManifest.specCopyName)),
                JSONMember(.inputs, RecordedManifest.inputsJSON(spec)),
                JSONMember(.files, .array(ResultStore.fileNames.map { .string($0) })),
                JSONMember(.provenance, provenance),
                // Every invocation, --fresh ones included, is kept.
                JSONMember(.history, .array((store.previousManifest?.history ?? []) + [provenance])),
            ])
        }
        try relabel(directory, as: display) {
            try RecordedManifest.writeCopies(of: spec, to: directory)
            try ResultStore.materialize(spec: spec, plans: plans, records: records, directory: directory,
                                        bootstrapSamples: bootstrapSamples, manifest: makeManifest)
        }
        let d = clock.now - start
        return SweepReport(planned: plans.count, executed: pending.count, resumed: resumed, failed: failed,
                           seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                           dropped: store.dropped, discardedJournalBytes: store.discardedBytes,
                           interruptedSweepPID: store.interruptedPID, staleRerun: store.staleRuns)
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
