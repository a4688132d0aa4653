import Testing
@testable import BenchStatistics

/// A pair of samples with reference values from scipy 1.17:
/// `ttest_ind(a, b, equal_var=False)` (statistic, pvalue, df) and
/// `mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)`.
struct ComparisonReference: Sendable, CustomTestStringConvertible {
    var name: String
    var a: [Double]
    var b: [Double]
    var t, welchP, df: Double
    var u, mannWhitneyP: Double
    var testDescription: String { name }
}

let comparisonReferences: [ComparisonReference] = [
    ComparisonReference(
        name: "unequal variances",
        a: [0.62, 0.71, 0.55, 0.80, 0.67, 0.74, 0.59, 0.66],
        b: [0.51, 0.58, 0.49, 0.63, 0.55, 0.47, 0.60, 0.52, 0.56, 0.61, 0.50],
        t: 3.6362977226835826, welchP: 0.0037764268466114513, df: 11.248779688529499,
        u: 78.5, mannWhitneyP: 0.00497435582229675),
    ComparisonReference(
        name: "ties",
        a: [1, 2, 2, 3, 3, 3, 4], b: [2, 3, 3, 4, 4, 5],
        t: -1.6430704522880653, welchP: 0.13021943479282116, df: 10.401226679291549,
        u: 11.0, mannWhitneyP: 0.15778541051796502),
    ComparisonReference(
        name: "far apart",
        a: [10.1, 10.3, 9.9, 10.2, 10.0], b: [5.0, 5.2, 4.9, 5.1, 5.05],
        t: 58.31237718815222, welchP: 6.733076404303644e-11, df: 7.199999999999997,
        u: 25.0, mannWhitneyP: 0.012185780355344813),
]

@Suite("Comparisons between algorithms")
struct ComparisonTests {
    /// Tolerances: 1e-10 absolute on t, ν and U; 1e-10 relative on p-values (p spans 1e-10…0.2).
    @Test("Welch t-test matches scipy.stats.ttest_ind(equal_var=False)", arguments: comparisonReferences)
    func welch(_ ref: ComparisonReference) throws {
        let w = try WelchTTest(ref.a, ref.b)
        #expect(abs(w.t - ref.t) < 1e-10)
        #expect(abs(w.degreesOfFreedom - ref.df) < 1e-10)
        #expect(abs(w.pValue - ref.welchP) <= 1e-10 * ref.welchP)
        // Swapping the samples flips the sign of t and keeps ν and p.
        let swapped = try WelchTTest(ref.b, ref.a)
        #expect(abs(swapped.t + ref.t) < 1e-10)
        #expect(abs(swapped.pValue - ref.welchP) <= 1e-10 * ref.welchP)
    }

    @Test("Mann–Whitney U, probability of improvement and p match scipy", arguments: comparisonReferences)
    func mannWhitney(_ ref: ComparisonReference) throws {
        let mw = try MannWhitney(ref.a, ref.b)
        let nm = Double(ref.a.count * ref.b.count)
        #expect(abs(mw.u - ref.u) < 1e-10)
        #expect(abs(mw.probabilityOfImprovement - ref.u / nm) < 1e-12)
        #expect(abs(mw.pValue - ref.mannWhitneyP) <= 1e-10 * ref.mannWhitneyP)
        // P(A > B) + P(B > A) = 1 when ties count ½ each way.
        let reverse = try MannWhitney.probabilityOfImprovement(ref.b, ref.a)
        #expect(abs(mw.probabilityOfImprovement + reverse - 1) < 1e-12)
    }

    /// Brute-force count over all n·m pairs, ties ½ (rliable's definition).
    @Test("probability of improvement equals the pairwise count")
    func probabilityOfImprovementByCounting() throws {
        let a: [Double] = [0.3, 0.3, 0.9, 0.1, 0.5]
        let b: [Double] = [0.3, 0.2, 0.5, 0.5]
        var wins = 0.0
        for x in a { for y in b { wins += x > y ? 1 : (x == y ? 0.5 : 0) } }
        #expect(abs(try MannWhitney.probabilityOfImprovement(a, b) - wins / 20) < 1e-15)
        #expect(wins / 20 == 0.5)  // hand count: 8 wins + 4 ties·½ → 10/20
    }

    @Test("degenerate samples")
    func degenerate() throws {
        let same = try WelchTTest([1, 1, 1], [1, 1])
        #expect(same.t == 0 && same.pValue == 1)
        let apart = try WelchTTest([2, 2, 2], [1, 1])
        #expect(apart.t == .infinity && apart.pValue == 0)
        let allTied = try MannWhitney([4, 4], [4, 4, 4])
        #expect(allTied.probabilityOfImprovement == 0.5 && allTied.pValue == 1)
        #expect(throws: StatisticsError.tooFewObservations(needed: 2, got: 1, statistic: "Welch t-test")) {
            try WelchTTest([1], [1, 2])
        }
        #expect(throws: StatisticsError.nonFinite(statistic: "Mann–Whitney U")) {
            try MannWhitney([1, .nan], [1, 2])
        }
    }
}

@Suite("Holm adjustment")
struct HolmTests {
    /// Reference: p̃₍ᵢ₎ = max_{j≤i} min(1, (m−j+1)·p₍ⱼ₎) computed by hand in Python (the
    /// statsmodels "holm" definition); tolerance 1e-15.
    @Test("adjusted p-values match the step-down formula", arguments: [
        ([0.01, 0.04, 0.03, 0.005, 0.5], [0.04, 0.09, 0.09, 0.025, 0.5]),
        ([0.02, 0.02, 0.8, 0.3], [0.08, 0.08, 0.8, 0.6]),
        ([0.3, 0.001, 0.25], [0.5, 0.003, 0.5]),
        ([0.7], [0.7]),
    ])
    func reference(_ raw: [Double], _ expected: [Double]) throws {
        let adjusted = try MultipleComparisons.holm(raw)
        #expect(adjusted.count == expected.count)
        for (x, y) in zip(adjusted, expected) { #expect(abs(x - y) < 1e-15) }
    }

    @Test("adjusted values are capped at 1, no smaller than raw, and monotone in the raw order")
    func properties() throws {
        let raw = [0.2, 0.45, 0.01, 0.3, 0.9, 0.05, 0.3]
        let adjusted = try MultipleComparisons.holm(raw)
        #expect(adjusted.allSatisfy { $0 <= 1 })
        #expect(zip(raw, adjusted).allSatisfy { $0 <= $1 })
        #expect(adjusted.contains(1))  // 4·0.3 = 1.2 is capped
        for i in raw.indices { for j in raw.indices where raw[i] <= raw[j] { #expect(adjusted[i] <= adjusted[j]) } }
        #expect(try MultipleComparisons.holm([]).isEmpty)
        #expect(throws: StatisticsError.self) { try MultipleComparisons.holm([0.1, 1.5]) }
        #expect(throws: StatisticsError.self) { try MultipleComparisons.holm([.nan]) }
    }
}
