import AlignmentCore
import Foundation

/// The disc game of Balduzzi et al. 2019 ("Open-ended learning in symmetric zero-sum games", §3):
/// each response y is a point u_y in the unit disc and P(y ≻ y') = σ(k·u_yᵀΩu_y') with
/// Ω = [[0, −1], [1, 0]] the 90° rotation, so u_yᵀΩu_y' = u_y,2·u_y',1 − u_y,1·u_y',2 (antisymmetric:
/// a purely cyclic game). Points are drawn uniformly on the disc (radius √U, angle 2πU′) per
/// context from the seed, or given.
public struct DiscGameEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "disc-game",
        summary: "points u_y in the unit disc, P(y ≻ y') = σ(k·u_yᵀΩu_y') with Ω the 90° rotation (Balduzzi et al. 2019)",
        parameters: [
            ParameterSpec("actions", .integer(2...EnvironmentCatalog.maximumActions), default: .number(10),
                          doc: "number of responses n (ignored when points are given)"),
            ParameterSpec("strength", .real(.positive), default: .number(4),
                          doc: "k: P(y ≻ y') = σ(k·u_yᵀΩu_y'); |u_yᵀΩu_y'| ≤ 1 in the unit disc"),
            ParameterSpec("points", .structured("an array of at least 2 points [x, y] with x² + y² ≤ 1"), default: nil,
                          doc: "explicit points (the same in every context); drawn uniformly on the disc per context when absent"),
        ],
        transitivity: "no in general (a purely cyclic game; checked per instance)",
        hasTrueReward: false,
        isRandom: true,
        examples: [
            EnvironmentExample("9 points drawn on the disc per context", parameters: ["actions": .number(9)]),
            EnvironmentExample("three given points, strength 2", parameters: ["points": .rows([[1, 0], [0, 1], [-0.6, 0]]),
                                                                              "strength": .number(2)]),
        ])

    /// Given points, if any.
    public let points: [[Double]]?
    /// n.
    public let actions: Int
    /// k.
    public let strength: Double

    /// Creates the environment from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when a given point is not two finite
    ///   numbers inside the unit disc, or fewer than 2 (more than `EnvironmentCatalog.maximumActions`) points are given.
    public init(parameters: ParameterValues) throws {
        strength = parameters.double("strength")
        if let raw = parameters["points"] {
            let pts = try StructuredParameters.rows(raw, "points")
            guard (2...EnvironmentCatalog.maximumActions).contains(pts.count) else {
                throw AlignmentCoreError.invalidParameter(name: "points", reason: "needs between 2 and \(EnvironmentCatalog.maximumActions) points, got \(pts.count)")
            }
            for (i, u) in pts.enumerated() {
                guard u.count == 2 else {
                    throw AlignmentCoreError.invalidParameter(name: "points", reason: "points[\(i)] has \(u.count) coordinates, expected 2")
                }
                guard u[0] * u[0] + u[1] * u[1] <= 1 + 1e-12 else {
                    throw AlignmentCoreError.invalidParameter(name: "points", reason: "points[\(i)] = [\(u[0]), \(u[1])] lies outside the unit disc")
                }
            }
            points = pts
            actions = pts.count
        } else {
            points = nil
            actions = parameters.int("actions")
        }
    }

    /// u_aᵀ Ω u_b with Ω = [[0, −1], [1, 0]].
    public static func rotationProduct(_ a: [Double], _ b: [Double]) -> Double {
        a[1] * b[0] - a[0] * b[1]
    }

    /// Builds P per context (points drawn per context from `seed` unless given).
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen: σ(z) + σ(−z) = 1 by construction).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let rng = RandomSource(seed: seed)
        let prefs = try (0..<contexts).map { _ -> PreferenceMatrix in
            let u = points ?? (0..<actions).map { _ in
                let r = sqrt(rng.uniform()), angle = 2 * Double.pi * rng.uniform()
                return [r * cos(angle), r * sin(angle)]
            }
            return try PreferenceMatrix.fromUpperTriangle(size: u.count) { i, j in
                1 / (1 + exp(-strength * Self.rotationProduct(u[i], u[j])))
            }
        }
        return GroundTruth(preferences: prefs, isTransitive: PreferenceStructure.isWeaklyTransitive(prefs))
    }
}
