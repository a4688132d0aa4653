import Foundation

/// The tie rule for selections made on fitted rewards or predicted preferences (best-of-n's best
/// response, ReST's threshold selection, a predictor's credit at ½).
///
/// **Rule.** Two values are tied when they agree to `tolerance` relative to max(1, |a|, |b|);
/// tied responses are treated alike — they share probability in proportion to μ (best-of-n: a
/// uniformly random choice among the tied draws), get one normalised reward (ReST), or earn ½
/// credit (accuracy) — instead of being ordered by index.
///
/// **Why 10⁻¹².** A Bradley–Terry fit of rewards that are equal in exact arithmetic (a symmetric
/// preference, or equal true rewards with λ = 0) returns them equal up to rounding: observed
/// differences of 0–2·10⁻¹⁶ for rewards of order 1 (one or two units in the last place after a
/// few Newton steps with Cholesky solves). 10⁻¹² leaves ~4,500 ulps for the rounding of larger
/// systems while staying far below any difference the data can produce: a fitted reward moves
/// by O(1/N) when one of N labels changes, ≥ 10⁻⁸ for the largest allowed data sets (10⁸ pairs),
/// and the default L2 penalty λ = 10⁻⁴ separates tied true rewards by ~10⁻⁷ (a genuine
/// property of the penalised estimator, which the rule keeps).
public enum RewardTies {
    /// The relative tie tolerance 10⁻¹².
    public static let tolerance = 1e-12

    /// Whether a and b are tied: |a − b| ≤ 10⁻¹²·max(1, |a|, |b|).
    /// - Complexity: O(1).
    @inlinable
    public static func areTied(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    /// The indices of `values` in increasing order, partitioned into groups of tied values: each
    /// group is a maximal run of the sorted values whose consecutive members are tied (single
    /// linkage), so a group's members may span a little more than the tolerance.
    /// - Returns: groups in increasing order of value; within a group, increasing index.
    /// - Complexity: O(n log n).
    public static func tiedGroups(_ values: [Double]) -> [[Int]] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var groups: [[Int]] = []
        for i in order {
            if let last = groups.last?.last, areTied(values[last], values[i]) {
                groups[groups.count - 1].append(i)
            } else {
                groups.append([i])
            }
        }
        return groups.map { $0.sorted() }
    }
}
