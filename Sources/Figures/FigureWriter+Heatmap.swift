import Foundation

extension FigureKind {
    /// `heatmap`: the pairwise table P(row ≻ column) between final policies, values in the cells.
    public static let heatmap = FigureKind(
        id: "heatmap",
        summary: "pairwise table P(row ≻ column) between the final policies, mean over seeds in the cells, one panel per environment",
        reads: ["pairwise.csv"],
        options: [],
        draw: FigureWriter.heatmap)
}

extension FigureWriter {
    /// `heatmap`: the pairwise table P(π_row ≻ π_column) between final policies, one panel per
    /// environment, values printed in the cells on a diverging palette centred at ½.
    ///
    /// Rows and columns follow the figure's `algorithms` list when it gives one (the reference μ,
    /// which every filter keeps, first), and otherwise (and within one algorithm) the order in
    /// which configurations first appear in pairwise.csv.
    /// When only one direction of a pair is present the other is filled in as 1 − P (since
    /// P(a ≻ b) + P(b ≻ a) = 1); the diagonal is ½ by the same identity.
    static func heatmap(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        let spec = context.spec
        let rows = try context.tables.pairwise()
        guard !rows.isEmpty else { throw context.noData("pairwise.csv has no rows") }
        let environments = context.orderedEnvironments(rows.map(\.environment))
        var order: [SeriesKey] = []
        for r in rows {
            if !order.contains(r.a) { order.append(r.a) }
            if !order.contains(r.b) { order.append(r.b) }
        }
        // Algorithms the figure lists come in the listed order, after the reference μ (kept by
        // every filter); within one algorithm, pairwise.csv's order.
        func rank(_ key: SeriesKey) -> Int { context.spec.algorithms == nil ? 0 : context.spec.algorithms!.firstIndex(of: key.algorithm) ?? -1 }
        order = order.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        var data = GnuplotData(columns: ["column", "row", "p_row_beats_column", "ci_low", "ci_high"])
        struct Panel { var environment: String; var keys: [SeriesKey]; var block: Int }
        var panels: [Panel] = []
        for env in environments {
            var cell: [SeriesKey: [SeriesKey: (Double, Double?, Double?)]] = [:]
            for r in rows where r.environment == env {
                cell[r.a, default: [:]][r.b] = (r.mean, r.ciLow, r.ciHigh)
            }
            for r in rows where r.environment == env && cell[r.b]?[r.a] == nil {
                cell[r.b, default: [:]][r.a] = (1 - r.mean, r.ciHigh.map { 1 - $0 }, r.ciLow.map { 1 - $0 })
            }
            let keys = order.filter { cell[$0] != nil }
            var out: [[Double?]] = []
            for (i, a) in keys.enumerated() {
                for (j, b) in keys.enumerated() {
                    if let (m, lo, hi) = cell[a]?[b] {
                        out.append([Double(j), Double(i), m, lo, hi])
                    } else if a == b {
                        out.append([Double(j), Double(i), 0.5, nil, nil])
                    }
                }
            }
            let block = data.add("environment=\(env) (rows/columns: \(keys.map(\.label).joined(separator: "; ")))", rows: out)
            panels.append(Panel(environment: env, keys: keys, block: block))
        }
        // Pixel geometry (12 pt Sans ≈ 9.4 px per character): square cells, row labels on the
        // left, column labels rotated by 40° below, the colour box on the right.
        let maxKeys = panels.map(\.keys.count).max() ?? 1
        let longest = Double(min(order.map(\.label.count).max() ?? 1, 48))
        let cell = max(44, min(84, 560 / maxKeys))
        let left = Int(longest * 9.4) + 24, right = 140, top = 50
        let bottom = Int(longest * 9.4 * 0.643) + 36
        let title = FigureWriter.title(context, generated: "Pairwise preference P(row ≻ column) between final policies, mean over seeds (\(context.experiment))",
                                      statistic: "P(row ≻ column), mean over seeds")
        let layout = PanelLayout(count: panels.count, panelWidth: left + maxKeys * cell + right,
                                 panelHeight: top + maxKeys * cell + bottom, legendWidth: 0, maxColumns: 2).fitting(title: title)
        func sx(_ px: Int) -> String { String(format: "%.5f", Double(px) / Double(layout.width)) }
        func sy(_ px: Int) -> String { String(format: "%.5f", Double(px) / Double(layout.height)) }
        var body = [multiplotStart(title: title)]
        body.append("set palette defined (0 '#2166AC', 0.25 '#92C5DE', 0.5 '#F7F7F7', 0.75 '#F4A582', 1 '#B2182B')")
        for (k, panel) in panels.enumerated() {
            let n = panel.keys.count
            let tics = panel.keys.enumerated().map { "\(GnuplotScript.quote($0.element.label)) \($0.offset)" }.joined(separator: ", ")
            let fontSize = cell >= 60 ? 12 : 10
            let (ox, oy) = layout.pixelOrigin(k)
            let gridTop = oy + layout.panelHeight - top
            body += [
                GnuplotScript.comment("panel \(k + 1): environment \(panel.environment)"),
                "set lmargin at screen \(sx(ox + left)); set rmargin at screen \(sx(ox + left + n * cell))",
                "set tmargin at screen \(sy(gridTop)); set bmargin at screen \(sy(gridTop - n * cell))",
                "set title \(GnuplotScript.quote(panel.environment)) noenhanced font ',13'",
                "unset key; unset grid; set border lw 1",
                "set xrange [-0.5:\(GnuplotScript.number(Double(n) - 0.5))]; set yrange [\(GnuplotScript.number(Double(n) - 0.5)):-0.5]",
                "set xtics (\(tics)) noenhanced rotate by 40 right scale 0",
                "set ytics (\(tics)) noenhanced scale 0",
                "set cbrange [0:1]; set cbtics 0.25; set colorbox",
                "set cblabel 'P(row ≻ column)' noenhanced",
                "unset xlabel; unset ylabel",
                "plot datafile index \(panel.block) using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder fc palette notitle, \\",
                "     datafile index \(panel.block) using 1:2:(sprintf('%.2f', $3)) with labels font ',\(fontSize)' tc rgb '#111111' notitle",
            ]
        }
        body.append("unset multiplot")
        let script = GnuplotScript(id: spec.id, title: title, source: "\(context.source)/pairwise.csv",
                                   width: layout.width, height: layout.height, body: body)
        return (script, data)
    }
}
