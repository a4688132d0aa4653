import AlignmentCore
import Foundation
import StableFloor

/// Colours, dash patterns and axis labels shared by every figure, so that one algorithm looks
/// the same in every plot of every experiment.
public enum FigureStyle {
    /// The fixed palette (hex RGB), 20 colours: matplotlib's tab10, two more, and eight of Paul
    /// Tol's "muted" qualitative scheme (Tol 2021, "Colour Schemes", SRON/EPS/TN/09-002, §3) for the
    /// catalogue beyond twelve. An algorithm's colour is `palette[colourIndex(of:)]`.
    public static let palette: [String] = [
        "#8C564B", "#BCBD22", "#17BECF", "#9467BD", "#FF7F0E", "#1F77B4",
        "#2CA02C", "#D62728", "#E377C2", "#7F7F7F", "#332288", "#E6AB02",
        "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#CC6677", "#DDCC77",
    ]

    /// Salt mixed into the hash. Chosen (by a one-off search, the first salt from 0 that works) so
    /// that the seventeen algorithms of the algorithm catalogue — rlhf-ppo, dpo, rest, nash-md,
    /// nash-md-pg, online-mirror-descent, extragradient, mmd, nash-ema, sppo, best-of-n, omwu, mpo,
    /// comal, self-play-pg, dno, inpo — get seventeen different colours.
    static let salt: UInt64 = 78_492

    /// The palette index of an algorithm: SplitMix64(FNV-1a(id) ⊕ salt) mod |palette|.
    public static func colourIndex(of algorithm: String) -> Int {
        Int(StableHash.splitMix64(StableHash.fnv1a64(algorithm) ^ salt) % UInt64(palette.count))
    }

    /// The algorithm's base colour, "#RRGGBB".
    public static func colour(of algorithm: String) -> String {
        palette[colourIndex(of: algorithm)]
    }

    /// The colour of configuration `rank` among `count` configurations of one algorithm: the base
    /// colour for a single configuration, otherwise a ramp from 35% darker (first, e.g. smallest
    /// β) to 45% lighter (last), so configurations of one algorithm share a hue.
    static func shade(_ hex: String, rank: Int, of count: Int) -> String {
        guard count > 1 else { return hex }
        let t = Double(rank) / Double(count - 1)  // 0 … 1
        let rgb = components(hex)
        let mixed: [Double]
        if t < 0.5 {
            let k = 0.35 * (1 - 2 * t)  // toward black
            mixed = rgb.map { $0 * (1 - k) }
        } else {
            let k = 0.45 * (2 * t - 1)  // toward white
            mixed = rgb.map { $0 + (255 - $0) * k }
        }
        return "#" + mixed.map { v in
            let s = String(Int(v.rounded()), radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    private static func components(_ hex: String) -> [Double] {
        let digits = Array(hex.dropFirst())
        return stride(from: 0, to: 6, by: 2).map { Double(Int(String(digits[$0...$0 + 1]), radix: 16) ?? 0) }
    }

    /// gnuplot dash type of configuration `rank` (1 = solid, then dashed, dotted, dash-dot, …); a
    /// figure with more algorithms than colours adds each series' palette round to its rank
    /// (`SeriesStyles`), so a reused colour is drawn with another dash pattern.
    static func dashType(rank: Int) -> Int { rank % 5 + 1 }

    /// gnuplot point type per algorithm (filled circle, square, triangles, diamond, pentagon).
    static func pointType(of algorithm: String) -> Int {
        let types = [7, 5, 9, 11, 13, 15]
        return types[Int(StableHash.fnv1a64(algorithm) % UInt64(types.count))]
    }

    /// Axis label of a column a figure draws: a harness metric's `Metric.axisLabel` (label and
    /// unit, from the registry), the x-axis names `iteration` and `queries`, otherwise (a plugin
    /// diagnostic, a hyperparameter) the id with underscores as spaces.
    public static func metricLabel(_ metric: String) -> String {
        if let entry = Metric.named(metric) { return entry.axisLabel }
        switch metric {
        case "iteration": return "iteration"
        case "queries": return "preference queries (mean over seeds)"
        default: return metric.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// Short name of a column for titles: a harness metric's `Metric.title`, otherwise the id with
    /// underscores as spaces and the first letter capitalised.
    static func metricName(_ metric: String) -> String {
        if let entry = Metric.named(metric) { return entry.title }
        let s = metric.replacingOccurrences(of: "_", with: " ")
        return s.prefix(1).uppercased() + s.dropFirst()
    }
}
