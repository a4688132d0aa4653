import AlignmentCore
import Foundation
import ResultFiles
import Testing
@testable import Sweep

struct SummariesTests {
    static let text = """
    {"name": "sum", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 10}, "seeds": 4,
     "algorithms": [{"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}}]}
    """

    /// Records whose final exploitability is `values[i]` for replicate i of the first configuration.
    static func records(_ spec: ExperimentSpec, _ plans: [RunPlan], values: [Double]) -> [String: RunRecord] {
        var out: [String: RunRecord] = [:]
        for p in plans where p.point == 0 {
            let v = values[p.replicate]
            out[p.runID] = RunRecord(
                runID: p.runID, fingerprint: p.fingerprint, status: .ok, error: nil, iterations: 10, queries: 0,
                finalMetrics: ["exploitability": v],
                curve: [CurvePoint(iteration: 0, queries: 0, metrics: ["exploitability": 2 * v], diagnostics: [:]),
                        CurvePoint(iteration: 10, queries: 4, metrics: ["exploitability": v], diagnostics: [:])],
                policy: [[1]], seconds: 0)
        }
        return out
    }

    /// Values 1, 2, 4, 7 by hand: mean 3.5, sd √7, sem √7/2, t_{0.975,3} = 3.1824463052837078
    /// (scipy.stats.t.ppf), CI 3.5 ∓ t·√7/2 = [−0.7099807422985158, 7.709980742298516], median 3,
    /// IQM = mean(2, 4) = 3, min 1, max 7. Tolerance 1e-12 (GSL's t quantile agrees with scipy to
    /// ~1e-15 relative).
    @Test func summaryRowMatchesHandComputedValues() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        let csv = try Summaries.summaryCSV(spec: spec, plans: plans, records: Self.records(spec, plans, values: [1, 2, 4, 7]),
                                           bootstrapSamples: 2000)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try csv.write(to: dir.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
        let rows = try readCSV(dir.appendingPathComponent("s.csv"))
        #expect(rows[0] == Summaries.summaryHeader)
        // Only metrics with values appear; the second configuration has no records at all.
        #expect(rows.count == 2)
        let r = rows[1]
        #expect(Array(r[0..<6]) == ["rps", "exact-only", "eta=0.1", "exploitability", "4", "0"])
        #expect(r.last == "")   // eval_tau: exploitability does not depend on τ
        let x = r[6..<(r.count - 1)].map { Double($0)! }
        let expected = [3.5, 7.0.squareRoot(), 7.0.squareRoot() / 2, -0.7099807422985158, 7.709980742298516, 3, 3]
        for (got, want) in zip(x[0..<7], expected) { #expect(abs(got - want) < 1e-12) }
        let (bootLow, bootHigh, minimum, maximum) = (x[7], x[8], x[9], x[10])
        #expect(minimum == 1 && maximum == 7)
        // The bootstrap interval of the mean lies within [min, max] and contains the mean.
        #expect(bootLow >= 1 && bootLow <= 3.5 && bootHigh >= 3.5 && bootHigh <= 7)
        // Stable: the seed derives from the group key, so a second computation is identical.
        let again = try Summaries.summaryCSV(spec: spec, plans: plans, records: Self.records(spec, plans, values: [1, 2, 4, 7]),
                                             bootstrapSamples: 2000)
        #expect(again == csv)
    }

    /// Curve summary at iteration 0 (values 2, 4, 8, 14) and 10 (1, 2, 4, 7): mean 7 and 3.5, CI
    /// mean ∓ 3.1824463052837078·sd/2 with sd = 2√7 and √7; queries mean 0 and 4.
    @Test func curveSummaryMatchesHandComputedValues() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        let csv = try Summaries.curveSummaryCSV(spec: spec, plans: plans, records: Self.records(spec, plans, values: [1, 2, 4, 7]))
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0] == Summaries.curveHeader)
        #expect(lines.count == 3)
        let t = 3.1824463052837078
        for (line, mean, sd, queries) in [(lines[1], 7.0, 2 * 7.0.squareRoot(), 0.0), (lines[2], 3.5, 7.0.squareRoot(), 4.0)] {
            #expect(Array(line[0..<4]) == ["rps", "exact-only", "eta=0.1", "exploitability"])
            #expect(line[5] == "4")
            #expect(abs(Double(line[6])! - mean) < 1e-12)
            #expect(abs(Double(line[7])! - (mean - t * sd / 2)) < 1e-12)
            #expect(abs(Double(line[8])! - (mean + t * sd / 2)) < 1e-12)
            #expect(Double(line[9])! == queries)
        }
        #expect(lines[1][4] == "0" && lines[2][4] == "10")
    }

    @Test func singleObservationLeavesSpreadBlank() throws {
        let spec = try testSpec(Self.text.replacingOccurrences(of: #""seeds": 4"#, with: #""seeds": 1"#))
        let plans = try GridExpansion.plan(spec)
        let csv = try Summaries.summaryCSV(spec: spec, plans: plans, records: Self.records(spec, plans, values: [0.25]),
                                           bootstrapSamples: 100)
        #expect(csv.split(separator: "\n")[1] == "rps,exact-only,eta=0.1,exploitability,1,0,0.25,,,,,0.25,0.25,,,0.25,0.25,")
    }

    @Test func csvQuotesOnlyWhenNeeded() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.cell(nil) == "")
        #expect(CSVWriter.cell(0.1) == "0.1")
        #expect(CSVWriter.cell(3.0) == "3")
    }
}
