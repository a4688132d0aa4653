import AlignmentCore
import ResultFiles
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

        let runs = try SweepError.mapping { try RunsFile.reader(directory: directory, extra: Metric.ids) }
        let runsPath = runs.csv.path
        while let row = try SweepError.mapping({ try runs.next() }) {
            let id = row[.runID]
            guard let plan = byID[id] else {
                throw SweepError.store("\(runsPath): run \(id) (line \(row.record.line)) is not in the plan of \(spec.file); "
                    + "the results were written by another version of the spec — re-run `bench sweep`")
            }
            guard records[id] == nil else { throw SweepError.store("\(runsPath): run \(id) appears twice") }
            guard let status = RunRecord.Status(rawValue: row[.status]) else {
                throw SweepError.store("\(runsPath):\(row.record.line): column status: \"\(row[.status])\" is not ok or failed")
            }
            var final: [String: Double] = [:]
            for m in Metric.ids { final[m] = try SweepError.mapping { try row.number(extra: m) } }
            let error = row[.error]
            records[id] = RunRecord(runID: id, fingerprint: plan.fingerprint, status: status,
                                    error: error.isEmpty ? nil : error,
                                    iterations: try SweepError.mapping { try row.integer(.iterations) },
                                    queries: try SweepError.mapping { try row.integer(.queries) },
                                    finalMetrics: final, curve: [], policy: [], seconds: 0)
        }
        let missing = plans.filter { records[$0.runID] == nil }
        guard missing.isEmpty else {
            throw SweepError.store("\(runsPath): \(missing.count) of \(plans.count) planned runs have no row (first: \(missing[0].runID), "
                + "\(missing[0].key)); the results were written by another version of the spec — re-run `bench sweep`")
        }

        let diagnostics = spec.diagnosticColumns
        let curves = try SweepError.mapping { try CurvesFile.reader(directory: directory, extra: Metric.ids + diagnostics) }
        while let row = try SweepError.mapping({ try curves.next() }) {
            let id = row[.runID]
            guard records[id] != nil else { throw SweepError.store("\(curves.csv.path):\(row.record.line): unknown run \(id)") }
            var metrics: [String: Double] = [:], diag: [String: Double] = [:]
            for m in Metric.ids { metrics[m] = try SweepError.mapping { try row.number(extra: m) } }
            for d in diagnostics { diag[d] = try SweepError.mapping { try row.number(extra: d) } }
            records[id]!.curve.append(CurvePoint(iteration: try SweepError.mapping { try row.integer(.iteration) },
                                                 queries: try SweepError.mapping { try row.integer(.queries) },
                                                 metrics: metrics, diagnostics: diag))
        }

        let policies = try SweepError.mapping { try PoliciesFile.reader(directory: directory) }
        let policiesPath = policies.csv.path
        var rowsByRun: [String: [[Double]]] = [:]
        while let row = try SweepError.mapping({ try policies.next() }) {
            let id = row[.runID]
            let line = row.record.line
            guard records[id] != nil else { throw SweepError.store("\(policiesPath):\(line): unknown run \(id)") }
            let x = try SweepError.mapping { try row.integer(.context) }
            let y = try SweepError.mapping { try row.integer(.action) }
            guard let p = try SweepError.mapping({ try row.number(.probability) }) else {
                throw SweepError.store("\(policiesPath):\(line): empty probability")
            }
            // Rows are written context by context, action by action, starting at 0.
            let contexts = rowsByRun[id]?.count ?? 0
            if x == contexts && y == 0 {
                rowsByRun[id, default: []].append([p])
            } else if x == contexts - 1 && y == rowsByRun[id]![x].count {
                rowsByRun[id]![x].append(p)
            } else {
                throw SweepError.store("\(policiesPath):\(line): context \(x), action \(y) out of order for run \(id)")
            }
        }
        for (id, policy) in rowsByRun { records[id]!.policy = policy }
        return records
    }
}
