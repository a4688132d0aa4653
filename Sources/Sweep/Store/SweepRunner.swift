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
    /// Bootstrap resamples B for summary.csv (0 disables the bootstrap interval; in
    /// `bootstrapSampleRange`).
    public var bootstrapSamples: Int
    /// B when neither the command line nor the results directory sets it.
    public static let defaultBootstrapSamples = 10_000
    /// The B the commands accept: 0 (no interval) to 100,000 (memory and time grow with B times
    /// the runs pooled, `AggregatePerformance`; rliable's default is 50,000).
    public static let bootstrapSampleRange = 0...100_000
    /// Where runs and phases report progress (nil: nowhere).
    public var progress: SweepProgress?
    /// What to do with results of a changed spec (default: refuse them).
    public var existingResults: ExistingResults = .resume
    /// The shard this invocation runs (`--shard K/N`): its runs only, into its own journal, no
    /// result files; nil runs the whole plan (or merges the shards' journals when the directory
    /// has some).
    public var shard: Shard?
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

    /// Whether standard error is a terminal (`--progress auto` draws a bar then, lines otherwise).
    public static var standardErrorIsTerminal: Bool { isatty(2) != 0 }

    /// Creates options.
    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, resultsDirectory: URL,
                bootstrapSamples: Int = defaultBootstrapSamples, progress: SweepProgress? = nil) {
        precondition(jobs >= 1, "jobs must be at least 1")
        precondition(Self.bootstrapSampleRange.contains(bootstrapSamples), "bootstrap B \(bootstrapSamples) outside \(Self.bootstrapSampleRange)")
        self.jobs = jobs
        self.resultsDirectory = resultsDirectory
        self.bootstrapSamples = bootstrapSamples
        self.progress = progress
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
        let start = ContinuousClock.now
        let plans = try GridExpansion.plan(spec)
        let directory = options.resultsDirectory
        let display = options.displayDirectory ?? directory.path
        if let shard = options.shard {
            return try runShard(spec, plans: plans, shard: shard, options: options)
        }
        // A sharded directory is completed by merging its shards' journals (never by running
        // their runs a second time under another journal).
        if options.existingResults != .fresh, !ShardJournals.shards(in: directory).isEmpty {
            return try merge(spec, options: options)
        }
        let store = try StoreSession.open(spec: spec, plans: plans, directory: directory, display: display,
                                          policy: options.existingResults)
        defer { store.close() }
        var options = options
        options.invocation.startGnuplotProbe()  // for the manifest's provenance, while the runs execute
        let journal = store.journal
        if let pid = store.interruptedPID { options.note?("\(display): resumed after an interrupted sweep (pid \(pid))") }
        if let discarded = store.discardDescription { options.note?("\(display)/\(ResultStore.journalName): \(discarded)") }
        if store.staleRuns > 0 {
            options.note?("\(display): re-running \(store.staleRuns) stale runs: \(store.staleDescription)")
        }
        // The spec and its input copies, recorded before any run, as a shard records them: an
        // interrupted sweep's directory says what its journal is a journal of (`bench status`).
        try relabel(directory, as: display) { try RecordedManifest.writeCopies(of: spec, to: directory) }
        let prepared = prepareFinish(spec, previousManifest: store.previousManifest, options: options, display: display)
        var records = store.kept
        let resumed = records.count
        let pending = plans.filter { records[$0.runID] == nil }

        // The executed runs' checkpoints stay in scratch files until the result files are written.
        // (The journaled runs' checkpoints are in the session's scratch directory, if any: one per process.)
        let scratch = try store.scratch ?? (pending.isEmpty ? nil : relabel(directory, as: display) { try ScratchDirectory(in: directory) })
        defer { scratch?.remove() }
        let finished = try relabel(directory, as: display) {
            try execute(pending, spec: spec, journal: journal, scratch: scratch, options: options)
        }
        for r in finished { records[r.runID] = r }
        let failed = try finish(prepared, plans: plans, records: records, previousManifest: store.previousManifest, options: options,
                                action: options.existingResults == .resume ? "sweep" : "sweep --\(options.existingResults.rawValue)",
                                counts: FinishCounts(executed: pending.count, resumed: resumed, dropped: store.dropped, staleRerun: store.staleRuns))
        return SweepReport(planned: plans.count, executed: pending.count, resumed: resumed, failed: failed,
                           seconds: seconds(since: start),
                           dropped: store.dropped, discardedJournalBytes: store.discardedBytes,
                           interruptedSweepPID: store.interruptedPID, staleRerun: store.staleRuns)
    }

    /// Shared state of the workers: the next plan index, the writer's first error, progress.
    private final class WorkState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var firstWriteError: Error?
        private var queued: [(parts: Journal.LineParts, record: RunRecord)] = []
        var finished: [RunRecord] = []

        /// The writer's first error, if any.
        var writeError: Error? { lock.withLock { firstWriteError } }

        func take(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard firstWriteError == nil, next < count else { return nil }
            next += 1
            return next - 1
        }

        /// A finished run waiting for the writer.
        func enqueue(_ parts: Journal.LineParts, _ record: RunRecord) {
            lock.withLock { queued.append((parts, record)) }
        }

        /// The runs waiting for the writer, in the order they finished; the queue is left empty.
        func takeQueued() -> [(parts: Journal.LineParts, record: RunRecord)] {
            lock.withLock {
                defer { queued = [] }
                return queued
            }
        }

        func fail(_ error: Error) {
            lock.lock()
            defer { lock.unlock() }
            if firstWriteError == nil { firstWriteError = error }
        }
    }

    /// Executes `pending` on up to `options.jobs` workers; records are appended to the journal by
    /// one serial writer queue in completion order (files are later written in plan order), every
    /// run finished while the writer was busy in one batch with one `fsync` (`Journal.append(batch:)`).
    ///
    /// A worker records its run's checkpoints into `scratch` as they are measured
    /// (`RunExecutor.executeSpilled`), encodes the rest of its journal line itself and hands it to
    /// the writer without waiting (`async`): the append (the checkpoints copied from the scratch
    /// file) and its `fsync` overlap the next run instead of holding every worker up, and the
    /// workers never wait on each other. Every append has finished (or failed) when this returns;
    /// after a failed append or scratch write no further run is started. The returned records hold
    /// their checkpoints in `scratch` (`RunRecord.spill`), so memory does not grow with them.
    /// - Precondition: `scratch` is given when `pending` is not empty.
    static func execute(_ pending: [RunPlan], spec: ExperimentSpec, journal: Journal, scratch: ScratchDirectory?,
                        options: SweepOptions) throws -> [RunRecord] {
        guard !pending.isEmpty else { return [] }
        guard let scratch else { preconditionFailure("runs to execute need a scratch directory") }
        let cache = EvaluationCache(spec: spec, plans: pending)
        let state = WorkState()
        let writer = DispatchQueue(label: "bench.sweep.writer")
        let progress = options.progress
        progress?.beginRuns(total: pending.count)
        let workers = min(options.jobs, pending.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = state.take(below: pending.count) {
                let executed = Result { try RunExecutor.executeSpilled(pending[i], spec: spec, cache: cache, scratch: scratch) }
                cache.finished(pending[i])
                guard case let .success(executedRecord) = executed else {
                    if case let .failure(e) = executed { state.fail(e) }
                    continue
                }
                let parts = Journal.parts(executedRecord)
                // Once journaled, the record keeps its spill (for the result files), not the text.
                var record = executedRecord
                record.journalCurveText = nil
                state.enqueue(parts, record)
                writer.async {
                    // Every run queued since the last append goes in one batch with one fsync
                    // (later blocks find the queue empty).
                    let batch = state.takeQueued()
                    guard !batch.isEmpty, state.writeError == nil else { return }
                    do {
                        try journal.append(batch: batch.map(\.parts))
                        for (parts, kept) in batch {
                            if let text = parts.curveText { try? FileManager.default.removeItem(at: text) }
                            state.finished.append(kept)
                            progress?.runFinished(failed: kept.status == .failed)
                        }
                    } catch {
                        state.fail(error)
                    }
                }
            }
        }
        writer.sync {}   // the last appends
        progress?.endRuns()
        if let e = state.writeError { throw e }
        return state.finished
    }
}
