import AlignmentCore

/// Intransitive dice (DESIGN §5): each response is a fair die; P(y ≻ y') is the probability that
/// die y rolls higher than die y', ties counting ½:
/// P(y ≻ y') = (#{(a, b) : a > b} + ½·#{(a, b) : a = b}) / (|d_y|·|d_y'|) over faces a of d_y, b of d_y'.
///
/// The default Efron-style set {2,4,9}, {1,6,8}, {3,5,7} is a cycle in which each die beats the
/// next with probability 5/9 (and the third beats the first); its Nash equilibrium is uniform.
/// Every context has the same matrix.
public struct IntransitiveDiceEnvironment: Environment {
    /// The default dice: {2,4,9} ≻ {1,6,8} ≻ {3,5,7} ≻ {2,4,9}, each with probability 5/9.
    public static let defaultDice: [[Double]] = [[2, 4, 9], [1, 6, 8], [3, 5, 7]]

    public static let descriptor = EnvironmentDescriptor(
        kind: "intransitive-dice",
        summary: "responses are fair dice; P(y ≻ y') = P(die y rolls higher) with ties ½ (default: {2,4,9}, {1,6,8}, {3,5,7})",
        parameters: [
            ParameterSpec("dice", .structured("an array of at least 2 dice, each a non-empty array of face values"),
                          default: .array(defaultDice.map { .array($0.map { .number($0) }) }),
                          doc: "the faces of each die (equally likely); default {2,4,9}, {1,6,8}, {3,5,7}, each beating the next with 5/9"),
        ],
        transitivity: "no for the default dice (a Condorcet cycle); other dice are checked",
        hasTrueReward: false,
        isRandom: false)

    /// The faces of each die.
    public let dice: [[Double]]

    /// Creates the environment from validated parameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when `dice` is not a list of at least two
    ///   non-empty lists of finite numbers (at most 1000 dice).
    public init(parameters: ParameterValues) throws {
        let d = try StructuredParameters.rows(parameters["dice"]!, "dice")
        guard (2...1000).contains(d.count) else {
            throw AlignmentCoreError.invalidParameter(name: "dice", reason: "needs between 2 and 1000 dice, got \(d.count)")
        }
        dice = d
    }

    /// The probability that die `a` rolls higher than die `b`, ties counting ½.
    public static func winProbability(_ a: [Double], _ b: [Double]) -> Double {
        var score = 0.0
        for x in a {
            for y in b {
                if x > y { score += 1 } else if x == y { score += 0.5 }
            }
        }
        return score / Double(a.count * b.count)
    }

    /// P from the dice, the same in every context.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen: counts are exact complements).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let p = try PreferenceMatrix.fromUpperTriangle(size: dice.count) { i, j in
            Self.winProbability(dice[i], dice[j])
        }
        return GroundTruth(preferences: Array(repeating: p, count: contexts),
                           isTransitive: PreferenceStructure.isWeaklyTransitive(p))
    }
}
