import AlignmentCore
import Foundation

/// Counts of one invocation recorded in manifest.json (`runs` and the provenance entry).
struct FinishCounts {
    /// Runs executed by this invocation.
    var executed: Int
    /// Runs taken from journals.
    var resumed: Int
    /// Earlier runs removed from the results.
    var dropped: Int
    /// Stale runs re-run.
    var staleRerun: Int
}

/// The choices in force for writing a results directory's files: the selection rule and the
/// bootstrap B, after the ones an earlier invocation recorded.
struct PreparedFinish {
    /// The spec, with the selection rule in force.
    var spec: ExperimentSpec
    /// The spec as given (its own rule is recorded as `spec_rule`).
    var original: ExperimentSpec
    /// "spec" or "bench summarize".
    var selectionSource: String
    /// B for the bootstrap intervals.
    var bootstrapSamples: Int
}

extension SweepRunner {
    /// Wall-clock seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Choices recorded by earlier invocations stay in force (a resume must not undo them), unless
    /// the spec's own rule changed since or the recorded rule no longer fits the plan; notes say so.
    static func prepareFinish(_ spec: ExperimentSpec, previousManifest: RecordedManifest?, options: SweepOptions,
                              display: String) -> PreparedFinish {
        let previous = options.existingResults == .fresh ? nil : previousManifest
        var chosen = spec
        var selectionSource = "spec"
        if let s = previous?.recordedSelection(specRule: spec.selectBy) {
            if let conflict = EvaluationTau.selectionConflict(spec: spec, selection: s) ?? ConfigurationSelection.availabilityConflict(spec: spec, selection: s) {
                options.note?("\(display): the rule \(s.metric):\(s.goal.rawValue) recorded by `bench summarize --select-by` no longer applies (\(conflict)); selecting by the spec's \(spec.selectBy.metric):\(spec.selectBy.goal.rawValue)")
            } else {
                if s != spec.selectBy { options.note?("\(display): selecting configurations by \(s.metric):\(s.goal.rawValue), as recorded by `bench summarize --select-by`") }
                chosen.selectBy = s
                selectionSource = "bench summarize"
            }
        }
        var bootstrapSamples = options.bootstrapSamples
        if options.keepRecordedBootstrap, let b = previous?.bootstrapSamples { bootstrapSamples = b }
        return PreparedFinish(spec: chosen, original: spec, selectionSource: selectionSource, bootstrapSamples: bootstrapSamples)
    }

    /// Writes the spec and input copies, every result file from `records` (in plan order, through
    /// `ResultStore.materialize` — the one writer of the result files) and manifest.json last.
    /// - Parameters:
    ///   - extra: more members of this invocation's provenance entry (e.g. the merged journals).
    /// - Returns: the number of failed runs.
    /// - Throws: `SweepError.store` when a planned run has no record, `SweepError.io`, `StatisticsError`.
    static func finish(_ prepared: PreparedFinish, plans: [RunPlan], records: [String: RunRecord],
                       previousManifest: RecordedManifest?, options: SweepOptions, action: String,
                       counts: FinishCounts, extra: [JSONMember] = []) throws -> Int {
        let spec = prepared.spec
        let directory = options.resultsDirectory
        guard plans.allSatisfy({ records[$0.runID] != nil }) else {
            throw SweepError.store("internal error: some planned runs have no record")
        }
        let failed = plans.filter { records[$0.runID]!.status == .failed }.count
        let runs = JSONValue.object([
            JSONMember("planned", .integer(plans.count)),
            JSONMember("completed", .integer(plans.count - failed)),
            JSONMember("failed", .integer(failed)),
            JSONMember("resumed", .integer(counts.resumed)),
            JSONMember("dropped", .integer(counts.dropped)),
            JSONMember("stale_rerun", .integer(counts.staleRerun)),
        ])
        let selection = RecordedManifest.selectionJSON(spec.selectBy, source: prepared.selectionSource, specRule: prepared.original.selectBy)
        let bootstrapSamples = prepared.bootstrapSamples
        // Made after every other file is written, so "ended" covers them.
        func makeManifest() -> JSONValue {
            let provenance = options.invocation.json(spec: spec, action: action, extra: [
                JSONMember("executed", .integer(counts.executed)), JSONMember("resumed", .integer(counts.resumed)),
                JSONMember("stale_rerun", .integer(counts.staleRerun)), JSONMember("dropped", .integer(counts.dropped)),
                JSONMember("select_by", selection),
                JSONMember("bootstrap_samples", .integer(bootstrapSamples)),
            ] + extra)
            return .object([
                JSONMember(.name, .string(spec.name)),
                JSONMember(.specFile, .string(spec.file)),
                JSONMember(.specHash, .string(spec.specHash)),
                JSONMember(.resultsHash, .string(spec.resultsHash)),
                JSONMember(.only, spec.subset.json),
                JSONMember(.toolVersion, .string(BenchVersion.current)),
                JSONMember(.runs, runs),
                JSONMember(.bootstrapSamples, .integer(bootstrapSamples)),
                JSONMember(.selectBy, selection),
                JSONMember(.specCopy, .string(RecordedManifest.specCopyName)),
                JSONMember(.inputs, RecordedManifest.inputsJSON(spec)),
                JSONMember(.files, .array(ResultStore.fileNames.map { .string($0) })),
                JSONMember(.provenance, provenance),
                // Every invocation, --fresh ones included, is kept.
                JSONMember(.history, .array((previousManifest?.history ?? []) + [provenance])),
            ])
        }
        try relabel(directory, as: options.displayDirectory ?? directory.path) {
            try RecordedManifest.writeCopies(of: spec, to: directory)
            try ResultStore.materialize(spec: spec, plans: plans, records: records, directory: directory,
                                        bootstrapSamples: bootstrapSamples, jobs: options.jobs, progress: options.progress, manifest: makeManifest)
        }
        return failed
    }
}
