import Foundation

extension FigureKind {
    /// `versus`: P(π ≻ opponent) against a hyperparameter, one line per opponent, plus the final
    /// metric against it; 95% t intervals over seeds.
    public static let versus = FigureKind(
        id: "versus",
        summary: "P(π ≻ opponent) and the final metric vs a hyperparameter: mean with 95% t interval error bars, one line per opponent",
        reads: ["pairwise.csv", "runs.csv", "summary.csv"],
        options: [
            FigureOption("x", .hyperparameter, required: true, role: "the hyperparameter on the x axis",
                         doc: "The hyperparameter on the x axis; each participant's runs share one numeric value of it."),
            FigureOption("opponents", .participants, required: true,
                         doc: "The participants each configuration is compared with: algorithm labels, or \"reference\" for μ; one line each, in this order."),
            .logX, .logY,
        ],
        draw: FigureWriter.versus)
}

extension FigureWriter {
    /// `versus`: P(π ≻ opponent) from pairwise.csv against a hyperparameter `x` of the
    /// configurations, one line per opponent (`FigureSpec.opponents`: algorithm labels, or
    /// "reference" for μ) with its 95% CI over seeds, and next to it a panel with the final
    /// `metric` (summary.csv) against the same hyperparameter; one such pair of panels per
    /// environment.
    ///
    /// The configurations are the pairwise table's participants (the best configuration of each
    /// algorithm label) that pass the `algorithms` filter, are not opponents, and whose runs on
    /// that environment share one numeric value of `x` in runs.csv — e.g. one label per mixture β
    /// of Nash-MD-PG (Munos et al. 2023, Table 1). Opponents that are algorithms appear in the
    /// metric panel as dashed horizontal lines at their mean.
    static func versus(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        guard let parameter = spec.x, !parameter.isEmpty else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "versus figures need `x` (a hyperparameter, e.g. \"beta\")")
        }
        guard !spec.opponents.isEmpty else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "versus figures need `opponents` (algorithm labels or \"reference\")")
        }
        // Opponents are never filtered out: read the tables without the algorithm filter.
        var unfiltered = context.tables
        unfiltered.spec.algorithms = nil
        let pairwise = try unfiltered.pairwise()
        let runs = try unfiltered.runs()
        let summary = try unfiltered.summary(metrics: [spec.metric])
        let mu = pairwise.contains { $0.a.algorithm == "reference_mu" } ? "reference_mu" : "reference"
        func opponentName(_ o: String) -> String { o == "reference" ? mu : o }
        func isParticipant(_ label: String) -> Bool {
            !spec.opponents.map(opponentName).contains(label) && label != mu && (spec.algorithms?.contains(label) ?? true)
        }
        // x of a label on an environment: the one numeric value of the column among its runs.
        func xValue(_ label: String, _ env: String) -> Double? {
            let cells = Set(runs.filter { $0.algorithm == label && $0.environment == env }.map { $0.parameter(parameter) })
            guard cells.count == 1, let v = cells.first??.number, !spec.logX || v > 0 else { return nil }
            return v
        }

        var data = GnuplotData(columns: [parameter, "mean", "ci_low", "ci_high"])
        struct Panel { var title: String; var yLabel: String; var lines: [(String, Int)]; var references: [(String, Int)]; var ys: [Double]; var xs: [Double]; var isMetric: Bool }
        var panels: [Panel] = []
        for env in context.orderedEnvironments(pairwise.map(\.environment)) {
            let rows = pairwise.filter { $0.environment == env }
            var participants: [(key: SeriesKey, x: Double)] = []
            for r in rows where isParticipant(r.a.algorithm) && !participants.contains(where: { $0.key == r.a }) {
                if let x = xValue(r.a.algorithm, env) { participants.append((r.a, x)) }
            }
            guard !participants.isEmpty else { continue }
            participants.sort { $0.x < $1.x }
            var versusPanel = Panel(title: "\(env): win rate against each opponent", yLabel: "P(π ≻ opponent)",
                                    lines: [], references: [], ys: [0.5], xs: participants.map(\.x), isMetric: false)
            for o in spec.opponents {
                let points = participants.compactMap { p -> StatPoint? in
                    guard let r = rows.first(where: { $0.a == p.key && $0.b.algorithm == opponentName(o) }) else { return nil }
                    return StatPoint(x: p.x, mean: r.mean, low: r.ciLow, high: r.ciHigh)
                }
                guard !points.isEmpty else { continue }
                versusPanel.lines.append((o, data.add("environment=\(env) P(pi > \(o))", rows: points.map(\.row))))
                versusPanel.ys += points.flatMap { [$0.mean, $0.low ?? $0.mean, $0.high ?? $0.mean] }
            }
            guard !versusPanel.lines.isEmpty else { continue }
            var metricPanel = Panel(title: "\(env): \(FigureStyle.metricName(spec.metric))", yLabel: FigureStyle.metricLabel(spec.metric),
                                    lines: [], references: [], ys: [], xs: versusPanel.xs, isMetric: true)
            let metricPoints = participants.compactMap { p -> StatPoint? in
                guard let r = summary.first(where: { $0.environment == env && $0.series == p.key }), !spec.logY || r.mean > 0 else { return nil }
                return StatPoint(x: p.x, mean: r.mean, low: r.ciLow, high: r.ciHigh)
            }
            if !metricPoints.isEmpty {
                metricPanel.lines.append(("", data.add("environment=\(env) metric=\(spec.metric)", rows: metricPoints.map(\.row))))
                metricPanel.ys += metricPoints.flatMap { [$0.mean, $0.low ?? $0.mean, $0.high ?? $0.mean] }
            }
            for o in spec.opponents where o != "reference" {
                let config = rows.first { $0.b.algorithm == o }?.b.config
                guard let r = summary.first(where: { $0.environment == env && $0.series.algorithm == o && (config == nil || $0.series.config == config) }),
                      !spec.logY || r.mean > 0, let lo = versusPanel.xs.min(), let hi = versusPanel.xs.max() else { continue }
                metricPanel.references.append((o, data.add("environment=\(env) reference line \(o)", rows: [[lo, r.mean], [hi, r.mean]])))
                metricPanel.ys.append(r.mean)
            }
            panels.append(versusPanel)
            if !metricPanel.lines.isEmpty || !metricPanel.references.isEmpty { panels.append(metricPanel) }
        }
        guard !panels.isEmpty else {
            throw context.noData("no participant of pairwise.csv has a single numeric value of '\(parameter)' in runs.csv and a row against \(spec.opponents)")
        }

        func colour(_ o: String) -> String { o == "reference" ? "#555555" : FigureStyle.colour(of: o) }
        func name(_ o: String) -> String { o == "reference" ? "μ (reference)" : o }
        let metricStyle = "lw 2 lc rgb '#222222' dt 1 pt 7 ps 1.1"
        var entries = spec.opponents.map { o in
            LegendEntry(label: "P(π ≻ \(name(o)))", style: "with linespoints lw 2 lc rgb '\(colour(o))' pt 7 ps 1.1")
        }
        entries.append(LegendEntry(label: FigureStyle.metricName(spec.metric), style: "with linespoints \(metricStyle)"))
        for o in spec.opponents where o != "reference" && panels.contains(where: { $0.references.contains { $0.0 == o } }) {
            entries.append(LegendEntry(label: "\(o): \(FigureStyle.metricName(spec.metric).lowercased())", style: "with lines lw 2 lc rgb '\(colour(o))' dt 2"))
        }
        let baseLayout = layout(panels: panels.count, panelWidth: 520, panelHeight: 420, entries: entries)
        let title = FigureWriter.title(
            context, generated: "Win rates and \(FigureStyle.metricName(spec.metric).lowercased()) vs \(parameter) — \(meanWithTInterval) (\(context.experiment))",
            statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append(GnuplotScript.comment("panel \(k + 1): \(panel.title)"))
            body.append(layout.place(k))
            body += panelSetup(title: panel.title, xLabel: parameter, yLabel: panel.yLabel, logX: spec.logX,
                               logY: panel.isMetric && spec.logY)
            let (xLow, xHigh) = linearEnds(panel.xs.min()!, panel.xs.max()!, fraction: 0.05, constantHalfWidth: 0.5)
            let xr = spec.logX ? range(panel.xs, log: true) ?? "[*:*]" : "[\(xLow):\(xHigh)]"
            body.append("set xrange \(xr); set yrange \(range(panel.ys, log: panel.isMetric && spec.logY) ?? "[*:*]")")
            var elements: [String] = []
            if !panel.isMetric { elements.append("0.5 with lines lw 1 lc rgb '#999999' dt 3 notitle") }
            for (o, block) in panel.references {
                elements.append("datafile index \(block) using 1:2 with lines lw 2 lc rgb '\(colour(o))' dt 2 notitle")
            }
            for (o, block) in panel.lines {
                let style = panel.isMetric ? metricStyle : "lw 2 lc rgb '\(colour(o))' pt 7 ps 1.1"
                elements.append("datafile index \(block) using 1:2:3:4 with yerrorlines \(style) notitle")
            }
            body.append("plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title,
                                   source: "\(context.source)/pairwise.csv, runs.csv and summary.csv (metric \(spec.metric), x = \(parameter))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
