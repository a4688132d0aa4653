import AlignmentCore
import Foundation

/// Rock–paper–scissors and its n-action generalisation (DESIGN §5).
///
/// P = ½ + (s/2)·A/max|A| for an antisymmetric payoff A. Without `payoffs`, A is the balanced
/// tournament A_ij = +1 if (j − i) mod n ∈ {1, …, ⌊(n−1)/2⌋}, −1 if (i − j) mod n is, else 0; its Nash
/// equilibrium is uniform for odd n. With `payoffs` (e.g. OpenSpiel's biased RPS
/// [[0,−25,50],[25,0,−5],[−50,5,0]], equilibrium (1/16, 10/16, 5/16)) A is that matrix.
public struct CyclicEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "cyclic",
        summary: "n-action rock–paper–scissors with a strength, optionally with a biased payoff matrix",
        parameters: [
            ParameterSpec("actions", .integer(2...1000), default: .number(3), doc: "number of responses n (ignored when payoffs is given)"),
            ParameterSpec("strength", .real(Interval(0, 1, lowerOpen: true)), default: .number(1),
                          doc: "s: P(i ≻ j) = ½ + (s/2)·A_ij/max|A|"),
            ParameterSpec("payoffs", .structured("an n×n antisymmetric array of numbers (biased variant)"), default: nil,
                          doc: "explicit antisymmetric payoff matrix A; overrides the balanced tournament"),
        ],
        transitivity: "no: contains a Condorcet cycle",
        hasTrueReward: false,
        isRandom: false)

    /// The antisymmetric payoff matrix A.
    public let payoffs: [[Double]]
    /// s.
    public let strength: Double

    public init(parameters: ParameterValues) throws {
        strength = parameters.double("strength")
        if let raw = parameters["payoffs"] {
            guard let rows = raw.array?.map({ $0.array?.compactMap(\.number) ?? [] }), !rows.isEmpty else {
                throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "expected an n×n array of numbers")
            }
            let n = rows.count
            for i in 0..<n {
                guard rows[i].count == n, raw.array![i].array!.count == n else {
                    throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "row \(i) has \(rows[i].count) numbers, expected \(n)")
                }
                for j in 0..<n where abs(rows[i][j] + rows[j][i]) > 1e-12 * max(1, abs(rows[i][j])) {
                    throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "entry [\(i)][\(j)] = \(rows[i][j]) but [\(j)][\(i)] = \(rows[j][i]); the matrix must be antisymmetric")
                }
            }
            guard rows.joined().contains(where: { $0 != 0 }) else {
                throw AlignmentCoreError.invalidParameter(name: "payoffs", reason: "all entries are 0")
            }
            payoffs = rows
        } else {
            let n = parameters.int("actions")
            payoffs = (0..<n).map { i in
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
    }

    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let scale = payoffs.joined().map(abs).max()!
        let p = try PreferenceMatrix.fromUpperTriangle(size: payoffs.count) { i, j in
            0.5 + 0.5 * strength * payoffs[i][j] / scale
        }
        return GroundTruth(preferences: Array(repeating: p, count: contexts), isTransitive: false)
    }
}
