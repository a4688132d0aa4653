/// Static description of an environment kind: id, summary, parameters, transitivity.
public struct EnvironmentDescriptor: Sendable {
    /// The kind as written in specs, e.g. "cyclic".
    public var kind: String
    /// One-sentence summary.
    public var summary: String
    /// Parameters (besides the common keys id, kind, contexts, seed, label_noise, reference).
    public var parameters: [ParameterSpec]
    /// Whether the kind is transitive ("yes", "no", or "depends on parameters: …").
    public var transitivity: String
    /// Whether the kind provides a true reward.
    public var hasTrueReward: Bool
    /// Whether the kind draws random quantities from its seed.
    public var isRandom: Bool
    /// Configurations that work as given (at least one; one per preset or mode is best): the
    /// environment property suite checks every one, so a kind is tested once it is registered.
    public var examples: [EnvironmentExample]

    /// Creates a descriptor.
    /// - Precondition: `examples` is not empty.
    public init(kind: String, summary: String, parameters: [ParameterSpec], transitivity: String,
                hasTrueReward: Bool, isRandom: Bool, examples: [EnvironmentExample]) {
        precondition(!examples.isEmpty, "environment kind \(kind) declares no example")
        self.kind = kind
        self.summary = summary
        self.parameters = parameters
        self.transitivity = transitivity
        self.hasTrueReward = hasTrueReward
        self.isRandom = isRandom
        self.examples = examples
    }
}

/// The ground truth an environment produces: preferences per context, and optionally a true reward,
/// a reference policy it prescribes, and context weights.
public struct GroundTruth: Sendable, Equatable {
    /// P_x per context.
    public var preferences: [PreferenceMatrix]
    /// r_x(y) when the environment has a true reward.
    public var trueReward: [[Double]]?
    /// Whether the preference is transitive.
    public var isTransitive: Bool
    /// A reference policy the environment prescribes (e.g. a `matrix` file's μ); the spec's
    /// `reference` is used when nil.
    public var reference: Policy?
    /// Context weights (nil = uniform).
    public var contextWeights: [Double]?

    /// Creates ground truth.
    public init(preferences: [PreferenceMatrix], trueReward: [[Double]]? = nil, isTransitive: Bool,
                reference: Policy? = nil, contextWeights: [Double]? = nil) {
        self.preferences = preferences
        self.trueReward = trueReward
        self.isTransitive = isTransitive
        self.reference = reference
        self.contextWeights = contextWeights
    }
}

/// A synthetic preference world. Implementations are value types configured by
/// validated parameters.
public protocol Environment: Sendable {
    /// The kind's description (id, parameters, transitivity).
    static var descriptor: EnvironmentDescriptor { get }

    /// Creates the environment from parameters already validated against `descriptor.parameters`.
    /// - Throws: `AlignmentCoreError.invalidParameter` for cross-parameter problems, or file errors.
    init(parameters: ParameterValues) throws

    /// Builds the preferences for `contexts` contexts.
    /// - Parameters:
    ///   - contexts: number of contexts (≥ 1).
    ///   - seed: the environment's seed (ignored by deterministic kinds).
    /// - Throws: `AlignmentCoreError` when the result is invalid.
    func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth
}

extension Environment {
    /// Validates raw parameters and creates the environment.
    /// - Throws: `AlignmentCoreError.invalidParameter` for unknown, missing or invalid parameters.
    public static func make(_ raw: [String: ParameterValue]) throws -> Self {
        try Self(parameters: ParameterValues(raw, specs: descriptor.parameters, owner: "environment '\(descriptor.kind)'"))
    }
}
