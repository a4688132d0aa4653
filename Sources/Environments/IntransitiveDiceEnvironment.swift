import AlignmentCore

/// Intransitive dice: each response is a fair die; P(y ≻ y') is the probability that
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
        isRandom: false,
        examples: [
            EnvironmentExample("the default three dice", parameters: [:]),
            EnvironmentExample("Efron's four dice", parameters: ["dice": .rows([[0, 0, 4, 4, 4, 4], [3, 3, 3, 3, 3, 3],
                                                                                [2, 2, 2, 2, 6, 6], [1, 1, 1, 5, 5, 5]])]),
        ])

    /// The faces of each die.
    public let dice: [[Double]]

    /// Most faces of one die.
    public static let maximumFaces = 100_000
    /// Most merge steps to build P: (dice − 1) × total faces (each pair of dice is compared by one
    /// merge of their sorted faces, so every die takes part in dice − 1 merges).
    public static let maximumWork = 10_000_000

    /// Creates the environment from validated parameters; the size is bounded here, before P is
    /// built.
    /// - Throws: `AlignmentCoreError.invalidParameter` when `dice` is not a list of 2–`EnvironmentCatalog.maximumActions`
    ///   non-empty lists of finite numbers, a die has more than `maximumFaces` faces, or
    ///   (dice − 1) × total faces exceeds `maximumWork`.
    public init(parameters: ParameterValues) throws {
        let d = try StructuredParameters.rows(parameters["dice"]!, "dice")
        guard (2...EnvironmentCatalog.maximumActions).contains(d.count) else {
            throw AlignmentCoreError.invalidParameter(name: "dice", reason: "needs between 2 and \(EnvironmentCatalog.maximumActions) dice, got \(d.count)")
        }
        if let k = d.firstIndex(where: { $0.count > Self.maximumFaces }) {
            throw AlignmentCoreError.invalidParameter(
                name: "dice", reason: "dice[\(k)] has \(d[k].count) faces; allowed: at most \(Self.maximumFaces) faces per die")
        }
        let faces = d.reduce(0) { $0 + $1.count }
        let work = (d.count - 1) * faces
        guard work <= Self.maximumWork else {
            throw AlignmentCoreError.invalidParameter(
                name: "dice", reason: "\(d.count) dice with \(faces) faces in all need (dice − 1) × faces = \(work) comparisons; allowed: at most \(Self.maximumWork)")
        }
        dice = d.map { $0.sorted() }
    }

    /// The probability that die `a` rolls higher than die `b`, ties counting ½:
    /// (#{a > b} + ½·#{a = b}) / (|a|·|b|), by one merge of the sorted faces.
    /// - Complexity: O(|a| log |a| + |b| log |b|) (O(|a| + |b|) when both are sorted).
    public static func winProbability(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.isSorted ? a : a.sorted(), y = b.isSorted ? b : b.sorted()
        var score = 0.0
        var below = 0  // faces of y strictly below the current face of x
        var upTo = 0   // faces of y at or below it
        for v in x {
            while below < y.count && y[below] < v { below += 1 }
            if upTo < below { upTo = below }
            while upTo < y.count && y[upTo] == v { upTo += 1 }
            score += Double(below) + 0.5 * Double(upTo - below)
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

extension Array where Element == Double {
    /// Whether the elements are in non-decreasing order.
    fileprivate var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
