import AlignmentCore
import StableFloor
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result files of a sweep (DESIGN §8), materialised from the journal's records in plan order,
/// so they depend only on the records — not on --jobs, timing or interruptions.
public enum ResultStore {
    /// Names of the files written to the results directory, in the order they are written
    /// (manifest.json last, so a manifest only ever names files that exist).
    public static let fileNames = ["runs.csv", "curves.csv", "policies.csv", "summary.csv", "curve_summary.csv",
                                   "timings.csv"] + ResultAnalysis.fileNames + ["manifest.json"]
    /// The journal's file name.
    public static let journalName = "journal.jsonl"

    /// runs.csv columns for a spec.
    public static func runsHeader(_ spec: ExperimentSpec) -> [String] {
        ["run_id", "environment", "algorithm"] + spec.hyperparameterColumns
            + ["seed", "rng_seed", "status", "error", "iterations", "queries", "eval_tau"] + Metric.ids
    }

    /// curves.csv columns for a spec.
    public static func curvesHeader(_ spec: ExperimentSpec) -> [String] {
        ["run_id", "iteration", "queries"] + Metric.ids + spec.diagnosticColumns
    }

    /// runs.csv text.
    static func runsCSV(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord]) -> String {
        let hyper = spec.hyperparameterColumns
        var csv = CSVWriter(header: runsHeader(spec))
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            let alg = spec.algorithms[plan.algorithm]
            let params = alg.points[plan.point].parameters
            csv.append([plan.runID, spec.environments[plan.environment].id, alg.label]
                + hyper.map { params[$0]?.description ?? "" }
                + [String(plan.replicate), StableHash.hex(plan.rngSeed), r.status.rawValue, r.error ?? "",
                   String(r.iterations), String(r.queries),
                   EvaluationTau.cell(EvaluationTau.of(spec: spec, algorithm: plan.algorithm, point: plan.point))]
                + Metric.ids.map { CSVWriter.cell(r.finalMetrics[$0]) })
        }
        return csv.text
    }

    /// curves.csv text.
    static func curvesCSV(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord]) -> String {
        let diagnostics = spec.diagnosticColumns
        var csv = CSVWriter(header: curvesHeader(spec))
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            for p in r.curve {
                csv.append([plan.runID, String(p.iteration), String(p.queries)]
                    + Metric.ids.map { CSVWriter.cell(p.metrics[$0]) }
                    + diagnostics.map { CSVWriter.cell(p.diagnostics[$0]) })
            }
        }
        return csv.text
    }

    /// policies.csv text (final policies of ok runs).
    static func policiesCSV(plans: [RunPlan], records: [String: RunRecord]) -> String {
        var csv = CSVWriter(header: ["run_id", "context", "action", "probability"])
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            for (x, row) in r.policy.enumerated() {
                for (y, p) in row.enumerated() { csv.append([plan.runID, String(x), String(y), CSVWriter.cell(p)]) }
            }
        }
        return csv.text
    }

    /// timings.csv text.
    static func timingsCSV(plans: [RunPlan], records: [String: RunRecord]) -> String {
        var csv = CSVWriter(header: ["run_id", "seconds"])
        for plan in plans {
            guard let r = records[plan.runID] else { continue }
            csv.append([plan.runID, CSVWriter.cell(r.seconds)])
        }
        return csv.text
    }

    /// Writes every result file from the records (temp file, fsync, rename for each), in
    /// `fileNames` order: manifest.json last, so a sweep killed while the files are written never
    /// leaves a new manifest naming files that do not exist yet.
    /// - Parameters:
    ///   - manifest: makes the manifest, called after the other files are written.
    /// - Throws: `SweepError.io` on file-system errors, `StatisticsError` from the summaries.
    static func materialize(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], directory: URL,
                            bootstrapSamples: Int, manifest: () -> JSONValue) throws {
        let files: [(String, String)] = [
            ("runs.csv", runsCSV(spec: spec, plans: plans, records: records)),
            ("curves.csv", curvesCSV(spec: spec, plans: plans, records: records)),
            ("policies.csv", policiesCSV(plans: plans, records: records)),
            ("summary.csv", try Summaries.summaryCSV(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples)),
            ("curve_summary.csv", try Summaries.curveSummaryCSV(spec: spec, plans: plans, records: records)),
            ("timings.csv", timingsCSV(plans: plans, records: records)),
        ] + (try ResultAnalysis.files(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples))
            + [("manifest.json", "")]
        assert(files.map(\.0) == fileNames, "materialize writes fileNames in order")
        for (name, text) in files {
            // The manifest is made last, after every other file is written (its end time included).
            try writeAtomically(name == "manifest.json" ? manifest().prettyText : text, to: directory.appendingPathComponent(name))
        }
    }

    /// Writes `text` to a temporary file next to `url`, syncs it and renames it over `url`, so
    /// readers see the old or the new file, never a partial one. Symbolic links are never followed:
    /// a `url` that is a link is refused, and the temporary file is created with
    /// `O_CREAT | O_EXCL | O_NOFOLLOW` after unlinking a stale one.
    /// - Throws: `SweepError.io`.
    /// On failure (disk full, file too large, permission) the temporary file is removed and `url`
    /// keeps its previous content.
    static func writeAtomically(_ text: String, to url: URL) throws {
        try writeAtomically(Array(text.utf8), to: url)
    }

    /// Writes `bytes` like `writeAtomically(_:to:)` writes text.
    /// - Throws: `SweepError.io`.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        guard !FileIO.isSymbolicLink(url.path) else { throw SweepError.io(path: url.path, message: FileIO.symbolicLinkMessage) }
        let tmp = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
        // A stale temporary file (or a link planted in its place) is removed, then created anew:
        // O_EXCL | O_NOFOLLOW never opens an existing file or follows a link.
        unlink(tmp.path)
        let (fd, openError) = FileIO.openNoFollow(tmp.path, O_WRONLY | O_CREAT | O_EXCL)
        guard fd >= 0 else {
            throw SweepError.io(path: openError == ELOOP || openError == EEXIST ? tmp.path : url.path,
                                message: openError == ELOOP || openError == EEXIST ? FileIO.symbolicLinkMessage
                                                                                   : "cannot write: \(FileIO.reason(openError))")
        }
        func fail(_ code: Int32) -> SweepError {
            FileIO.close(fd)
            unlink(tmp.path)
            return SweepError.io(path: url.path, message: "cannot write: \(FileIO.reason(code))")
        }
        let e = FileIO.writeAll(fd, bytes)
        guard e == 0 else { throw fail(e) }
        guard fsync(fd) == 0 else { throw fail(errno) }
        FileIO.close(fd)
        guard rename(tmp.path, url.path) == 0 else {
            let code = errno
            unlink(tmp.path)
            throw SweepError.io(path: url.path, message: "cannot write: \(FileIO.reason(code))")
        }
        FileIO.syncDirectory(url.deletingLastPathComponent())
    }
}
