import CGSL
import StableFloor

extension Descriptive {
    /// The f-quantile of `values` with linear interpolation between order statistics — the value
    /// `gsl_stats_quantile_from_sorted_data` returns on the sorted values, bit for bit (numpy's
    /// default `percentile` method, Hyndman & Fan 1996 definition 7) — found by selection instead
    /// of a full sort.
    ///
    /// With h = f·(n − 1), i = ⌊h⌋ and δ = h − i, the quantile is x₍ᵢ₎ when i = n − 1 and
    /// (1 − δ)·x₍ᵢ₎ + δ·x₍ᵢ₊₁₎ otherwise, where x₍ₖ₎ is the k-th smallest value (0-based). Both order
    /// statistics come from `gsl_stats_select` (GSL ≥ 2.5, quickselect), which permutes `values`.
    /// A bootstrap interval needs two quantiles of B resampled means; selecting them is O(B)
    /// where `gsl_sort` was O(B log B) and most of the analysis phase's time.
    /// - Parameters:
    ///   - values: the data (non-empty, no NaN); reordered in place, its multiset unchanged.
    ///   - f: the probability, in [0, 1].
    /// - Returns: the interpolated f-quantile.
    /// - Complexity: O(n) expected (two selections).
    public static func quantile(selectingFrom values: inout [Double], _ f: Double) -> Double {
        GSLSetup.configure()
        let n = values.count
        precondition(n > 0 && f >= 0 && f <= 1, "quantile(selectingFrom:) needs data and f in [0, 1]")
        let index = f * Double(n - 1)
        let lhs = Int(index)
        let delta = index - Double(lhs)
        return values.withUnsafeMutableBufferPointer { p in
            let low = gsl_stats_select(p.baseAddress, 1, n, lhs)
            if lhs == n - 1 { return low }
            let high = gsl_stats_select(p.baseAddress, 1, n, lhs + 1)
            return (1 - delta) * low + delta * high
        }
    }
}
