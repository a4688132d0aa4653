import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a sweep does with results written under a different version of its spec.
public enum ExistingResults: String, Sendable, CaseIterable {
    /// Resume when the spec is unchanged (or nothing was written yet); refuse with
    /// `SweepError.specChanged` when it changed.
    case resume
    /// Keep every existing run whose definition is unchanged (same run id and fingerprint), run the
    /// runs the spec now adds or changes, and drop runs the spec no longer plans (`--extend`).
    case extend
    /// Delete the experiment's result files and journal, then start over (`--fresh`).
    case fresh
}

/// An opened results directory: its lock, the journal ready for appends, and the records kept
/// from earlier invocations.
struct StoreSession {
    /// The directory's lock (held until `close`).
    let lock: ResultsLock
    /// The journal, ready for appends.
    let journal: Journal
    /// Records reused from the journal, by run id (each matches the plan's fingerprint).
    let kept: [String: RunRecord]
    /// Earlier runs removed from the journal (no longer planned, changed, or deleted by `fresh`),
    /// not counting the stale runs re-run in their place.
    let dropped: Int
    /// Bytes of a partial or corrupt journal tail that were discarded.
    let discardedBytes: Int
    /// What was discarded (`Journal.Contents.discardDescription`), nil when nothing was.
    let discardDescription: String?
    /// The pid of an earlier sweep on this directory that was killed or crashed.
    let interruptedPID: Int32?
    /// Journaled runs that are re-run because what produced them changed (`--extend`).
    let staleRuns: Int
    /// Why they are stale, grouped ("40 runs of mmd (its source changed since they were computed)").
    let staleDescription: String
    /// The manifest found in the directory before this invocation, if any.
    let previousManifest: RecordedManifest?
    /// The scratch directory holding the journaled records' checkpoints (`RunRecord.spill`), made
    /// when the directory has a journal; the sweep puts its executed runs' checkpoints there too.
    /// Removed by `close`.
    let scratch: ScratchDirectory?

    /// Closes the journal, removes the scratch directory and releases the lock.
    func close() {
        journal.close()
        scratch?.remove()
        lock.release()
    }

    /// Names of the files a sweep owns in its results directory (deleted by `fresh`), besides those
    /// listed in an existing manifest.
    static var ownedFileNames: [String] {
        ResultStore.fileNames + [ResultStore.journalName]
    }

    /// Creates and locks the results directory, reads its journal and manifest, decides what to keep
    /// under `policy`, and leaves a journal whose header names this spec.
    /// - Throws: `SweepError.io` (directory not creatable, unreadable or unwritable files),
    ///   `SweepError.locked` (another sweep holds the lock), `SweepError.specChanged` (the spec
    ///   changed and `policy` is `resume`), `SweepError.store` (the directory holds result-file
    ///   names but no journal or manifest: `refuseForeignFiles`). Nothing in the directory is changed before the lock is
    ///   held and the spec check has passed, but for the scratch directory the journal's
    ///   checkpoints are read into (removed again when the check fails; stale scratch directories of
    ///   dead processes on this host are removed when it is made).
    /// - Complexity: one pass over the journal, memory O(records without their checkpoints): each
    ///   record's checkpoints go to a `CurveSpill` in `scratch` as they are read, and a rewrite
    ///   copies the kept lines' bytes.
    /// - Parameter shard: the shard this session runs (its own journal and lock, `plans` being the
    ///   shard's runs), or nil for the whole plan (`journal.jsonl`, `.sweep.lock`).
    static func open(spec: ExperimentSpec, plans: [RunPlan], directory: URL, display: String,
                     policy: ExistingResults, shard: Shard? = nil) throws -> StoreSession {
        try FileIO.createDirectory(directory, display: display, what: "results directory")
        try refuseForeignFiles(in: directory, display: display)
        let lock = try ResultsLock(directory: directory, display: shard.map { "\(display) (shard \($0))" } ?? display, fileName: shard?.lockName ?? ResultsLock.fileName)
        let journalName = shard?.journalName ?? ResultStore.journalName
        let journalURL = directory.appendingPathComponent(journalName)
        // --fresh deletes the journal and keeps none of its runs: they are only counted (the runs
        // dropped), so their checkpoints are checked as always but not spilled, and no line is
        // checked for the writer's bytes (none is copied) — the same records, several times faster.
        let keepsRuns = policy != .fresh
        let scratch = keepsRuns && FileManager.default.fileExists(atPath: journalURL.path)
            ? try SweepRunner.relabel(directory, as: display) { try ScratchDirectory(in: directory) } : nil
        var opened = false
        defer { if !opened { scratch?.remove() } }
        let contents = try Journal.read(journalURL, curves: scratch.map { .spill($0) } ?? .skip, verifyCanonical: keepsRuns)
        let manifest = RecordedManifest.previous(in: directory)

        let planned = Dictionary(uniqueKeysWithValues: plans.map { ($0.runID, $0) })
        var matching: [String: RunRecord] = [:]
        var matchingLine: [String: Int] = [:]  // index in contents.records (and .sources)
        var stale: [String: (RunPlan, RunFingerprint.Staleness)] = [:]
        for (k, r) in contents.records.enumerated() {
            guard let plan = planned[r.runID] else { continue }
            if let why = r.fingerprint.staleness(against: plan.fingerprint) {
                matching[r.runID] = nil
                if why != .definition { stale[r.runID] = (plan, why) }
            } else {
                matching[r.runID] = r
                matchingLine[r.runID] = k
                stale[r.runID] = nil
            }
        }
        let doneIDs = Set(contents.records.map(\.runID))
        let done = doneIDs.count
        let staleRuns = plans.compactMap { stale[$0.runID] }
        let staleText = describeStale(staleRuns, spec: spec)

        let storedHash: String?
        let changed: Bool
        if let h = contents.header {
            storedHash = h.resultsHash
            changed = h.resultsHash != spec.resultsHash
        } else if let r = manifest?.resultsHash {
            storedHash = r
            changed = r != spec.resultsHash
        } else if let s = manifest?.specHash {
            storedHash = nil
            changed = s != spec.specHash
        } else {
            storedHash = nil
            changed = matching.count + staleRuns.count != done
        }
        // A shard owns only its journal; the directory's CSV files belong to the merge.
        let hasResults = done > 0 || (shard == nil && FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs.csv").path))
        if changed, hasResults, policy == .resume {
            let changedRuns = done - matching.count - staleRuns.count
            throw SweepError.specChanged(directory: display, message:
                "the spec \(spec.file) changed since these results were written (results hash \(storedHash ?? "unknown") → \(spec.resultsHash)); "
                + "of the \(done) runs done, \(matching.count) are unchanged"
                + (staleRuns.isEmpty ? "" : " and \(staleRuns.count) are stale (\(staleText))")
                + ": rerun with --extend to keep them"
                + (changedRuns + staleRuns.count > 0 ? ", run the \(plans.count - matching.count) new, changed or stale runs and drop the \(changedRuns + staleRuns.count) old ones"
                                : " and run the \(plans.count - matching.count) new ones")
                + ", or with --fresh to delete these results and start over")
        }
        if !staleRuns.isEmpty, policy == .resume {
            throw SweepError.specChanged(directory: display, message:
                "\(staleRuns.count) of the \(done) runs done are stale: \(staleText); "
                + "rerun with --extend to re-run exactly these \(staleRuns.count) runs and keep the other \(matching.count), "
                + "or with --fresh to delete these results and start over")
        }

        // From here on the directory may change.
        removeTemporaryFiles(in: directory, shard: shard)
        // Also when nothing is left to run: a sweep killed while writing the files left its
        // scratch behind, and a resume that executes nothing creates none to clean up after it.
        ScratchDirectory.removeStale(in: directory)
        var kept = matching
        // --fresh of the whole plan also deletes the shards' journals: their runs count as dropped
        // too (each run id once, whichever journals held it).
        var droppedIDs = doneIDs
        if policy == .fresh, shard == nil {
            for s in ShardJournals.shards(in: directory) {
                let url = directory.appendingPathComponent(s.journalName)
                droppedIDs.formUnion(try Journal.read(url, curves: .skip, verifyCanonical: false).records.map(\.runID))
            }
        }
        if policy == .fresh {
            if shard == nil {
                try removeResults(in: directory, display: display, manifest: manifest)
            } else if unlink(journalURL.path) != 0 && errno != ENOENT {
                throw SweepError.io(path: "\(display)/\(journalName)", message: "cannot delete: \(FileIO.reason(errno))")
            }
            kept = [:]
        }
        let header = JournalHeader(experiment: spec.name, specHash: spec.specHash, resultsHash: spec.resultsHash, only: spec.subset.text)
        let journal: Journal
        if policy == .fresh || contents.header != header || kept.count != contents.records.count {
            let ordered = plans.compactMap { kept[$0.runID] }
            let sources = plans.compactMap { p in kept[p.runID].map { _ in matchingLine[p.runID].map { contents.sources[$0] } } }
            journal = try Journal.rewrite(journalURL, header: header, records: ordered, sources: sources)
        } else {
            journal = try Journal(appendingTo: journalURL, goodEnd: contents.goodEnd)
        }
        let rerun = policy == .fresh ? 0 : staleRuns.count
        opened = true
        return StoreSession(lock: lock, journal: journal, kept: kept, dropped: policy == .fresh ? droppedIDs.count : done - kept.count - rerun,
                            discardedBytes: contents.discardedBytes, discardDescription: contents.discardDescription,
                            interruptedPID: lock.previousHolder,
                            staleRuns: rerun, staleDescription: staleText,
                            previousManifest: manifest, scratch: scratch)
    }

    /// Stale runs grouped by reason and by algorithm label (source) or environment (input files),
    /// in plan order: "40 runs of mmd (its source changed since they were computed), 2 runs on
    /// environment m (its input file game.csv changed since they were computed)".
    static func describeStale(_ runs: [(RunPlan, RunFingerprint.Staleness)], spec: ExperimentSpec) -> String {
        var groups: [(key: String, count: Int)] = []
        var targetsOf: [Int: String] = [:]  // per algorithm entry, computed once
        func add(_ key: String) {
            if let i = groups.firstIndex(where: { $0.key == key }) { groups[i].count += 1 } else { groups.append((key, 1)) }
        }
        for (plan, why) in runs {
            let label = spec.algorithms[plan.algorithm].label
            let env = spec.environments[plan.environment]
            switch why {
            case .definition: add("|changed in the spec")
            case .legacy: add("|computed by a version of bench without code fingerprints")
            case .inputs:
                let files = env.inputs.map(\.path).joined(separator: ", ")
                add(" on environment \(env.id)|its input file\(env.inputs.count == 1 ? "" : "s") \(files) changed since they were computed")
            case .algorithm:
                let targets = targetsOf[plan.algorithm] ?? CodeFingerprints.algorithmTargets(
                    type(of: spec.algorithms[plan.algorithm].points[plan.point].algorithm)).joined(separator: ", ")
                targetsOf[plan.algorithm] = targets
                add(" of \(label)|its source (\(targets)) changed since they were computed")
            case .harness:
                add("|the harness's source (environments, metrics, solvers, recording) changed since they were computed")
            case .libraries:
                add("|the numeric libraries changed since they were computed (now \(CodeFingerprints.librariesDescription))")
            }
        }
        return groups.map { g in
            let parts = g.key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            return "\(g.count) run\(g.count == 1 ? "" : "s")\(parts[0]) (\(parts[1]))"
        }.joined(separator: ", ")
    }

    /// Refuses a directory that holds files a sweep writes (runs.csv, summary.csv, spec.json, …)
    /// but no journal (whole-plan or shard) and no manifest: those files are not a sweep's, and
    /// writing the results would overwrite them. Checked before the lock is taken, so nothing in
    /// the directory changes. A directory with other files only is used as it is.
    /// - Throws: `SweepError.store` naming the directory and the files.
    static func refuseForeignFiles(in directory: URL, display: String) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path), !names.isEmpty else { return }
        let present = Set(names)
        if present.contains(ResultStore.journalName) || present.contains(RecordedManifest.fileName)
            || names.contains(where: { Shard(journalName: $0) != nil }) { return }
        let foreign = (ownedFileNames + [RecordedManifest.specCopyName]).filter(present.contains)
        guard !foreign.isEmpty else { return }
        let them = foreign.count == 1 ? "it" : "them"
        throw SweepError.store("\(display): holds \(foreign.joined(separator: ", ")) but no \(ResultStore.journalName) or "
            + "\(RecordedManifest.fileName), so not the results of a bench sweep, and a sweep would overwrite \(them); "
            + "choose another results directory (--out) or move \(them) away")
    }

    /// Removes temporary files (".<name>.tmp") left by a sweep that was killed while writing: a
    /// shard only its own journal's; the whole-plan session every other one except the shards'
    /// journals' and the spec copy's (shards may be writing those right now; `AtomicFile` replaces
    /// a stale one when it next writes that file).
    private static func removeTemporaryFiles(in directory: URL, shard: Shard?) {
        if let shard {
            unlink(directory.appendingPathComponent("." + shard.journalName + ".tmp").path)
            return
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for n in names where n.hasPrefix(".") && n.hasSuffix(".tmp") {
            let inner = String(n.dropFirst().dropLast(".tmp".count))
            if Shard(journalName: inner) != nil || inner == RecordedManifest.specCopyName { continue }
            unlink(directory.appendingPathComponent(n).path)
        }
    }

    /// Deletes the result files and the journals (`--fresh`), the shards' included: the sweep's own
    /// names and the files an existing manifest lists; other files in the directory are left alone.
    private static func removeResults(in directory: URL, display: String, manifest: RecordedManifest?) throws {
        var names = ownedFileNames + ShardJournals.names(in: directory)
        for v in manifest?[.files]?.arrayElements ?? [] {
            if let n = v.stringValue, !n.isEmpty, !n.hasPrefix("."), !n.contains("/"), !names.contains(n) { names.append(n) }
        }
        for n in names where unlink(directory.appendingPathComponent(n).path) != 0 && errno != ENOENT {
            throw SweepError.io(path: "\(display)/\(n)", message: "cannot delete: \(FileIO.reason(errno))")
        }
        FileIO.syncDirectory(directory)
    }
}

extension SweepRunner {
    /// Runs `body`, rewriting the absolute directory prefix of an I/O error's path to `display`.
    static func relabel<T>(_ directory: URL, as display: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let SweepError.io(path, message) where path.hasPrefix(directory.path + "/") {
            throw SweepError.io(path: display + path.dropFirst(directory.path.count), message: message)
        }
    }
}
