import Foundation
import ResultFiles

/// A row of aggregates.csv: one statistic of one algorithm label across environments (Agarwal et
/// al. 2021), with its stratified-bootstrap interval.
struct AggregateRow: Sendable {
    /// `iqm`, `mean`, `probability_of_improvement` or `profile`.
    var statistic: String
    /// The algorithm label.
    var algorithm: String
    /// The opponent label of a `probability_of_improvement` row ("" otherwise).
    var opponent: String
    /// The threshold τ of a `profile` row.
    var threshold: Double?
    /// The number of environments aggregated.
    var environments: Int
    /// The number of runs of `algorithm` aggregated.
    var runs: Int
    /// The point estimate.
    var estimate: Double
    /// The bootstrap interval (nil when the sweep ran with `--bootstrap 0`).
    var low: Double?
    var high: Double?
    /// The metric's declared direction, "lower" or "higher".
    var direction: String
}

extension ResultTables {
    /// aggregates.csv rows of the figure's metric with the given normalisation and statistics,
    /// keeping the labels the figure's `algorithms` filter lists (an improvement row needs both
    /// labels listed).
    ///
    /// A results directory written before aggregates.csv existed, or a metric with no rows there
    /// (no ok run, a diagnostic, a τ-dependent metric measured at several τ), is "nothing to plot".
    /// - Throws: `FiguresError.noData` in those cases, `.malformedCSV` for a malformed cell.
    func aggregates(normalization: String, statistics: Set<String>, context: FigureContext) throws -> [AggregateRow] {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(AggregatesFile.fileName).path) else {
            throw context.noData("\(AggregatesFile.fileName) does not exist (results written before it; `bench summarize` on the results directory writes it)")
        }
        var metricSeen = false
        let rows = try FiguresError.mapping(figure: spec.id) {
            try open(AggregatesFile.self, reading: AggregatesFile.Column.allCases).compactMap { r -> AggregateRow? in
                guard r[.metric] == spec.metric else { return nil }
                metricSeen = true
                guard r[.normalization] == normalization, statistics.contains(r[.statistic]),
                      let estimate = try r.finite(.estimate) else { return nil }
                let names = r[.opponent].isEmpty ? [r[.algorithm]] : [r[.algorithm], r[.opponent]]
                if let wanted = spec.algorithms, !names.allSatisfy(wanted.contains) { return nil }
                return AggregateRow(statistic: r[.statistic], algorithm: r[.algorithm], opponent: r[.opponent],
                                    threshold: try r.finite(.threshold), environments: Int(r[.environments]) ?? 0,
                                    runs: Int(r[.runs]) ?? 0, estimate: estimate, low: try r.finite(.bootLow),
                                    high: try r.finite(.bootHigh), direction: r[.direction])
            }
        }
        guard metricSeen else {
            throw context.noData("aggregates.csv has no rows for metric '\(spec.metric)' (no label has ok runs with it on every "
                                 + "environment where it is measured, it is a plugin diagnostic, or a τ-dependent metric measured at several τ)")
        }
        guard !rows.isEmpty else { throw context.noData("aggregates.csv has no \(statistics.sorted().joined(separator: "/")) rows for metric '\(spec.metric)'") }
        return rows
    }

    /// The labels of `rows` in figure order: the figure's `algorithms` list when given, else the
    /// order of first appearance in aggregates.csv (the spec's order).
    static func labels(_ rows: [AggregateRow], listed: [String]?) -> [String] {
        var seen: [String] = []
        for r in rows {
            for name in [r.algorithm, r.opponent] where !name.isEmpty && !seen.contains(name) { seen.append(name) }
        }
        guard let listed else { return seen }
        return listed.filter(seen.contains)
    }
}

extension FigureOption {
    /// `normalize`: the scores aggregated, raw (`none`) or min–max normalised per environment
    /// (`min-max`), as in aggregates.csv's `normalization` column.
    public static let normalize = FigureOption(
        "normalize", .choice(["none", "min-max"]), defaultValue: "\"none\"",
        doc: "Scores aggregated across environments: \"none\" (raw; probability metrics in [0, 1] are comparable raw) or \"min-max\" (per environment (x − min)/(max − min) over every run of every algorithm there, so each environment spans [0, 1]).")
}
