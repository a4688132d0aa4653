import Foundation

extension FigureKind {
    /// `improvement`: the probability of improvement P(X better than Y) between algorithm labels
    /// pooled over environments, with 95% stratified-bootstrap intervals (Agarwal et al. 2021,
    /// §4.3; aggregates.csv).
    public static let improvement = FigureKind(
        id: "improvement",
        summary: "probability of improvement P(X better than Y) between algorithm pairs, mean over environments of the Mann–Whitney U/(nm), with 95% stratified bootstrap intervals (Agarwal et al. 2021)",
        reads: ["aggregates.csv"],
        options: [],
        poolsEnvironments: true,
        draw: FigureWriter.improvement)
}

extension FigureWriter {
    /// `improvement`: one row per pair (X, Y) of aggregates.csv (X before Y in the spec's order;
    /// with an `algorithms` list, the pairs of listed labels, oriented and ordered as listed,
    /// using P(Y better than X) = 1 − P(X better than Y) and the interval [1 − high, 1 − low]),
    /// the estimate as a marker and the interval as a horizontal bar in X's colour, on [0, 1]
    /// with a dashed line at ½ (no difference). "Better" follows the metric's declared direction.
    /// Data blocks "pair=<X> vs <Y>": y, estimate, boot_low, boot_high.
    static func improvement(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let rows = try context.tables.aggregates(normalization: "none", statistics: ["probability_of_improvement"], context: context)
        let labels = ResultTables.labels(rows, listed: spec.algorithms)
        var pairs: [(x: String, y: String, estimate: Double, low: Double?, high: Double?)] = []
        for (i, x) in labels.enumerated() {
            for y in labels[(i + 1)...] {
                if let r = rows.first(where: { $0.algorithm == x && $0.opponent == y }) {
                    pairs.append((x, y, r.estimate, r.low, r.high))
                } else if let r = rows.first(where: { $0.algorithm == y && $0.opponent == x }) {
                    pairs.append((x, y, 1 - r.estimate, r.high.map { 1 - $0 }, r.low.map { 1 - $0 }))
                }
            }
        }
        guard !pairs.isEmpty else { throw context.noData("aggregates.csv has no pair of the figure's algorithms for metric '\(spec.metric)'") }
        let better = rows.first?.direction == "lower" ? "lower is better" : "higher is better"
        let styles = SeriesStyles(labels.map { SeriesKey(algorithm: $0, config: "default") })
        var data = GnuplotData(columns: ["y", "estimate", "boot_low", "boot_high"])
        var elements: [String] = []
        var tics: [String] = []
        for (k, p) in pairs.enumerated() {
            let block = data.add("pair=\(p.x) vs \(p.y)", rows: [[Double(k), p.estimate, p.low ?? p.estimate, p.high ?? p.estimate]])
            let colour = styles.colour(SeriesKey(algorithm: p.x, config: "default"))
            elements.append("datafile index \(block) using 2:1:3:4 with xerrorbars pt 7 ps 1.2 lw 2.5 lc rgb '\(colour)' notitle")
            tics.append("\(GnuplotScript.quote("\(p.x) vs \(p.y)")) \(k)")
        }
        let longest = min(pairs.map { $0.x.count + $0.y.count + 4 }.max() ?? 1, 80)
        let leftMargin = max(12, longest + 3)
        let environments = rows.map(\.environments).max() ?? 0
        let statistic = "P(X better than Y) with \(stratifiedBootstrapInterval)"
        let generated = "\(FigureStyle.metricName(spec.metric)) (\(better)), \(environments) environments: \(statistic) (\(context.experiment))"
        let title = FigureWriter.title(context, generated: generated, statistic: statistic)
        let layout = PanelLayout(count: 1, panelWidth: 520 + leftMargin * 8, panelHeight: 200 + 30 * pairs.count,
                                 legendWidth: 0).fitting(title: title)
        var body = [multiplotStart(title: title), layout.place(0)]
        body += panelSetup(title: "", xLabel: "P(X better than Y) on \(FigureStyle.metricName(spec.metric)), \(better)", yLabel: nil,
                           logX: false, logY: false)
        body += [
            "unset title",
            "set lmargin \(leftMargin)",
            "set ytics (\(tics.joined(separator: ", "))) noenhanced scale 0",
            "set grid xtics noytics lc rgb '#DDDDDD'",
            "set yrange [\(GnuplotScript.number(Double(pairs.count) - 0.5)):-0.5]",
            "set xrange [0:1]",
            "set arrow from 0.5, graph 0 to 0.5, graph 1 nohead dt 2 lw 1.2 lc rgb '#555555'",
            "plot " + elements.joined(separator: ", \\\n        "),
            "unset arrow",
            "unset multiplot",
        ]
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/aggregates.csv (metric \(spec.metric))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
