import Foundation

/// A row of summary.csv: final metric statistics of one (environment, configuration).
struct SummaryRow: Sendable {
    var environment: String
    var series: SeriesKey
    var metric: String
    var mean: Double
    var ciLow: Double?
    var ciHigh: Double?
}

/// A row of curve_summary.csv: the statistics of one metric at one checkpoint.
struct CurveRow: Sendable {
    var environment: String
    var series: SeriesKey
    var metric: String
    var iteration: Double
    var queries: Double?
    var mean: Double
    var ciLow: Double?
    var ciHigh: Double?
}

/// A row of pairwise.csv: P(π_a ≻ π_b) with its CI over seeds.
struct PairwiseRow: Sendable {
    var environment: String
    var a: SeriesKey
    var b: SeriesKey
    var mean: Double
    var ciLow: Double?
    var ciHigh: Double?
}

/// A row of frontier.csv: one point of the exact reward–KL frontier.
struct FrontierRow: Sendable {
    var environment: String
    var beta: Double
    var kl: Double
    var reward: Double
}

/// Loads the sweep's results files, keeping only rows with a mean and inside the figure's filters.
struct ResultTables: Sendable {
    /// The results directory.
    var directory: URL
    /// The figure being drawn (filters, error attribution).
    var spec: FigureSpec

    private func keep(environment: String, algorithms: [String]) -> Bool {
        if let envs = spec.environments, !envs.contains(environment) { return false }
        if let algs = spec.algorithms, !algorithms.allSatisfy(algs.contains) { return false }
        return true
    }

    /// summary.csv rows for the given metrics.
    func summary(metrics: Set<String>) throws -> [SummaryRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("summary.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm", "config", "metric", "mean", "ci_low", "ci_high"])
        return t.rows.compactMap { r in
            guard metrics.contains(r[c["metric"]!]), let mean = CSVTable.number(r[c["mean"]!]),
                  keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm"]!]]) else { return nil }
            return SummaryRow(
                environment: r[c["environment"]!], series: SeriesKey(algorithm: r[c["algorithm"]!], config: r[c["config"]!]),
                metric: r[c["metric"]!], mean: mean,
                ciLow: CSVTable.number(r[c["ci_low"]!]), ciHigh: CSVTable.number(r[c["ci_high"]!]))
        }
    }

    /// curve_summary.csv rows for one metric.
    func curves(metric: String) throws -> [CurveRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("curve_summary.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm", "config", "metric", "iteration", "mean", "ci_low", "ci_high", "queries"])
        return t.rows.compactMap { r in
            guard r[c["metric"]!] == metric, let mean = CSVTable.number(r[c["mean"]!]),
                  let iteration = CSVTable.number(r[c["iteration"]!]),
                  keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm"]!]]) else { return nil }
            return CurveRow(
                environment: r[c["environment"]!], series: SeriesKey(algorithm: r[c["algorithm"]!], config: r[c["config"]!]),
                metric: metric, iteration: iteration, queries: CSVTable.number(r[c["queries"]!]), mean: mean,
                ciLow: CSVTable.number(r[c["ci_low"]!]), ciHigh: CSVTable.number(r[c["ci_high"]!]))
        }
    }

    /// pairwise.csv rows (both algorithms must pass the algorithm filter).
    func pairwise() throws -> [PairwiseRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("pairwise.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm_a", "config_a", "algorithm_b", "config_b", "mean", "ci_low", "ci_high"])
        return t.rows.compactMap { r in
            guard let mean = CSVTable.number(r[c["mean"]!]),
                  keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm_a"]!], r[c["algorithm_b"]!]])
            else { return nil }
            return PairwiseRow(
                environment: r[c["environment"]!],
                a: SeriesKey(algorithm: r[c["algorithm_a"]!], config: r[c["config_a"]!]),
                b: SeriesKey(algorithm: r[c["algorithm_b"]!], config: r[c["config_b"]!]),
                mean: mean, ciLow: CSVTable.number(r[c["ci_low"]!]), ciHigh: CSVTable.number(r[c["ci_high"]!]))
        }
    }

    /// frontier.csv rows, or an empty list when the file does not exist (the curve is optional).
    func frontier() throws -> [FrontierRow] {
        let url = directory.appendingPathComponent("frontier.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let t = try CSVTable(contentsOf: url, figure: spec.id)
        let c = try t.columns(["environment", "beta", "kl", "reward"])
        return t.rows.compactMap { r in
            guard let kl = CSVTable.number(r[c["kl"]!]), let reward = CSVTable.number(r[c["reward"]!]),
                  keep(environment: r[c["environment"]!], algorithms: []) else { return nil }
            return FrontierRow(environment: r[c["environment"]!], beta: CSVTable.number(r[c["beta"]!]) ?? .nan,
                               kl: kl, reward: reward)
        }
    }
}
