import Foundation

extension FigureWriter {
    /// `curves`: a metric against iteration (or mean queries when `x == "queries"`), one line per
    /// (algorithm, configuration) with a translucent 95% CI band, one panel per environment.
    ///
    /// On a log axis, points with a non-positive coordinate are dropped and band lower ends ≤ 0
    /// are clipped to the bottom of the panel.
    static func curves(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let xName = spec.x ?? "iteration"
        guard xName == "iteration" || xName == "queries" else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "curves need x = \"iteration\" or \"queries\", got \"\(xName)\"")
        }
        let rows = try context.tables.curves(metric: spec.metric)
        guard !rows.isEmpty else { throw context.noData("curve_summary.csv has no rows for metric '\(spec.metric)'") }
        let environments = context.orderedEnvironments(rows.map(\.environment))
        let styles = SeriesStyles(rows.map(\.series))

        var data = GnuplotData(columns: [xName, "mean", "ci_low", "ci_high"])
        struct Panel { var environment: String; var series: [(SeriesKey, Int, Bool)]; var yRange: String?; var xRange: String? }
        var panels: [Panel] = []
        var legendSeries: [SeriesKey] = []
        for env in environments {
            let envRows = rows.filter { $0.environment == env }
            var points: [SeriesKey: [(x: Double, mean: Double, low: Double?, high: Double?)]] = [:]
            for r in envRows {
                guard let x = xName == "queries" ? r.queries : r.iteration else { continue }
                if spec.logX && x <= 0 { continue }
                if spec.logY && r.mean <= 0 { continue }
                points[r.series, default: []].append((x, r.mean, r.ciLow, r.ciHigh))
            }
            guard !points.isEmpty else { continue }
            // Log y: clip band lower ends to the panel's bottom decade.
            var floor: Double? = nil
            if spec.logY {
                let positives = points.values.flatMap { $0.flatMap { [$0.mean, $0.low ?? .nan] } }.filter { $0 > 0 }
                floor = positives.min().map(decadeFloor)
            }
            var panel = Panel(environment: env, series: [], yRange: nil, xRange: nil)
            var ys: [Double] = [], xs: [Double] = []
            for key in points.keys.sorted() {
                let pts = points[key]!.sorted { $0.x < $1.x }
                let hasBand = pts.contains { $0.low != nil && $0.high != nil }
                let block = data.add("environment=\(env) algorithm=\(key.algorithm) config=\(key.config)", rows: pts.map { p in
                    var low = p.low
                    if let f = floor, let l = low, l <= 0 { low = f }
                    return [p.x, p.mean, low, p.high]
                })
                panel.series.append((key, block, hasBand))
                if !legendSeries.contains(key) { legendSeries.append(key) }
                xs += pts.map(\.x)
                ys += pts.map(\.mean) + pts.compactMap(\.high)
                ys += pts.compactMap { p in p.low.map { l in floor.map { Swift.max(l, $0) } ?? l } }
            }
            panel.yRange = range(ys, log: spec.logY)
            if let lo = xs.min(), let hi = xs.max() {
                panel.xRange = spec.logX || lo == hi ? range(xs, log: spec.logX) : "[\(bound(lo)):\(bound(hi))]"
            }
            panels.append(panel)
        }
        guard !panels.isEmpty else {
            let axes = [spec.logX ? "x" : nil, spec.logY ? "y" : nil].compactMap { $0 }
            throw context.noData("no point of '\(spec.metric)' has a \(xName) value"
                                 + (axes.isEmpty ? "" : " and positive coordinates on the log \(axes.joined(separator: "/")) axis"))
        }

        legendSeries.sort()
        let entries = legendSeries.map { LegendEntry(label: $0.label, style: "with lines \(styles.line($0))") }
        let baseLayout = layout(panels: panels.count, panelWidth: 520, panelHeight: 420, entries: entries)
        let xAxisName = xName == "queries" ? "preference queries" : "iteration"
        let title = spec.title ?? "\(FigureStyle.metricName(spec.metric)) vs \(xAxisName) — mean and 95% CI over seeds (\(context.experiment))"
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append("# panel \(k + 1): environment \(panel.environment)")
            body.append(layout.place(k))
            body += panelSetup(title: panel.environment,
                               xLabel: layout.isBottom(k) ? FigureStyle.metricLabel(xName) : nil,
                               yLabel: layout.isLeft(k) ? FigureStyle.metricLabel(spec.metric) : nil,
                               logX: spec.logX, logY: spec.logY)
            body.append("set xrange \(panel.xRange ?? "[*:*]"); set yrange \(panel.yRange ?? "[*:*]")")
            var elements: [String] = []
            for (key, block, hasBand) in panel.series where hasBand {
                elements.append("datafile index \(block) using 1:3:4 with filledcurves fc rgb '\(styles.colour(key))' fs transparent solid 0.18 noborder notitle")
            }
            for (key, block, _) in panel.series {
                elements.append("datafile index \(block) using 1:2 with lines \(styles.line(key)) notitle")
            }
            body.append("plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/curve_summary.csv (metric \(spec.metric))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
