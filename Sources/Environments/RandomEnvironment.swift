import AlignmentCore

/// Random preference games (the generator of the EGPO simulations): P_ij ~ U(0, 1) for i > j,
/// P_ji = 1 − P_ij, drawn per context from the environment's seed.
public struct RandomEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "random",
        summary: "P_ij ~ U(0,1) for i > j and P_ji = 1 − P_ij, seeded",
        parameters: [
            ParameterSpec("actions", .integer(2...EnvironmentCatalog.maximumActions), default: .number(10), doc: "number of responses n"),
        ],
        transitivity: "generally no (random tournaments contain cycles; checked per instance)",
        hasTrueReward: false,
        isRandom: true,
        examples: [
            EnvironmentExample("7 responses", parameters: ["actions": .number(7)]),
        ])

    /// n.
    public let actions: Int

    /// Creates the environment from validated parameters.
    public init(parameters: ParameterValues) throws {
        actions = parameters.int("actions")
    }

    /// Draws P independently per context from `seed`.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen: P_ji = 1 − P_ij by construction).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let rng = RandomSource(seed: seed)
        let n = actions
        let prefs = try (0..<contexts).map { _ -> PreferenceMatrix in
            var rows = Array(repeating: Array(repeating: 0.5, count: n), count: n)
            for i in 0..<n {
                for j in 0..<i {
                    let u = rng.uniform()
                    rows[i][j] = u
                    rows[j][i] = 1 - u
                }
            }
            return try PreferenceMatrix(rows: rows)
        }
        return GroundTruth(preferences: prefs, isTransitive: PreferenceStructure.isWeaklyTransitive(prefs))
    }
}
