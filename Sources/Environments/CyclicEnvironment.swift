import AlignmentCore
import Foundation

/// Rock–paper–scissors and its n-action generalisation.
///
/// P = ½ + (s/2)·A/max|A| for an antisymmetric payoff A. By default A is the balanced tournament
/// A_ij = +1 if (j − i) mod n ∈ {1, …, ⌊(n−1)/2⌋}, −1 if (i − j) mod n is, else 0 (for n = 3 plain
/// rock–paper–scissors: 0 ≻ 1 ≻ 2 ≻ 0); its Nash equilibrium is uniform for odd n. The preset
/// `biased-rps` is OpenSpiel's biased rock–paper–scissors, A = [[0,−25,50],[25,0,−5],[−50,5,0]],
/// whose unique equilibrium is (1/16, 10/16, 5/16); `payoffs` gives any antisymmetric A.
/// Every context has the same matrix.
public struct CyclicEnvironment: Environment {
    /// OpenSpiel's biased rock–paper–scissors payoffs (row player's payoff).
    public static let biasedRockPaperScissors: [[Double]] = [[0, -25, 50], [25, 0, -5], [-50, 5, 0]]

    public static let descriptor = EnvironmentDescriptor(
        kind: "cyclic",
        summary: "n-action rock–paper–scissors with a strength, the biased variant, or any antisymmetric payoff matrix",
        parameters: [
            ParameterSpec("actions", .integer(2...EnvironmentCatalog.maximumActions), default: .number(3),
                          doc: "number of responses n of the balanced tournament (ignored with a preset or payoffs)"),
            ParameterSpec("strength", .real(Interval(0, 1, lowerOpen: true)), default: .number(1),
                          doc: "s: P(i ≻ j) = ½ + (s/2)·A_ij/max|A|"),
            ParameterSpec("preset", .choice(["tournament", "biased-rps"]), default: .string("tournament"),
                          doc: "tournament: the balanced n-action cycle; biased-rps: OpenSpiel's [[0,−25,50],[25,0,−5],[−50,5,0]], equilibrium (1/16, 10/16, 5/16)"),
            ParameterSpec("payoffs", .structured("an n×n antisymmetric array of numbers, not all 0"), default: nil,
                          doc: "explicit antisymmetric payoff matrix A (overrides the preset)"),
        ],
        transitivity: "no: contains a Condorcet cycle (the balanced tournament for n ≥ 3, the biased preset); explicit payoffs are checked",
        hasTrueReward: false,
        isRandom: false,
        examples: [
            EnvironmentExample("5-action balanced cycle, strength 0.8", parameters: ["actions": .number(5), "strength": .number(0.8)]),
            EnvironmentExample("the biased-rps preset", parameters: ["preset": .string("biased-rps")]),
            EnvironmentExample("an explicit payoff matrix", parameters: ["payoffs": .rows([[0, 1, -2], [-1, 0, 1], [2, -1, 0]])]),
        ])

    /// The antisymmetric payoff matrix A.
    public let payoffs: [[Double]]
    /// s.
    public let strength: Double

    /// Creates the environment from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when `payoffs` is not a square antisymmetric
    ///   matrix with a non-zero entry, or when `payoffs` is combined with the `biased-rps` preset.
    public init(parameters: ParameterValues) throws {
        strength = parameters.double("strength")
        let preset = parameters.string("preset")
        if let raw = parameters["payoffs"] {
            guard preset == "tournament" else {
                throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "give either payoffs or preset \"\(preset)\", not both")
            }
            let rows = try StructuredParameters.squareMatrix(raw, "payoffs")
            let n = rows.count
            guard (2...EnvironmentCatalog.maximumActions).contains(n) else {
                throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "needs between 2 and \(EnvironmentCatalog.maximumActions) actions, got \(n)")
            }
            for i in 0..<n {
                for j in i..<n where abs(rows[i][j] + rows[j][i]) > 1e-12 * max(1, abs(rows[i][j])) {
                    throw AlignmentCoreError.invalidParameter(
                        name: "payoffs",
                        reason: "payoffs[\(i)][\(j)] = \(rows[i][j]) but payoffs[\(j)][\(i)] = \(rows[j][i]); the matrix must be antisymmetric (A = −Aᵀ, zero diagonal)")
                }
            }
            guard rows.joined().contains(where: { $0 != 0 }) else {
                throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "all entries are 0")
            }
            payoffs = rows
        } else if preset == "biased-rps" {
            payoffs = Self.biasedRockPaperScissors
        } else {
            payoffs = Self.tournament(actions: parameters.int("actions"))
        }
    }

    /// The balanced tournament on n actions: i beats the next ⌊(n−1)/2⌋ actions cyclically.
    public static func tournament(actions n: Int) -> [[Double]] {
        (0..<n).map { i in
            (0..<n).map { j in
                let d = ((j - i) % n + n) % n
                if d == 0 { return 0 }
                let half = (n - 1) / 2
                if d <= half { return 1 }
                if n - d <= half { return -1 }
                return 0
            }
        }
    }

    /// P = ½ + (s/2)·A/max|A|, the same in every context.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen for a validated A).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let scale = payoffs.joined().map(abs).max()!
        let p = try PreferenceMatrix.fromUpperTriangle(size: payoffs.count) { i, j in
            0.5 + 0.5 * strength * payoffs[i][j] / scale
        }
        return GroundTruth(preferences: Array(repeating: p, count: contexts),
                           isTransitive: PreferenceStructure.isWeaklyTransitive(p))
    }
}
