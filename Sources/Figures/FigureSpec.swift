import Foundation

/// One figure requested by an experiment spec's `figures` list.
public struct FigureSpec: Sendable, Hashable, Codable {
    /// The kind of a figure: a value of `FigureKind.catalogue` (`.curves`, `.bars`, …).
    public typealias Kind = FigureKind

    /// An analytic reference curve y = scale · (x + shift)^power drawn on every panel of a
    /// `curves` figure, e.g. Nash-MD's bound KL(π*_τ‖π_T) ≤ 8/(τ²(T+1)): scale 8/τ², shift 1,
    /// power −1 (Munos et al. 2023, Theorem 1).
    public struct Guide: Sendable, Hashable, Codable {
        /// Legend text.
        public var label: String
        /// The factor a of a·(x + b)^p.
        public var scale: Double
        /// The shift b of a·(x + b)^p.
        public var shift: Double
        /// The exponent p of a·(x + b)^p.
        public var power: Double

        /// Creates a guide y = scale · (x + shift)^power.
        public init(label: String, scale: Double, shift: Double = 0, power: Double = 1) {
            self.label = label
            self.scale = scale
            self.shift = shift
            self.power = power
        }

        /// The guide's value at x (NaN where (x + shift)^power is undefined).
        public func value(at x: Double) -> Double {
            scale * pow(x + shift, power)
        }
    }

    /// File-name stem of the figure (unique within a spec).
    public var id: String
    /// The kind.
    public var kind: Kind
    /// The metric plotted (y axis); for `frontier` the y metric.
    public var metric: String
    /// x-axis: "iteration" or "queries" for curves; a metric for frontier; a hyperparameter for lines
    /// and versus; a numeric environment parameter for policy.
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
    /// `curves`: analytic reference curves drawn on every panel.
    public var guides: [Guide]
    /// `versus`: the participants of pairwise.csv the configurations are compared with (algorithm
    /// labels, or "reference" for μ), one line each.
    public var opponents: [String]
    /// `policy`: the value of the environment parameter `x` of each environment id (environments
    /// without a value are not drawn).
    public var parameterValues: [String: Double]
    /// `aggregate`, `profile`: the normalisation of aggregates.csv drawn, "none" or "min-max".
    public var normalize: String

    /// Creates a figure spec.
    public init(id: String, kind: Kind, metric: String, x: String? = nil, by: [String] = [],
                logX: Bool = false, logY: Bool = false, environments: [String]? = nil,
                algorithms: [String]? = nil, title: String? = nil, guides: [Guide] = [], opponents: [String] = [],
                parameterValues: [String: Double] = [:], normalize: String = "none") {
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
        self.guides = guides
        self.opponents = opponents
        self.parameterValues = parameterValues
        self.normalize = normalize
    }
}
