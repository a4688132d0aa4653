import CGSL
import StableFloor

/// Percentile intervals without keeping all B resampled values: a quantile with linear
/// interpolation (Hyndman & Fan 1996, definition 7, what `gsl_stats_quantile_from_sorted_data`
/// computes) at probability f needs only the order statistics x₍ᵢ₎ and x₍ᵢ₊₁₎ with
/// i = ⌊f·(B − 1)⌋, so for f = (1 − c)/2 it suffices to keep the i + 2 smallest values and for
/// f = (1 + c)/2 the B − i largest. The kept values are those order statistics themselves (values
/// are only compared and copied, never combined), so the interval equals the one found by
/// selection among all B values (`Descriptive.quantile(selectingFrom:_:)`) bit for bit, but for
/// the sign of a zero: −0 and +0 compare equal, and either may be kept.
extension StratifiedBootstrap {
    /// One tail of a stream of values: the `keep` smallest (or largest) values offered so far, as a
    /// multiset. A value beyond the current cut-off (the least extreme kept value) is refused with
    /// one comparison; the buffer is pruned back to `keep` values by selection when it is full.
    struct Tail {
        /// The number of extreme values kept.
        let keep: Int
        /// Whether the smallest (true) or the largest (false) values are kept.
        let smallest: Bool
        /// `buffer[0..<held]` are the held values; capacity `keep + slack`.
        private var buffer: [Double]
        private var held = 0
        /// Only values strictly below (smallest) or above (largest) the cut-off can be kept.
        private var cutoff: Double

        /// An empty tail keeping `keep` ≥ 1 values, pruned at most once per `slack` ≥ 1 arrivals.
        init(keep: Int, smallest: Bool, slack: Int) {
            precondition(keep >= 1 && slack >= 1, "a tail keeps at least one value")
            self.keep = keep
            self.smallest = smallest
            buffer = [Double](repeating: 0, count: keep + slack)
            cutoff = smallest ? .infinity : -.infinity
        }

        /// Offers one value (not NaN).
        /// - Complexity: O(1), plus O(keep + slack) expected for a prune once the buffer is full.
        @inline(__always)
        mutating func offer(_ x: Double) {
            guard smallest ? x < cutoff : x > cutoff else { return }
            buffer[held] = x
            held += 1
            if held == buffer.count { prune() }
        }

        /// Keeps the `keep` most extreme held values; the cut-off becomes the least extreme of them.
        private mutating func prune() {
            guard held > keep else { return }
            let n = held
            let rank = smallest ? keep - 1 : n - keep  // the least extreme value to keep
            let boundary = buffer.withUnsafeMutableBufferPointer { gsl_stats_select($0.baseAddress, 1, n, rank) }
            var beyond = 0
            for i in 0..<n where smallest ? buffer[i] < boundary : buffer[i] > boundary { beyond += 1 }
            var ties = keep - beyond  // ≥ 1: the boundary itself is held
            var kept = 0
            for i in 0..<n {  // kept ≤ i: compaction in place
                let x = buffer[i]
                if smallest ? x < boundary : x > boundary {
                    buffer[kept] = x
                    kept += 1
                } else if x == boundary, ties > 0 {
                    buffer[kept] = x
                    kept += 1
                    ties -= 1
                }
            }
            held = kept
            cutoff = boundary
        }

        /// The kept values (at most `keep`, in no particular order).
        mutating func values() -> [Double] {
            prune()
            return Array(buffer[0..<held])
        }
    }

    /// The percentile interval of B values offered to two tails made by `tails(resamples:confidence:slack:)`:
    /// the (1 − c)/2 and (1 + c)/2 quantiles `Descriptive.quantile(selectingFrom:_:)` returns on all B
    /// values, from the kept order statistics.
    /// - Parameters:
    ///   - low: the tail of the smallest values.
    ///   - high: the tail of the largest values.
    ///   - resamples: B, the number of values offered to each.
    ///   - confidence: c ∈ (0, 1).
    /// - Complexity: O(keep) expected.
    static func interval(low: inout Tail, high: inout Tail, resamples: Int, confidence: Double) -> (low: Double, high: Double) {
        let alpha = (1 - confidence) / 2
        return (quantile(of: &low, resamples: resamples, alpha), quantile(of: &high, resamples: resamples, 1 - alpha))
    }

    /// The tails an interval at confidence c over B values needs (smallest, largest).
    /// - Parameters:
    ///   - resamples: B ≥ 1.
    ///   - confidence: c ∈ (0, 1).
    ///   - slack: values offered between two prunes at most.
    static func tails(resamples: Int, confidence: Double, slack: Int) -> (low: Tail, high: Tail) {
        let alpha = (1 - confidence) / 2
        let low = Int(alpha * Double(resamples - 1)), high = Int((1 - alpha) * Double(resamples - 1))
        return (Tail(keep: min(resamples, low + 2), smallest: true, slack: slack),
                Tail(keep: resamples - high, smallest: false, slack: slack))
    }

    /// The f-quantile of B values from the tail that holds its two order statistics: with
    /// h = f·(B − 1), i = ⌊h⌋, δ = h − i, x₍ᵢ₎ when i = B − 1 and (1 − δ)·x₍ᵢ₎ + δ·x₍ᵢ₊₁₎ otherwise —
    /// `Descriptive.quantile(selectingFrom:_:)`'s arithmetic.
    private static func quantile(of tail: inout Tail, resamples n: Int, _ f: Double) -> Double {
        var kept = tail.values()
        // Global rank r is local rank r among the smallest, r − (n − keep) among the largest.
        let offset = tail.smallest ? 0 : n - kept.count
        let m = kept.count
        return kept.withUnsafeMutableBufferPointer { p in
            interpolatedQuantile(resamples: n, f) { gsl_stats_select(p.baseAddress, 1, m, $0 - offset) }
        }
    }

    /// The f-quantile of B values with linear interpolation (Hyndman & Fan 1996, definition 7):
    /// with h = f·(B − 1), i = ⌊h⌋, δ = h − i, x₍ᵢ₎ when i = B − 1 and (1 − δ)·x₍ᵢ₎ + δ·x₍ᵢ₊₁₎
    /// otherwise — `Descriptive.quantile(selectingFrom:_:)`'s arithmetic, declared once for every
    /// way of finding the order statistics.
    /// - Parameters:
    ///   - n: B ≥ 1.
    ///   - f: the probability, in [0, 1].
    ///   - orderStatistic: x₍ᵣ₎, the value of 0-based rank r among the B values (called with i, then i + 1).
    /// - Complexity: two calls of `orderStatistic`.
    static func interpolatedQuantile(resamples n: Int, _ f: Double, orderStatistic: (Int) -> Double) -> Double {
        let index = f * Double(n - 1)
        let lhs = Int(index)
        let delta = index - Double(lhs)
        let low = orderStatistic(lhs)
        if lhs == n - 1 { return low }
        let high = orderStatistic(lhs + 1)
        return (1 - delta) * low + delta * high
    }
}
