import BenchStatistics
import Foundation

/// One plotted point: x, mean, and the ends of its 95% t confidence interval (nil when n < 2).
struct StatPoint {
    var x: Double
    var mean: Double
    var low: Double?
    var high: Double?

    /// The row of a data block: x, mean, low, high (the mean where the interval is missing, so
    /// error bars collapse to the point).
    var row: [Double?] { [x, mean, low ?? mean, high ?? mean] }

    /// The mean and t-based 95% interval of `values` (`Descriptive.summarize`, as in summary.csv).
    /// - Throws: `FiguresError.invalidSpec` when a value is not finite.
    static func summarizing(_ values: [Double], at x: Double, figure: String) throws -> StatPoint {
        do {
            let s = try Descriptive.summarize(values, confidence: 0.95, bootstrapSamples: 0)
            return StatPoint(x: x, mean: s.mean, low: s.ciLow, high: s.ciHigh)
        } catch {
            throw FiguresError.invalidSpec(figure: figure, reason: "cannot summarise \(values): \(error)")
        }
    }
}

extension FigureKind {
    /// `policy`: final π(y) of every action against a numeric environment parameter, plus the
    /// final metric against it; 95% t intervals over seeds.
    public static let policy = FigureKind(
        id: "policy",
        summary: "final π(y) of each action and the final metric vs a numeric environment parameter: mean with 95% t interval error bars",
        reads: ["runs.csv", "policies.csv", "summary.csv"],
        options: [
            FigureOption("x", .environmentParameter, required: true, role: "the environment parameter on the x axis",
                         doc: "A numeric parameter given in every environment entry the figure draws (e.g. \"epsilon\")."),
            .logY,
        ],
        draw: FigureWriter.policy)
}

extension FigureWriter {
    /// `policy`: the final probability π(y) of every action y against a numeric environment
    /// parameter `x` (its value in each environment entry, `FigureSpec.parameterValues`), one
    /// panel per action and one line per (algorithm, configuration) with 95% t intervals over
    /// seeds; a last panel draws the final `metric` (summary.csv) against the same parameter.
    ///
    /// π(y) of a run is averaged over contexts with equal weights. Reads runs.csv, policies.csv and
    /// summary.csv; failed runs are left out.
    static func policy(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        guard let parameter = spec.x, !parameter.isEmpty else {
            throw FiguresError.invalidSpec(figure: spec.id, reason: "policy figures need `x` (an environment parameter, e.g. \"epsilon\")")
        }
        let values = spec.parameterValues
        let runs = try context.tables.runs().filter { $0.status == "ok" && values[$0.environment] != nil }
        guard !runs.isEmpty else {
            throw context.noData("runs.csv has no ok run on an environment with a value of '\(parameter)'")
        }
        let configs = ResultTables.configs(try context.tables.runs())
        let policies = try context.tables.policies()

        // samples[series][action][x] = π(action) of each run.
        var samples: [SeriesKey: [Int: [Double: [Double]]]] = [:]
        var actions = 0
        for r in runs {
            guard let table = policies[r.runID], !table.isEmpty, let x = values[r.environment] else { continue }
            let key = SeriesKey(algorithm: r.algorithm, config: configs[r.runID] ?? "")
            let n = table.map(\.count).max() ?? 0
            actions = max(actions, n)
            for y in 0..<n {
                let p = table.map { y < $0.count ? $0[y] : .nan }
                samples[key, default: [:]][y, default: [:]][x, default: []].append(p.reduce(0, +) / Double(p.count))
            }
        }
        guard actions > 0 else { throw context.noData("policies.csv has no final policy of the selected runs") }
        let metricRows = try context.tables.summary(metrics: [spec.metric]).filter { values[$0.environment] != nil }
        let series = context.ordered(Set(samples.keys).union(metricRows.map(\.series)))
        let styles = SeriesStyles(series)

        var data = GnuplotData(columns: [parameter, "mean", "ci_low", "ci_high"])
        struct Panel { var title: String; var yLabel: String; var blocks: [(SeriesKey, Int)]; var ys: [Double]; var unit: Bool }
        var panels: [Panel] = []
        var xs: [Double] = []
        for y in 0..<actions {
            var panel = Panel(title: "π(y\(y)) — probability of action \(y)", yLabel: "final π(y\(y))", blocks: [], ys: [], unit: true)
            for key in series {
                guard let byX = samples[key]?[y] else { continue }
                let points = try byX.keys.sorted().map { try StatPoint.summarizing(byX[$0]!, at: $0, figure: spec.id) }
                panel.blocks.append((key, data.add("action=\(y) algorithm=\(key.algorithm) config=\(key.config)", rows: points.map(\.row))))
                xs += points.map(\.x)
            }
            panels.append(panel)
        }
        var metricPanel = Panel(title: FigureStyle.metricName(spec.metric), yLabel: FigureStyle.metricLabel(spec.metric),
                                blocks: [], ys: [], unit: false)
        for key in series {
            let points = metricRows.filter { $0.series == key }
                .map { StatPoint(x: values[$0.environment]!, mean: $0.mean, low: $0.ciLow, high: $0.ciHigh) }
                .filter { !spec.logY || $0.mean > 0 }.sorted { $0.x < $1.x }
            guard !points.isEmpty else { continue }
            metricPanel.blocks.append((key, data.add("metric=\(spec.metric) algorithm=\(key.algorithm) config=\(key.config)",
                                                     rows: points.map(\.row))))
            metricPanel.ys += points.flatMap { [$0.mean, $0.low ?? $0.mean, $0.high ?? $0.mean] }
            xs += points.map(\.x)
        }
        if !metricPanel.blocks.isEmpty { panels.append(metricPanel) }

        let entries = series.map { key in
            LegendEntry(label: key.label, style: "with linespoints \(styles.line(key)) pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.1")
        }
        let baseLayout = layout(panels: panels.count, panelWidth: 500, panelHeight: 400, entries: entries)
        let title = FigureWriter.title(context, generated: "Final policy vs \(parameter) — \(meanWithTInterval) (\(context.experiment))",
                                      statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        let lo = xs.min() ?? 0, hi = xs.max() ?? 1
        let (xLow, xHigh) = linearEnds(lo, hi, fraction: 0.04, constantHalfWidth: 0.5)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append(GnuplotScript.comment("panel \(k + 1): \(panel.title)"))
            body.append(layout.place(k))
            body += panelSetup(title: panel.title, xLabel: layout.isBottom(k) ? parameter : nil, yLabel: panel.yLabel,
                               logX: false, logY: panel.unit ? false : spec.logY)
            body.append("set xrange [\(xLow):\(xHigh)]")
            body.append("set yrange \(panel.unit ? "[-0.03:1.03]" : range(panel.ys, log: spec.logY) ?? "[*:*]")")
            let elements = panel.blocks.map { key, block in
                "datafile index \(block) using 1:2:3:4 with yerrorlines \(styles.line(key)) pt \(FigureStyle.pointType(of: key.algorithm)) ps 1.1 notitle"
            }
            body.append(elements.isEmpty ? "plot NaN notitle" : "plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title,
                                   source: "\(context.source)/runs.csv, policies.csv and summary.csv (metric \(spec.metric), x = environment parameter \(parameter))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
