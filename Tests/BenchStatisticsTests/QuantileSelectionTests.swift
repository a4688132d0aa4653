import CGSL
import Testing
@testable import BenchStatistics

/// `Descriptive.quantile(selectingFrom:_:)` must return what GSL's sorted-data quantile returns,
/// bit for bit: the bootstrap intervals in summary.csv did not change when the sort was replaced
/// by selection.
@Suite("Quantile by selection")
struct QuantileSelectionTests {
    /// Seeded data of several sizes; heavy ties when `levels` is small.
    static func data(n: Int, levels: Int, seed: UInt64) -> [Double] {
        var state = seed &+ 0x9e37_79b9_7f4a_7c15
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            return levels > 0 ? (u * Double(levels)).rounded(.down) / Double(levels) : u * 2 - 1
        }
    }

    static let cases: [(n: Int, levels: Int, seed: UInt64)] = [
        (1, 0, 1), (2, 0, 2), (3, 2, 3), (10, 0, 4), (11, 3, 5), (997, 0, 6), (10_000, 0, 7), (10_000, 5, 8),
    ]

    @Test("equals gsl_stats_quantile_from_sorted_data on the sorted copy (bitwise)",
          arguments: cases, [0.0, 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975, 1.0])
    func matchesSortedQuantile(_ c: (n: Int, levels: Int, seed: UInt64), _ f: Double) {
        let values = Self.data(n: c.n, levels: c.levels, seed: c.seed)
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, c.n) }
        let expected = sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, c.n, f) }
        var scratch = values
        let got = Descriptive.quantile(selectingFrom: &scratch, f)
        #expect(got.bitPattern == expected.bitPattern, "n=\(c.n) levels=\(c.levels) seed=\(c.seed) f=\(f): \(got) vs \(expected)")
        // Only the order changed.
        scratch.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, c.n) }
        #expect(scratch == sorted)
    }

    /// numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [2.5, 50, 97.5]) = [1.0, 3.5, 8.475] (linear method).
    @Test("numpy's linear percentile on a hand-checked sample")
    func numpyValues() {
        var x: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        #expect(Descriptive.quantile(selectingFrom: &x, 0.025) == 1.0)
        #expect(Descriptive.quantile(selectingFrom: &x, 0.5) == 3.5)
        #expect(abs(Descriptive.quantile(selectingFrom: &x, 0.975) - 8.475) <= 1e-12)
    }
}
