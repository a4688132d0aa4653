import Foundation

extension FigureKind {
    /// `bars`: the final value of a metric per configuration, grouped by environment, with
    /// whiskers at the 95% t interval.
    public static let bars = FigureKind(
        id: "bars",
        summary: "final metric per configuration, grouped by environment: mean with 95% t interval whiskers",
        reads: ["summary.csv", "curve_summary.csv (diagnostics)"],
        options: [
            FigureOption("by", .groupings(["environment", "algorithm"]), defaultValue: "[\"environment\", \"algorithm\"]",
                         doc: "Grouping: first \"environment\" clusters the bars by environment (one bar per configuration); first \"algorithm\" clusters by configuration (one bar per environment)."),
            .logY,
        ],
        draw: FigureWriter.bars)
}

extension FigureWriter {
    /// `bars`: the final value of a metric, grouped by environment (or by algorithm when
    /// `by = ["algorithm", "environment"]`), one bar per (algorithm, configuration) — or per
    /// environment — with whiskers at the 95% t confidence interval.
    ///
    /// On a log y axis, non-positive means are dropped and the whiskers' lower ends are clipped.
    static func bars(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let allowed = ["environment", "algorithm"]
        guard spec.by.allSatisfy(allowed.contains), Set(spec.by).count == spec.by.count else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "bars: `by` may list \"environment\" and \"algorithm\", got \(spec.by)")
        }
        let byAlgorithm = spec.by.first == "algorithm"
        var rows = try context.tables.summary(metrics: [spec.metric])
        if spec.logY { rows = rows.filter { $0.mean > 0 } }
        guard !rows.isEmpty else { throw context.noData("summary.csv has no rows with a mean for metric '\(spec.metric)'"
                                 + (spec.logY ? " that is positive (log axis)" : "")) }

        let environments = context.orderedEnvironments(rows.map(\.environment))
        let series = context.ordered(rows.map(\.series))
        let styles = SeriesStyles(series)
        // Clusters along x and bars within a cluster.
        let clusterLabels = byAlgorithm ? series.map(\.label) : environments
        let barCount = byAlgorithm ? environments.count : series.count
        let slot = 0.8 / Double(barCount)
        var data = GnuplotData(columns: ["x", "mean", "ci_low", "ci_high"])
        var elements: [String] = []
        var entries: [LegendEntry] = []
        var values: [Double] = []
        let floor = spec.logY ? rows.flatMap { [$0.mean, $0.ciLow ?? .nan] }.filter { $0 > 0 }.min().map(decadeFloor) : nil
        for bar in 0..<barCount {
            var blockRows: [[Double?]] = []
            for (cluster, _) in clusterLabels.enumerated() {
                let env = byAlgorithm ? environments[bar] : environments[cluster]
                let key = byAlgorithm ? series[cluster] : series[bar]
                guard let r = rows.first(where: { $0.environment == env && $0.series == key }) else { continue }
                let x = Double(cluster) + (Double(bar) - Double(barCount - 1) / 2) * slot
                var low = r.ciLow
                if let f = floor, let l = low, l <= 0 { low = f }
                blockRows.append([x, r.mean, low ?? r.mean, r.ciHigh ?? r.mean])
                values += [r.mean, low ?? r.mean, r.ciHigh ?? r.mean]
            }
            guard !blockRows.isEmpty else { continue }
            let name = byAlgorithm ? "environment=\(environments[bar])" : "algorithm=\(series[bar].algorithm) config=\(series[bar].config)"
            let block = data.add(name, rows: blockRows)
            let colour: String
            let label: String
            if byAlgorithm {
                colour = FigureStyle.palette[bar % FigureStyle.palette.count]
                label = environments[bar]
            } else {
                colour = styles.colour(series[bar])
                label = series[bar].label
            }
            let fill = "fc rgb '\(colour)' fs solid 0.85 border lc rgb '#333333'"
            elements.append("datafile index \(block) using 1:2 with boxes \(fill) notitle")
            // Whiskers as vectors with flat heads (yerrorbars would punch a hole at the mean).
            elements.append("datafile index \(block) using 1:3:(0):($4 - $3) with vectors heads size \(GnuplotScript.number(slot * 0.2)),90 lc rgb '#222222' lw 1.3 notitle")
            entries.append(LegendEntry(label: label, style: "with boxes \(fill)"))
        }

        // Widen the panel so cluster labels fit side by side (≈ 9.4 px per character); rotate
        // them by 30° only when that would exceed 1,400 px.
        let longestCluster = min(clusterLabels.map(\.count).max() ?? 0, 48)
        let labelPx = Int(Double(longestCluster) * 9.4) + 36
        let barsPx = max(barCount * 26, 90)
        let flatWidth = 150 + clusterLabels.count * max(barsPx, labelPx)
        let rotate = flatWidth > 1400
        let panelWidth = rotate ? max(560, min(1400, 150 + clusterLabels.count * barsPx)) : max(560, flatWidth)
        let rotatedDrop = Int(Double(longestCluster) * 9.4 * 0.5)  // vertical extent of a 30° label
        let panelHeight = 440 + (rotate ? rotatedDrop : 0)
        let baseLayout = layout(panels: 1, panelWidth: panelWidth, panelHeight: panelHeight, entries: entries)
        let title = FigureWriter.title(context, generated: "\(FigureStyle.metricName(spec.metric)) of the final policies — \(meanWithTInterval) (\(context.experiment))",
                                      statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title), layout.place(0)]
        body += panelSetup(title: "", xLabel: nil, yLabel: FigureStyle.metricLabel(spec.metric), logX: false, logY: spec.logY)
        body.append("unset title")
        if rotate {
            body.append("set bmargin \(rotatedDrop / 20 + 4)")
        }
        let tics = clusterLabels.enumerated().map { "\(GnuplotScript.quote($0.element)) \($0.offset)" }
        body.append("set xtics (" + tics.joined(separator: ", ") + ") noenhanced scale 0" + (rotate ? " rotate by 30 right" : ""))
        body.append("set grid noxtics ytics")
        body.append("set boxwidth \(GnuplotScript.number(slot * 0.9)) absolute")
        body.append("set xrange [-0.6:\(GnuplotScript.number(Double(clusterLabels.count) - 0.4))]")
        body.append("set yrange \(range(values, log: spec.logY, includeZero: !spec.logY) ?? "[*:*]")")
        if !spec.logY { body.append("set xzeroaxis lt -1 lw 1") }
        body.append("plot " + elements.joined(separator: ", \\\n        "))
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/summary.csv (metric \(spec.metric))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
