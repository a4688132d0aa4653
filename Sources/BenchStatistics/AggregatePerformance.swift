import CGSL
import StableFloor

/// Aggregate performance across tasks after Agarwal et al. 2021 ("Deep Reinforcement Learning at
/// the Edge of the Statistical Precipice", NeurIPS 2021; the `rliable` library): point estimates
/// of one algorithm's scores pooled over environments, the probability of improvement between two
/// algorithms and performance profiles. Scores come as strata: `scores[e]` = the scores of the
/// runs on environment e. Intervals come from `StratifiedBootstrap` over the same strata.
public enum AggregatePerformance {
    /// The interquartile mean of `values`: the 25% trimmed mean, i.e. the mean of
    /// sorted[⌊n/4⌋ ..< n − ⌊n/4⌋] (§4.1). This is `scipy.stats.trim_mean(x, 0.25)`, which cuts
    /// `int(0.25·n)` values from each end (so n ≤ 3 gives the plain mean, n = 5 cuts one from
    /// each end), and what rliable's `aggregate_iqm` calls on the flattened run × task matrix.
    /// - Parameter values: the observations (non-empty, finite).
    /// - Complexity: O(n log n) (`gsl_sort`).
    public static func interquartileMean(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "the interquartile mean of no values")
        var sorted = values
        let n = sorted.count
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
        return interquartileMean(sorted: sorted)
    }

    /// The interquartile mean of values already sorted ascending (see `interquartileMean(_:)`);
    /// the middle values are summed left to right.
    /// - Parameter sorted: the observations in ascending order (non-empty).
    /// - Complexity: O(n).
    public static func interquartileMean(sorted: [Double]) -> Double {
        let n = sorted.count
        let cut = n / 4
        let middle = sorted[cut..<(n - cut)]
        return middle.reduce(0, +) / Double(middle.count)
    }

    /// IQM and mean of every score of every stratum pooled (rliable's `aggregate_iqm` and
    /// `aggregate_mean` on the run × task matrix flattened): [IQM, mean].
    /// - Parameter scores: `scores[e]` = the runs of environment e (at least one run overall).
    /// - Complexity: O(N log N) for N runs.
    public static func iqmAndMean(_ scores: [[Double]]) -> [Double] {
        let pooled = scores.flatMap { $0 }
        precondition(!pooled.isEmpty, "aggregate of no runs")
        return [interquartileMean(pooled), pooled.reduce(0, +) / Double(pooled.count)]
    }

    /// The probability of improvement of X over Y (§4.3, App. A.2):
    ///
    ///     P(X > Y) = (1/E) Σ_e (1/(n_e m_e)) Σ_i Σ_j ( [x_{e,i} > y_{e,j}] + ½·[x_{e,i} ≈ y_{e,j}] ),
    ///
    /// the mean over the E environments of the Mann–Whitney U/(n·m) with ties counted as ½. Two
    /// values are tied when they are equal up to `tolerance` (`ValueTolerance.equal`, pairwise).
    /// A "higher is better" reading: for a lower-is-better score pass the negated scores.
    /// - Parameters:
    ///   - x: `x[e]` = the runs of X on environment e (non-empty for every e).
    ///   - y: `y[e]` = the runs of Y on environment e (same number of environments, each non-empty).
    ///   - tolerance: when two scores are ties (default `ValueTolerance.standard`).
    /// - Complexity: O(Σ_e n_e·m_e).
    public static func probabilityOfImprovement(_ x: [[Double]], _ y: [[Double]],
                                                tolerance: ValueTolerance = .standard) -> Double {
        precondition(!x.isEmpty && x.count == y.count, "probability of improvement needs the same environments on both sides")
        var total = 0.0
        for e in x.indices {
            let (xs, ys) = (x[e], y[e])
            precondition(!xs.isEmpty && !ys.isEmpty, "probability of improvement needs runs on every environment")
            var u = 0.0
            for a in xs {
                for b in ys {
                    if tolerance.equal(a, b) { u += 0.5 } else if a > b { u += 1 }
                }
            }
            total += u / (Double(xs.count) * Double(ys.count))
        }
        return total / Double(x.count)
    }

    /// The performance profile of one algorithm (§4.2): at every threshold τ the fraction of runs
    /// whose score is better than τ, averaged over environments (rliable's
    /// `run_score_distributions`: per task the fraction of runs, then the mean over tasks):
    ///
    ///     F(τ) = (1/E) Σ_e (1/n_e) · #{ i : x_{e,i} > τ }    (higher is better),
    ///     F(τ) = (1/E) Σ_e (1/n_e) · #{ i : x_{e,i} ≤ τ }    (lower is better),
    ///
    /// so F decreases in τ for a higher-is-better score and increases for a lower-is-better one.
    /// Comparisons are exact (no tolerance): thresholds are grid points, not measured values.
    /// - Parameters:
    ///   - scores: `scores[e]` = the runs on environment e (each non-empty).
    ///   - thresholds: the τ grid, ascending.
    ///   - lowerIsBetter: the score's polarity.
    /// - Returns: F(τ) for every threshold, in `thresholds` order.
    /// - Complexity: O(Σ_e n_e log n_e + E·T) for T thresholds.
    public static func profile(_ scores: [[Double]], thresholds: [Double], lowerIsBetter: Bool) -> [Double] {
        precondition(!scores.isEmpty, "a performance profile needs environments")
        precondition(zip(thresholds, thresholds.dropFirst()).allSatisfy { $0 <= $1 }, "profile thresholds must be ascending")
        var fractions = [Double](repeating: 0, count: thresholds.count)
        for stratum in scores {
            precondition(!stratum.isEmpty, "a performance profile needs runs on every environment")
            var sorted = stratum
            let n = sorted.count
            sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, n) }
            var atOrBelow = 0
            for (k, tau) in thresholds.enumerated() {
                while atOrBelow < n && sorted[atOrBelow] <= tau { atOrBelow += 1 }
                let count = lowerIsBetter ? atOrBelow : n - atOrBelow
                fractions[k] += Double(count) / Double(n)
            }
        }
        let e = Double(scores.count)
        return fractions.map { $0 / e }
    }

    /// `count` evenly spaced thresholds from `low` to `high` inclusive: τ_k = low + (high − low)·k/(count − 1),
    /// the last one exactly `high`; one threshold `low` when low = high or count = 1.
    /// - Parameters:
    ///   - low: the first threshold.
    ///   - high: the last threshold (≥ low).
    ///   - count: the number of thresholds (≥ 1).
    public static func thresholds(from low: Double, to high: Double, count: Int) -> [Double] {
        precondition(count >= 1 && high >= low, "thresholds need count ≥ 1 and high ≥ low")
        guard high > low, count > 1 else { return [low] }
        return (0..<count).map { k in k == count - 1 ? high : low + (high - low) * Double(k) / Double(count - 1) }
    }

    /// Min–max normalisation per environment: x ↦ (x − min_e)/(max_e − min_e) with min_e and max_e
    /// over every score of every algorithm on environment e, so each environment's scores span
    /// [0, 1] and keep their polarity. An environment whose scores are all equal up to `tolerance`
    /// maps every score to ½ (no algorithm is better there).
    /// - Parameters:
    ///   - scores: `scores[a][e]` = the runs of algorithm a on environment e.
    ///   - tolerance: when an environment's scores count as constant.
    /// - Returns: the normalised scores, same shape.
    /// - Complexity: O(N).
    public static func minMaxNormalized(_ scores: [[[Double]]], tolerance: ValueTolerance = .standard) -> [[[Double]]] {
        guard let environments = scores.first?.count else { return scores }
        var out = scores
        for e in 0..<environments {
            let all = scores.flatMap { $0[e] }
            guard let lo = all.min(), let hi = all.max() else { continue }
            let constant = tolerance.isConstant(all)
            for a in scores.indices {
                out[a][e] = scores[a][e].map { constant ? 0.5 : ($0 - lo) / (hi - lo) }
            }
        }
        return out
    }
}
