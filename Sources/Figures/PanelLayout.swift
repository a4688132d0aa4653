import Foundation

/// Positions of the panels of a multiplot (in screen fractions), with a title band at the top and
/// a legend strip on the right.
struct PanelLayout {
    var count: Int
    var columns: Int
    var rows: Int
    var panelWidth: Int
    var panelHeight: Int
    var legendWidth: Int
    var titleHeight: Int

    init(count: Int, panelWidth: Int, panelHeight: Int, legendWidth: Int, titleHeight: Int = 40, maxColumns: Int = 3) {
        self.count = max(count, 1)
        self.columns = self.count == 4 ? 2 : min(self.count, maxColumns)
        self.rows = (self.count + columns - 1) / columns
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.legendWidth = legendWidth
        self.titleHeight = titleHeight
    }

    var width: Int { columns * panelWidth + legendWidth }

    /// The same layout with the legend strip widened so the canvas is at least wide enough for
    /// a multiplot title of `title` (14 pt ≈ 9.5 px per character).
    func fitting(title: String) -> PanelLayout {
        let needed = Int(Double(title.count) * 9.5) + 40
        var copy = self
        if needed > width { copy.legendWidth += needed - width }
        return copy
    }
    var height: Int { titleHeight + rows * panelHeight }

    /// `set origin …; set size …` for panel k (row-major from the top left).
    func place(_ k: Int) -> String {
        let col = k % columns, row = k / columns
        let x = Double(col * panelWidth) / Double(width)
        let y = Double((rows - 1 - row) * panelHeight) / Double(height)
        return "set origin \(fraction(x)), \(fraction(y)); set size \(fraction(Double(panelWidth) / Double(width))), "
            + fraction(Double(panelHeight) / Double(height))
    }

    /// Bottom-left corner of panel k in pixels from the canvas's bottom-left corner.
    func pixelOrigin(_ k: Int) -> (x: Int, y: Int) {
        (k % columns * panelWidth, (rows - 1 - k / columns) * panelHeight)
    }

    /// Whether panel k is in the left column / on the bottom row of its column.
    func isLeft(_ k: Int) -> Bool { k % columns == 0 }
    func isBottom(_ k: Int) -> Bool { k + columns >= count }

    /// `set origin …; set size …` for the legend strip (right of the panels, full height).
    var legendPlacement: String {
        let x = Double(columns * panelWidth) / Double(width)
        return "set origin \(fraction(x)), 0; set size \(fraction(Double(legendWidth) / Double(width))), "
            + fraction(Double(height - titleHeight) / Double(height))
    }

    private func fraction(_ v: Double) -> String { String(format: "%.5f", v) }
}
