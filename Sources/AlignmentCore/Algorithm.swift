/// Static description of an algorithm plugin.
public struct AlgorithmDescriptor: Sendable {
    /// The id as written in specs, e.g. "nash-md".
    public var id: String
    /// One-sentence summary.
    public var summary: String
    /// The paper the plugin follows (authors, title, year, section).
    public var paper: String
    /// Hyperparameters with defaults, ranges and one-line docs.
    public var parameters: [ParameterSpec]
    /// Feedback modes the plugin supports.
    public var feedbackModes: Set<FeedbackMode>
    /// Feedback modes in which the plugin uses randomness (different seeds give different results).
    public var stochasticModes: Set<FeedbackMode>
    /// Extra per-checkpoint quantities the plugin reports (curve columns such as "proxy_reward").
    public var diagnostics: [String]
    /// The policy classes the plugin can optimise over (`RunContext.policyClass`); the spec
    /// validator refuses the others. Every plugin supports `tabular`; gradient-based plugins that
    /// step θ through `LogLinearPolicyClass.parameterGradient` also declare `logLinear`.
    public var policyClasses: Set<PolicyClassKind>

    /// Creates a descriptor.
    public init(id: String, summary: String, paper: String, parameters: [ParameterSpec],
                feedbackModes: Set<FeedbackMode>, stochasticModes: Set<FeedbackMode>,
                diagnostics: [String] = [], policyClasses: Set<PolicyClassKind> = [.tabular]) {
        precondition(policyClasses.contains(.tabular), "every plugin supports the tabular class")
        self.id = id
        self.summary = summary
        self.paper = paper
        self.parameters = parameters
        self.feedbackModes = feedbackModes
        self.stochasticModes = stochasticModes
        self.diagnostics = diagnostics
        self.policyClasses = policyClasses
    }

    /// The parameter declared with `role`, or nil when the plugin declares none (the conformance
    /// suite checks that at most one parameter has each role).
    public func parameter(withRole role: ParameterRole) -> ParameterSpec? {
        parameters.first { $0.role == role }
    }
}

/// An alignment algorithm plugin. It sees μ, the problem's shape and the feedback oracle — never
/// P directly (except through exact feedback) and never the true reward — and reports policies to
/// the harness, which computes every metric.
public protocol Algorithm: Sendable {
    /// The plugin's description.
    static var descriptor: AlgorithmDescriptor { get }

    /// Creates the algorithm from hyperparameters validated against `descriptor.parameters`.
    /// - Throws: `AlignmentCoreError.invalidParameter` for cross-parameter problems.
    init(parameters: ParameterValues) throws

    /// Runs the algorithm for at most `run.iterations` iterations, calling `run.report` with the
    /// current policy (at least at iteration 0 and after every iteration).
    /// - Throws: `AlignmentCoreError.budgetExhausted` (the harness ends the run normally with the
    ///   last reported policy), or any error, which fails the run.
    func run(_ run: RunContext) throws

    /// Why this configuration cannot run with `feedback`, or nil when it can. The spec validator
    /// asks every grid point, so a configuration that would fail every run is refused by
    /// `bench validate` first (e.g. a preference model learned from labels in exact feedback).
    /// Default: nil.
    func refusal(feedback: FeedbackMode) -> String?
}

extension Algorithm {
    /// No configuration is refused for its feedback mode.
    public func refusal(feedback: FeedbackMode) -> String? { nil }

    /// Validates raw hyperparameters and creates the algorithm.
    /// - Throws: `AlignmentCoreError.invalidParameter` for unknown, missing or invalid parameters.
    public static func make(_ raw: [String: ParameterValue]) throws -> Self {
        try Self(parameters: ParameterValues(raw, specs: descriptor.parameters, owner: "algorithm '\(descriptor.id)'"))
    }
}

/// A checkpoint handed to the harness: the policy after `iteration` iterations.
public struct Checkpoint: Sendable {
    /// Iterations completed.
    public var iteration: Int
    /// Labels drawn so far.
    public var queries: Int
    /// The policy.
    public var policy: Policy
    /// Plugin-reported diagnostics (declared in the descriptor).
    public var diagnostics: [String: Double]
}
