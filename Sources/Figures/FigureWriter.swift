import Foundation

/// Writes one gnuplot script (plus its small data file) per figure of an experiment.
///
/// For figure `id` it writes `<plotsDirectory>/<id>.gp` and `<plotsDirectory>/<id>.dat`. The data
/// file holds the rows of the results CSVs the figure needs, filtered and ordered; the script
/// finds it next to itself through `ARG0`, so `gnuplot Plots/<name>/<id>.gp` works from the
/// repository root and from any other directory. The script renders `<id>.png` (pngcairo),
/// `<id>.svg` and `<id>.pdf` (pdfcairo) next to itself; `gnuplot -e "formats='png'" <id>.gp`
/// restricts the formats.
///
/// Inputs (in `resultsDirectory`, tidy RFC 4180 CSV with a header; empty cell = not applicable):
/// summary.csv (`bars`, `frontier`, `lines`; a metric it does not list, such as a plugin diagnostic,
/// is taken from curve_summary.csv at the last recorded iteration), curve_summary.csv (`curves`),
/// pairwise.csv (`heatmap`), frontier.csv (optional exact curve of `frontier`), runs.csv and
/// policies.csv (`policy`: final π(y) against an environment parameter), pairwise.csv and runs.csv
/// (`versus`: P(π ≻ opponent) against a hyperparameter).
public enum FigureWriter {
    /// Writes the scripts and data files of `figures`.
    /// - Parameters:
    ///   - figures: the figure specs (ids unique, usable as file names).
    ///   - experiment: the experiment's name (used in titles and comments).
    ///   - resultsDirectory: where the results CSVs are.
    ///   - plotsDirectory: where the scripts go (created if needed).
    /// - Returns: the URLs of the written `.gp` scripts, in the order of `figures`.
    /// Every string from the spec or the results files reaches a script only as a single-quoted
    /// gnuplot literal or a comment, with control and format characters shown escaped
    /// (`FigureText`), so no title or label can run a command; files are written without
    /// following symbolic links (`FigureFile`).
    /// - Throws: `FiguresError` — a missing or malformed results file, an inconsistent spec,
    ///   nothing left to plot after filtering, or a write failure. Nothing is written for a
    ///   figure that fails; figures before it have been written.
    public static func write(figures: [FigureSpec], experiment: String, resultsDirectory: URL,
                             plotsDirectory: URL) throws -> [URL] {
        var seen = Set<String>()
        for spec in figures {
            guard isPlainFileName(spec.id) else {
                throw FiguresError.invalidSpec(figure: FigureText.visible(String(spec.id.prefix(60))),
                                               reason: "the id must be a plain file name of letters, digits, '.', '_', '-' or '+', not starting with '.'")
            }
            guard seen.insert(spec.id).inserted else {
                throw FiguresError.invalidSpec(figure: spec.id, reason: "duplicate figure id")
            }
        }
        do {
            try FileManager.default.createDirectory(at: plotsDirectory, withIntermediateDirectories: true)
        } catch {
            throw FiguresError.writeFailed(path: plotsDirectory.path, reason: error.localizedDescription)
        }
        let source = relativePath(from: plotsDirectory, to: resultsDirectory)
        var urls: [URL] = []
        for spec in figures {
            let context = FigureContext(spec: spec, experiment: experiment, source: source,
                                        tables: ResultTables(directory: resultsDirectory, spec: spec))
            let (script, data) = try build(context)
            let scriptURL = plotsDirectory.appendingPathComponent("\(spec.id).gp")
            try writeText(data.text, to: plotsDirectory.appendingPathComponent("\(spec.id).dat"))
            try writeText(script.text, to: scriptURL)
            urls.append(scriptURL)
        }
        return urls
    }

    /// Writes the scripts of every figure that has something to draw and skips the others.
    ///
    /// A figure whose data is missing after filtering (no run ok, a metric that is 0 everywhere on a
    /// log axis, a filter that matches nothing) or that would mix evaluation τ (`FiguresError.isSkip`)
    /// is skipped with its reason; its files from an earlier run (`<id>.gp`, `.dat`, `.png`, `.svg`,
    /// `.pdf`) are removed, so no stale figure remains next to fresh ones. Every other error is thrown
    /// as by `write`.
    /// - Parameters: as `write`.
    /// - Returns: the written scripts (in figure order) and the skipped figures with their reasons.
    /// - Throws: `FiguresError` other than the skips (invalid spec, malformed CSV, write failure).
    public static func writeAvailable(figures: [FigureSpec], experiment: String, resultsDirectory: URL,
                                      plotsDirectory: URL) throws -> FigureBatch {
        var batch = FigureBatch(scripts: [], skipped: [])
        var drawable: [FigureSpec] = []
        for spec in figures {
            let context = FigureContext(spec: spec, experiment: experiment, source: "",
                                        tables: ResultTables(directory: resultsDirectory, spec: spec))
            do {
                _ = try build(context)
                drawable.append(spec)
            } catch let error as FiguresError where error.isSkip {
                batch.skipped.append(FigureBatch.Skipped(figure: spec.id, reason: error.description))
            }
        }
        for skipped in batch.skipped where !skipped.figure.contains("/") && !skipped.figure.hasPrefix(".") {
            for ext in ["gp", "dat", "png", "svg", "pdf"] {
                try? FileManager.default.removeItem(at: plotsDirectory.appendingPathComponent("\(skipped.figure).\(ext)"))
            }
        }
        batch.scripts = try write(figures: drawable, experiment: experiment, resultsDirectory: resultsDirectory,
                                  plotsDirectory: plotsDirectory)
        return batch
    }

    /// The script and data of one figure, drawn by its kind (`FigureKind.draw`).
    static func build(_ context: FigureContext) throws -> (GnuplotScript, GnuplotData) {
        try context.spec.kind.draw(context)
    }

    /// What the drawn means and intervals are, said in every figure's title: the intervals are
    /// summary.csv's, curve_summary.csv's and pairwise.csv's `ci_low`/`ci_high`, the Student t
    /// interval x̄ ± t₀.₉₇₅,ₙ₋₁·s/√n over seeds (`Descriptive.summarize`).
    static let meanWithTInterval = "mean with 95% t interval over seeds"

    /// The figure's title: the spec's `title` followed by " — `statistic`", or `generated` (which
    /// already says it) when the spec gives none, so a title always says what the bars, bands
    /// or cells are.
    static func title(_ context: FigureContext, generated: String, statistic: String) -> String {
        guard let given = context.spec.title else { return generated }
        return "\(given) — \(statistic)"
    }

    private static func writeText(_ text: String, to url: URL) throws {
        try FigureFile.write(text, to: url)
    }

    /// Whether `id` can name a figure's files and appear in a script unquoted: 1–200 ASCII
    /// letters, digits, '.', '_', '-' or '+', not starting with '.' (the spec's identifier rule).
    static func isPlainFileName(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200 && !id.hasPrefix(".") && id.unicodeScalars.allSatisfy {
            ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || ".-_+".unicodeScalars.contains($0)
        }
    }

    /// The path of `target` relative to `base` (both directories), e.g. "../../Results/x".
    static func relativePath(from base: URL, to target: URL) -> String {
        let b = base.standardizedFileURL.pathComponents
        let t = target.standardizedFileURL.pathComponents
        var common = 0
        while common < min(b.count, t.count) && b[common] == t[common] { common += 1 }
        let path = Array(repeating: "..", count: b.count - common) + t[common...]
        return path.isEmpty ? "." : path.joined(separator: "/")
    }
}

/// What `FigureWriter.writeAvailable` wrote and skipped.
public struct FigureBatch: Sendable, Equatable {
    /// A figure that was not drawn, with the one-line reason (`FiguresError.description`).
    public struct Skipped: Sendable, Equatable {
        /// The figure id.
        public var figure: String
        /// Why it was skipped.
        public var reason: String
    }

    /// The written `.gp` scripts, in figure order.
    public var scripts: [URL]
    /// The skipped figures, in figure order.
    public var skipped: [Skipped]
}

/// Everything a figure builder needs.
struct FigureContext {
    var spec: FigureSpec
    var experiment: String
    /// Results directory relative to the plots directory (for comments).
    var source: String
    var tables: ResultTables

    /// Environments in the spec's filter order when given, else in order of first appearance.
    func orderedEnvironments(_ seen: [String]) -> [String] {
        var unique: [String] = []
        for e in seen where !unique.contains(e) { unique.append(e) }
        guard let wanted = spec.environments else { return unique }
        return wanted.filter(unique.contains)
    }

    /// The listed position of an algorithm label in the figure's `algorithms` filter (Int.max
    /// when there is no filter or it is not listed).
    func listedRank(_ algorithm: String) -> Int {
        spec.algorithms?.firstIndex(of: algorithm) ?? Int.max
    }

    /// The order of series in a figure's legend, bars and data blocks: algorithms in the order
    /// the figure's `algorithms` lists them (by id when it lists none), then configurations of
    /// one algorithm in natural order (`SeriesKey.<`).
    func precedes(_ a: SeriesKey, _ b: SeriesKey) -> Bool {
        let (ra, rb) = (listedRank(a.algorithm), listedRank(b.algorithm))
        return ra != rb ? ra < rb : a < b
    }

    /// The distinct `keys` in figure order (`precedes`).
    func ordered(_ keys: some Sequence<SeriesKey>) -> [SeriesKey] {
        Array(Set(keys)).sorted(by: precedes)
    }

    /// A "no data" error that lists what the file does contain.
    func noData(_ what: String) -> FiguresError {
        var filters: [String] = []
        if let e = spec.environments { filters.append("environments \(e)") }
        if let a = spec.algorithms { filters.append("algorithms \(a)") }
        return FiguresError.noData(figure: spec.id, reason: what + (filters.isEmpty ? "" : " (filters: \(filters.joined(separator: ", ")))"))
    }
}

/// Styling of the series of one figure: colour per algorithm, shade and dash per configuration.
///
/// Each algorithm gets its own colour `FigureStyle.colour(of:)`, the same in every figure, unless
/// another algorithm of the same figure has it already (20 colours, and plugins and labels beyond
/// the catalogue): then, in the order the series are given (the figure's order), the later one
/// takes the next palette colour no series of the figure uses, so two algorithms of one figure
/// never share a colour while there are at most `FigureStyle.palette.count` of them. Beyond that
/// the palette starts again and each later round shifts its series' dash patterns by one, so a
/// reused colour is never drawn with the same line.
struct SeriesStyles {
    private var rank: [SeriesKey: (Int, Int)] = [:]
    private var base: [String: String] = [:]
    /// How many times the palette had been used up before the algorithm got its colour.
    private var round: [String: Int] = [:]

    init(_ series: [SeriesKey]) {
        let byAlgorithm = Dictionary(grouping: Set(series), by: \.algorithm)
        for (_, keys) in byAlgorithm {
            let sorted = keys.sorted()
            for (k, key) in sorted.enumerated() { rank[key] = (k, sorted.count) }
        }
        var algorithms: [String] = []
        for key in series where !algorithms.contains(key.algorithm) { algorithms.append(key.algorithm) }
        let palette = FigureStyle.palette
        var used = Set<Int>()
        var round = 0
        for algorithm in algorithms {
            if used.count == palette.count {
                // Every colour is taken: start another round, told apart by its dash pattern.
                used.removeAll()
                round += 1
            }
            var index = FigureStyle.colourIndex(of: algorithm)
            while used.contains(index) { index = (index + 1) % palette.count }
            used.insert(index)
            base[algorithm] = palette[index]
            self.round[algorithm] = round
        }
    }

    func colour(_ s: SeriesKey) -> String {
        let (r, n) = rank[s] ?? (0, 1)
        return FigureStyle.shade(base[s.algorithm] ?? FigureStyle.colour(of: s.algorithm), rank: r, of: n)
    }

    func dash(_ s: SeriesKey) -> Int { FigureStyle.dashType(rank: (rank[s]?.0 ?? 0) + (round[s.algorithm] ?? 0)) }

    /// "lc rgb '#…' dt k" for lines.
    func line(_ s: SeriesKey, width: Double = 2) -> String {
        "lw \(width) lc rgb '\(colour(s))' dt \(dash(s))"
    }
}

/// One entry of the shared legend strip.
struct LegendEntry: Equatable {
    var label: String
    /// The `with …` clause drawn as the key sample.
    var style: String
}

extension FigureWriter {
    /// Height in pixels of one legend row at 12 pt with spacing 1.1 (measured on pngcairo).
    static let legendRowHeight = 21

    /// Legend rows that fit in the strip of `layout`.
    static func legendRows(_ layout: PanelLayout) -> Int {
        max((layout.height - layout.titleHeight - 40) / legendRowHeight, 1)
    }

    /// A panel layout with room for a legend strip listing `entries`: panels grow (up to 720 px)
    /// so that up to 30 entries fit in one column; longer legends use more columns.
    static func layout(panels: Int, panelWidth: Int, panelHeight: Int, entries: [LegendEntry]) -> PanelLayout {
        var layout = PanelLayout(count: panels, panelWidth: panelWidth, panelHeight: panelHeight, legendWidth: 0)
        let needed = entries.count * legendRowHeight + 40
        if entries.count <= 30 && needed > layout.rows * layout.panelHeight {
            let grown = min((needed + layout.rows - 1) / layout.rows, 720)
            layout = PanelLayout(count: panels, panelWidth: panelWidth, panelHeight: grown, legendWidth: 0)
        }
        guard !entries.isEmpty else { return layout }
        // ≈ 8 px per character at 12 pt plus the sample and gaps; gnuplot sizes every column alike.
        let longest = entries.map(\.label.count).max() ?? 0
        let column = min(110 + longest * 8, 520)
        let columns = (entries.count + legendRows(layout) - 1) / legendRows(layout)
        return PanelLayout(count: panels, panelWidth: panelWidth, panelHeight: layout.panelHeight,
                           legendWidth: column * columns + 20)
    }

    /// Commands that draw the legend strip: an empty plot whose key lists `entries`.
    static func legend(_ entries: [LegendEntry], layout: PanelLayout) -> [String] {
        guard !entries.isEmpty else { return [] }
        let plots = entries.map { "NaN \($0.style) title \(GnuplotScript.quote($0.label))" }
        return [
            "# legend",
            layout.legendPlacement,
            "unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale",
            "unset colorbox; unset xzeroaxis; set lmargin 0; set rmargin 0; set tmargin 1; set bmargin 0",
            "set xrange [0:1]; set yrange [0:1]",
            "set key at graph 0.02, graph 0.99 left top Left reverse vertical noenhanced samplen 2.5 spacing 1.1 maxrows \(legendRows(layout)) nobox",
            "plot " + plots.joined(separator: ", \\\n        "),
        ]
    }

    /// Common panel settings: title, labels, grid, fixed margins so panels align, log axes.
    static func panelSetup(title: String, xLabel: String?, yLabel: String?, logX: Bool, logY: Bool) -> [String] {
        var c = [
            "set title \(GnuplotScript.quote(title)) noenhanced font ',13'",
            xLabel.map { "set xlabel \(GnuplotScript.quote($0)) noenhanced" } ?? "unset xlabel",
            yLabel.map { "set ylabel \(GnuplotScript.quote($0)) noenhanced" } ?? "unset ylabel",
            "set grid lc rgb '#DDDDDD' lw 1",
            "set border 3 lw 1.2; set tics nomirror out",
            "set lmargin 12; set rmargin 3; set tmargin 3; set bmargin 4.5",
            "unset key",
        ]
        c.append(logX ? "set logscale x; set format x '10^{%T}'" : "unset logscale x; set format x '% h'")
        c.append(logY ? "set logscale y; set format y '10^{%T}'" : "unset logscale y; set format y '% h'")
        return c
    }

    /// The overall title band of a multiplot.
    static func multiplotStart(title: String) -> String {
        "set multiplot title \(GnuplotScript.quote(title)) noenhanced font ',14'"
    }

    /// 10^⌊log10 v⌋, the decade at or below v > 0 (v itself when that decade underflows to 0,
    /// e.g. for subnormal v, so a log axis never gets a bound of 0).
    static func decadeFloor(_ v: Double) -> Double {
        let d = pow(10, (log10(v)).rounded(.down))
        return d > 0 ? d : v
    }

    /// The axis range string "[lo:hi]" covering `values` with 5% padding (linear) or to whole
    /// decades (log). Nil when no finite value (no positive one on a log axis) is available.
    ///
    /// The two printed bounds always differ — gnuplot refuses an explicit empty range ("Can't plot
    /// with an empty y range!") — so degenerate data still draws: constant values (all 0, all ½, a
    /// single point) get `linearEnds`' constant padding, e.g. "[0:0.05]" for bars of zeros
    /// (`includeZero`) and "[0.45:0.55]" for a constant ½; a log axis spans at least one decade.
    /// - Parameters:
    ///   - values: the values to cover; non-finite ones (and non-positive ones on a log axis) are ignored.
    ///   - log: whether the axis is logarithmic.
    ///   - includeZero: linear axes only: the range includes 0, and an end at 0 stays at 0 (bars).
    static func range(_ values: [Double], log: Bool, includeZero: Bool = false) -> String? {
        var v = values.filter { $0.isFinite && (!log || $0 > 0) }
        if includeZero && !log { v.append(0) }
        guard let lo = v.min(), let hi = v.max() else { return nil }
        if log {
            let a = decadeFloor(lo)
            var b = pow(10, log10(hi).rounded(.up))
            if b < hi { b *= 10 }
            if b <= a { b = a * 10 }
            b = finite(b)
            return "[\(bound(a)):\(bound(b))]"
        }
        let (a, b) = linearEnds(lo, hi, fraction: 0.05, constantHalfWidth: 0.05, anchorZero: includeZero)
        return "[\(a):\(b)]"
    }

    /// The printed ends of a linear axis covering [lo, hi] (finite, lo ≤ hi), padded by
    /// `fraction` of the span on each side.
    ///
    /// - A span that 8 significant digits cannot show (hi − lo ≤ 10⁻⁹·max(|lo|, |hi|), which
    ///   includes hi = lo) is a constant c = (lo + hi)/2: the range is c ± max(0.1·|c|,
    ///   `constantHalfWidth`), or [0 : `constantHalfWidth`] when c = 0 and `anchorZero`.
    /// - Otherwise an end that printing would move inside the data (rounding to 8 digits) is pushed
    ///   out by 10⁻⁷·max(|lo|, |hi|), so every value stays visible and the ends differ.
    /// - With `anchorZero`, an end at exactly 0 stays 0 (bars grow from the axis).
    /// Bounds are clamped to ±`Double.greatestFiniteMagnitude`.
    /// - Returns: the lower and upper bound as printed in the script (`bound`).
    static func linearEnds(_ lo: Double, _ hi: Double, fraction: Double, constantHalfWidth: Double,
                           anchorZero: Bool = false) -> (String, String) {
        let magnitude = Swift.max(abs(lo), abs(hi))
        if hi - lo <= 1e-9 * magnitude {
            let c = lo / 2 + hi / 2
            let h = Swift.max(abs(c) * 0.1, constantHalfWidth)
            if anchorZero && c == 0 { return ("0", bound(h)) }
            return (bound(finite(c - h)), bound(finite(c + h)))
        }
        let pad = fraction * (hi - lo)
        var a = finite(lo - pad), b = finite(hi + pad)
        if anchorZero && lo == 0 { a = 0 }
        if anchorZero && hi == 0 { b = 0 }
        if let printed = Double(bound(a)), printed > lo { a = finite(lo - 1e-7 * magnitude) }
        if let printed = Double(bound(b)), printed < hi { b = finite(hi + 1e-7 * magnitude) }
        return (bound(a), bound(b))
    }

    /// `v` clamped to ±`Double.greatestFiniteMagnitude` (a padded end must not print as "inf").
    static func finite(_ v: Double) -> Double {
        Swift.min(Swift.max(v, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }

    /// An axis bound with 8 significant digits (no floating-point noise in the script).
    static func bound(_ v: Double) -> String { String(format: "%.8g", v) }
}
