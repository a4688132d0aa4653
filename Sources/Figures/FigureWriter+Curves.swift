import Foundation

extension FigureKind {
    /// `curves`: a metric against iteration or mean preference queries, one line per
    /// (algorithm, configuration) with its 95% t interval as a band, one panel per environment.
    public static let curves = FigureKind(
        id: "curves",
        summary: "metric vs iteration or preference queries: mean with 95% t interval band per configuration, one panel per environment",
        reads: ["curve_summary.csv"],
        options: [
            FigureOption("x", .choice(["iteration", "queries"]), defaultValue: "\"iteration\"",
                         doc: "The x axis: \"iteration\", or \"queries\" (mean preference queries used so far)."),
            .logX, .logY,
            FigureOption("guides", .guides, defaultValue: "[]",
                         doc: "Analytic reference curves y = scale·(x + shift)^power drawn on every panel (e.g. a theoretical bound)."),
        ],
        draw: FigureWriter.curves)
}

extension FigureWriter {
    /// `curves`: a metric against iteration (or mean queries when `x == "queries"`), one line per
    /// (algorithm, configuration) with a translucent 95% CI band, one panel per environment.
    ///
    /// A series with a single point (one checkpoint) is drawn as a marker with its interval as an
    /// error bar, since a line or band through one point draws nothing.
    ///
    /// Against queries, checkpoints that share a query count are one point: the last of them (the
    /// value reached with that many labels; `collapsingQueryPlateaus`). A method that spends its
    /// whole label budget before training (a reward model fitted up front, as rlhf-ppo and rest
    /// do) would otherwise be a vertical spike at its budget; it becomes one marker at the budget
    /// with its final value, and its legend entry says so ("labels up front: final value", or "no
    /// labels: final value" at 0 queries, e.g. exact feedback), while its training can be read on
    /// the iteration axis.
    /// On a log axis, points with a non-positive coordinate are dropped and band lower ends ≤ 0
    /// are clipped to the bottom of the panel. Guides (`FigureSpec.guides`, e.g. a theoretical
    /// bound) are drawn on every panel as black dashed curves over the panel's x range.
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
        struct Panel { var environment: String; var series: [(SeriesKey, Int, Bool)]; var guides: [(Int, Int)]; var yRange: String?; var xRange: String?; var xStep: Double?; var singles: Set<Int> = [] }
        var panels: [Panel] = []
        var legendSeries: [SeriesKey] = []
        // Series that are one point against queries, made from several checkpoints, with the
        // query count of that point (0: the method used no labels).
        var upFront: [SeriesKey: Double] = [:]
        for env in environments {
            let envRows = rows.filter { $0.environment == env }
            var points: [SeriesKey: [CurvePoint]] = [:]
            for r in envRows {
                guard let x = xName == "queries" ? r.queries : r.iteration else { continue }
                if spec.logX && x <= 0 { continue }
                if spec.logY && r.mean <= 0 { continue }
                points[r.series, default: []].append(CurvePoint(x: x, iteration: r.iteration, mean: r.mean, low: r.ciLow, high: r.ciHigh))
            }
            if xName == "queries" {
                for (key, pts) in points {
                    let collapsed = collapsingQueryPlateaus(pts)
                    if collapsed.count == 1 && pts.count > 1 { upFront[key] = Swift.max(upFront[key] ?? 0, collapsed[0].x) }
                    points[key] = collapsed
                }
            }
            guard !points.isEmpty else { continue }
            // Log y: clip band lower ends to the panel's bottom decade.
            var floor: Double? = nil
            if spec.logY {
                let positives = points.values.flatMap { $0.flatMap { [$0.mean, $0.low ?? .nan] } }.filter { $0 > 0 }
                floor = positives.min().map(decadeFloor)
            }
            var panel = Panel(environment: env, series: [], guides: [], yRange: nil, xRange: nil, xStep: nil)
            var ys: [Double] = [], xs: [Double] = []
            for key in context.ordered(points.keys) {
                let pts = points[key]!.sorted { ($0.x, $0.iteration) < ($1.x, $1.iteration) }
                let hasBand = pts.contains { $0.low != nil && $0.high != nil }
                let block = data.add("environment=\(env) algorithm=\(key.algorithm) config=\(key.config)", rows: pts.map { p in
                    var low = p.low
                    if let f = floor, let l = low, l <= 0 { low = f }
                    return [p.x, p.mean, low, p.high]
                })
                panel.series.append((key, block, hasBand))
                if pts.count == 1 { panel.singles.insert(block) }
                if !legendSeries.contains(key) { legendSeries.append(key) }
                xs += pts.map(\.x)
                ys += pts.map(\.mean) + pts.compactMap(\.high)
                ys += pts.compactMap { p in p.low.map { l in floor.map { Swift.max(l, $0) } ?? l } }
            }
            if let lo = xs.min(), let hi = xs.max() {
                for (g, guide) in spec.guides.enumerated() {
                    let curve = guidePoints(guide, from: lo, to: hi, logX: spec.logX, logY: spec.logY)
                    guard !curve.isEmpty else { continue }
                    panel.guides.append((g, data.add("environment=\(env) guide \(guide.label)", rows: curve.map { [$0.0, $0.1, nil, nil] })))
                    ys += curve.map(\.1)
                }
            }
            panel.yRange = range(ys, log: spec.logY)
            if let lo = xs.min(), let hi = xs.max() {
                let (a, b) = linearEnds(lo, hi, fraction: 0, constantHalfWidth: 0.05)
                panel.xRange = spec.logX ? range(xs, log: true) : "[\(a):\(b)]"
                panel.xStep = hi > lo ? tickStep(hi - lo) : nil
            }
            panels.append(panel)
        }
        guard !panels.isEmpty else {
            let axes = [spec.logX ? "x" : nil, spec.logY ? "y" : nil].compactMap { $0 }
            throw context.noData("no point of '\(spec.metric)' has a \(xName) value"
                                 + (axes.isEmpty ? "" : " and positive coordinates on the log \(axes.joined(separator: "/")) axis"))
        }

        legendSeries = context.ordered(legendSeries)
        let guideStyle = "lw 2 lc rgb '#000000' dt 2"
        var entries = legendSeries.map { key in
            guard let q = upFront[key] else { return LegendEntry(label: key.label, style: "with lines \(styles.line(key))") }
            let note = q > 0 ? " (labels up front: final value)" : " (no labels: final value)"
            return LegendEntry(label: key.label + note, style: "with points lc rgb '\(styles.colour(key))' pt 7 ps 1.2")
        }
        entries += spec.guides.enumerated().filter { g in panels.contains { $0.guides.contains { $0.0 == g.offset } } }
            .map { LegendEntry(label: $0.element.label, style: "with lines \(guideStyle)") }
        let baseLayout = layout(panels: panels.count, panelWidth: 520, panelHeight: 420, entries: entries)
        let xAxisName = xName == "queries" ? "preference queries" : "iteration"
        let title = FigureWriter.title(context, generated: "\(FigureStyle.metricName(spec.metric)) vs \(xAxisName) — \(meanWithTInterval) (\(context.experiment))",
                                      statistic: meanWithTInterval)
        let layout = baseLayout.fitting(title: title)
        var body = [multiplotStart(title: title)]
        for (k, panel) in panels.enumerated() {
            body.append(GnuplotScript.comment("panel \(k + 1): environment \(panel.environment)"))
            body.append(layout.place(k))
            body += panelSetup(title: panel.environment,
                               xLabel: layout.isBottom(k) ? FigureStyle.metricLabel(xName) : nil,
                               yLabel: layout.isLeft(k) ? FigureStyle.metricLabel(spec.metric) : nil,
                               logX: spec.logX, logY: spec.logY)
            body.append("set xrange \(panel.xRange ?? "[*:*]"); set yrange \(panel.yRange ?? "[*:*]")")
            if !spec.logX, let step = panel.xStep { body.append("set xtics \(bound(step))") }
            var elements: [String] = []
            for (key, block, hasBand) in panel.series where hasBand && !panel.singles.contains(block) {
                elements.append("datafile index \(block) using 1:3:4 with filledcurves fc rgb '\(styles.colour(key))' fs transparent solid 0.18 noborder notitle")
            }
            for (key, block, hasBand) in panel.series {
                if panel.singles.contains(block) {
                    // One point draws no line and no band: a marker with its interval instead.
                    if hasBand {
                        elements.append("datafile index \(block) using 1:2:3:4 with yerrorbars lc rgb '\(styles.colour(key))' lw 1.5 pt 7 ps 1 notitle")
                    }
                    elements.append("datafile index \(block) using 1:2 with points lc rgb '\(styles.colour(key))' pt 7 ps 1.2 notitle")
                } else {
                    elements.append("datafile index \(block) using 1:2 with lines \(styles.line(key)) notitle")
                }
            }
            for (_, block) in panel.guides {
                elements.append("datafile index \(block) using 1:2 with lines \(guideStyle) notitle")
            }
            body.append("plot " + elements.joined(separator: ", \\\n        "))
        }
        body += legend(entries, layout: layout)
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/curve_summary.csv (metric \(spec.metric))",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }

    /// One checkpoint of a series: its x (iteration or mean queries), iteration, mean and interval.
    struct CurvePoint: Equatable {
        var x: Double
        var iteration: Double
        var mean: Double
        var low: Double?
        var high: Double?
    }

    /// The points of a series against queries, sorted by (x, iteration), with each run of points
    /// at the same x replaced by its last (latest iteration): the value reached with that many
    /// labels. A series whose queries never change becomes one point.
    /// - Complexity: O(n log n) for n points.
    static func collapsingQueryPlateaus(_ points: [CurvePoint]) -> [CurvePoint] {
        let sorted = points.sorted { ($0.x, $0.iteration) < ($1.x, $1.iteration) }
        var out: [CurvePoint] = []
        for p in sorted {
            if let last = out.last, last.x == p.x { out[out.count - 1] = p } else { out.append(p) }
        }
        return out
    }

    /// Points of a guide over [lo, hi]: 200 points, log-spaced on a log x axis (from max(lo, 1)
    /// when lo ≤ 0), keeping finite values (and positive ones on a log y axis).
    static func guidePoints(_ guide: FigureSpec.Guide, from lo: Double, to hi: Double, logX: Bool, logY: Bool) -> [(Double, Double)] {
        let count = 200
        let start = logX ? Swift.max(lo, hi > 1 ? 1 : hi) : lo
        guard hi > start || hi == start else { return [] }
        let xs: [Double] = (0..<count).map { k in
            let t = Double(k) / Double(count - 1)
            return logX && start > 0 ? start * pow(hi / start, t) : start + (hi - start) * t
        }
        return xs.map { ($0, guide.value(at: $0)) }.filter { $0.1.isFinite && (!logY || $0.1 > 0) }
    }

    /// A tick spacing of 1, 2 or 5 × 10^k giving at most six intervals over `span` (so labels such
    /// as "10000" do not run into each other on a 520-pixel panel).
    static func tickStep(_ span: Double) -> Double {
        let raw = span / 6
        let decade = pow(10, log10(raw).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * decade }.first { $0 >= raw } ?? 10 * decade
    }
}
