import Foundation

/// A synthetic preference problem with known ground truth: per-context preference matrices,
/// context weights, the reference policy μ and an optional true reward.
public struct Problem: Sendable, Equatable {
    /// P_x for each context x.
    public let preferences: [PreferenceMatrix]
    /// Context weights w_x (non-negative, summing to 1).
    public let contextWeights: [Double]
    /// The reference ("SFT") policy μ.
    public let reference: Policy
    /// The true reward r_x(y), when the environment has one.
    public let trueReward: [[Double]]?
    /// Whether the preference is transitive (representable by a utility).
    public let isTransitive: Bool

    /// Number of contexts.
    public var contexts: Int { preferences.count }
    /// Number of responses per context.
    public var actions: Int { preferences.first?.size ?? 0 }

    /// Creates a problem after checking that shapes agree.
    /// - Parameter contextWeights: nil means uniform weights; given weights are divided by their sum
    ///   unless it is 1 within 4 ulps (then they are kept exactly).
    /// - Throws: `AlignmentCoreError.invalidProblem` when shapes disagree or weights are invalid.
    public init(preferences: [PreferenceMatrix], reference: Policy, trueReward: [[Double]]? = nil,
                isTransitive: Bool, contextWeights: [Double]? = nil) throws {
        guard let n = preferences.first?.size, n > 0 else {
            throw AlignmentCoreError.invalidProblem("a problem needs at least one context")
        }
        guard preferences.allSatisfy({ $0.size == n }) else {
            throw AlignmentCoreError.invalidProblem("all contexts must have the same number of actions (\(n))")
        }
        guard reference.contexts == preferences.count, reference.actions == n else {
            throw AlignmentCoreError.invalidProblem(
                "reference policy is \(reference.contexts)×\(reference.actions), expected \(preferences.count)×\(n)")
        }
        if let r = trueReward {
            guard r.count == preferences.count, r.allSatisfy({ $0.count == n }) else {
                throw AlignmentCoreError.invalidProblem("true reward must be \(preferences.count)×\(n)")
            }
            guard r.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw AlignmentCoreError.invalidProblem("true reward has a non-finite entry")
            }
        }
        let m = preferences.count
        let w = contextWeights ?? Array(repeating: 1.0 / Double(m), count: m)
        guard w.count == m, w.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw AlignmentCoreError.invalidProblem("context weights must be \(m) non-negative numbers")
        }
        let total = w.reduce(0, +)
        guard total > 0 else { throw AlignmentCoreError.invalidProblem("context weights sum to 0") }
        self.preferences = preferences
        // Given weights that already sum to 1 within 4 ulps are kept bit for bit (dividing by a total
        // of 1 ± ulp would move them, so exported weights would not load back exactly).
        let normalized = contextWeights != nil && abs(total - 1) <= 4 * Double.ulpOfOne
        self.contextWeights = normalized ? w : w.map { $0 / total }
        self.reference = reference
        self.trueReward = trueReward
        self.isTransitive = isTransitive
    }

    /// The same problem with another reference policy.
    /// - Throws: `AlignmentCoreError.invalidProblem` when the shape differs.
    public func withReference(_ mu: Policy) throws -> Problem {
        try Problem(preferences: preferences, reference: mu, trueReward: trueReward,
                    isTransitive: isTransitive, contextWeights: contextWeights)
    }
}
