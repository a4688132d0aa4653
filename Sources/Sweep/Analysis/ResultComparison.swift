import AlignmentCore
import BenchStatistics
import Foundation
import ResultFiles

/// `bench compare <A> <B>`: two results directories of one plan (the same spec run twice —
/// before and after a plugin change, on two machines, with two library versions) compared run by
/// run.
///
/// Runs are matched by run id; the plans must be equal (the same run ids, and per run the same
/// environment, algorithm label, configuration, replicate, rng seed and evaluation τ) and, by the
/// specs recorded in the two directories (spec.json), every shared run must be the same problem
/// (equal definition and input fingerprints: environment parameters, feedback, budget, reference,
/// input files), else the comparison is refused in one line naming what differs. Per group (environment, algorithm, config) and metric of the
/// registry (`Metric.all`, the columns both runs.csv files have), in plan order:
///
/// - `identical`: the runs whose metric cells are byte-identical (blank = blank included);
/// - over the runs with a finite value on both sides, the paired difference B − A: mean, 95%
///   Student t interval and paired t-test (`PairedTTest`, values equal up to `ValueTolerance`
///   count as equal);
/// - Holm's adjustment (`MultipleComparisons.holm`) over each algorithm label's family of tested
///   rows that are not identical, so that its verdict is a claim about the whole label;
/// - an outcome: `identical` (every cell byte-identical), `better` / `worse` (Holm-adjusted
///   p < `alpha`, with the side given by the metric's declared direction), `within noise`, or
///   `untested` (cells differ but fewer than 2 pairs have values on both sides).
///
/// Then one `Verdict` per algorithm label (`ResultComparison+Verdicts.swift`).
public struct ResultComparison: Sendable {
    /// The level of every decision: a row is better or worse when its Holm-adjusted p < 0.05.
    public static let alpha = 0.05
    /// The confidence of the intervals.
    public static let confidence = 0.95

    /// What one row says.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Every run's cell is byte-identical in A and B.
        case identical
        /// Cells differ, but the paired test finds no difference (Holm-adjusted p ≥ `alpha`).
        case withinNoise = "within noise"
        /// B is better by the metric's direction (Holm-adjusted p < `alpha`).
        case better
        /// B is worse by the metric's direction (Holm-adjusted p < `alpha`).
        case worse
        /// Cells differ but fewer than 2 runs have a finite value on both sides.
        case untested
    }

    /// One (environment, algorithm, config, metric) of the comparison.
    public struct Row: Sendable {
        /// Environment id.
        public var environment: String
        /// Algorithm label.
        public var algorithm: String
        /// Configuration key (as in runs.csv).
        public var config: String
        /// The registry entry.
        public var metric: Metric
        /// Runs of the group.
        public var runs: Int
        /// Runs whose cell is byte-identical in A and B.
        public var identical: Int
        /// Runs with a finite value in A only.
        public var onlyA: Int
        /// Runs with a finite value in B only.
        public var onlyB: Int
        /// Runs with a finite value on both sides (the pairs of the test).
        public var pairs: Int
        /// Mean over the pairs in A (nil without pairs).
        public var meanA: Double?
        /// Mean over the pairs in B.
        public var meanB: Double?
        /// The paired test of B − A over the pairs (nil for fewer than 2 pairs).
        public var test: PairedTTest?
        /// Holm-adjusted p over the algorithm's tested non-identical rows (nil for identical or untested rows).
        public var pHolm: Double?
        /// What the row says.
        public var outcome: Outcome
    }

    /// The directories as shown (A, B).
    public var displayA: String
    /// B's directory as shown.
    public var displayB: String
    /// Runs in each plan.
    public var runs: Int
    /// The metrics compared (registry order, columns of both runs.csv files).
    public var metrics: [Metric]
    /// The rows, in plan order of the groups, metrics in registry order; a metric blank in every
    /// run of a group on both sides has no row.
    public var rows: [Row]
    /// One verdict per algorithm label, in plan order.
    public var verdicts: [Verdict]
    /// Remarks for stderr (e.g. a metric column only one file has).
    public var notes: [String]

    /// Compares the runs.csv of two results directories.
    /// - Parameters:
    ///   - a: directory A (before).
    ///   - b: directory B (after).
    ///   - displayA: A as shown in messages.
    ///   - displayB: B as shown in messages.
    /// - Throws: `SweepError.store` (status 9) when a runs.csv is missing or malformed, or the
    ///   two plans differ (one line naming what differs); `SweepError.io` for a read error.
    /// - Complexity: O(runs × metrics) plus the sorting of Holm's families.
    public static func compare(_ a: URL, _ b: URL, displayA: String, displayB: String) throws -> ResultComparison {
        let headerA = try SweepError.mapping { try CSVReader(url: a.appendingPathComponent(RunsFile.fileName), display: displayA + "/" + RunsFile.fileName).header }
        let headerB = try SweepError.mapping { try CSVReader(url: b.appendingPathComponent(RunsFile.fileName), display: displayB + "/" + RunsFile.fileName).header }
        let metrics = Metric.all.filter { headerA.contains($0.id) && headerB.contains($0.id) }
        var notes: [String] = []
        for m in Metric.all where headerA.contains(m.id) != headerB.contains(m.id) {
            let (has, lacks) = headerA.contains(m.id) ? (displayA, displayB) : (displayB, displayA)
            notes.append("metric \(m.id) is a column of \(has)/runs.csv but not of \(lacks)/runs.csv (another version of bench); not compared")
        }
        let runsA = try ComparedRun.read(a, display: displayA, metrics: metrics.map(\.id))
        let runsB = try ComparedRun.read(b, display: displayB, metrics: metrics.map(\.id))
        let planA = try RecordedPlan.read(a, display: displayA), planB = try RecordedPlan.read(b, display: displayB)
        try ComparedRun.requireSamePlan(runsA, runsB, displayA: displayA, displayB: displayB, planA: planA, planB: planB)
        if let planA, let planB {
            try ComparedRun.requireSameDefinitions(runsA, planA: planA, planB: planB, displayA: displayA, displayB: displayB)
        } else {
            let missing = [(planA, displayA), (planB, displayB)].filter { $0.0 == nil }.map { "\($0.1)/\(RecordedManifest.specCopyName)" }
            notes.append("run definitions not verified: no recorded spec (\(missing.joined(separator: ", "))); runs are matched by id alone")
        }
        let byID = Dictionary(uniqueKeysWithValues: runsB.map { ($0.runID, $0) })
        let pairs = runsA.map { ($0, byID[$0.runID]!) }
        var rows = try Self.rows(pairs, metrics: metrics)
        try Self.adjust(&rows)
        let verdicts = Self.verdicts(rows: rows, pairs: pairs)
        return ResultComparison(displayA: displayA, displayB: displayB, runs: runsA.count, metrics: metrics,
                                rows: rows, verdicts: verdicts, notes: notes)
    }

    /// The rows of every group, before Holm's adjustment.
    private static func rows(_ pairs: [(ComparedRun, ComparedRun)], metrics: [Metric]) throws -> [Row] {
        var order: [ComparedRun.Group] = []
        var members: [ComparedRun.Group: [(ComparedRun, ComparedRun)]] = [:]
        for pair in pairs {
            if members[pair.0.group] == nil { order.append(pair.0.group) }
            members[pair.0.group, default: []].append(pair)
        }
        var rows: [Row] = []
        for group in order {
            let runs = members[group]!
            for (k, metric) in metrics.enumerated() {
                guard runs.contains(where: { !$0.0.cells[k].isEmpty || !$0.1.cells[k].isEmpty }) else { continue }
                var row = Row(environment: group.environment, algorithm: group.algorithm, config: group.config, metric: metric,
                              runs: runs.count, identical: 0, onlyA: 0, onlyB: 0, pairs: 0, meanA: nil, meanB: nil,
                              test: nil, pHolm: nil, outcome: .identical)
                var before: [Double] = [], after: [Double] = []
                for (x, y) in runs {
                    if x.cells[k] == y.cells[k] { row.identical += 1 }
                    switch (x.values[k].flatMap { $0.isFinite ? $0 : nil }, y.values[k].flatMap { $0.isFinite ? $0 : nil }) {
                    case let (u?, v?): before.append(u); after.append(v)
                    case (_?, nil): row.onlyA += 1
                    case (nil, _?): row.onlyB += 1
                    case (nil, nil): break
                    }
                }
                row.pairs = before.count
                if !before.isEmpty {
                    row.meanA = before.reduce(0, +) / Double(before.count)
                    row.meanB = after.reduce(0, +) / Double(after.count)
                }
                if before.count >= 2 {
                    row.test = try PairedTTest(before: before, after: after, confidence: confidence)
                }
                row.outcome = row.identical == row.runs ? .identical : row.test == nil ? .untested : .withinNoise
                rows.append(row)
            }
        }
        return rows
    }

    /// Holm's adjustment per algorithm label over its tested, non-identical rows; sets `pHolm`
    /// and the better/worse outcomes.
    private static func adjust(_ rows: inout [Row]) throws {
        var family: [String: [Int]] = [:]
        for (i, row) in rows.enumerated() where row.outcome == .withinNoise { family[row.algorithm, default: []].append(i) }
        for indices in family.values {
            let adjusted = try MultipleComparisons.holm(indices.map { rows[$0].test!.pValue })
            for (i, p) in zip(indices, adjusted) {
                rows[i].pHolm = p
                let test = rows[i].test!
                guard p < alpha, test.meanDifference != 0 else { continue }
                let higher = rows[i].metric.direction == .higherIsBetter
                rows[i].outcome = (test.meanDifference > 0) == higher ? .better : .worse
            }
        }
    }
}
