import Testing
import CGSL
import StableFloor
@testable import BenchStatistics

/// The fast forms of the stratified bootstrap against the straightforward forms they replace, on
/// seeded random inputs (SplitMix64, seeds in the arguments) with ties, ±0 and strata of one run:
/// the tails that keep only the order statistics a percentile interval needs against selection
/// among all B values, and the counted probability-of-improvement sum against the comparison
/// table summed pair by pair.
struct BootstrapFastFormTests {
    /// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for test inputs.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        /// The next output: `StableHash.splitMix64` of the state, which then advances by the golden gamma.
        mutating func next() -> UInt64 {
            defer { state &+= 0x9E37_79B9_7F4A_7C15 }
            return StableHash.splitMix64(state)
        }
    }

    /// Values with many exact ties, ties only up to the 1e-12 relative tolerance, ±0 and spread.
    static func value(_ g: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return Double(Int.random(in: -3...3, using: &g)) / 4       // exact ties, ±0 via 0/4
        case 1: return Bool.random(using: &g) ? -0.0 : 0.0
        case 2: return 0.5 * (1 + Double(Int.random(in: -2...2, using: &g)) * 1e-13)  // tied within tolerance
        case 3: return Double.random(in: -1e-3...1e-3, using: &g)
        default: return Double.random(in: -2...2, using: &g)
        }
    }

    static func strata(_ g: inout SplitMix64, environments: Int) -> [[Double]] {
        (0..<environments).map { _ in (0..<Int.random(in: 1...6, using: &g)).map { _ in value(&g) } }
    }

    /// A tail keeps the `keep` smallest (largest) values of a stream as a multiset: compared with
    /// the sorted stream for keep below, at and above the slack and streams with repeated values.
    @Test(arguments: [(UInt64(1), 1, 1), (2, 5, 3), (3, 251, 128), (4, 40, 1), (5, 1000, 64)] as [(UInt64, Int, Int)])
    func tailKeepsTheExtremeValues(seed: UInt64, keep: Int, slack: Int) {
        var g = SplitMix64(state: seed)
        let stream = (0..<5_000).map { _ in Self.value(&g) }
        for smallest in [true, false] {
            var tail = StratifiedBootstrap.Tail(keep: keep, smallest: smallest, slack: slack)
            stream.forEach { tail.offer($0) }
            let sorted = stream.sorted()
            let expected = smallest ? Array(sorted.prefix(keep)) : Array(sorted.suffix(keep))
            #expect(tail.values().sorted() == expected, "seed \(seed), keep \(keep), smallest \(smallest)")
        }
    }

    /// Percentile intervals from the tails equal the quantiles selected among all B drawn values
    /// (`Descriptive.quantile(selectingFrom:_:)`, what the bootstrap computed before the tails), bit
    /// for bit up to the sign of a zero, for B = 10,000 at c = 0.95 (each tail keeps 251 values and
    /// is pruned), small B where a tail keeps everything, and discrete statistics full of ties.
    @Test(arguments: [(UInt64(7), 10_000, 0.95), (8, 3, 0.95), (9, 130, 0.9), (10, 2_001, 0.5), (11, 10_000, 0.99)]
          as [(UInt64, Int, Double)])
    func tailIntervalsEqualSelectionAmongAllValues(seed: UInt64, resamples: Int, confidence: Double) throws {
        var g = SplitMix64(state: seed)
        let strata = Self.strata(&g, environments: 4)
        var drawn: [[Double]] = []
        let bands = try StratifiedBootstrap.percentileIntervals(sizes: [strata.map(\.count)], components: 3,
                                                                confidence: confidence, resamples: resamples, seed: seed) { indices, row in
            let all = strata.indices.flatMap { e in indices[0][e].map { strata[e][$0] } }
            row[0] = all.reduce(0, +)
            row[1] = Double(all.filter { $0 <= 0 }.count)
            row[2] = all.max()!
            drawn.append(Array(row))
        }
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a == 0 && b == 0) }
        let alpha = (1 - confidence) / 2
        for j in 0..<3 {
            var column = drawn.map { $0[j] }
            let low = Descriptive.quantile(selectingFrom: &column, alpha)
            let high = Descriptive.quantile(selectingFrom: &column, 1 - alpha)
            #expect(same(bands[j].low, low) && same(bands[j].high, high), "seed \(seed), component \(j): \(bands[j]) vs \((low, high))")
        }
    }

    /// The counted sum of halves equals the comparison table summed pair by pair (h = 2, 1, 0 for
    /// better, tied within 1e-12, worse) for random resamples, and the tables of the relative
    /// tolerance are ordered (the counted path is the one taken).
    @Test(arguments: [UInt64(21), 22, 23, 24])
    func countedHalvesEqualTheTableSum(seed: UInt64) {
        var g = SplitMix64(state: seed)
        for _ in 0..<200 {
            let x = (0..<Int.random(in: 1...7, using: &g)).map { _ in Self.value(&g) }
            let y = (0..<Int.random(in: 1...7, using: &g)).map { _ in Self.value(&g) }
            let counter = ImprovementCounter(x, y, tolerance: .standard)
            #expect(counter.isOrdered)
            for _ in 0..<5 {
                let xi = x.indices.map { _ in Int.random(in: 0..<x.count, using: &g) }
                let yi = y.indices.map { _ in Int.random(in: 0..<y.count, using: &g) }
                var expected = 0.0
                for i in xi {
                    for j in yi { expected += ValueTolerance.standard.equal(x[i], y[j]) ? 0.5 : (x[i] > y[j] ? 1 : 0) }
                }
                let scratch = UnsafeMutableBufferPointer<Int>.allocate(capacity: y.count + 1)
                defer { scratch.deallocate() }
                let counted = Double(counter.halves(x: xi, y: yi, scratch: scratch)) / 2
                #expect(counted.bitPattern == expected.bitPattern, "seed \(seed): x \(x) y \(y) \(xi) \(yi)")
            }
        }
    }

    /// The prepared forms (`iqmAndMeanIntervals`, `profileIntervals`, `improvementInterval`) give the
    /// value form's intervals bit for bit on random strata with ties, ±0 and single-run strata.
    @Test(arguments: [UInt64(31), 32, 33, 34, 35])
    func preparedFormsEqualTheValueFormOnRandomStrata(seed: UInt64) throws {
        var g = SplitMix64(state: seed)
        let environments = Int.random(in: 1...4, using: &g)
        let x = Self.strata(&g, environments: environments), y = Self.strata(&g, environments: environments)
        let pooled = x.flatMap { $0 }
        let thresholds = AggregatePerformance.thresholds(from: pooled.min()!, to: pooled.max()!, count: 11)
        func same(_ a: [(low: Double, high: Double)], _ b: [(low: Double, high: Double)]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.low.bitPattern == $1.low.bitPattern && $0.high.bitPattern == $1.high.bitPattern }
        }
        let aggregate = try StratifiedBootstrap.percentileIntervals([x], confidence: 0.95, resamples: 3_000, seed: seed) {
            AggregatePerformance.iqmAndMean($0[0])
        }
        #expect(same(aggregate, try AggregatePerformance.iqmAndMeanIntervals(x, confidence: 0.95, resamples: 3_000, seed: seed)))
        for lower in [true, false] {
            let profile = try StratifiedBootstrap.percentileIntervals([x], confidence: 0.95, resamples: 3_000, seed: seed) {
                AggregatePerformance.profile($0[0], thresholds: thresholds, lowerIsBetter: lower)
            }
            #expect(same(profile, try AggregatePerformance.profileIntervals(x, thresholds: thresholds, lowerIsBetter: lower,
                                                                           confidence: 0.95, resamples: 3_000, seed: seed)))
        }
        let improvement = try StratifiedBootstrap.percentileIntervals([x, y], confidence: 0.95, resamples: 3_000, seed: seed) {
            [AggregatePerformance.probabilityOfImprovement($0[0], $0[1])]
        }
        #expect(same(improvement, [try AggregatePerformance.improvementInterval(x, y, confidence: 0.95, resamples: 3_000, seed: seed)]))
    }

    /// The counted profile bands (`countedProfileIntervals`) and the streamed ones `profileIntervals`
    /// falls back to past `profileCountLimit` count vectors both equal the value form bit for bit:
    /// one environment of 1 and of 300 runs, 16³ = 4096 vectors (the limit: counted), 71² and 10⁴
    /// vectors (streamed), values on a grid that puts runs on thresholds and below the first and
    /// above the last threshold, both polarities, odd B.
    @Test(arguments: [(UInt64(41), 1, 1), (42, 1, 300), (43, 3, 15), (44, 2, 70), (45, 4, 9)] as [(UInt64, Int, Int)])
    func countedProfileBandsEqualTheValueForm(seed: UInt64, environments: Int, runs: Int) throws {
        var g = SplitMix64(state: seed)
        let x = (0..<environments).map { _ in (0..<runs).map { _ in Double(Int.random(in: -2...22, using: &g)) / 20 } }
        let thresholds = AggregatePerformance.thresholds(from: 0, to: 1, count: 21)
        let vectors = x.reduce(1) { $0 * ($1.count + 1) }
        for lower in [true, false] {
            let expected = try StratifiedBootstrap.percentileIntervals([x], confidence: 0.95, resamples: 501, seed: seed) {
                AggregatePerformance.profile($0[0], thresholds: thresholds, lowerIsBetter: lower)
            }
            let bands = try AggregatePerformance.profileIntervals(x, thresholds: thresholds, lowerIsBetter: lower,
                                                                  confidence: 0.95, resamples: 501, seed: seed)
            #expect(bands.count == expected.count)
            for (k, (a, b)) in zip(bands, expected).enumerated() {
                #expect(a.low.bitPattern == b.low.bitPattern && a.high.bitPattern == b.high.bitPattern,
                        "seed \(seed), \(vectors) vectors, lower \(lower), threshold \(k): \(a) vs \(b)")
            }
            let positions = x.map { $0.map { v in thresholds.firstIndex { v <= $0 } ?? thresholds.count } }
            let shares = x.map { e in (0...e.count).map { c in Double(lower ? c : e.count - c) / Double(e.count) } }
            let counted = try AggregatePerformance.countedProfileIntervals(positions: positions, shares: shares, thresholds: thresholds.count,
                                                                           confidence: 0.95, resamples: 501, seed: seed)
            #expect((counted != nil) == (vectors <= AggregatePerformance.profileCountLimit), "seed \(seed): \(vectors) vectors")
        }
    }
}

/// `MersenneTwister` is GSL's `gsl_rng_mt19937` stream and `gsl_rng_uniform_int` on it, bit for
/// bit: for seeds folding to 0 (hence 0x9e3779b9), to GSL's default 4357, to 2³² − 1 and random
/// 64-bit seeds, 3,000 raw outputs (several twists of 624 words) and 3,000 integers for ranges
/// that divide 2³² − 1 or not, from 1 to 2³² − 1, each against the generator `GSLSetup.mt19937(seed:)` makes.
struct MersenneTwisterTests {
    static let seeds: [UInt64] = [0, 1, 4357, 0x1_0000_0001, 0xffff_ffff, 0xdead_beef_0123_4567, 20_211_206, UInt64.max]

    @Test(arguments: seeds)
    func rawOutputsAreGSLs(seed: UInt64) {
        let gsl = GSLSetup.mt19937(seed: seed)
        defer { gsl_rng_free(gsl) }
        var twister = MersenneTwister(seed: seed)
        let ours = (0..<3_000).map { _ in UInt(twister.next()) }
        let theirs = (0..<3_000).map { _ in gsl_rng_get(gsl) }
        #expect(ours == theirs, "seed \(seed)")
    }

    /// The reciprocal division equals integer division for divisors 1, 2, powers of two, the
    /// scales of small ranges and 2³¹ − 1, 2³² − 1, at the edges x = 0, d − 1, d, 2³² − 1 and at
    /// 20,000 random x per divisor (SplitMix64 seed 41).
    @Test func reciprocalDivisionIsExact() {
        var g = BootstrapFastFormTests.SplitMix64(state: 41)
        let divisors: [UInt32] = [1, 2, 3, 4, 7, 1 << 16, 71_582_788, 429_496_729, 2_147_483_647, 2_147_483_648, UInt32.max]
        for d in divisors {
            let divisor = MersenneTwister.Divisor(d)
            let edges: [UInt32] = [0, d - 1, d, d &+ 1, UInt32.max, UInt32.max - 1]
            let xs = edges + (0..<20_000).map { _ in UInt32.random(in: 0...UInt32.max, using: &g) }
            #expect(xs.allSatisfy { divisor.quotient($0) == $0 / d }, "d \(d)")
        }
    }

    @Test(arguments: seeds, [1, 2, 3, 7, 10, 60, 1_000, 65_537, 2_147_483_649, 4_294_967_295])
    func uniformIntegersAreGSLs(seed: UInt64, n: Int) {
        let gsl = GSLSetup.mt19937(seed: seed)
        defer { gsl_rng_free(gsl) }
        var twister = MersenneTwister(seed: seed)
        let scale = MersenneTwister.scale(n)
        let ours = (0..<3_000).map { _ in twister.uniformInt(n, scale: scale) }
        let theirs = (0..<3_000).map { _ in Int(gsl_rng_uniform_int(gsl, UInt(n))) }
        #expect(ours == theirs, "seed \(seed), n \(n)")
    }
}
