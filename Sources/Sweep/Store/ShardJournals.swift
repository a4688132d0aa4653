import Foundation

/// Progress of one journal of a results directory against the current plan: the unsharded
/// `journal.jsonl`, or shard K/N's `journal-K-of-N.jsonl` (`bench status`, `bench merge`).
public struct JournalProgress: Sendable, Equatable {
    /// The shard, or nil for the unsharded journal (which covers the whole plan).
    public var shard: Shard?
    /// The journal's file name.
    public var journal: String
    /// Whether the journal file exists.
    public var exists: Bool
    /// Runs of the plan this journal is responsible for (the shard's runs, or the whole plan).
    public var total: Int
    /// Of those, runs with a current record in this journal (run id and every fingerprint part match).
    public var done: Int
    /// Of the done runs, those whose status is failed.
    public var failed: Int
    /// Runs of this journal's part of the plan whose record is stale (changed in the spec, or
    /// computed from other inputs, code or libraries) and that have no current record here.
    public var stale: Int
    /// Why they are stale, grouped as in the sweep's refusal (empty when none).
    public var staleDescription: String
    /// Runs of this journal's part with no current record in any journal of the directory.
    public var uncovered: Int
    /// When a complete line of the journal is not a valid journal line (corrupt or edited): which
    /// line, and that the next sweep discards it and every line after it, re-running their runs;
    /// nil otherwise (a partial last line is not reported: a running sweep may be writing it).
    public var corruption: String? = nil
    /// Whether the journal's header records another results hash than the spec's: it was written
    /// under another version of the spec, so its sweep refuses to resume without --extend.
    public var specChanged = false

    /// Whether this journal's sweep must be run with --extend to go on (stale runs, or a journal
    /// written under another version of the spec).
    public var needsExtend: Bool { stale > 0 || specChanged }
    /// Of the stale runs, those stale only because an input file's bytes differ from the ones the
    /// spec was read with.
    public var staleByInputs = 0

    /// What `specChanged` means for the user.
    public static let specChangedNote = "written under another version of the spec, so its sweep needs --extend"

    /// "shard K/N" or "the unsharded sweep (journal.jsonl)".
    public var label: String { shard.map { "shard \($0)" } ?? "the unsharded sweep (\(journal))" }

    /// Why the journal holds up a merge: "not started", "stale: …", or "d of t runs done".
    public var reason: String {
        if !exists { return "not started" }
        if stale > 0 { return "stale: \(staleDescription)" + (corruption.map { "; \($0)" } ?? "") }
        return "\(done) of \(total) runs done" + (specChanged ? "; \(Self.specChangedNote)" : "") + (corruption.map { "; \($0)" } ?? "")
    }
}

/// Every journal of a results directory, read once: the unsharded `journal.jsonl` and the shards'
/// `journal-K-of-N.jsonl` (docs/ARCHITECTURE.md, "Shards").
struct ShardJournals {
    /// One journal file and what it holds.
    struct Source {
        /// The shard, or nil for `journal.jsonl`.
        var shard: Shard?
        /// The file name.
        var name: String
        /// Its records (valid prefix; a partial last line is ignored, not truncated: reading never
        /// changes a journal a running shard may be appending to).
        var contents: Journal.Contents
    }

    /// `journal.jsonl` first (when it exists), then the shards by N, then K.
    let sources: [Source]

    /// The names of the shard journals in `directory`, ordered by N, then K.
    static func names(in directory: URL) -> [String] {
        shards(in: directory).map(\.journalName)
    }

    /// The shards that have a journal in `directory`, ordered by N, then K.
    static func shards(in directory: URL) -> [Shard] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { Shard(journalName: $0) }.sorted { ($0.count, $0.index) < ($1.count, $1.index) }
    }

    /// Reads every journal of `directory` without changing any, the records' checkpoints going to
    /// `curves` (`JournalCurves`: skipped for `bench status`, spilled to scratch for a merge).
    /// - Throws: `SweepError.io` when a journal exists but cannot be read, or a scratch file
    ///   cannot be written.
    static func read(directory: URL, curves: JournalCurves) throws -> ShardJournals {
        var sources: [Source] = []
        let local = directory.appendingPathComponent(ResultStore.journalName)
        if FileManager.default.fileExists(atPath: local.path) {
            sources.append(Source(shard: nil, name: ResultStore.journalName, contents: try Journal.read(local, curves: curves)))
        }
        for shard in shards(in: directory) {
            let url = directory.appendingPathComponent(shard.journalName)
            sources.append(Source(shard: shard, name: shard.journalName, contents: try Journal.read(url, curves: curves)))
        }
        return ShardJournals(sources: sources)
    }

    /// The current record of every planned run that has one, taken from the first journal (in
    /// `sources` order) that holds it. Records are deterministic, so any copy gives the same
    /// runs, curves and policies; only `timings.csv` could tell them apart.
    func current(plans: [RunPlan]) -> [String: RunRecord] {
        let planned = Dictionary(uniqueKeysWithValues: plans.map { ($0.runID, $0) })
        var out: [String: RunRecord] = [:]
        for source in sources {
            for r in source.contents.records where out[r.runID] == nil {
                guard let plan = planned[r.runID], r.fingerprint.staleness(against: plan.fingerprint) == nil else { continue }
                out[r.runID] = r
            }
        }
        return out
    }

    /// Progress of every journal against `plans`: the unsharded journal when it exists, and for
    /// every shard count N with at least one journal, all N shards (those without a journal as not
    /// started). With no journal at all, one entry for the unsharded sweep, not started.
    func progress(spec: ExperimentSpec, plans: [RunPlan]) -> [JournalProgress] {
        let covered = current(plans: plans)
        var out: [JournalProgress] = []
        func measure(_ shard: Shard?, _ runs: [RunPlan], _ source: Source?) -> JournalProgress {
            var latest: [String: RunRecord] = [:]
            for r in source?.contents.records ?? [] { latest[r.runID] = r }
            var done = 0, failed = 0
            var stale: [(RunPlan, RunFingerprint.Staleness)] = []
            for plan in runs {
                guard let r = latest[plan.runID] else { continue }
                if let why = r.fingerprint.staleness(against: plan.fingerprint) {
                    stale.append((plan, why))
                } else {
                    done += 1
                    if r.status == .failed { failed += 1 }
                }
            }
            var progress = JournalProgress(shard: shard, journal: shard?.journalName ?? ResultStore.journalName, exists: source != nil,
                                           total: runs.count, done: done, failed: failed, stale: stale.count,
                                           staleDescription: StoreSession.describeStale(stale, spec: spec),
                                           uncovered: runs.filter { covered[$0.runID] == nil }.count)
            progress.staleByInputs = stale.filter { $0.1 == .inputs }.count
            if let header = source?.contents.header, header.resultsHash != spec.resultsHash { progress.specChanged = true }
            if let bad = source?.contents.corruptLine, let bytes = source?.contents.discardedBytes {
                progress.corruption = "line \(bad.line) is not a valid journal line (corrupt or edited): the next sweep discards it "
                    + "and the \(bad.after) line(s) after it (\(bytes) bytes) and runs again the runs they held"
            }
            return progress
        }
        let local = sources.first { $0.shard == nil }
        if local != nil || !sources.contains(where: { $0.shard != nil }) {
            out.append(measure(nil, plans, local))
        }
        var seenCounts: [Int] = []
        for s in sources.compactMap(\.shard) where !seenCounts.contains(s.count) {
            seenCounts.append(s.count)
            var byShard = [[RunPlan]](repeating: [], count: s.count)
            for plan in plans { byShard[Shard.zeroBasedIndex(of: plan, count: s.count)].append(plan) }
            for k in 1...s.count {
                let shard = Shard(index: k, count: s.count)
                out.append(measure(shard, byShard[k - 1], sources.first { $0.shard == shard }))
            }
        }
        return out
    }
}

/// The state of a results directory's journals against a spec's plan (`bench status`).
public struct ResultsProgress: Sendable, Equatable {
    /// Runs in the plan.
    public var planned: Int
    /// Planned runs with a current record in some journal.
    public var covered: Int
    /// Every journal's progress (see `ShardJournals.progress`).
    public var journals: [JournalProgress]
    /// Whether the result files were written from the journals as they are now: manifest.json
    /// exists, records this spec's results hash and is newer than every journal (a merge or sweep
    /// wrote the files after the last run was journaled).
    public var filesWritten = false

    /// Reads every journal of `directory` (without changing or locking any) and measures it
    /// against `spec`'s plan.
    /// - Throws: `SweepError.io` when a journal cannot be read, `SweepError.spec` from the plan.
    public static func read(spec: ExperimentSpec, directory: URL) throws -> ResultsProgress {
        let plans = try GridExpansion.plan(spec)
        // Only run ids, fingerprints and statuses are needed: the checkpoints are skipped, and
        // nothing is written in the directory.
        let journals = try ShardJournals.read(directory: directory, curves: .skip)
        var progress = ResultsProgress(planned: plans.count, covered: journals.current(plans: plans).count,
                                       journals: journals.progress(spec: spec, plans: plans))
        progress.filesWritten = Self.filesWritten(spec: spec, directory: directory, journals: journals.sources.map(\.name))
        return progress
    }

    /// See `filesWritten`.
    static func filesWritten(spec: ExperimentSpec, directory: URL, journals: [String]) -> Bool {
        let manifestURL = directory.appendingPathComponent(RecordedManifest.fileName)
        guard let manifest = RecordedManifest.previous(in: directory), manifest.resultsHash == spec.resultsHash,
              let written = modified(manifestURL) else { return false }
        return journals.allSatisfy { name in
            modified(directory.appendingPathComponent(name)).map { $0 <= written } ?? true
        }
    }

    private static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }
}
