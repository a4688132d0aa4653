import AlignmentCore
import Foundation

/// Bradley–Terry preferences from a latent reward: P(y ≻ y') = σ(r_y − r_y').
/// Transitive, with true reward r. Rewards are given (the same for every context) or drawn
/// r ~ N(0, scale²) independently per context from the seed.
public struct BradleyTerryEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "bradley-terry",
        summary: "P(y ≻ y') = σ(r_y − r_y') for a latent reward r (given or drawn)",
        parameters: [
            ParameterSpec("actions", .integer(2...EnvironmentCatalog.maximumActions), default: .number(5), doc: "number of responses n (ignored when rewards are given)"),
            ParameterSpec("rewards", .reals(count: 2...EnvironmentCatalog.maximumActions, element: .all), default: nil, doc: "the reward vector r (same for every context)"),
            ParameterSpec("scale", .real(.positive), default: .number(1), doc: "standard deviation of drawn rewards"),
        ],
        transitivity: "yes",
        hasTrueReward: true,
        isRandom: true,
        examples: [
            EnvironmentExample("6 responses, rewards drawn from N(0, 1) per context", parameters: ["actions": .number(6)]),
            EnvironmentExample("a given reward vector", parameters: ["rewards": .numbers([0, 1.5, -0.5])]),
        ])

    /// Given rewards, if any.
    public let rewards: [Double]?
    /// n.
    public let actions: Int
    /// Standard deviation of drawn rewards.
    public let scale: Double

    /// Creates the environment from validated parameters.
    public init(parameters: ParameterValues) throws {
        rewards = parameters.doubles("rewards")
        actions = rewards?.count ?? parameters.int("actions")
        scale = parameters.double("scale")
    }

    /// σ(a − b) = 1/(1 + exp(b − a)).
    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// Builds P per context; rewards are drawn per context from `seed` when not given.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen: σ(z) + σ(−z) = 1 by construction).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let rng = RandomSource(seed: seed)
        let r: [[Double]] = (0..<contexts).map { _ in
            rewards ?? (0..<actions).map { _ in rng.normal(sd: scale) }
        }
        let prefs = try r.map { rx in
            try PreferenceMatrix.fromUpperTriangle(size: rx.count) { i, j in Self.sigmoid(rx[i] - rx[j]) }
        }
        return GroundTruth(preferences: prefs, trueReward: r, isTransitive: true)
    }
}
