/// A metric the harness computes from a policy and the ground truth (never by a plugin): one
/// entry of the registry `Metric.all`, which every consumer reads — the evaluator, the columns of
/// runs.csv and curves.csv, summaries and significance tests, the best-configuration rule's default
/// goal and its availability check, figure labels, `bench list`/`describe`, `bench schema` and the
/// metrics table of the docs.
///
/// Adding a metric is one entry in `Metric+Registry.swift` plus its test (docs/PLUGINS.md,
/// "Adding a metric").
public struct Metric: Sendable, Hashable, CustomStringConvertible {
    /// Column name in runs.csv / curves.csv and the id a spec names (`select_by`, figures).
    public var id: String
    /// Axis text of figures, without the unit, e.g. "KL(π ‖ μ)" (`axisLabel` adds the unit).
    public var label: String
    /// Short name for figure titles and legends, capitalised, e.g. "KL to reference".
    public var title: String
    /// What a value is measured in.
    public var unit: MetricUnit
    /// Whether lower or higher values are better (the default goal of `select_by`).
    public var direction: MetricDirection
    /// What the evaluation context must provide; without any of it the value is blank.
    public var requirements: Set<MetricRequirement>
    /// One-line meaning with the formula.
    public var doc: String
    /// Where the quantity is defined (authors, year, section).
    public var paper: String
    /// Computes the value; called only when every requirement is present in the context, and may
    /// still return nil (then the value is blank).
    public var evaluator: @Sendable (MetricContext) -> Double?

    /// Creates a registry entry.
    /// - Parameters:
    ///   - id: the column name (lower-case letters, digits and `_`, starting with a letter).
    ///   - label: axis text without the unit.
    ///   - title: short capitalised name for titles and legends.
    ///   - unit: the unit of a value.
    ///   - direction: lower or higher is better.
    ///   - requirements: what the context must provide (`.regularizedEquilibrium` and
    ///     `.restrictedEquilibrium` imply `.evaluationTau`; list both).
    ///   - doc: meaning and formula.
    ///   - paper: the defining reference.
    ///   - evaluator: the value, given a context that has every requirement.
    public init(id: String, label: String, title: String, unit: MetricUnit, direction: MetricDirection,
                requirements: Set<MetricRequirement> = [], doc: String, paper: String,
                evaluator: @escaping @Sendable (MetricContext) -> Double?) {
        self.id = id
        self.label = label
        self.title = title
        self.unit = unit
        self.direction = direction
        self.requirements = requirements
        self.doc = doc
        self.paper = paper
        self.evaluator = evaluator
    }

    /// Metric ids in column order (the order of `all`).
    public static let ids: [String] = all.map(\.id)

    /// The registry entry of `id`, or nil for an id that is not a harness metric (e.g. a plugin
    /// diagnostic). Complexity: O(|all|).
    public static func named(_ id: String) -> Metric? { all.first { $0.id == id } }

    /// The ids of the metrics that satisfy `isIncluded`, in column order, as prose: "a", "a and b",
    /// "a, b and c" (for messages and docs generated from the registry).
    public static func prose(where isIncluded: (Metric) -> Bool) -> String {
        let ids = all.filter(isIncluded).map(\.id)
        return ids.count <= 1 ? ids.joined() : ids.dropLast().joined(separator: ", ") + " and " + ids.last!
    }

    /// Whether the value depends on the evaluation τ (it requires `.evaluationTau`).
    public var needsTau: Bool { requirements.contains(.evaluationTau) }

    /// Axis text with the unit where one is shown, e.g. "KL(π ‖ μ)  [nats]".
    public var axisLabel: String { label + unit.axisSuffix }

    /// The value for `context`: nil when a requirement is missing, else the evaluator's value.
    public func value(in context: MetricContext) -> Double? {
        guard requirements.allSatisfy(context.provides) else { return nil }
        return evaluator(context)
    }

    /// The id.
    public var description: String { id }

    /// Entries are identified by their id.
    public static func == (a: Metric, b: Metric) -> Bool { a.id == b.id }

    /// Hashes the id.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// Whether smaller or larger values of a metric are better.
public enum MetricDirection: String, Sendable, Hashable, CaseIterable {
    /// Smaller is better (distances, gaps, divergences).
    case lowerIsBetter = "lower"
    /// Larger is better (win rates, rewards).
    case higherIsBetter = "higher"
}

/// The unit of a metric's values.
public enum MetricUnit: String, Sendable, Hashable, CaseIterable {
    /// A probability or a difference of probabilities (preference values P(a ≻ b) ∈ [0, 1]).
    case probability
    /// Natural-log information units (KL divergences).
    case nats
    /// The environment's own reward scale (a true reward has no named unit).
    case rewardUnits = "reward units"
    /// A pure number.
    case dimensionless

    /// What figures append to an axis label: "  [nats]" for nats; nothing for probabilities,
    /// pure numbers and reward units (which have no name to print).
    public var axisSuffix: String { self == .nats ? "  [nats]" : "" }
}

/// Something a metric needs from the evaluation context.
public enum MetricRequirement: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The evaluation τ (spec `tau` or the run's own τ).
    case evaluationTau = "evaluation τ"
    /// π*_τ, the solution of the KL-regularized game at the evaluation τ.
    case regularizedEquilibrium = "π*_τ"
    /// The Nash equilibrium of the unregularized game, when it is unique.
    case uniqueNashEquilibrium = "unique Nash equilibrium"
    /// The environment's true reward.
    case trueReward = "true reward"
    /// π*_Φ, the restricted τ-regularized equilibrium of the log-linear class on the environment's
    /// features (`RestrictedEquilibriumSolver`), at the evaluation τ; only environments with a
    /// `features` block have one, and only when it is unique.
    case restrictedEquilibrium = "π*_Φ"

    /// Declaration order.
    public static func < (a: MetricRequirement, b: MetricRequirement) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What a metric is evaluated against: the policy, the ground truth and the reference solutions
/// the harness computed (by solvers that share no code with the algorithms).
public struct MetricContext: Sendable {
    /// The policy measured (replaced in place, with `quantities`, by `MetricEvaluator`'s
    /// recorder path).
    public internal(set) var policy: Policy
    /// The ground truth (P, μ, context weights, optional true reward).
    public let problem: Problem
    /// The evaluation τ, when the run has one.
    public let tau: Double?
    /// π*_τ at `tau`, when computed.
    public let regularizedEquilibrium: Policy?
    /// The Nash equilibrium when it is unique.
    public let uniqueNash: Policy?
    /// π*_Φ at `tau` (the restricted equilibrium of the environment's log-linear class), when computed.
    public let restrictedEquilibrium: Policy?
    /// What several metrics share (π's probabilities, P·π, P·μ, the unique Nash equilibrium's
    /// probabilities), computed once for the context.
    public internal(set) var quantities: MetricQuantities

    /// Creates a context.
    /// - Parameters:
    ///   - restrictedEquilibrium: π*_Φ at `tau`, when computed.
    ///   - run: the per-run part of `quantities` when the caller computed it once for the run
    ///     (`MetricEvaluator`); it must be that of `problem`, `tau`, `uniqueNash` and
    ///     `restrictedEquilibrium`. Nil: computed here.
    /// - Complexity: O(contexts · actions²) (the shared quantities).
    public init(policy: Policy, problem: Problem, tau: Double?, regularizedEquilibrium: Policy? = nil, uniqueNash: Policy? = nil,
                restrictedEquilibrium: Policy? = nil, run: MetricQuantities.RunPart? = nil) {
        let perRun = run ?? MetricQuantities.RunPart(problem: problem, uniqueNash: uniqueNash, tau: tau, regularizedEquilibrium: regularizedEquilibrium,
                                                     restrictedEquilibrium: restrictedEquilibrium)
        self.init(policy: policy, problem: problem, tau: tau, regularizedEquilibrium: regularizedEquilibrium, uniqueNash: uniqueNash,
                  restrictedEquilibrium: restrictedEquilibrium,
                  quantities: MetricQuantities(policy: policy, problem: problem, uniqueNash: uniqueNash, run: perRun))
    }

    /// A context around quantities already computed for `policy` (`MetricEvaluator`'s in-place
    /// path): they must be those of `policy`, `problem` and the reference solutions given.
    /// - Complexity: O(1).
    init(policy: Policy, problem: Problem, tau: Double?, regularizedEquilibrium: Policy?, uniqueNash: Policy?,
         restrictedEquilibrium: Policy?, quantities: MetricQuantities) {
        self.policy = policy
        self.problem = problem
        self.tau = tau
        self.regularizedEquilibrium = regularizedEquilibrium
        self.uniqueNash = uniqueNash
        self.restrictedEquilibrium = restrictedEquilibrium
        self.quantities = quantities
    }

    /// Whether the context provides `requirement`.
    public func provides(_ requirement: MetricRequirement) -> Bool {
        Self.provides(requirement, problem: problem, tau: tau, regularizedEquilibrium: regularizedEquilibrium, uniqueNash: uniqueNash,
                      restrictedEquilibrium: restrictedEquilibrium)
    }

    /// Whether a context made of these inputs provides `requirement` (whatever its policy: the
    /// answer depends only on the inputs, so `MetricEvaluator` decides it once per run).
    /// - Parameters: the inputs of `init(policy:problem:tau:regularizedEquilibrium:uniqueNash:restrictedEquilibrium:run:)`.
    /// - Complexity: O(1).
    public static func provides(_ requirement: MetricRequirement, problem: Problem, tau: Double?,
                                regularizedEquilibrium: Policy?, uniqueNash: Policy?, restrictedEquilibrium: Policy?) -> Bool {
        switch requirement {
        case .evaluationTau: tau != nil
        case .regularizedEquilibrium: regularizedEquilibrium != nil
        case .uniqueNashEquilibrium: uniqueNash != nil
        case .trueReward: problem.trueReward != nil
        case .restrictedEquilibrium: restrictedEquilibrium != nil
        }
    }
}
