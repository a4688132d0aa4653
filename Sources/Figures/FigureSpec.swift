/// One figure requested by an experiment spec's `figures` list (DESIGN §7, §9).
public struct FigureSpec: Sendable, Hashable, Codable {
    /// The kinds of figure.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Metric vs iteration (or queries): mean with a 95% CI band per configuration.
        case curves
        /// Final metric per algorithm (grouped by environment) with CI whiskers.
        case bars
        /// Pairwise table P(π_a ≻ π_b) with values in the cells.
        case heatmap
        /// Scatter of final (x, y) per configuration with an exact curve.
        case frontier
        /// Metric vs a swept hyperparameter, with CI.
        case lines
    }

    /// File-name stem of the figure (unique within a spec).
    public var id: String
    /// The kind.
    public var kind: Kind
    /// The metric plotted (y axis); for `frontier` the y metric.
    public var metric: String
    /// x-axis: "iteration" or "queries" for curves; a metric for frontier; a hyperparameter for lines.
    public var x: String?
    /// Grouping for bars (e.g. ["environment", "algorithm"]).
    public var by: [String]
    /// Logarithmic axes.
    public var logX: Bool
    public var logY: Bool
    /// Restrict to these environments (nil = all).
    public var environments: [String]?
    /// Restrict to these algorithms (nil = all).
    public var algorithms: [String]?
    /// Title (default: derived from the metric).
    public var title: String?

    /// Creates a figure spec.
    public init(id: String, kind: Kind, metric: String, x: String? = nil, by: [String] = [],
                logX: Bool = false, logY: Bool = false, environments: [String]? = nil,
                algorithms: [String]? = nil, title: String? = nil) {
        self.id = id
        self.kind = kind
        self.metric = metric
        self.x = x
        self.by = by
        self.logX = logX
        self.logY = logY
        self.environments = environments
        self.algorithms = algorithms
        self.title = title
    }
}
