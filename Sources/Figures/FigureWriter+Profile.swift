import Foundation

extension FigureKind {
    /// `profile`: performance profiles — the fraction of runs whose final metric is better than a
    /// threshold τ, against τ, one curve per algorithm label with pointwise 95% stratified-bootstrap
    /// bands (Agarwal et al. 2021, §4.2; aggregates.csv).
    public static let profile = FigureKind(
        id: "profile",
        summary: "performance profile: fraction of runs (mean over environments) whose final metric is better than τ, against τ, with pointwise 95% stratified bootstrap bands (Agarwal et al. 2021)",
        reads: ["aggregates.csv"],
        options: [.normalize],
        poolsEnvironments: true,
        draw: FigureWriter.profile)
}

extension FigureWriter {
    /// `profile`: one line per algorithm label (the figure's `algorithms` order, else the spec's)
    /// over the 101 thresholds of aggregates.csv, with its pointwise band shaded. "Better than τ"
    /// follows the metric's declared direction: score ≤ τ when lower is better (the curve rises),
    /// score > τ when higher is better (it falls). Data blocks "algorithm=<label>": threshold,
    /// estimate, boot_low, boot_high.
    static func profile(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let rows = try context.tables.aggregates(normalization: spec.normalize, statistics: ["profile"], context: context)
        let labels = ResultTables.labels(rows, listed: spec.algorithms)
        let lower = rows.first?.direction == "lower"
        let styles = SeriesStyles(labels.map { SeriesKey(algorithm: $0, config: "default") })
        var data = GnuplotData(columns: ["threshold", "estimate", "boot_low", "boot_high"])
        var elements: [String] = []
        var bands: [String] = []
        var entries: [LegendEntry] = []
        var thresholds: [Double] = []
        for label in labels {
            let curve = rows.filter { $0.algorithm == label && $0.threshold != nil }.sorted { $0.threshold! < $1.threshold! }
            guard !curve.isEmpty else { continue }
            thresholds += curve.map { $0.threshold! }
            let block = data.add("algorithm=\(label)", rows: curve.map { [$0.threshold!, $0.estimate, $0.low ?? $0.estimate, $0.high ?? $0.estimate] })
            let key = SeriesKey(algorithm: label, config: "default")
            bands.append("datafile index \(block) using 1:3:4 with filledcurves fc rgb '\(styles.colour(key))' fs transparent solid 0.18 noborder notitle")
            elements.append("datafile index \(block) using 1:2 with steps \(styles.line(key, width: 2.2)) notitle")
            entries.append(LegendEntry(label: label, style: "with lines \(styles.line(key, width: 2.2))"))
        }
        let environments = rows.map(\.environments).max() ?? 0
        let relation = lower ? "≤" : ">"
        let statistic = "fraction of runs with score \(relation) τ, pointwise \(stratifiedBootstrapInterval)"
        let generated = "Performance profile of \(FigureStyle.metricName(spec.metric)), \(environments) environments: \(statistic) (\(context.experiment))"
        let title = FigureWriter.title(context, generated: generated, statistic: statistic)
        let layout = FigureWriter.layout(panels: 1, panelWidth: 640, panelHeight: 460, entries: entries).fitting(title: title)
        var body = [multiplotStart(title: title), layout.place(0)]
        body += panelSetup(title: "", xLabel: "τ: " + aggregateAxis(spec.metric, normalization: spec.normalize),
                           yLabel: "fraction of runs with score \(relation) τ", logX: false, logY: false)
        body += [
            "unset title",
            "set yrange [-0.02:1.02]",
            "set xrange \(range(thresholds, log: false) ?? "[*:*]")",
            "plot " + (bands + elements).joined(separator: ", \\\n        "),
        ]
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title,
                                   source: "\(context.source)/aggregates.csv (metric \(spec.metric), normalization \(spec.normalize))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
