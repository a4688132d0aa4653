import Foundation
import ResultFiles

extension FigureKind {
    /// `lines`: the final value of a metric against a swept hyperparameter, with 95% t intervals.
    public static let lines = FigureKind(
        id: "lines",
        summary: "final metric vs a swept hyperparameter: mean with 95% t interval error bars, one line per algorithm, one panel per environment",
        reads: ["summary.csv", "curve_summary.csv (diagnostics)"],
        options: [
            FigureOption("x", .hyperparameter, required: true, role: "the swept hyperparameter",
                         doc: "The hyperparameter on the x axis (a key of the algorithms' params or grid)."),
            .logX, .logY,
        ],
        draw: FigureWriter.lines)
}

extension FigureWriter {
    /// `lines`: the final value of a metric against a swept hyperparameter `x` (its typed value
    /// from parameters.csv), one line per algorithm (and per setting of its other varying parameters)
    /// with 95% CI error bars, one panel per environment.
    ///
    /// Numeric parameter values give a numeric axis (log when `logX`); otherwise the values are
    /// categories in natural order. An algorithm that does not vary `x` and has a single
    /// configuration in the panel is drawn as a dashed horizontal reference line at its mean.
    static func lines(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        guard let parameter = spec.x, !parameter.isEmpty else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "lines need `x` (the swept hyperparameter, e.g. \"beta\")")
        }
        var rows = try context.tables.summary(metrics: [spec.metric])
        if spec.logY { rows = rows.filter { $0.mean > 0 } }
        // The varying parameters of each configuration, typed, from parameters.csv (joined on run_id).
        let configurations = try context.tables.sweptParameters()
        func value(_ s: SeriesKey) -> ParameterCell? { configurations[s]?.first { $0.name == parameter }?.value }
        let swept = rows.filter { value($0.series) != nil }
        guard !swept.isEmpty else {
            throw context.noData("no configuration in summary.csv varies '\(parameter)' for metric '\(spec.metric)'")
        }
        let rawValues = swept.map { value($0.series)! }
        let numeric = rawValues.allSatisfy { $0.number != nil }
        var categories: [ParameterCell] = []
        if !numeric {
            for v in rawValues where !categories.contains(v) { categories.append(v) }
            categories.sort()
        }
        let logX = spec.logX && numeric
        func xValue(_ raw: ParameterCell) -> Double? {
            if numeric { let v = raw.number!; return logX && v <= 0 ? nil : v }
            return categories.firstIndex(of: raw).map(Double.init)
        }
        // A line's key: the algorithm and its other varying parameters.
        func lineKey(_ s: SeriesKey) -> SeriesKey {
            SeriesKey(algorithm: s.algorithm, config: ConfigurationKey.key((configurations[s] ?? []).filter { $0.name != parameter }.map { ($0.name, $0.value.text) }))
        }
        let environments = context.orderedEnvironments(swept.map(\.environment))
        let styles = SeriesStyles(swept.map { lineKey($0.series) })
        let floor = spec.logY ? rows.flatMap { [$0.mean, $0.ciLow ?? .nan] }.filter { $0 > 0 }.min().map(decadeFloor) : nil

        var data = GnuplotData(columns: [parameter, "mean", "ci_low", "ci_high"])
        struct Panel { var environment: String; var lines: [(SeriesKey, Int)]; var references: [(SeriesKey, Int)]; var xs: [Double]; var ys: [Double] }
        var panels: [Panel] = []
        var lineKeys: [SeriesKey] = [], referenceKeys: [SeriesKey] = []
        for env in environments {
            var panel = Panel(environment: env, lines: [], references: [], xs: [], ys: [])
            var points: [SeriesKey: [[Double?]]] = [:]
            for r in swept where r.environment == env {
                guard let x = xValue(value(r.series)!) else { continue }
                var low = r.ciLow
                if let f = floor, let l = low, l <= 0 { low = f }
                points[lineKey(r.series), default: []].append([x, r.mean, low ?? r.mean, r.ciHigh ?? r.mean])
            }
            for key in context.ordered(points.keys) {
                let pts = points[key]!.sorted { $0[0]! < $1[0]! }
                panel.lines.append((key, data.add("environment=\(env) algorithm=\(key.algorithm) config=\(key.config)", rows: pts)))
                panel.xs += pts.map { $0[0]! }
                panel.ys += pts.flatMap { [$0[1]!, $0[2]!, $0[3]!] }
                if !lineKeys.contains(key) { lineKeys.append(key) }
            }
            guard let lo = panel.xs.min(), let hi = panel.xs.max() else { continue }
            // Reference lines: algorithms with one configuration that does not involve the parameter.
            let others = rows.filter { $0.environment == env && value($0.series) == nil }
            for (algorithm, group) in Dictionary(grouping: others, by: \.series.algorithm)
                .sorted(by: { (context.listedRank($0.key), $0.key) < (context.listedRank($1.key), $1.key) })
            where group.count == 1 && !points.keys.contains(where: { $0.algorithm == algorithm }) {
                let r = group[0]
                panel.references.append((r.series, data.add("environment=\(env) reference algorithm=\(algorithm) config=\(r.series.config)",
                                                             rows: [[lo, r.mean], [hi, r.mean]])))
                panel.ys.append(r.mean)
                if !referenceKeys.contains(r.series) { referenceKeys.append(r.series) }
            }
            panels.append(panel)
        }
        guard !panels.isEmpty else { throw context.noData("no value of '\(parameter)' is usable on the log axis") }

        let refStyles = SeriesStyles(referenceKeys)
        var entries = context.ordered(lineKeys).map { key in
            LegendEntry(label: key.label, style: "with linespoints \(styles.line(key)) pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.2")
        }
        entries += context.ordered(referenceKeys).map { key in
            LegendEntry(label: "\(key.label) — no \(parameter)", style: "with lines lw 1.5 lc rgb '\(refStyles.colour(key))' dt 3")
        }
        let baseLayout = layout(panels: panels.count, panelWidth: 540, panelHeight: 420, entries: entries)
        let title = FigureWriter.title(context, generated: "\(FigureStyle.metricName(spec.metric)) vs \(parameter) — \(meanWithTInterval) (\(context.experiment))",
                                      statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append(GnuplotScript.comment("panel \(k + 1): environment \(panel.environment)"))
            body.append(layout.place(k))
            body += panelSetup(title: panel.environment, xLabel: layout.isBottom(k) ? parameter : nil,
                               yLabel: layout.isLeft(k) ? FigureStyle.metricLabel(spec.metric) : nil,
                               logX: logX, logY: spec.logY)
            if numeric {
                let xr: String
                if logX {
                    xr = range(panel.xs, log: true) ?? "[*:*]"
                } else if let lo = panel.xs.min(), let hi = panel.xs.max() {
                    let (a, b) = linearEnds(lo, hi, fraction: 0.05, constantHalfWidth: 0.5)
                    xr = "[\(a):\(b)]"
                } else { xr = "[*:*]" }
                body.append("set xrange \(xr)")
            } else {
                let tics = categories.enumerated().map { "\(GnuplotScript.quote($0.element.text)) \($0.offset)" }.joined(separator: ", ")
                body.append("set xtics (\(tics)) noenhanced")
                body.append("set xrange [-0.5:\(GnuplotScript.number(Double(categories.count) - 0.5))]")
            }
            body.append("set yrange \(range(panel.ys, log: spec.logY) ?? "[*:*]")")
            var elements: [String] = []
            for (key, block) in panel.references {
                elements.append("datafile index \(block) using 1:2 with lines lw 1.5 lc rgb '\(refStyles.colour(key))' dt 3 notitle")
            }
            for (key, block) in panel.lines {
                elements.append("datafile index \(block) using 1:2:3:4 with yerrorlines \(styles.line(key)) pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.2 notitle")
            }
            body.append("plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/summary.csv (metric \(spec.metric), x = \(parameter))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
