import AlignmentCore
import Foundation

/// The run records of a results directory rebuilt from runs.csv, curves.csv and policies.csv —
/// everything the summaries and the between-algorithm tables read (status, final metrics, curve,
/// final policy). Numbers are read back bit for bit (the files use the shortest round-trip form).
enum RecordedResults {
    /// Rebuilds the records of `plans` from the CSV files in `directory`.
    ///
    /// The fields the files do not hold are filled with the plan's fingerprint and 0 seconds.
    /// - Throws: `SweepError.store` when a file is missing or malformed, when runs.csv names a run
    ///   that is not in the plan, or when a planned run has no row (the results belong to another
    ///   version of the spec).
    static func records(spec: ExperimentSpec, plans: [RunPlan], directory: URL) throws -> [String: RunRecord] {
        let byID = Dictionary(uniqueKeysWithValues: plans.map { ($0.runID, $0) })
        var records: [String: RunRecord] = [:]

        let runs = try ResultsCSV(directory: directory, name: "runs.csv")
        let rc = try runs.columns(["run_id", "status", "error", "iterations", "queries"] + Metric.ids)
        for row in runs.rows.indices {
            let id = runs.rows[row][rc["run_id"]!]
            guard let plan = byID[id] else {
                throw SweepError.store("\(runs.path): run \(id) (row \(row + 2)) is not in the plan of \(spec.file); "
                    + "the results were written by another version of the spec — re-run `bench sweep`")
            }
            guard records[id] == nil else { throw SweepError.store("\(runs.path): run \(id) appears twice") }
            let statusText = runs.rows[row][rc["status"]!]
            guard let status = RunRecord.Status(rawValue: statusText) else {
                throw SweepError.store("\(runs.path): row \(row + 2), column status: \"\(statusText)\" is not ok or failed")
            }
            var final: [String: Double] = [:]
            for m in Metric.ids { final[m] = try runs.number(row, m, rc[m]!) }
            let error = runs.rows[row][rc["error"]!]
            records[id] = RunRecord(runID: id, fingerprint: plan.fingerprint, status: status,
                                    error: error.isEmpty ? nil : error,
                                    iterations: try runs.integer(row, "iterations", rc["iterations"]!),
                                    queries: try runs.integer(row, "queries", rc["queries"]!),
                                    finalMetrics: final, curve: [], policy: [], seconds: 0)
        }
        let missing = plans.filter { records[$0.runID] == nil }
        guard missing.isEmpty else {
            throw SweepError.store("\(runs.path): \(missing.count) of \(plans.count) planned runs have no row (first: \(missing[0].runID), "
                + "\(missing[0].key)); the results were written by another version of the spec — re-run `bench sweep`")
        }

        let curves = try ResultsCSV(directory: directory, name: "curves.csv")
        let diagnostics = spec.diagnosticColumns
        let cc = try curves.columns(["run_id", "iteration", "queries"] + Metric.ids + diagnostics)
        for row in curves.rows.indices {
            let id = curves.rows[row][cc["run_id"]!]
            guard records[id] != nil else { throw SweepError.store("\(curves.path): row \(row + 2): unknown run \(id)") }
            var metrics: [String: Double] = [:], diag: [String: Double] = [:]
            for m in Metric.ids { metrics[m] = try curves.number(row, m, cc[m]!) }
            for d in diagnostics { diag[d] = try curves.number(row, d, cc[d]!) }
            records[id]!.curve.append(CurvePoint(iteration: try curves.integer(row, "iteration", cc["iteration"]!),
                                                 queries: try curves.integer(row, "queries", cc["queries"]!),
                                                 metrics: metrics, diagnostics: diag))
        }

        let policies = try ResultsCSV(directory: directory, name: "policies.csv")
        let pc = try policies.columns(["run_id", "context", "action", "probability"])
        var rowsByRun: [String: [[Double]]] = [:]
        for row in policies.rows.indices {
            let id = policies.rows[row][pc["run_id"]!]
            guard records[id] != nil else { throw SweepError.store("\(policies.path): row \(row + 2): unknown run \(id)") }
            let x = try policies.integer(row, "context", pc["context"]!)
            let y = try policies.integer(row, "action", pc["action"]!)
            guard let p = try policies.number(row, "probability", pc["probability"]!) else {
                throw SweepError.store("\(policies.path): row \(row + 2): empty probability")
            }
            // Rows are written context by context, action by action, starting at 0.
            let contexts = rowsByRun[id]?.count ?? 0
            if x == contexts && y == 0 {
                rowsByRun[id, default: []].append([p])
            } else if x == contexts - 1 && y == rowsByRun[id]![x].count {
                rowsByRun[id]![x].append(p)
            } else {
                throw SweepError.store("\(policies.path): row \(row + 2): context \(x), action \(y) out of order for run \(id)")
            }
        }
        for (id, policy) in rowsByRun { records[id]!.policy = policy }
        return records
    }
}
