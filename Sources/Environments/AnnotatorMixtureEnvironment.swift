import AlignmentCore
import Foundation

/// A population of annotator types: type k, with weight w_k, judges pairs either by a
/// utility u_k (Bradley–Terry: P_k(y ≻ y') = σ(u_k(y) − u_k(y'))) or by explicit pairwise verdicts
/// V_k(y, y') ∈ [0, 1] (1 = y wins, 0 = y loses, ½ = tie). The preference is the population
/// average P = Σ_k w_k P_k / Σ_k w_k. Mixtures of individually transitive annotators can be
/// intransitive (Condorcet's paradox).
///
/// Preset `three-rater` (after the three-rater example of Munos et al. 2023, §3.2): three actions
/// and three types with rankings y₀ ≻ y₁ ≻ y₂, y₁ ≻ y₂ ≻ y₀, y₂ ≻ y₀ ≻ y₁ and weights
/// (1/3 − ε/4, 1/3 + ε/2, 1/3 − ε/4). Then P(y₀ ≻ y₁) = 2/3 − ε/2, P(y₁ ≻ y₂) = P(y₂ ≻ y₀) = 2/3 + ε/4,
/// and with A = P − ½ the kernel of A is ∝ (A₁₂, A₂₀, A₀₁), so the Nash equilibrium is
/// (1/3 + ε/2, 1/3 + ε/2, 1/3 − ε) — unique for −1/3 ≤ ε < 1/3 (at ε = 1/3, P(y₀ ≻ y₁) = ½ and every
/// (x, 1 − x, 0) with x ≤ ½ is an equilibrium). A Bradley–Terry fit ranks y₁ first for ε > 0 and y₀
/// first for ε < 0 (Borda scores 1 ± 3ε/4), so the reward-model solution jumps at ε = 0 while the
/// Nash solution moves continuously.
/// Every context has the same matrix.
public struct AnnotatorMixtureEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "annotator-mixture",
        summary: "P is the weighted average of annotator types, each a utility (Bradley–Terry) or explicit pairwise verdicts with ties; preset three-rater",
        parameters: [
            ParameterSpec("preset", .choice(["custom", "three-rater"]), default: .string("custom"),
                          doc: "custom: the types given by utilities/verdicts; three-rater: the 3-action Condorcet population with parameter epsilon (Nash (1/3+ε/2, 1/3+ε/2, 1/3−ε))"),
            ParameterSpec("epsilon", .real(Interval(-1.0 / 3, 1.0 / 3)), default: nil,
                          doc: "ε of the three-rater preset, |ε| ≤ 1/3 (default 0); type weights (1/3 − ε/4, 1/3 + ε/2, 1/3 − ε/4)"),
            ParameterSpec("utilities", .structured("an array of utility vectors, one per annotator type, all of length n"), default: nil,
                          doc: "Bradley–Terry annotator types: type k prefers y to y' with probability σ(u_k(y) − u_k(y'))"),
            ParameterSpec("verdicts", .structured("an array of n×n matrices with entries in [0, 1] and V + Vᵀ = 1"), default: nil,
                          doc: "annotator types given by pairwise verdicts: V[y][y'] = 1 (y wins), 0 (y loses), ½ (tie) or any probability"),
            ParameterSpec("weights", .reals(count: 1...1000, element: .nonNegative), default: nil,
                          doc: "type weights, utilities' types first then verdicts' types (default equal); normalised to sum 1"),
        ],
        transitivity: "depends on the population (checked); the three-rater preset is not transitive for ε < 1/3",
        hasTrueReward: false,
        isRandom: false,
        examples: [
            EnvironmentExample("the three-rater preset, ε = 0.2", parameters: ["preset": .string("three-rater"), "epsilon": .number(0.2)]),
            EnvironmentExample("two Bradley–Terry annotator types", parameters: ["utilities": .rows([[1, 0, 0.5], [0, 2, 1]]),
                                                                              "weights": .numbers([0.3, 0.7])]),
            EnvironmentExample("two verdict annotators, one with a tie", parameters: [
                "verdicts": .array([.rows([[0.5, 1, 1], [0, 0.5, 1], [0, 0, 0.5]]), .rows([[0.5, 0.5, 0], [0.5, 0.5, 0], [1, 1, 0.5]])]),
                "weights": .numbers([3, 1]),
            ]),
        ])

    /// One annotator type's preference matrix (rows), before weighting.
    public let types: [[[Double]]]
    /// Normalised weights, one per type.
    public let weights: [Double]

    /// Creates the environment from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` naming the parameter and entry for malformed
    ///   utilities or verdicts, sizes that disagree, a wrong number of weights, all-zero weights, a
    ///   preset combined with explicit types, or `epsilon` without the three-rater preset.
    public init(parameters: ParameterValues) throws {
        let preset = parameters.string("preset")
        let hasTypes = parameters["utilities"] != nil || parameters["verdicts"] != nil
        if preset == "three-rater" {
            for name in ["utilities", "verdicts", "weights"] where parameters[name] != nil {
                throw AlignmentCoreError.invalidParameter(name: name, reason: "the three-rater preset defines its own annotator types; remove \(name) or use preset \"custom\"")
            }
            let eps = parameters.optionalDouble("epsilon") ?? 0
            types = Self.threeRaterRankings.map { Self.verdicts(ranking: $0) }
            weights = Self.threeRaterWeights(epsilon: eps)
            return
        }
        if parameters["epsilon"] != nil {
            throw AlignmentCoreError.invalidParameter(name: "epsilon", reason: "epsilon only applies to preset \"three-rater\"")
        }
        guard hasTypes else {
            throw AlignmentCoreError.invalidParameter(name: "utilities", reason: "preset \"custom\" needs annotator types: give utilities and/or verdicts (or use preset \"three-rater\")")
        }
        var built: [[[Double]]] = []
        var n: Int?
        func checkSize(_ m: Int, _ name: String, _ k: Int) throws {
            if let n, n != m {
                throw AlignmentCoreError.invalidParameter(name: name, reason: "\(name)[\(k)] has \(m) actions but earlier types have \(n)")
            }
            guard m >= 2, m <= EnvironmentCatalog.maximumActions else {
                throw AlignmentCoreError.invalidParameter(name: name, reason: "\(name)[\(k)] has \(m) actions; allowed 2–\(EnvironmentCatalog.maximumActions)")
            }
            n = m
        }
        if let raw = parameters["utilities"] {
            for (k, u) in try StructuredParameters.rows(raw, "utilities").enumerated() {
                try checkSize(u.count, "utilities", k)
                built.append(u.indices.map { i in u.indices.map { j in i == j ? 0.5 : 1 / (1 + exp(u[j] - u[i])) } })
            }
        }
        if let raw = parameters["verdicts"] {
            for (k, v) in try StructuredParameters.matrices(raw, "verdicts").enumerated() {
                try checkSize(v.count, "verdicts", k)
                for i in v.indices {
                    for j in v.indices {
                        guard v[i][j] >= 0, v[i][j] <= 1 else {
                            throw AlignmentCoreError.invalidParameter(name: "verdicts", reason: "verdicts[\(k)][\(i)][\(j)] = \(v[i][j]) is outside [0, 1]")
                        }
                        guard abs(v[i][j] + v[j][i] - 1) <= 1e-12 else {
                            throw AlignmentCoreError.invalidParameter(
                                name: "verdicts",
                                reason: "verdicts[\(k)][\(i)][\(j)] + verdicts[\(k)][\(j)][\(i)] = \(v[i][j] + v[j][i]), expected 1 (a tie is ½ both ways)")
                        }
                    }
                }
                built.append(v)
            }
        }
        let w = parameters.doubles("weights") ?? Array(repeating: 1, count: built.count)
        guard w.count == built.count else {
            throw AlignmentCoreError.invalidParameter(name: "weights", reason: "has \(w.count) entries but there are \(built.count) annotator types (utilities first, then verdicts)")
        }
        let total = w.reduce(0, +)
        guard total > 0 else {
            throw AlignmentCoreError.invalidParameter(name: "weights", reason: "all weights are 0")
        }
        types = built
        weights = w.map { $0 / total }
    }

    /// The three-rater preset's rankings (best first).
    static let threeRaterRankings = [[0, 1, 2], [1, 2, 0], [2, 0, 1]]

    /// The three-rater preset's weights (1/3 − ε/4, 1/3 + ε/2, 1/3 − ε/4).
    public static func threeRaterWeights(epsilon e: Double) -> [Double] {
        [1.0 / 3 - e / 4, 1.0 / 3 + e / 2, 1.0 / 3 - e / 4]
    }

    /// The deterministic verdicts of a strict ranking (best first): 1 if y is ranked above y'.
    static func verdicts(ranking: [Int]) -> [[Double]] {
        var position = [Int](repeating: 0, count: ranking.count)
        for (r, y) in ranking.enumerated() { position[y] = r }
        return ranking.indices.map { i in
            ranking.indices.map { j in i == j ? 0.5 : (position[i] < position[j] ? 1 : 0) }
        }
    }

    /// P = Σ_k w_k P_k, the same in every context.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen for validated types).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let n = types[0].count
        let p = try PreferenceMatrix.fromUpperTriangle(size: n) { i, j in
            var s = 0.0
            for (k, t) in types.enumerated() { s += weights[k] * t[i][j] }
            return min(1, max(0, s))
        }
        return GroundTruth(preferences: Array(repeating: p, count: contexts),
                           isTransitive: PreferenceStructure.isWeaklyTransitive(p))
    }
}
