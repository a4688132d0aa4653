import Foundation

extension SweepRunner {
    /// Runs shard `shard` of the plan (`bench sweep <spec> --shard K/N`): opens the shard's own
    /// lock and journal, copies the spec and its input files into the directory (the merge reads
    /// them), executes the shard's runs that its journal does not hold yet, and writes no result
    /// file — the CSV files are written once, by the merge, from every shard's journal.
    /// - Returns: a report whose counts are the shard's (`planned` = the shard's runs).
    /// - Throws: as `run`; `SweepError.locked` names the process running the same shard.
    static func runShard(_ spec: ExperimentSpec, plans: [RunPlan], shard: Shard, options: SweepOptions) throws -> SweepReport {
        let start = ContinuousClock.now
        let directory = options.resultsDirectory
        let display = options.displayDirectory ?? directory.path
        let runs = shard.runs(of: plans)
        let store = try StoreSession.open(spec: spec, plans: runs, directory: directory, display: display,
                                          policy: options.existingResults, shard: shard)
        defer { store.close() }
        let where_ = "\(display) (shard \(shard))"
        if let pid = store.interruptedPID { options.note?("\(where_): resumed after an interrupted sweep (pid \(pid))") }
        if let discarded = store.discardDescription { options.note?("\(display)/\(shard.journalName): \(discarded)") }
        if store.staleRuns > 0 {
            options.note?("\(where_): re-running \(store.staleRuns) stale runs: \(store.staleDescription)")
        }
        try relabel(directory, as: display) { try RecordedManifest.writeCopies(of: spec, to: directory) }
        var records = store.kept
        let pending = runs.filter { records[$0.runID] == nil }
        // A shard writes no result files: its scratch (the checkpoints until journaled) goes at once.
        let scratch = try store.scratch ?? (pending.isEmpty ? nil : relabel(directory, as: display) { try ScratchDirectory(in: directory) })
        defer { scratch?.remove() }
        let finished = try relabel(directory, as: display) {
            try execute(pending, spec: spec, journal: store.journal, scratch: scratch, options: options)
        }
        for r in finished { records[r.runID] = r }
        let failed = runs.filter { records[$0.runID]?.status == .failed }.count
        return SweepReport(planned: runs.count, executed: pending.count, resumed: store.kept.count, failed: failed,
                           seconds: seconds(since: start), dropped: store.dropped, discardedJournalBytes: store.discardedBytes,
                           interruptedSweepPID: store.interruptedPID, staleRerun: store.staleRuns)
    }

    /// Merges the journals of a results directory (`bench merge`, and `bench sweep` without
    /// `--shard` on a directory with shard journals): when every planned run has a current record
    /// in some journal (run id and every fingerprint part match), writes every result file from
    /// those records exactly as an unsharded sweep does (`finish`), under the directory's lock.
    /// - Returns: a report with `executed` = 0 and `resumed` = the plan's runs.
    /// - Throws: `SweepError.store` naming the shards that are not started or not finished, or
    ///   `SweepError.specChanged` when one of them is stale (one line, each with its reason);
    ///   `SweepError.locked` while a sweep or merge holds the directory; `SweepError.io`.
    public static func merge(_ spec: ExperimentSpec, options: SweepOptions) throws -> SweepReport {
        let start = ContinuousClock.now
        let plans = try GridExpansion.plan(spec)
        let directory = options.resultsDirectory
        let display = options.displayDirectory ?? directory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let sweep = ShellCommand.line(["bench", "sweep", spec.file, "--shard", "K/N"] + spec.subset.arguments + ShellCommand.outOption(display, name: spec.folderName))
            throw SweepError.store("\(display): no such results directory; run `\(sweep)` first")
        }
        let lock = try ResultsLock(directory: directory, display: display)
        defer { lock.release() }
        var options = options
        options.invocation.startGnuplotProbe()  // for the manifest's provenance, while the journals are read
        if let pid = lock.previousHolder { options.note?("\(display): resumed after an interrupted sweep (pid \(pid))") }
        options.progress?.phase("reading the journals")
        // The records' checkpoints go to scratch files as the journals are read (removed at the end).
        let scratch = try relabel(directory, as: display) { try ScratchDirectory(in: directory) }
        defer { scratch.remove() }
        let journals = try ShardJournals.read(directory: directory, curves: .spill(scratch))
        let records = journals.current(plans: plans)
        let previous = RecordedManifest.previous(in: directory)
        try checkComplete(journals.progress(spec: spec, plans: plans), missing: plans.count - records.count, spec: spec, display: display,
                          recordedSpecFile: previous?.specFile)
        let prepared = prepareFinish(spec, previousManifest: previous, options: options, display: display)
        let failed = try finish(prepared, plans: plans, records: records, previousManifest: previous, options: options, action: "merge",
                                counts: FinishCounts(executed: 0, resumed: plans.count, dropped: 0, staleRerun: 0),
                                extra: [JSONMember("journals", .array(journals.sources.map { .string($0.name) }))])
        return SweepReport(planned: plans.count, executed: 0, resumed: plans.count, failed: failed, seconds: seconds(since: start),
                           interruptedSweepPID: lock.previousHolder)
    }

    /// Refuses a merge while some planned run has no current record, naming in one line every
    /// shard that holds one up (not started, stale with the reasons, or how far it got); the
    /// unsharded journal is named only in a directory without shard journals.
    /// - Throws: `SweepError.specChanged` when a named shard is stale, else `SweepError.store`.
    /// - Parameters:
    ///   - missing: planned runs without a current record in any journal.
    ///   - recordedSpecFile: the spec file the directory's manifest names (`RecordedManifest.specFile`).
    static func checkComplete(_ progress: [JournalProgress], missing: Int, spec: ExperimentSpec, display: String,
                              recordedSpecFile: String? = nil) throws {
        let sharded = progress.contains { $0.shard != nil }
        let blocking = progress.filter { $0.uncovered > 0 && ($0.shard != nil || !sharded) }
        guard missing > 0, !blocking.isEmpty else { return }
        let list = blocking.map { "\($0.label) (\($0.reason))" }.joined(separator: ", ")
        // One journal to run: its own command, ready to paste (with --extend when its sweep needs
        // it); several: the command with K/N, the shards it stands for, and when to add --extend.
        let shards = blocking.compactMap(\.shard)
        let single = blocking.count == 1
        let shardArgument = !sharded ? [] : ["--shard", shards.count == 1 ? shards[0].description : "K/N"]
        let extend = single && blocking[0].needsExtend ? ["--extend"] : []
        let command = ShellCommand.line(["bench", "sweep", spec.file] + shardArgument + spec.subset.arguments
            + ShellCommand.outOption(display, name: spec.folderName) + extend)
        let which = shards.count > 1 ? " for K/N = \(shards.map(\.description).joined(separator: ", "))" : ""
        let when = single ? "" : " (with --extend for a stale one or one written under another version of the spec)"
        let message = "cannot merge: \(missing) planned run\(missing == 1 ? " has" : "s have") no current record; "
            + "\(blocking.count) \(sharded ? "shard" : "journal")\(single ? " is" : "s are") incomplete or stale: \(list); "
            + "run \(single ? "it" : "them") with `\(command)`\(which)\(when), then merge again"
            + inputsHint(blocking, spec: spec, display: display, recordedSpecFile: recordedSpecFile)
        if blocking.contains(where: { $0.stale > 0 }) { throw SweepError.specChanged(directory: display, message: message) }
        throw SweepError.store("\(display): \(message)")
    }

    /// The way out when runs are stale only by their input files and the spec is the directory's
    /// copy: that copy reads the input copies the last merge recorded, so shards that already ran
    /// with the files as they are now look stale to it (re-running them changes nothing). The spec
    /// file itself reads the files as they are: merge with `--spec`. Empty otherwise.
    private static func inputsHint(_ blocking: [JournalProgress], spec: ExperimentSpec, display: String, recordedSpecFile: String?) -> String {
        guard blocking.contains(where: { $0.staleByInputs > 0 }), spec.file == display + "/" + RecordedManifest.specCopyName else { return "" }
        // The manifest names the spec file a sweep or a merge with --spec read; after a merge of the
        // directory's copy it names the copy, which is no way out.
        let known = recordedSpecFile.flatMap { $0 == spec.file ? nil : $0 }
        let merge = ShellCommand.line(["bench", "merge", display, "--spec", known ?? "SPEC"])
        return "; if the shards already ran with the input files as they are now, the directory's spec copy still reads the "
            + "copies the last merge recorded: merge with `\(merge)`" + (known == nil ? ", SPEC the spec file the shards ran" : "")
    }
}
