import AlignmentCore
import CGSL
import Foundation

/// Thurstone (case V) preferences from a latent reward: P(y ≻ y') = Φ((r_y − r_y')/(√2·s)), the
/// probability that r_y + s·z > r_y' + s·z' for independent standard normal z, z'.
/// Transitive, with true reward r. Rewards are given (same for every context) or drawn
/// r ~ N(0, scale²) independently per context from the seed.
public struct ThurstoneEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "thurstone",
        summary: "P(y ≻ y') = Φ((r_y − r_y')/(√2 s)) for a latent reward r (given or drawn) and perception noise s",
        parameters: [
            ParameterSpec("actions", .integer(2...EnvironmentCatalog.maximumActions), default: .number(5),
                          doc: "number of responses n (ignored when rewards are given)"),
            ParameterSpec("rewards", .reals(count: 2...EnvironmentCatalog.maximumActions, element: .all), default: nil,
                          doc: "the reward vector r (same for every context); drawn per context when absent"),
            ParameterSpec("scale", .real(.positive), default: .number(1),
                          doc: "standard deviation of drawn rewards, r ~ N(0, scale²)"),
            ParameterSpec("noise", .real(.positive), default: .number(1),
                          doc: "s: standard deviation of each response's perceived utility; P = Φ((r_y − r_y')/(√2 s))"),
        ],
        transitivity: "yes (strongly stochastically transitive)",
        hasTrueReward: true,
        isRandom: true,
        examples: [
            EnvironmentExample("6 responses, drawn rewards, noise 0.7", parameters: ["actions": .number(6), "noise": .number(0.7)]),
            EnvironmentExample("a given reward vector", parameters: ["rewards": .numbers([0, 1, 3, 2.7]), "noise": .number(1)]),
        ])

    /// Given rewards, if any.
    public let rewards: [Double]?
    /// n.
    public let actions: Int
    /// Standard deviation of drawn rewards.
    public let scale: Double
    /// Perception noise s.
    public let noise: Double

    /// Creates the environment from validated parameters.
    public init(parameters: ParameterValues) throws {
        rewards = parameters.doubles("rewards")
        actions = rewards?.count ?? parameters.int("actions")
        scale = parameters.double("scale")
        noise = parameters.double("noise")
    }

    /// Φ(z), the standard normal CDF (gsl_cdf_ugaussian_P).
    static func phi(_ z: Double) -> Double { gsl_cdf_ugaussian_P(z) }

    /// Builds P per context; rewards are drawn per context from `seed` when not given.
    /// - Throws: `AlignmentCoreError.invalidPreference` if a matrix is invalid (cannot happen for finite rewards).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let rng = RandomSource(seed: seed)
        let r: [[Double]] = (0..<contexts).map { _ in
            rewards ?? (0..<actions).map { _ in rng.normal(sd: scale) }
        }
        let denominator = sqrt(2.0) * noise
        let prefs = try r.map { rx in
            try PreferenceMatrix.fromUpperTriangle(size: rx.count) { i, j in Self.phi((rx[i] - rx[j]) / denominator) }
        }
        return GroundTruth(preferences: prefs, trueReward: r, isTransitive: true)
    }
}
