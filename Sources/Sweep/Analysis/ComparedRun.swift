import Foundation
import ResultFiles

/// One row of runs.csv as `bench compare` reads it: the plan's identity of the run, its status and
/// its metric cells (text, compared byte for byte, and numbers).
struct ComparedRun: Sendable {
    /// The group a run is summarised in.
    struct Group: Hashable, Sendable {
        var environment: String
        var algorithm: String
        var config: String
    }

    var runID: String
    var group: Group
    var seed: String
    var rngSeed: String
    var evalTau: String
    var status: String
    /// The metric cells, in the order of the reader's metrics.
    var cells: [String]
    /// The cells as numbers (nil for an empty cell).
    var values: [Double?]

    /// The runs of `directory/runs.csv` in file (plan) order.
    /// - Throws: `SweepError.store` for a missing or malformed file, a cell that is not a number,
    ///   or a run id listed twice.
    static func read(_ directory: URL, display: String, metrics: [String]) throws -> [ComparedRun] {
        let reader = try SweepError.mapping { try RunsFile.reader(directory: directory, display: display, extra: metrics) }
        var seen: Set<String> = []
        var runs: [ComparedRun] = []
        while let row = try SweepError.mapping({ try reader.next() }) {
            let id = row[.runID]
            guard seen.insert(id).inserted else {
                throw SweepError.store("\(reader.csv.path):\(row.record.line): run \(id) appears twice")
            }
            let cells = metrics.map { row[extra: $0] }
            let values = try metrics.map { m in try SweepError.mapping { try row.number(extra: m) } }
            runs.append(ComparedRun(runID: id, group: Group(environment: row[.environment], algorithm: row[.algorithm], config: row[.config]),
                                    seed: row[.seed], rngSeed: row[.rngSeed], evalTau: row[.evalTau], status: row[.status],
                                    cells: cells, values: values))
        }
        return runs
    }

    /// The plan fields compared, with their runs.csv column names.
    private static let planFields: [(String, @Sendable (ComparedRun) -> String)] = [
        ("environment", { $0.group.environment }), ("algorithm", { $0.group.algorithm }), ("config", { $0.group.config }),
        ("seed", { $0.seed }), ("rng_seed", { $0.rngSeed }), ("eval_tau", { $0.evalTau }),
    ]

    /// A run as named in messages: "<id>: <environment>, <algorithm>, <config>, seed <replicate>".
    var described: String {
        "\(runID): \(group.environment), \(group.algorithm), \(group.config), seed \(seed)"
    }

    /// Checks that A and B are one plan: the same run ids and, per run, the same environment,
    /// algorithm, config, seed, rng_seed and eval_tau. Runs only on one side are named by their run
    /// key when that side's recorded plan is given.
    /// - Throws: `SweepError.store` with one line listing every kind of difference, each with its
    ///   count and first instance in plan order.
    static func requireSamePlan(_ a: [ComparedRun], _ b: [ComparedRun], displayA: String, displayB: String,
                                planA: RecordedPlan? = nil, planB: RecordedPlan? = nil) throws {
        let idsA = Set(a.map(\.runID)), idsB = Set(b.map(\.runID))
        var problems: [String] = []
        let onlyA = a.filter { !idsB.contains($0.runID) }
        let onlyB = b.filter { !idsA.contains($0.runID) }
        // With the recorded specs, a run is named by its key, which shows its hyperparameters
        // (a changed fixed value keeps config "default" but changes the key and the id).
        func named(_ run: ComparedRun, _ plan: RecordedPlan?) -> String {
            plan?.key(run.runID).map { "\(run.runID): \($0)" } ?? run.described
        }
        if !onlyA.isEmpty { problems.append("runs only in A: \(onlyA.count) (first: \(named(onlyA[0], planA)))") }
        if !onlyB.isEmpty { problems.append("runs only in B: \(onlyB.count) (first: \(named(onlyB[0], planB)))") }
        let byID = Dictionary(uniqueKeysWithValues: b.map { ($0.runID, $0) })
        for (name, field) in planFields {
            let differing = a.compactMap { x in byID[x.runID].flatMap { field($0) == field(x) ? nil : (x, $0) } }
            guard let (x, y) = differing.first else { continue }
            problems.append("\(name) differs in \(differing.count) run\(differing.count == 1 ? "" : "s") "
                + "(first: \(x.runID): A \(SpecText.quoted(field(x))), B \(SpecText.quoted(field(y))))")
        }
        if a.isEmpty && b.isEmpty { problems.append("no runs in either runs.csv") }
        guard !problems.isEmpty else { return }
        throw SweepError.store("\(displayA) (A) and \(displayB) (B) are not results of one plan: "
            + problems.joined(separator: "; ")
            + "; allowed: two results directories of the same spec (same run ids, environments, algorithms, configurations, seeds and evaluation τ)")
    }
}
