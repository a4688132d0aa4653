import Foundation

extension FigureKind {
    /// `frontier`: final (x metric, y metric) per configuration with 95% t intervals both ways,
    /// plus the exact reward–KL frontier.
    public static let frontier = FigureKind(
        id: "frontier",
        summary: "final metric vs a second metric per configuration: means with 95% t interval whiskers both ways, plus the exact frontier",
        reads: ["summary.csv", "frontier.csv (optional)"],
        options: [
            FigureOption("x", .metric, required: true, role: "the x-axis metric",
                         doc: "The metric on the x axis (e.g. \"kl_to_reference\")."),
            .logX, .logY,
        ],
        draw: FigureWriter.frontier)
}

extension FigureWriter {
    /// `frontier`: final (x metric, y metric) of every configuration — the means in summary.csv,
    /// with 95% CI whiskers in both directions — one panel per environment, plus the exact
    /// frontier curve from frontier.csv when present (drawn as (kl, reward), swapped when the
    /// x metric is the reward).
    static func frontier(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        guard let xMetric = spec.x, !xMetric.isEmpty else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "frontier needs `x` (the x-axis metric, e.g. \"kl_to_reference\")")
        }
        let yMetric = spec.metric
        let rows = try context.tables.summary(metrics: [xMetric, yMetric])
        var xs: [String: [SeriesKey: SummaryRow]] = [:], ys: [String: [SeriesKey: SummaryRow]] = [:]
        for r in rows {
            if r.metric == xMetric { xs[r.environment, default: [:]][r.series] = r }
            if r.metric == yMetric { ys[r.environment, default: [:]][r.series] = r }
        }
        let exact = try context.tables.frontier()
        let swap = xMetric.contains("reward")
        let environments = context.orderedEnvironments(rows.map(\.environment))
        let styles = SeriesStyles(rows.map(\.series))

        var data = GnuplotData(columns: ["x", "y", "x_low", "x_high", "y_low", "y_high"])
        struct Panel { var environment: String; var points: [(SeriesKey, Int)]; var curve: Int?; var xs: [Double]; var ys: [Double] }
        var panels: [Panel] = []
        var legendSeries: [SeriesKey] = []
        var anyCurve = false
        for env in environments {
            var panel = Panel(environment: env, points: [], curve: nil, xs: [], ys: [])
            for key in context.ordered((xs[env] ?? [:]).keys) {
                guard let px = xs[env]?[key], let py = ys[env]?[key] else { continue }
                if spec.logX && px.mean <= 0 || spec.logY && py.mean <= 0 { continue }
                func clip(_ v: Double?, _ mean: Double, _ log: Bool) -> Double { v.map { log && $0 <= 0 ? mean : $0 } ?? mean }
                let row: [Double?] = [px.mean, py.mean,
                                      clip(px.ciLow, px.mean, spec.logX), clip(px.ciHigh, px.mean, spec.logX),
                                      clip(py.ciLow, py.mean, spec.logY), clip(py.ciHigh, py.mean, spec.logY)]
                let block = data.add("environment=\(env) algorithm=\(key.algorithm) config=\(key.config)", rows: [row])
                panel.points.append((key, block))
                panel.xs += [row[0]!, row[2]!, row[3]!]
                panel.ys += [row[1]!, row[4]!, row[5]!]
                if !legendSeries.contains(key) { legendSeries.append(key) }
            }
            var curve: [(x: Double, y: Double, beta: Double)] = []
            for f in exact where f.environment == env {
                let point = swap ? (x: f.reward, y: f.kl, beta: f.beta) : (x: f.kl, y: f.reward, beta: f.beta)
                if spec.logX && point.x <= 0 || spec.logY && point.y <= 0 { continue }
                curve.append(point)
            }
            curve.sort { $0.x < $1.x }
            if let lo = panel.xs.min(), let hi = panel.xs.max() {
                // Keep the exact curve visible where it passes over the points.
                panel.ys += curve.filter { $0.x >= lo && $0.x <= hi }.map { $0.y }
            }
            if !curve.isEmpty {
                panel.curve = data.add("environment=\(env) exact frontier (x, y, beta)", rows: curve.map { [$0.x, $0.y, $0.beta] })
                anyCurve = true
            }
            guard !panel.points.isEmpty else { continue }
            panels.append(panel)
        }
        guard !panels.isEmpty else {
            throw context.noData("summary.csv has no configuration with both '\(xMetric)' and '\(yMetric)'")
        }

        legendSeries = context.ordered(legendSeries)
        var entries = legendSeries.map { key in
            LegendEntry(label: key.label, style: "with points pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.4 lc rgb '\(styles.colour(key))'")
        }
        let curveStyle = "with lines lc rgb '#222222' lw 2 dt 2"
        if anyCurve { entries.insert(LegendEntry(label: "exact frontier μ·exp(r/β)/Z", style: curveStyle), at: 0) }
        let baseLayout = layout(panels: panels.count, panelWidth: 540, panelHeight: 420, entries: entries)
        let title = FigureWriter.title(
            context, generated: "\(FigureStyle.metricName(yMetric)) vs \(FigureStyle.metricName(xMetric)) of the final policies — \(meanWithTInterval) (\(context.experiment))",
            statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append(GnuplotScript.comment("panel \(k + 1): environment \(panel.environment)"))
            body.append(layout.place(k))
            body += panelSetup(title: panel.environment, xLabel: FigureStyle.metricLabel(xMetric),
                               yLabel: layout.isLeft(k) ? FigureStyle.metricLabel(yMetric) : nil,
                               logX: spec.logX, logY: spec.logY)
            body.append("set xrange \(range(panel.xs, log: spec.logX) ?? "[*:*]"); set yrange \(range(panel.ys, log: spec.logY) ?? "[*:*]")")
            var elements: [String] = []
            if let c = panel.curve { elements.append("datafile index \(c) using 1:2 \(curveStyle) notitle") }
            for (key, block) in panel.points {
                let c = styles.colour(key)
                elements.append("datafile index \(block) using 1:2:3:4:5:6 with xyerrorbars lc rgb '\(c)' lw 1.2 pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.4 notitle")
            }
            body.append("plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        var source = "\(context.source)/summary.csv (metrics \(xMetric), \(yMetric))"
        if anyCurve { source += " and \(context.source)/frontier.csv" }
        let script = GnuplotScript(id: spec.id, title: title, source: source, width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
