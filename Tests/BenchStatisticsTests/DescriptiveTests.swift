import Testing
@testable import BenchStatistics

/// Reference values computed independently with numpy 2.4 / scipy 1.17:
/// mean = np.mean, sd = np.std(ddof=1), sem = sd/√n, CI = scipy.stats.t.interval(c, n−1, loc=mean,
/// scale=sem), median = np.median, iqm = scipy.stats.trim_mean(x, 0.25) (as rliable), min, max.
struct DescriptiveReference: Sendable, CustomTestStringConvertible {
    var values: [Double]
    var mean, sd, sem, ciLow95, ciHigh95, ciLow90, ciHigh90, median, iqm, min, max: Double
    var testDescription: String { "n=\(values.count)" }
}

let descriptiveReferences: [DescriptiveReference] = [
    DescriptiveReference(
        values: [0.12, 0.35, 0.07, 0.91, 0.44, 0.28, 0.63, 0.50, 0.19, 0.77],
        mean: 0.426, sd: 0.27949160194101635, sem: 0.08838300490227492,
        ciLow95: 0.2260637523906899, ciHigh95: 0.6259362476093101,
        ciLow90: 0.26398397068662016, ciHigh90: 0.5880160293133797,
        median: 0.395, iqm: 0.3983333333333334, min: 0.07, max: 0.91),
    DescriptiveReference(
        values: [3.1, 2.7, 3.1, 4.0, 2.2, 3.5, 2.9],
        mean: 3.0714285714285716, sd: 0.5736267244886861, sem: 0.21681052262537542,
        ciLow95: 2.540912334163604, ciHigh95: 3.6019448086935393,
        ciLow90: 2.6501266392547245, ciHigh90: 3.4927305036024183,
        median: 3.1, iqm: 3.0599999999999996, min: 2.2, max: 4.0),
    DescriptiveReference(
        values: [1e-3, 5.0, -2.5, 7.25, 0.5],
        mean: 2.0502000000000002, sd: 3.9700724426639873, sem: 1.7754703714790623,
        ciLow95: -2.8792960223167503, ciHigh95: 6.979696022316751,
        ciLow90: -1.7348308056558235, ciHigh90: 5.835230805655822,
        median: 0.5, iqm: 1.8336666666666668, min: -2.5, max: 7.25),
    DescriptiveReference(
        values: [2.0, 5.0],
        mean: 3.5, sd: 2.1213203435596424, sem: 1.4999999999999998,
        ciLow95: -15.55930710426204, ciHigh95: 22.55930710426204,
        ciLow90: -5.970627272012566, ciHigh90: 12.970627272012553,
        median: 3.5, iqm: 3.5, min: 2.0, max: 5.0),
    DescriptiveReference(
        values: [4.0, 1.0, 3.0],
        mean: 2.6666666666666665, sd: 1.5275252316519468, sem: 0.881917103688197,
        ciLow95: -1.1279163669300933, ciHigh95: 6.461249700263426,
        ciLow90: 0.09148144082980902, ciHigh90: 5.241851892503522,
        median: 3.0, iqm: 2.6666666666666665, min: 1.0, max: 4.0),
]

/// Absolute tolerance for closed-form statistics against scipy (values are O(1)–O(20)).
let closedFormTolerance = 1e-10

@Suite("Descriptive statistics")
struct DescriptiveTests {
    @Test("summary matches numpy/scipy", arguments: descriptiveReferences)
    func matchesScipy(_ ref: DescriptiveReference) throws {
        let s95 = try Descriptive.summarize(ref.values, confidence: 0.95, bootstrapSamples: 0)
        let s90 = try Descriptive.summarize(ref.values, confidence: 0.90, bootstrapSamples: 0)
        #expect(s95.n == ref.values.count)
        #expect(abs(s95.mean - ref.mean) < closedFormTolerance)
        #expect(abs(try #require(s95.sd) - ref.sd) < closedFormTolerance)
        #expect(abs(try #require(s95.sem) - ref.sem) < closedFormTolerance)
        #expect(abs(try #require(s95.ciLow) - ref.ciLow95) < closedFormTolerance)
        #expect(abs(try #require(s95.ciHigh) - ref.ciHigh95) < closedFormTolerance)
        #expect(abs(try #require(s90.ciLow) - ref.ciLow90) < closedFormTolerance)
        #expect(abs(try #require(s90.ciHigh) - ref.ciHigh90) < closedFormTolerance)
        #expect(abs(s95.median - ref.median) < closedFormTolerance)
        #expect(abs(s95.iqm - ref.iqm) < closedFormTolerance)
        #expect(s95.min == ref.min)
        #expect(s95.max == ref.max)
        #expect(s95.bootstrapLow == nil && s95.bootstrapHigh == nil)
    }

    /// scipy.stats.t.ppf(p, ν); tolerance 1e-10.
    @Test("t quantiles match scipy", arguments: [
        (0.975, 9.0, 2.262157162798205), (0.975, 1.0, 12.706204736174694),
        (0.995, 3.0, 5.840909309733355), (0.975, 2.5, 3.5746548420036817),
        (0.975, 1000.0, 1.9623390808264083),
    ])
    func tQuantile(_ p: Double, _ nu: Double, _ expected: Double) {
        #expect(abs(Descriptive.tQuantile(p, degreesOfFreedom: nu) - expected) < closedFormTolerance)
    }

    @Test("a single observation has no spread statistics")
    func singleObservation() throws {
        let s = try Descriptive.summarize([0.25])
        #expect(s.n == 1 && s.mean == 0.25 && s.median == 0.25 && s.iqm == 0.25 && s.min == 0.25 && s.max == 0.25)
        #expect(s.sd == nil && s.sem == nil && s.ciLow == nil && s.ciHigh == nil)
        #expect(s.bootstrapLow == nil && s.bootstrapHigh == nil)
    }

    @Test("invalid input is rejected")
    func invalidInput() {
        #expect(throws: StatisticsError.tooFewObservations(needed: 1, got: 0, statistic: "summary")) {
            try Descriptive.summarize([])
        }
        #expect(throws: StatisticsError.nonFinite(statistic: "summary")) {
            try Descriptive.summarize([1, .nan])
        }
        #expect(throws: StatisticsError.nonFinite(statistic: "summary")) {
            try Descriptive.summarize([1, .infinity])
        }
        #expect(throws: StatisticsError.self) { try Descriptive.summarize([1, 2], confidence: 1) }
        #expect(throws: StatisticsError.self) { try Descriptive.summarize([1, 2], bootstrapSamples: -1) }
    }

    @Test("a constant sample has zero spread and a degenerate interval")
    func constantSample() throws {
        let s = try Descriptive.summarize([0.625, 0.625, 0.625, 0.625], bootstrapSamples: 500, seed: 3)
        #expect(s.sd == 0 && s.sem == 0)
        #expect(s.ciLow == 0.625 && s.ciHigh == 0.625)
        #expect(s.bootstrapLow == 0.625 && s.bootstrapHigh == 0.625)
    }
}
