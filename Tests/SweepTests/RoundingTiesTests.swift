import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// tests.csv and summary.csv on samples equal up to rounding: the three exact methods
/// converged to the same π*_τ (final values one ulp apart) and tests.csv reported t = ±∞, p = 0.
struct RoundingTiesTests {
    static let spec = """
    {"name": "ties", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 1}, "seeds": 3,
     "algorithms": [{"id": "exact-only", "label": "a"}, {"id": "exact-only", "label": "b"},
                    {"id": "exact-only", "label": "c", "grid": {"eta": [0.1, 0.5]}}]}
    """
    static let x = 0.2731

    @Test func valuesOneUlpApartAreNotSignificant() throws {
        let spec = try testSpec(Self.spec)
        let (plans, records) = try AnalysisFixtures.records(spec) { label, config, _ in
            // a: x; b: x one ulp up; c: eta=0.1 one ulp below x (first point), eta=0.5 two ulps below.
            let v = label == "a" ? Self.x : label == "b" ? Self.x.nextUp
                : config == "eta=0.1" ? Self.x.nextDown : Self.x.nextDown.nextDown
            return .init(policy: [[1, 0, 0]], metrics: ["exploitability": v])
        }
        let rows = try AnalysisFixtures.rows(SignificanceTable.csv(AnalysisInput(spec: spec, plans: plans, records: records,
                                                                                 selection: .default)))
        // By hand: equal up to 1e-12 → t = 0, df = 3 + 3 − 2 = 4, p = 1, Holm p = 1, P(a > b) = ½.
        // c's configurations tie within the tolerance, so the earlier one (eta=0.1) is its best.
        for (a, b, configB) in [("a", "b", "default"), ("a", "c", "eta=0.1"), ("b", "c", "eta=0.1")] {
            func cell(_ column: String) -> String? {
                AnalysisFixtures.cell(rows, key: ["rps", "exploitability", a, "default", b, configB], column: column)
            }
            #expect(cell("t") == "0" && cell("df") == "4" && cell("p_value") == "1" && cell("p_holm") == "1", "\(a) vs \(b)")
            #expect(cell("prob_improvement") == "0.5", "\(a) vs \(b)")
        }
        let summary = try AnalysisFixtures.rows(Summaries.summaryCSV(spec: spec, plans: plans, records: records, bootstrapSamples: 100))
        #expect(AnalysisFixtures.cell(summary, key: ["rps", "a", "default", "exploitability"], column: "sd") == "0")
        #expect(AnalysisFixtures.cell(summary, key: ["rps", "a", "default", "exploitability"], column: "ci_low")
            == AnalysisFixtures.cell(summary, key: ["rps", "a", "default", "exploitability"], column: "mean"))
    }
}
