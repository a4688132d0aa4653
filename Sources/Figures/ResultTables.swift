import Foundation
import ResultFiles

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

    /// Opens one result file of the directory through its schema.
    /// - Throws: `FiguresError.missingFile` (attributed to the figure), `.malformedCSV`.
    func open<Schema: ResultFileSchema>(_ schema: Schema.Type, reading columns: [Schema.Column]) throws -> ResultFileReader<Schema> {
        try FiguresError.mapping(figure: spec.id) { try Schema.reader(directory: directory, required: columns) }
    }

    /// summary.csv rows for the given metrics.
    ///
    /// A metric that summary.csv does not list at all (a plugin diagnostic such as
    /// preference_model_accuracy, recorded only in curves) is taken from curve_summary.csv at each
    /// configuration's last recorded iteration — the statistics of its final values.
    func summary(metrics: Set<String>) throws -> [SummaryRow] {
        var listed: Set<String> = []
        let rows0 = try FiguresError.mapping(figure: spec.id) {
            try open(SummaryFile.self, reading: [.environment, .algorithm, .config, .metric, .mean, .ciLow, .ciHigh]).compactMap { r -> SummaryRow? in
                listed.insert(r[.metric])
                guard metrics.contains(r[.metric]), let mean = try r.finite(.mean),
                      keep(environment: r[.environment], algorithms: [r[.algorithm]]) else { return nil }
                return SummaryRow(
                    environment: r[.environment], series: SeriesKey(algorithm: r[.algorithm], config: r[.config]),
                    metric: r[.metric], mean: mean, ciLow: try r.finite(.ciLow), ciHigh: try r.finite(.ciHigh), evalTau: r[.evalTau])
            }
        }
        var fallback: [SummaryRow] = []
        for metric in metrics.subtracting(listed).sorted()
        where FileManager.default.fileExists(atPath: directory.appendingPathComponent(CurveSummaryFile.fileName).path) {
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
        let rows = fallback + rows0
        for metric in metrics.sorted() {
            try checkSingleTau(metric: metric, rows.filter { $0.metric == metric }.map { ($0.series, $0.evalTau) })
        }
        return rows
    }

    /// curve_summary.csv rows for one metric.
    func curves(metric: String) throws -> [CurveRow] {
        let rows = try FiguresError.mapping(figure: spec.id) {
            try open(CurveSummaryFile.self, reading: [.environment, .algorithm, .config, .metric, .iteration, .mean, .ciLow, .ciHigh, .queries]).compactMap { r -> CurveRow? in
                guard r[.metric] == metric, let mean = try r.finite(.mean), let iteration = try r.finite(.iteration),
                      keep(environment: r[.environment], algorithms: [r[.algorithm]]) else { return nil }
                return CurveRow(
                    environment: r[.environment], series: SeriesKey(algorithm: r[.algorithm], config: r[.config]),
                    metric: metric, iteration: iteration, queries: try r.finite(.queries), mean: mean,
                    ciLow: try r.finite(.ciLow), ciHigh: try r.finite(.ciHigh), evalTau: r[.evalTau])
            }
        }
        try checkSingleTau(metric: metric, rows.map { ($0.series, $0.evalTau) })
        return rows
    }

    /// pairwise.csv rows (both algorithms must pass the algorithm filter; the reference μ — the
    /// participant "reference", or "reference_mu" when a label is called "reference", with the
    /// configuration key `ConfigurationKey.default` — is not an algorithm label and always passes).
    func pairwise() throws -> [PairwiseRow] {
        let all = try FiguresError.mapping(figure: spec.id) {
            try open(PairwiseFile.self, reading: [.environment, .algorithmA, .configA, .algorithmB, .configB, .mean, .ciLow, .ciHigh]).compactMap { r -> (row: PairwiseRow, environment: String)? in
                guard let mean = try r.finite(.mean) else { return nil }
                return (PairwiseRow(environment: r[.environment],
                                    a: SeriesKey(algorithm: r[.algorithmA], config: r[.configA]),
                                    b: SeriesKey(algorithm: r[.algorithmB], config: r[.configB]),
                                    mean: mean, ciLow: try r.finite(.ciLow), ciHigh: try r.finite(.ciHigh)), r[.environment])
            }
        }
        let mu = all.contains { $0.row.a.algorithm == "reference_mu" } ? "reference_mu" : "reference"
        func isMu(_ s: SeriesKey) -> Bool { s.algorithm == mu && (s.config == ConfigurationKey.default || s.config.isEmpty) }
        return all.compactMap { entry in
            let algorithms = [entry.row.a, entry.row.b].filter { !isMu($0) }.map(\.algorithm)
            return keep(environment: entry.environment, algorithms: algorithms) ? entry.row : nil
        }
    }

    /// frontier.csv rows, or an empty list when the file does not exist (the curve is optional).
    func frontier() throws -> [FrontierRow] {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(FrontierFile.fileName).path) else { return [] }
        return try FiguresError.mapping(figure: spec.id) {
            try open(FrontierFile.self, reading: FrontierFile.Column.allCases).compactMap { r in
                guard let kl = try r.finite(.kl), let reward = try r.finite(.reward),
                      keep(environment: r[.environment], algorithms: []) else { return nil }
                return FrontierRow(environment: r[.environment], beta: try r.finite(.beta) ?? .nan, kl: kl, reward: reward)
            }
        }
    }
}

extension FiguresError {
    /// Runs `body`, turning a `ResultFilesError` into the figures' error: a missing file is
    /// attributed to `figure`, the others are `malformedCSV` (or `writeFailed` for I/O).
    /// - Throws: what `body` throws, result-file errors as `FiguresError`.
    static func mapping<T>(figure: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ResultFilesError {
            switch e {
            case let .missingFile(path): throw FiguresError.missingFile(path: path, figure: figure)
            case let .malformed(path, line, reason): throw FiguresError.malformedCSV(path: path, line: line, reason: reason)
            case let .missingColumn(path, column, header):
                throw FiguresError.malformedCSV(path: path, line: 1, reason: "missing column '\(column)' (header: \(header.joined(separator: ",")))")
            case let .badCell(path, line, column, cell, expected):
                throw FiguresError.malformedCSV(path: path, line: line, reason: "column \(column): \"\(cell)\" is not \(expected)")
            case let .io(path, message): throw FiguresError.writeFailed(path: path, reason: message)
            }
        }
    }
}
