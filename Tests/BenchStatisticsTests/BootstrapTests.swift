import Testing
@testable import BenchStatistics

@Suite("Bootstrap percentile interval")
struct BootstrapTests {
    let sample: [Double] = [0.12, 0.35, 0.07, 0.91, 0.44, 0.28, 0.63, 0.50, 0.19, 0.77]

    @Test("the same seed gives the same interval; another seed a different one")
    func determinism() throws {
        let a = try Descriptive.summarize(sample, bootstrapSamples: 2_000, seed: 42)
        let b = try Descriptive.summarize(sample, bootstrapSamples: 2_000, seed: 42)
        let c = try Descriptive.summarize(sample, bootstrapSamples: 2_000, seed: 43)
        #expect(a.bootstrapLow != nil && a.bootstrapHigh != nil)
        #expect(a == b)
        // Two independent streams of 2,000 resamples cannot agree on both quantiles to the bit.
        #expect(a.bootstrapLow != c.bootstrapLow || a.bootstrapHigh != c.bootstrapHigh)
    }

    @Test("the interval brackets the mean and lies within [min, max]", arguments: [0 as UInt64, 1, 99, 123_456_789_012])
    func brackets(_ seed: UInt64) throws {
        let s = try Descriptive.summarize(sample, bootstrapSamples: 1_000, seed: seed)
        let lo = try #require(s.bootstrapLow)
        let hi = try #require(s.bootstrapHigh)
        #expect(s.min <= lo && lo < s.mean && s.mean < hi && hi <= s.max)
    }

    /// For {0, 1} the resampled mean is 0, ½, 1 with probabilities ¼, ½, ¼, so the 2.5% and
    /// 97.5% quantiles are exactly 0 and 1 and the 30% and 70% quantiles are exactly ½ (the
    /// empirical counts of B = 10,000 draws are ≈ 2,500 ± 43 zeros, far from the 300/3,000 cut-offs).
    @Test("two-point sample: quantiles of the exact resampling distribution")
    func twoPointSample() throws {
        let wide = Descriptive.bootstrapMeanInterval([0, 1], confidence: 0.95, samples: 10_000, seed: 7)
        #expect(wide.0 == 0 && wide.1 == 1)
        let narrow = Descriptive.bootstrapMeanInterval([0, 1], confidence: 0.4, samples: 10_000, seed: 7)
        #expect(narrow.0 == 0.5 && narrow.1 == 0.5)
    }

    /// For large n the bootstrap distribution of the mean is close to normal with standard
    /// deviation sd·√((n−1)/n), so the percentile interval approaches x̄ ± t·sem. With n = 400
    /// and B = 10,000 the Monte Carlo error of each endpoint is ≈ 1.5% of the half-width;
    /// tolerance: 5% of the t half-width.
    @Test("for large n the bootstrap interval approaches the t interval")
    func approachesTInterval() throws {
        let values = (0..<400).map { i in (Double(i) * 0.6180339887498949).truncatingRemainder(dividingBy: 1) }
        let s = try Descriptive.summarize(values, bootstrapSamples: 10_000, seed: 2024)
        let half = try #require(s.ciHigh) - s.mean
        #expect(abs(try #require(s.bootstrapLow) - (try #require(s.ciLow))) < 0.05 * half)
        #expect(abs(try #require(s.bootstrapHigh) - (try #require(s.ciHigh))) < 0.05 * half)
    }
}
