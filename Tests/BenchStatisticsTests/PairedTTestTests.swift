import Testing
@testable import BenchStatistics

/// Paired samples with reference values from scipy 1.17: `r = ttest_rel(b, a)` (statistic,
/// pvalue), `r.confidence_interval(c)` (low, high), and numpy's mean and std(ddof=1) of b − a.
struct PairedReference: Sendable, CustomTestStringConvertible {
    var name: String
    var a: [Double]
    var b: [Double]
    var confidence: Double
    var mean, sd, t, p, low, high: Double
    var testDescription: String { name }
}

let pairedReferences: [PairedReference] = [
    PairedReference(name: "five pairs", a: [0.1, 0.2, 0.3, 0.4, 0.5], b: [0.12, 0.19, 0.35, 0.41, 0.58], confidence: 0.95,
                    mean: 0.029999999999999978, sd: 0.035355339059327376, t: 1.8973665961010264, p: 0.1306351137536608,
                    low: -0.013899451654254158, high: 0.07389945165425411),
    PairedReference(name: "negative values, decrease", a: [1.5, 2.25, -0.75], b: [1.0, 2.5, -1.25], confidence: 0.95,
                    mean: -0.25, sd: 0.4330127018922193, t: -1.0, p: 0.4226497308103742,
                    low: -1.3256631824373655, high: 0.8256631824373655),
    PairedReference(name: "two pairs", a: [0.3, 0.7], b: [0.35, 0.9], confidence: 0.95,
                    mean: 0.12500000000000003, sd: 0.10606601717798218, t: 1.666666666666666, p: 0.34404173924526144,
                    low: -0.8279653552131025, high: 1.0779653552131025),
    PairedReference(name: "ten pairs near 13", a: [12.5, 13.1, 11.8, 12.9, 13.4, 12.2, 12.7, 13.0, 12.4, 12.6],
                    b: [12.9, 13.0, 12.5, 13.3, 13.2, 12.8, 12.6, 13.5, 12.9, 12.7], confidence: 0.95,
                    mean: 0.2800000000000001, sd: 0.32591750830880867, t: 2.7167541548832324, p: 0.023733591642155286,
                    low: 0.04685265965454227, high: 0.5131473403454578),
    PairedReference(name: "small values, 90% interval", a: [0.0123, 0.0456, 0.0311, 0.0298],
                    b: [0.0101, 0.0402, 0.0299, 0.0301], confidence: 0.9,
                    mean: -0.002125000000000001, sd: 0.002412985702402731, t: -1.761303432410753, p: 0.17640395320731792,
                    low: -0.004964316160367093, high: 0.0007143161603670894),
]

@Suite("Paired t-test (bench compare)")
struct PairedTTestTests {
    /// Tolerances: 1e-12 absolute on d̄ and s, 1e-10 on t and the interval, 1e-10 relative on p.
    @Test("matches scipy.stats.ttest_rel(b, a) and its confidence interval", arguments: pairedReferences)
    func matchesScipy(_ ref: PairedReference) throws {
        let test = try PairedTTest(before: ref.a, after: ref.b, confidence: ref.confidence)
        #expect(test.n == ref.a.count)
        #expect(test.degreesOfFreedom == Double(ref.a.count - 1))
        #expect(abs(test.meanDifference - ref.mean) < 1e-12)
        #expect(abs(test.sdDifference - ref.sd) < 1e-12)
        #expect(abs(test.t - ref.t) < 1e-10)
        #expect(abs(test.pValue - ref.p) <= 1e-10 * ref.p)
        #expect(abs(test.ciLow - ref.low) < 1e-10)
        #expect(abs(test.ciHigh - ref.high) < 1e-10)
        // Swapping before and after negates d̄, t and the interval and keeps p.
        let swapped = try PairedTTest(before: ref.b, after: ref.a, confidence: ref.confidence)
        #expect(abs(swapped.t + ref.t) < 1e-10)
        #expect(abs(swapped.ciLow + ref.high) < 1e-10)
        #expect(abs(swapped.pValue - ref.p) <= 1e-10 * ref.p)
    }

    @Test("identical samples: d̄ = 0, interval [0, 0], t = 0, p = 1")
    func identical() throws {
        let a = [0.25, 0.5, 0.125]
        let test = try PairedTTest(before: a, after: a)
        #expect(test.meanDifference == 0 && test.sdDifference == 0)
        #expect(test.ciLow == 0 && test.ciHigh == 0)
        #expect(test.t == 0 && test.pValue == 1)
    }

    @Test("pairs one ulp apart are equal up to rounding: t = 0, p = 1")
    func roundingOnly() throws {
        let a = [0.3, 0.6, 0.9]
        let b = a.map(\.nextUp)
        let test = try PairedTTest(before: a, after: b)
        #expect(test.sdDifference == 0)
        #expect(test.t == 0 && test.pValue == 1)
        // scipy's ttest_rel(b, a) finds t = 5.000000000000001, p = 0.03774955135062371 in the ulps
        // alone ("significant"); without the tolerance so does this test.
        let exact = try PairedTTest(before: a, after: b, tolerance: .exact)
        #expect(abs(exact.t - 5.000000000000001) < 1e-9)
        #expect(abs(exact.pValue - 0.03774955135062371) < 1e-9)
    }

    @Test("every pair moved by the same amount: t = ±∞, p = 0, interval [d̄, d̄]")
    func constantShift() throws {
        let a = [0.1, 0.2, 0.4]
        let up = try PairedTTest(before: a, after: a.map { $0 + 0.5 })
        #expect(up.t == .infinity && up.pValue == 0)
        #expect(up.ciLow == up.meanDifference && up.ciHigh == up.meanDifference)
        #expect(abs(up.meanDifference - 0.5) < 1e-15)
        let down = try PairedTTest(before: a, after: a.map { $0 - 0.25 })
        #expect(down.t == -.infinity && down.pValue == 0)
    }

    @Test("one changed pair of n gives t = 1 whatever its size (p from t with n − 1 df)")
    func oneChangedPair() throws {
        // d = (0, …, 0, δ): d̄ = δ/n, s = |δ|/√n, so t = √n·d̄/s = 1; scipy: ttest_rel gives t = 1,
        // p = 0.42264973081037427 for n = 3 and 0.37390096630005887 for n = 5 (δ = 0.1).
        let t3 = try PairedTTest(before: [0.2, 0.3, 0.4], after: [0.2, 0.3, 0.5])
        #expect(abs(t3.t - 1) < 1e-12)
        #expect(abs(t3.pValue - 0.42264973081037427) < 1e-10)
        let t5 = try PairedTTest(before: [0.2, 0.3, 0.4, 0.1, 0.6], after: [0.2, 0.3, 0.4, 0.1, 0.7])
        #expect(abs(t5.t - 1) < 1e-12)
        #expect(abs(t5.pValue - 0.37390096630005887) < 1e-10)
    }

    @Test("refuses unequal sizes, fewer than two pairs, non-finite values and a bad confidence")
    func refusals() {
        #expect(throws: StatisticsError.invalidArgument("paired t-test needs samples of one size, got 2 and 3")) {
            try PairedTTest(before: [1, 2], after: [1, 2, 3])
        }
        #expect(throws: StatisticsError.tooFewObservations(needed: 2, got: 1, statistic: "paired t-test")) {
            try PairedTTest(before: [1], after: [2])
        }
        #expect(throws: StatisticsError.nonFinite(statistic: "paired t-test")) {
            try PairedTTest(before: [1, .nan], after: [2, 3])
        }
        #expect(throws: StatisticsError.invalidArgument("confidence must be in (0, 1)")) {
            try PairedTTest(before: [1, 2], after: [2, 3], confidence: 1)
        }
    }
}
