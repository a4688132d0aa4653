import AlignmentCore
import ResultFiles
import Foundation

/// `bench summarize`: recomputes the statistics files of a results directory — summary.csv,
/// curve_summary.csv, pairwise.csv, tests.csv and frontier.csv — from runs.csv, curves.csv and
/// policies.csv plus the spec (needed to rebuild the plan and each replicate's problem), without
/// re-running anything. With the sweep's spec and bootstrap B the files are byte-identical to the
/// ones the sweep wrote.
public enum ResultSummarizer {
    /// The files `summarize` writes, in order.
    public static let fileNames = ["summary.csv", "curve_summary.csv"] + ResultAnalysis.fileNames

    /// Why `spec` is not the spec the results were produced from, or nil when it is: same name,
    /// and the same results hash (edits of `description`, `$schema` or `figures` are allowed), or
    /// the same spec hash when the manifest records no results hash.
    /// - Returns: "the results are of experiment …, but … is …" or "… changed since these results
    ///   were written (hash …, manifest.json has …)", without a hint (each command adds its own).
    public static func mismatch(_ spec: ExperimentSpec, against manifest: RecordedManifest) -> String? {
        guard spec.name == manifest.name else {
            return "the results are of experiment \"\(manifest.name)\", but \(spec.file) is \"\(spec.name)\""
        }
        let (mine, recorded) = manifest.resultsHash.map { (spec.resultsHash, $0) } ?? (spec.specHash, manifest.specHash)
        guard mine == recorded else {
            return "\(spec.file) changed since these results were written (hash \(mine), manifest.json has \(recorded))"
        }
        return nil
    }

    /// Checks that `spec` is the spec the results were produced from (`mismatch`).
    /// - Parameter directory: the results directory as shown to the user.
    /// - Throws: `SweepError.specChanged` when they differ, with the hint to pass the spec of
    ///   these results with --spec (or to re-run the sweep when the spec changed).
    public static func check(_ spec: ExperimentSpec, against manifest: RecordedManifest, directory: String) throws {
        guard let why = mismatch(spec, against: manifest) else { return }
        let hint = spec.name == manifest.name
            ? "run `bench sweep` first (--extend or --fresh), or pass the original spec with --spec"
            : "pass the spec of these results with --spec"
        throw SweepError.specChanged(directory: directory, message: why + "; " + hint)
    }

    /// Recomputes and writes the statistics files (each atomically).
    /// - Parameters:
    ///   - spec: the spec the results were produced from.
    ///   - directory: the results directory.
    ///   - bootstrapSamples: B for the bootstrap intervals (0 = off).
    ///   - selection: the best-configuration rule (default: the spec's).
    ///   - display: the directory as shown in messages (default: its path).
    ///   - invocation: recorded in manifest.json's history, with the rule and B in force.
    /// - Returns: the written files, in `fileNames` order.
    /// - Throws: `SweepError.locked` while a sweep writes the directory, `SweepError.specChanged`
    ///   when an input file differs from the one the results were computed from,
    ///   `SweepError.store` for missing or inconsistent files, `SweepError.io`, `StatisticsError`.
    @discardableResult
    public static func summarize(spec: ExperimentSpec, directory: URL, bootstrapSamples: Int,
                                 selection: ConfigurationSelection? = nil, display: String? = nil,
                                 invocation: Invocation = Invocation()) throws -> [URL] {
        precondition(bootstrapSamples >= 0, "bootstrapSamples must be non-negative")
        // The sweep's lock: no sweep rewrites the files while they are read and replaced.
        let lock = try ResultsLock(directory: directory, display: display ?? directory.path)
        defer { lock.release() }
        if let selection, let conflict = EvaluationTau.selectionConflict(spec: spec, selection: selection) {
            throw SweepError.usage("--select-by \(selection): \(conflict); allowed: a metric that does not depend on τ, "
                + "or a spec with a top-level \"tau\"")
        }
        if let selection, let missing = ConfigurationSelection.availabilityConflict(spec: spec, selection: selection) {
            throw SweepError.usage("--select-by \(selection): \(missing); allowed: \(ConfigurationSelection.availabilityAllowed)")
        }
        // The inputs must be the bytes the runs were computed from (a copy or a file edited since
        // would silently describe another game).
        let manifest = RecordedManifest.previous(in: directory)
        if let mismatch = RecordedManifest.inputMismatch(spec, manifest: manifest) {
            throw SweepError.specChanged(directory: display ?? directory.path, message: "\(mismatch); "
                + "summarize with the original input files (the copies under inputs/ unless --spec is given), or re-run with `bench sweep --extend`")
        }
        let plans = try GridExpansion.plan(spec)
        let records = try RecordedResults.records(spec: spec, plans: plans, directory: directory)
        // A rule chosen with --select-by stays in force for later summaries and sweeps, while it
        // still applies to the spec.
        var recorded = manifest?.recordedSelection(specRule: spec.selectBy)
        if let r = recorded, EvaluationTau.selectionConflict(spec: spec, selection: r) != nil
            || ConfigurationSelection.availabilityConflict(spec: spec, selection: r) != nil { recorded = nil }
        let selection = selection ?? recorded
        let inForce = selection ?? spec.selectBy
        try ResultStore.write(SummaryFile.self, directory: directory) {
            try Summaries.writeSummary(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples, to: $0)
        }
        try ResultStore.write(CurveSummaryFile.self, directory: directory) {
            try Summaries.writeCurveSummary(spec: spec, plans: plans, records: records, to: $0)
        }
        try ResultAnalysis.write(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples,
                                 selection: selection, directory: directory)
        let urls = fileNames.map { directory.appendingPathComponent($0) }
        if let manifest {
            let selectionJSON = RecordedManifest.selectionJSON(inForce, source: selection == nil ? "spec" : "bench summarize", specRule: spec.selectBy)
            let entry = invocation.json(spec: spec, action: "summarize", extra: [
                JSONMember("select_by", selectionJSON), JSONMember("bootstrap_samples", .integer(bootstrapSamples)),
            ])
            let updated = manifest.updating(with: [
                JSONMember(.selectBy, selectionJSON), JSONMember(.bootstrapSamples, .integer(bootstrapSamples)),
                JSONMember(.history, .array(manifest.history + [entry])),
            ])
            try ResultStore.writeAtomically(updated.json.prettyText, to: directory.appendingPathComponent(RecordedManifest.fileName))
        }
        return urls
    }
}

extension ResultSummarizer {
    /// Reads a results directory's input-file copies in place of the paths its manifest records
    /// (so `bench summarize` works on a directory that was moved or copied elsewhere).
    public static func inputLocator(directory: URL) -> InputLocator {
        RecordedManifest.locator(directory: directory, manifest: RecordedManifest.previous(in: directory))
    }
}
