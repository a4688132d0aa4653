import BenchStatistics
import Testing

/// Values equal up to `ValueTolerance` (|x − y| ≤ 1e-12·max(|x|, |y|, 1)) are equal for every
/// statistic: the three exact methods converged to the same π*_τ and tests.csv reported
/// t = ±∞, p = 0 for means one ulp apart. Expected values are by hand (stated per test).
struct ToleranceTests {
    /// (x, y, equal?) — by the definition.
    @Test(arguments: [
        (0.1, 0.1.nextUp, true),
        (1e6, 1e6 + 1e-7, true),          // 1e-7 ≤ 1e-12·1e6 = 1e-6
        (1e6, 1e6 + 1e-5, false),
        (0.0, 1e-17, true),               // below the absolute floor 1e-12
        (0.0, 2e-12, false),
        (-0.5, -0.5 - 4e-13, true),
        (0.25, 0.2500001, false),
    ])
    func definition(_ c: (Double, Double, Bool)) {
        #expect(ValueTolerance.standard.equal(c.0, c.1) == c.2)
        #expect(ValueTolerance.standard.equal(c.1, c.0) == c.2)
        #expect(ValueTolerance.exact.equal(c.0, c.1) == (c.0 == c.1))
    }

    /// The case: three seeds each, means one ulp apart (0.17 and 0.17.nextUp) — by hand:
    /// no evidence, t = 0, p = 1, ν = n + m − 2 = 4; Mann–Whitney: all ties, P = ½, p = 1.
    @Test func oneUlpApartIsNoDifference() throws {
        let x = 0.17
        let a = [x, x, x], b = [x.nextUp, x.nextUp, x.nextUp]
        let w = try WelchTTest(a, b)
        #expect(w.t == 0 && w.pValue == 1 && w.degreesOfFreedom == 4)
        let u = try MannWhitney(a, b)
        #expect(u.probabilityOfImprovement == 0.5 && u.pValue == 1)
        // Textbook arithmetic (exact comparison) blows up, which is what tests.csv used to show.
        let raw = try WelchTTest(a, b, tolerance: .exact)
        #expect(raw.t == -.infinity && raw.pValue == 0)
        #expect(try MannWhitney(a, b, tolerance: .exact).probabilityOfImprovement == 0)
    }

    /// Rounding noise around a constant (spread of two ulps) against the constant: s² = 0 on both
    /// sides and equal means → t = 0, p = 1.
    @Test func roundingNoiseIsConstant() throws {
        let x = 0.3
        let a = [x, x.nextUp, x.nextDown, x.nextUp.nextUp], b = [x, x, x]
        let w = try WelchTTest(a, b)
        #expect(w.t == 0 && w.pValue == 1 && w.degreesOfFreedom == 5)
        #expect(try MannWhitney(a, b).probabilityOfImprovement == 0.5)
    }

    /// Distinct constants (beyond the tolerance) keep the documented t = ±∞, p = 0.
    @Test func distinctConstantsAreStillDifferent() throws {
        let w = try WelchTTest([0.2, 0.2, 0.2], [0.2 + 1e-9, 0.2 + 1e-9])
        #expect(w.t == -.infinity && w.pValue == 0 && w.degreesOfFreedom == 3)
        #expect(try MannWhitney([0.2, 0.2, 0.2], [0.2 + 1e-9, 0.2 + 1e-9]).probabilityOfImprovement == 0)
    }

    /// Ties in Mann–Whitney: a = (1, 2), b = (1 + 1e-15, 3). Pairs (1,1+1e-15) tie → ½,
    /// (1,3) → 0, (2,1+1e-15) → 1, (2,3) → 0: U = 1.5, P = 1.5/4 = 0.375 (exact comparison: 0.25).
    @Test func nearTiesCountHalf() throws {
        #expect(try MannWhitney([1, 2], [1 + 1e-15, 3]).probabilityOfImprovement == 0.375)
        #expect(try MannWhitney([1, 2], [1 + 1e-15, 3], tolerance: .exact).probabilityOfImprovement == 0.25)
    }

    /// A sample constant up to rounding has sd = sem = 0 and both intervals [x̄, x̄]; min, max and
    /// the mean are the values' own (not rounded).
    @Test func summaryOfANearConstantSample() throws {
        let x = 0.7
        let values = [x, x.nextUp, x, x.nextDown]
        let s = try Descriptive.summarize(values, bootstrapSamples: 500, seed: 3)
        #expect(s.sd == 0 && s.sem == 0)
        #expect(s.ciLow == s.mean && s.ciHigh == s.mean)
        #expect(s.bootstrapLow == s.mean && s.bootstrapHigh == s.mean)
        #expect(s.min == x.nextDown && s.max == x.nextUp)
        // Values differing beyond the tolerance keep their spread: sd of (x, y) = (y − x)/√2, with
        // y − x ≈ 1e-9 computed exactly (Sterbenz), to 2e-16 (the mean's rounding, ulp(0.7)/2 ≈ 5.6e-17,
        // enters each deviation).
        let y = x + 1e-9
        let t = try Descriptive.summarize([x, y], bootstrapSamples: 0)
        #expect(abs(t.sd! - (y - x) / 2.0.squareRoot()) < 2e-16)
    }

    /// Near zero the absolute floor applies: exploitabilities of 0, 1e-17 and 3e-17 (rounding at a
    /// Nash equilibrium) are all equal to 0.
    @Test func roundingAtZero() throws {
        let w = try WelchTTest([0, 1e-17, 3e-17], [0, 0, 0])
        #expect(w.t == 0 && w.pValue == 1)
        let s = try Descriptive.summarize([0, 1e-17, 3e-17], bootstrapSamples: 0)
        #expect(s.sd == 0)
    }
}
