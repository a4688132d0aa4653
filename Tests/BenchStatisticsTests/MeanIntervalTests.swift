import Testing
@testable import BenchStatistics

/// `Descriptive.meanInterval` (curve summaries) gives summarize's mean and t interval bit for bit,
/// with the t quantiles memoised.
@Suite("Mean and t interval alone")
struct MeanIntervalTests {
    /// Samples of n = 1 (no interval), 2, a constant one, and random ones of sizes 3…40.
    static let samples: [[Double]] = {
        var state: UInt64 = 7
        func unit() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        var out: [[Double]] = [[0.3], [0.1, 0.7], [0.25, 0.25, 0.25, 0.25], [1e-300, -2e-300, 5e-301]]
        for n in [3, 5, 10, 11, 20, 40] { out.append((0..<n).map { _ in unit() * 10 - 5 }) }
        return out
    }()

    @Test(arguments: samples)
    func matchesSummarize(_ values: [Double]) throws {
        var cache = TQuantileCache(probability: (1 + 0.95) / 2)
        for _ in 0..<2 {  // the second pass reads the memoised quantile
            let m = try Descriptive.meanInterval(values, confidence: 0.95, quantiles: &cache)
            let s = try Descriptive.summarize(values, confidence: 0.95, bootstrapSamples: 0)
            #expect(m.mean.bitPattern == s.mean.bitPattern)
            #expect(m.ciLow?.bitPattern == s.ciLow?.bitPattern)
            #expect(m.ciHigh?.bitPattern == s.ciHigh?.bitPattern)
        }
    }

    /// By hand: for (0.1, 0.7), x̄ = 0.4, s = √0.18, t_{0.975, 1} = 12.7062047361747 (Student 1908
    /// tables; scipy.stats.t.ppf(0.975, 1)), so the half-width is t·s/√2 = 3.81186142085.
    @Test func twoValuesByHand() throws {
        var cache = TQuantileCache(probability: 0.975)
        let m = try Descriptive.meanInterval([0.1, 0.7], confidence: 0.95, quantiles: &cache)
        #expect(abs(m.mean - 0.4) < 1e-15)
        #expect(abs(m.ciHigh! - (0.4 + 3.81186142085)) < 1e-9)
        #expect(abs(m.ciLow! - (0.4 - 3.81186142085)) < 1e-9)
        #expect(abs(cache.quantile(degreesOfFreedom: 1) - 12.7062047361747) < 1e-10)
    }

    @Test func badInputThrowsLikeSummarize() {
        var cache = TQuantileCache(probability: 0.975)
        #expect(throws: StatisticsError.self) { try Descriptive.meanInterval([], quantiles: &cache) }
        #expect(throws: StatisticsError.self) { try Descriptive.meanInterval([1, .nan], quantiles: &cache) }
    }
}
