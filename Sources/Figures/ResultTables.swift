import Foundation

/// A row of summary.csv: final metric statistics of one (environment, configuration).
struct SummaryRow: Sendable {
    var environment: String
    var series: SeriesKey
    var metric: String
    var mean: Double
    var ciLow: Double?
    var ciHigh: Double?
    /// The `eval_tau` cell ("" for τ-free metrics and results written before the column existed).
    var evalTau: String = ""
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
    /// The `eval_tau` cell ("" for τ-free metrics and older results).
    var evalTau: String = ""
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

    /// Whether a row passes the figure's environment and algorithm filters.
    func keep(environment: String, algorithms: [String]) -> Bool {
        if let envs = spec.environments, !envs.contains(environment) { return false }
        if let algs = spec.algorithms, !algorithms.allSatisfy(algs.contains) { return false }
        return true
    }

    /// Refuses rows of one metric measured at different evaluation τ (distinct non-empty
    /// `eval_tau` cells): a figure never puts a τ-dependent metric of different τ side by side.
    /// - Throws: `FiguresError.mixedTau` naming the metric and which series has which τ.
    func checkSingleTau(metric: String, _ cells: [(series: SeriesKey, tau: String)]) throws {
        var seen: [String: SeriesKey] = [:]
        var order: [String] = []
        for (series, tau) in cells where !tau.isEmpty && seen[tau] == nil {
            seen[tau] = series
            order.append(tau)
        }
        guard order.count > 1 else { return }
        let listing = order.map { "τ = \($0) (e.g. \(seen[$0]!.label))" }.joined(separator: ", ")
        throw FiguresError.mixedTau(figure: spec.id, reason: "'\(metric)' depends on τ and its values here are measured at "
            + "\(listing); give the spec a top-level \"tau\" or restrict the figure's algorithms to one τ")
    }

    /// summary.csv rows for the given metrics.
    ///
    /// A metric that summary.csv does not list at all (a plugin diagnostic such as
    /// preference_model_accuracy, recorded only in curves) is taken from curve_summary.csv at each
    /// configuration's last recorded iteration — the statistics of its final values.
    func summary(metrics: Set<String>) throws -> [SummaryRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("summary.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm", "config", "metric", "mean", "ci_low", "ci_high"])
        let listed = Set(t.rows.map { $0[c["metric"]!] })
        var fallback: [SummaryRow] = []
        for metric in metrics.subtracting(listed).sorted()
        where FileManager.default.fileExists(atPath: directory.appendingPathComponent("curve_summary.csv").path) {
            var last: [String: CurveRow] = [:]
            var order: [String] = []
            for row in try curves(metric: metric) {
                let key = "\(row.environment)\u{1}\(row.series.algorithm)\u{1}\(row.series.config)"
                if last[key] == nil { order.append(key) }
                if last[key].map({ row.iteration > $0.iteration }) ?? true { last[key] = row }
            }
            fallback += order.map { last[$0]! }.map {
                SummaryRow(environment: $0.environment, series: $0.series, metric: metric, mean: $0.mean, ciLow: $0.ciLow, ciHigh: $0.ciHigh, evalTau: $0.evalTau)
            }
        }
        let tauColumn = t.header.firstIndex(of: "eval_tau")
        let rows = fallback + t.rows.compactMap { r -> SummaryRow? in
            guard metrics.contains(r[c["metric"]!]), let mean = CSVTable.number(r[c["mean"]!]),
                  keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm"]!]]) else { return nil }
            return SummaryRow(
                environment: r[c["environment"]!], series: SeriesKey(algorithm: r[c["algorithm"]!], config: r[c["config"]!]),
                metric: r[c["metric"]!], mean: mean,
                ciLow: CSVTable.number(r[c["ci_low"]!]), ciHigh: CSVTable.number(r[c["ci_high"]!]),
                evalTau: tauColumn.map { r[$0] } ?? "")
        }
        for metric in metrics.sorted() {
            try checkSingleTau(metric: metric, rows.filter { $0.metric == metric }.map { ($0.series, $0.evalTau) })
        }
        return rows
    }

    /// curve_summary.csv rows for one metric.
    func curves(metric: String) throws -> [CurveRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("curve_summary.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm", "config", "metric", "iteration", "mean", "ci_low", "ci_high", "queries"])
        let tauColumn = t.header.firstIndex(of: "eval_tau")
        let rows = t.rows.compactMap { r -> CurveRow? in
            guard r[c["metric"]!] == metric, let mean = CSVTable.number(r[c["mean"]!]),
                  let iteration = CSVTable.number(r[c["iteration"]!]),
                  keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm"]!]]) else { return nil }
            return CurveRow(
                environment: r[c["environment"]!], series: SeriesKey(algorithm: r[c["algorithm"]!], config: r[c["config"]!]),
                metric: metric, iteration: iteration, queries: CSVTable.number(r[c["queries"]!]), mean: mean,
                ciLow: CSVTable.number(r[c["ci_low"]!]), ciHigh: CSVTable.number(r[c["ci_high"]!]),
                evalTau: tauColumn.map { r[$0] } ?? "")
        }
        try checkSingleTau(metric: metric, rows.map { ($0.series, $0.evalTau) })
        return rows
    }

    /// pairwise.csv rows (both algorithms must pass the algorithm filter; the reference μ — the
    /// participant "reference", or "reference_mu" when a label is called "reference" — is not an
    /// algorithm label and always passes).
    func pairwise() throws -> [PairwiseRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("pairwise.csv"), figure: spec.id)
        let c = try t.columns(["environment", "algorithm_a", "config_a", "algorithm_b", "config_b", "mean", "ci_low", "ci_high"])
        let mu = t.rows.contains { $0[c["algorithm_a"]!] == "reference_mu" } ? "reference_mu" : "reference"
        return t.rows.compactMap { r in
            let algorithms = [(r[c["algorithm_a"]!], r[c["config_a"]!]), (r[c["algorithm_b"]!], r[c["config_b"]!])]
                .filter { !($0.0 == mu && $0.1.isEmpty) }.map(\.0)
            guard let mean = CSVTable.number(r[c["mean"]!]),
                  keep(environment: r[c["environment"]!], algorithms: algorithms)
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
