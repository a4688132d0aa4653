/// Corrections for testing a family of hypotheses at once.
public enum MultipleComparisons {
    /// Holm's step-down adjusted p-values (Holm 1979), as statsmodels' `multipletests(method="holm")`.
    ///
    /// With the m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎ (ties keep their input order),
    ///
    ///     p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎),
    ///
    /// returned in the input order. Rejecting every hypothesis with p̃ ≤ α controls the
    /// family-wise error rate at α. The adjusted values are ≥ the raw ones, capped at 1 and
    /// monotone in the raw ones.
    /// - Parameter pValues: raw p-values in [0, 1] (may be empty).
    /// - Returns: adjusted p-values, one per input, in the same order.
    /// - Throws: `StatisticsError.nonFinite` for NaN, `.invalidArgument` for values outside [0, 1].
    /// - Complexity: O(m log m).
    public static func holm(_ pValues: [Double]) throws -> [Double] {
        guard pValues.allSatisfy({ !$0.isNaN }) else { throw StatisticsError.nonFinite(statistic: "Holm adjustment") }
        if let bad = pValues.first(where: { $0 < 0 || $0 > 1 }) {
            throw StatisticsError.invalidArgument("p-values must lie in [0, 1], got \(bad)")
        }
        let m = pValues.count
        // Stable ordering: sort by (p, original index).
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            let candidate = Swift.min(1, Double(m - rank) * pValues[index])
            running = Swift.max(running, candidate)
            adjusted[index] = running
        }
        return adjusted
    }
}
