import Foundation

extension FigureKind {
    /// `aggregate`: IQM and mean of a metric across every environment per algorithm label, with
    /// 95% stratified-bootstrap intervals (Agarwal et al. 2021, §4.1; aggregates.csv).
    public static let aggregate = FigureKind(
        id: "aggregate",
        summary: "IQM and mean of the final metric pooled over every environment per algorithm: point with 95% stratified bootstrap interval (Agarwal et al. 2021)",
        reads: ["aggregates.csv"],
        options: [.normalize],
        poolsEnvironments: true,
        draw: FigureWriter.aggregate)
}

extension FigureWriter {
    /// What an aggregates.csv interval is, said in the titles of `aggregate`, `improvement` and
    /// `profile` figures.
    static let stratifiedBootstrapInterval = "95% stratified bootstrap interval"

    /// The axis text of a metric under a normalisation: the metric's axis label, prefixed by
    /// "min–max normalised" when normalised.
    static func aggregateAxis(_ metric: String, normalization: String) -> String {
        normalization == "min-max" ? "min–max normalised " + FigureStyle.metricLabel(metric) : FigureStyle.metricLabel(metric)
    }

    /// `aggregate`: two panels, IQM (left) and mean (right), one row per algorithm label (the
    /// figure's `algorithms` order, else the spec's), the point estimate as a marker and the 95%
    /// stratified-bootstrap interval as a horizontal bar, in the label's colour. Data blocks
    /// "statistic=<iqm|mean> algorithm=<label>" hold one row: y, estimate, boot_low, boot_high.
    static func aggregate(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let rows = try context.tables.aggregates(normalization: spec.normalize, statistics: ["iqm", "mean"], context: context)
        let labels = ResultTables.labels(rows, listed: spec.algorithms)
        let styles = SeriesStyles(labels.map { SeriesKey(algorithm: $0, config: "default") })
        var data = GnuplotData(columns: ["y", "estimate", "boot_low", "boot_high"])
        let environments = rows.map(\.environments).max() ?? 0
        let longest = min(labels.map(\.count).max() ?? 1, 48)
        let leftMargin = max(12, longest + 3)
        let panelHeight = 150 + 30 * labels.count
        let generated = "\(FigureStyle.metricName(spec.metric)), \(environments) environments pooled: IQM and mean with "
            + "\(stratifiedBootstrapInterval) (\(context.experiment))"
        let title = FigureWriter.title(context, generated: generated, statistic: "IQM and mean with \(stratifiedBootstrapInterval)")
        let layout = PanelLayout(count: 2, panelWidth: 520 + leftMargin * 8, panelHeight: panelHeight, legendWidth: 0).fitting(title: title)
        var body = [multiplotStart(title: title)]
        let tics = labels.enumerated().map { "\(GnuplotScript.quote($0.element)) \($0.offset)" }.joined(separator: ", ")
        for (k, statistic) in ["iqm", "mean"].enumerated() {
            var elements: [String] = []
            var values: [Double] = []
            for (y, label) in labels.enumerated() {
                guard let r = rows.first(where: { $0.statistic == statistic && $0.algorithm == label }) else { continue }
                let block = data.add("statistic=\(statistic) algorithm=\(label)", rows: [[Double(y), r.estimate, r.low ?? r.estimate, r.high ?? r.estimate]])
                values += [r.estimate, r.low ?? r.estimate, r.high ?? r.estimate]
                let colour = styles.colour(SeriesKey(algorithm: label, config: "default"))
                elements.append("datafile index \(block) using 2:1:3:4 with xerrorbars pt 7 ps 1.3 lw 2.5 lc rgb '\(colour)' notitle")
            }
            let name = statistic == "iqm" ? "IQM (25% trimmed mean)" : "Mean"
            body.append(layout.place(k))
            body += panelSetup(title: name, xLabel: aggregateAxis(spec.metric, normalization: spec.normalize), yLabel: nil, logX: false, logY: false)
            body.append("set lmargin \(leftMargin)")
            body.append("set ytics (\(tics)) noenhanced scale 0")
            body.append("set grid xtics noytics lc rgb '#DDDDDD'")
            body.append("set yrange [\(GnuplotScript.number(Double(labels.count) - 0.5)):-0.5]")
            body.append("set xrange \(range(values, log: false) ?? "[*:*]")")
            body.append(elements.isEmpty ? "plot NaN notitle" : "plot " + elements.joined(separator: ", \\\n        "))
        }
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title,
                                   source: "\(context.source)/aggregates.csv (metric \(spec.metric), normalization \(spec.normalize))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
