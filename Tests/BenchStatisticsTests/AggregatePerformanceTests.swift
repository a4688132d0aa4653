import Testing
@testable import BenchStatistics

/// Aggregates across environments (Agarwal et al. 2021): IQM, mean, probability of improvement,
/// performance profiles and their stratified-bootstrap intervals, against values computed
/// independently with numpy 2.4 / scipy 1.17 (`scipy.stats.trim_mean(x, 0.25)`,
/// `scipy.stats.mannwhitneyu(x, y).statistic / (n·m)`, `numpy.mean(x <= t)`) and, for the
/// intervals, against the exact bootstrap distribution enumerated over every resample.
struct AggregatePerformanceTests {
    static let values: [Double] = [0.83, -1.2, 3.5, 0.07, 2.25, 0.07, -0.4, 9.0, 1.1, 4.75, -2.5, 0.6, 5.5]

    /// `scipy.stats.trim_mean(values[:n], 0.25)` and `numpy.mean(values[:n])`: n ≤ 3 cuts nothing,
    /// n = 4…7 one value from each end, 8…11 two, 13 three. Tolerance 1e-12 relative (summation order).
    @Test(arguments: [(1, 0.83, 0.83), (2, -0.185, -0.185), (3, 1.0433333333333332, 1.0433333333333332),
                      (4, 0.44999999999999996, 0.7999999999999999), (5, 1.05, 1.0899999999999999),
                      (7, 0.564, 0.7314285714285713), (8, 0.8049999999999999, 1.765),
                      (9, 0.8640000000000001, 1.691111111111111), (13, 1.2028571428571428, 1.813076923076923)])
    func interquartileMeanIsScipysTrimMean(n: Int, iqm: Double, mean: Double) {
        let x = Array(Self.values.prefix(n))
        #expect(abs(AggregatePerformance.interquartileMean(x) - iqm) <= 1e-12 * max(1, abs(iqm)))
        // Pooled over strata the split does not matter: the first value alone, the rest in a second stratum.
        let pooled = AggregatePerformance.iqmAndMean([Array(x.prefix(1)), Array(x.dropFirst())])
        #expect(abs(pooled[0] - iqm) <= 1e-12 * max(1, abs(iqm)))
        #expect(abs(pooled[1] - mean) <= 1e-12 * max(1, abs(mean)))
    }

    /// Mean over environments of scipy's U₁/(n·m) (ties ½): env 0 gives 5/12 (0.4 tied twice),
    /// env 1 gives ½ (every comparison with the four 2s: 1, ½, 0 over three values); the reverse
    /// direction is 1 − P. The tiny example of the bootstrap test gives 0.625.
    @Test(arguments: [
        ([[0.1, 0.4, 0.4, 0.9], [1.0, 2.0, 3.0]], [[0.4, 0.2, 0.95], [2.0, 2.0, 2.0, 2.0]], 0.45833333333333337),
        ([[0.4, 0.2, 0.95], [2.0, 2.0, 2.0, 2.0]], [[0.1, 0.4, 0.4, 0.9], [1.0, 2.0, 3.0]], 0.5416666666666667),
        ([[0.0, 1.0], [3.0, 1.0]], [[0.5, 0.5], [2.0, 0.0]], 0.625),
    ])
    func probabilityOfImprovementIsTheMeanMannWhitneyU(x: [[Double]], y: [[Double]], expected: Double) {
        #expect(abs(AggregatePerformance.probabilityOfImprovement(x, y) - expected) <= 1e-15)
    }

    /// `mean over e of numpy.mean(x_e <= t)` (lower is better) and `numpy.mean(x_e > t)` (higher).
    @Test(arguments: [(true, [0.25, 0.5, 0.8333333333333333, 0.8333333333333333]),
                      (false, [0.75, 0.5, 0.16666666666666666, 0.16666666666666666])])
    func profileIsTheMeanFractionPerEnvironment(lowerIsBetter: Bool, expected: [Double]) {
        let f = AggregatePerformance.profile([[0, 1], [2, 2, 5]], thresholds: [0, 1, 2, 3], lowerIsBetter: lowerIsBetter)
        #expect(f.count == 4)
        for (a, b) in zip(f, expected) { #expect(abs(a - b) <= 1e-15) }
    }

    /// Min–max per environment over every algorithm's runs: env 0 spans [0, 4]; env 1 is constant
    /// (every score ½). Written out by hand.
    @Test func minMaxNormalisationPerEnvironment() {
        let out = AggregatePerformance.minMaxNormalized([[[0, 2], [1, 1]], [[4], [1]]])
        #expect(out == [[[0, 0.5], [0.5, 0.5]], [[1], [0.5]]])
    }

    @Test(arguments: [(0.0, 1.0, 5, [0, 0.25, 0.5, 0.75, 1]), (2.0, 2.0, 101, [2]), (-1.0, 3.0, 1, [-1])])
    func thresholdsAreEvenlySpacedWithExactEnds(low: Double, high: Double, count: Int, expected: [Double]) {
        #expect(AggregatePerformance.thresholds(from: low, to: high, count: count) == expected)
    }

    /// Strata {0, 1} and {2, 2, 5}: the 2²·3³ = 108 equally likely stratified resamples, enumerated
    /// in Python, give exact bootstrap distributions whose 15% and 85% quantiles (c = 0.7) are
    /// atoms with at least 0.035 of probability on either side of the cut: IQM [4/3, 8/3], mean
    /// [1.4, 2.6]; the profile at τ = 0, 1, 2, 3 has bands [0, ½], [½, ½], [2/3, 1], [2/3, 1] (score
    /// ≤ τ) and [½, 1], [½, ½], [0, 1/3], [0, 1/3] (score > τ). With B = 40,000 the empirical CDF's
    /// standard error is ≤ 0.0025, so the percentile interval is exactly those atoms (tolerance
    /// 1e-12 for the arithmetic of the atoms only). Point estimates: IQM 5/3, mean 2.
    @Test(arguments: [UInt64(1), 20_211_206])
    func stratifiedBootstrapMatchesTheEnumeratedDistribution(seed: UInt64) throws {
        let strata: [[Double]] = [[0, 1], [2, 2, 5]]
        let close = { (a: Double, b: Double) in abs(a - b) <= 1e-12 }
        let point = AggregatePerformance.iqmAndMean(strata)
        #expect(close(point[0], 5.0 / 3) && close(point[1], 2))
        let aggregate = try StratifiedBootstrap.percentileIntervals([strata], confidence: 0.7, resamples: 40_000, seed: seed) {
            AggregatePerformance.iqmAndMean($0[0])
        }
        #expect(close(aggregate[0].low, 4.0 / 3) && close(aggregate[0].high, 8.0 / 3), "\(aggregate[0])")
        #expect(close(aggregate[1].low, 1.4) && close(aggregate[1].high, 2.6), "\(aggregate[1])")
        let cases: [(Bool, [(Double, Double)])] = [(true, [(0, 0.5), (0.5, 0.5), (2.0 / 3, 1), (2.0 / 3, 1)]),
                                                   (false, [(0.5, 1), (0.5, 0.5), (0, 1.0 / 3), (0, 1.0 / 3)])]
        for (lower, expected) in cases {
            let bands = try StratifiedBootstrap.percentileIntervals([strata], confidence: 0.7, resamples: 40_000, seed: seed) {
                AggregatePerformance.profile($0[0], thresholds: [0, 1, 2, 3], lowerIsBetter: lower)
            }
            for (band, want) in zip(bands, expected) {
                #expect(close(band.low, want.0) && close(band.high, want.1), "lower \(lower): \(band) ≠ \(want)")
            }
        }
    }

    /// X = {0, 1}, {3, 1} and Y = {½, ½}, {2, 0}: 4⁴ = 256 equally likely resample pairs,
    /// enumerated in Python; P(X > Y) = 0.625 and its 25% and 75% quantiles (c = 0.5) are the
    /// atoms 0.5 and 0.75, with at least 0.078 of probability on either side of each cut.
    @Test(arguments: [UInt64(3), 77])
    func improvementIntervalMatchesTheEnumeratedDistribution(seed: UInt64) throws {
        let x: [[Double]] = [[0, 1], [3, 1]], y: [[Double]] = [[0.5, 0.5], [2, 0]]
        let band = try StratifiedBootstrap.percentileIntervals([x, y], confidence: 0.5, resamples: 40_000, seed: seed) {
            [AggregatePerformance.probabilityOfImprovement($0[0], $0[1])]
        }
        #expect(band[0].low == 0.5 && band[0].high == 0.75, "\(band[0])")
    }

    /// The prepared-index forms (`iqmAndMeanIntervals`, `profileIntervals`, `improvementInterval`)
    /// give the value form's intervals bit for bit: same draws, same arithmetic in the same order.
    /// Inputs: unequal strata, ties across X and Y, values on thresholds.
    @Test(arguments: [UInt64(0), 11, 123_456_789])
    func preparedFormsEqualTheValueForm(seed: UInt64) throws {
        let x: [[Double]] = [[0.3, 0.1, 0.9, 0.1], [1.5, 0.2], [0.25, 0.5, 0.75]]
        let y: [[Double]] = [[0.1, 0.4], [0.2, 0.2, 2.0], [0.5]]
        let thresholds = AggregatePerformance.thresholds(from: 0, to: 2, count: 9)
        func same(_ a: [(low: Double, high: Double)], _ b: [(low: Double, high: Double)]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.low.bitPattern == $1.low.bitPattern && $0.high.bitPattern == $1.high.bitPattern }
        }
        let aggregate = try StratifiedBootstrap.percentileIntervals([x], confidence: 0.9, resamples: 700, seed: seed) {
            AggregatePerformance.iqmAndMean($0[0])
        }
        #expect(same(aggregate, try AggregatePerformance.iqmAndMeanIntervals(x, confidence: 0.9, resamples: 700, seed: seed)))
        for lower in [true, false] {
            let profile = try StratifiedBootstrap.percentileIntervals([x], confidence: 0.9, resamples: 700, seed: seed) {
                AggregatePerformance.profile($0[0], thresholds: thresholds, lowerIsBetter: lower)
            }
            #expect(same(profile, try AggregatePerformance.profileIntervals(x, thresholds: thresholds, lowerIsBetter: lower,
                                                                           confidence: 0.9, resamples: 700, seed: seed)))
        }
        let improvement = try StratifiedBootstrap.percentileIntervals([x, y], confidence: 0.9, resamples: 700, seed: seed) {
            [AggregatePerformance.probabilityOfImprovement($0[0], $0[1])]
        }
        #expect(same(improvement, [try AggregatePerformance.improvementInterval(x, y, confidence: 0.9, resamples: 700, seed: seed)]))
    }

    /// The intervals' quantiles are found by selection; they equal, bit for bit, the sorted-data
    /// quantiles (`percentileInterval(sorting:)`) of the very statistics the bootstrap drew, for
    /// components with many ties (profile fractions), constant components, ±0 and odd and even B.
    @Test(arguments: [(1, 0.95), (2, 0.9), (999, 0.95), (1000, 0.7), (4097, 0.5)] as [(Int, Double)])
    func selectedQuantilesEqualSortedQuantiles(resamples: Int, confidence: Double) throws {
        let strata: [[Double]] = [[0.3, 0.1, 0.9, 0.1], [1.5, 0.2, -0.0, 0.0, 7.25]]
        var drawn: [[Double]] = []
        let bands = try StratifiedBootstrap.percentileIntervals(sizes: [strata.map(\.count)], confidence: confidence,
                                                                resamples: resamples, seed: 11) { indices in
            let picked = strata.indices.map { e in indices[0][e].map { strata[e][$0] } }
            let all = picked.flatMap { $0 }
            let v = [all.reduce(0, +) / Double(all.count), Double(all.filter { $0 <= 0.2 }.count) / Double(all.count),
                     0.5, all.min()!, -0.0 * all[0]]
            drawn.append(v)
            return v
        }
        #expect(drawn.count == resamples)
        // Selection and sorting may order −0 and +0 differently (they compare equal): where the
        // bound is a zero it may differ in sign only, which result files print as "0" either way.
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a == 0 && b == 0) }
        for j in 0..<5 {
            let expected = StratifiedBootstrap.percentileInterval(sorting: drawn.map { $0[j] }, confidence: confidence)
            #expect(same(bands[j].low, expected.low) && same(bands[j].high, expected.high),
                    "component \(j): \(bands[j]) vs \(expected)")
        }
        #expect(bands[4].low == 0 && bands[4].high == 0 && bands[2].low == 0.5 && bands[2].high == 0.5)
    }

    /// The same seed gives the same intervals bit for bit; B < 1 and c outside (0, 1) are refused.
    @Test func determinismAndArguments() throws {
        let strata: [[Double]] = [[0.3, 0.1, 0.9], [1.5, 0.2]]
        let f = { (r: [[[Double]]]) in AggregatePerformance.iqmAndMean(r[0]) }
        let a = try StratifiedBootstrap.percentileIntervals([strata], confidence: 0.95, resamples: 500, seed: 9, statistic: f)
        let b = try StratifiedBootstrap.percentileIntervals([strata], confidence: 0.95, resamples: 500, seed: 9, statistic: f)
        #expect(a.map(\.low) == b.map(\.low) && a.map(\.high) == b.map(\.high))
        #expect(throws: StatisticsError.self) {
            try StratifiedBootstrap.percentileIntervals([strata], confidence: 0.95, resamples: 0, seed: 9, statistic: f)
        }
        #expect(throws: StatisticsError.self) {
            try StratifiedBootstrap.percentileIntervals([strata], confidence: 1, resamples: 10, seed: 9, statistic: f)
        }
    }

    /// Resampling is within strata: a stratum of one run never changes, so a statistic of that
    /// stratum alone has a zero-width interval while the other stratum varies.
    @Test func resamplingStaysWithinEachStratum() throws {
        let bands = try StratifiedBootstrap.percentileIntervals([[[7], [0, 10]]], confidence: 0.95, resamples: 2_000, seed: 5) {
            [$0[0][0].reduce(0, +), $0[0][1].reduce(0, +)]
        }
        #expect(bands[0].low == 7 && bands[0].high == 7)
        #expect(bands[1].low == 0 && bands[1].high == 20)
    }
}
