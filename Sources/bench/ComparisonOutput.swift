import AlignmentCore
import Foundation
import ResultFiles
import Sweep

/// The three renderings of a `ResultComparison`: a readable table with the verdicts, CSV (one row
/// per group and metric, numbers in the result files' canonical form) and JSON (rows and verdicts).
enum ComparisonOutput {
    /// The CSV columns, in order.
    static let columns = ["environment", "algorithm", "config", "metric", "direction", "runs", "identical", "only_a", "only_b",
                          "n", "mean_a", "mean_b", "mean_diff", "ci_low", "ci_high", "t", "df", "p_value", "p_holm", "outcome"]

    /// The cells of one row, in `columns` order (numbers canonical, empty when not applicable).
    static func cells(_ r: ResultComparison.Row) -> [String] {
        let n = { (x: Double?) in x.map(CanonicalNumber.format) ?? "" }
        let t = r.test
        return [r.environment, r.algorithm, r.config, r.metric.id, r.metric.direction.rawValue, String(r.runs), String(r.identical),
                String(r.onlyA), String(r.onlyB), String(r.pairs), n(r.meanA), n(r.meanB), n(t?.meanDifference), n(t?.ciLow),
                n(t?.ciHigh), n(t?.t), n(t?.degreesOfFreedom), n(t?.pValue), n(r.pHolm), r.outcome.rawValue]
    }

    /// RFC 4180 CSV with a header row.
    static func csv(_ c: ResultComparison) -> String {
        ([columns] + c.rows.map(cells)).map { $0.map(CSVWriter.escape).joined(separator: ",") + "\n" }.joined()
    }

    /// A JSON object: a, b, runs, alpha, confidence, rows (one object per row, keys as the CSV
    /// columns, numbers as numbers, null when not applicable, an infinite t as the string "inf" or
    /// "-inf"), verdicts.
    static func json(_ c: ResultComparison) -> String {
        func number(_ x: Double?) -> JSONValue {
            guard let x else { return .null }
            return x.isFinite ? .number(x) : .string(CanonicalNumber.format(x))
        }
        let rows: [JSONValue] = c.rows.map { r in
            let t = r.test
            let values: [JSONValue] = [
                .string(r.environment), .string(r.algorithm), .string(r.config), .string(r.metric.id),
                .string(r.metric.direction.rawValue), .integer(r.runs), .integer(r.identical), .integer(r.onlyA), .integer(r.onlyB),
                .integer(r.pairs), number(r.meanA), number(r.meanB), number(t?.meanDifference), number(t?.ciLow), number(t?.ciHigh),
                number(t?.t), number(t?.degreesOfFreedom), number(t?.pValue), number(r.pHolm), .string(r.outcome.rawValue),
            ]
            return .object(zip(columns, values).map { JSONMember($0, $1) })
        }
        let verdicts: [JSONValue] = c.verdicts.map { v in
            .object([
                JSONMember("algorithm", .string(v.algorithm)), JSONMember("verdict", .string(v.kind.rawValue)),
                JSONMember("better", .array(v.better.map(JSONValue.string))), JSONMember("worse", .array(v.worse.map(JSONValue.string))),
                JSONMember("differing", .array(v.differing.map(JSONValue.string))), JSONMember("runs", .integer(v.runs)),
                JSONMember("failed_in_b_only", .integer(v.failedInBOnly)), JSONMember("failed_in_a_only", .integer(v.failedInAOnly)),
                JSONMember("text", .string(v.text)),
            ])
        }
        return JSONValue.object([
            JSONMember("a", .string(c.displayA)), JSONMember("b", .string(c.displayB)), JSONMember("runs", .integer(c.runs)),
            JSONMember("alpha", .number(ResultComparison.alpha)), JSONMember("confidence", .number(ResultComparison.confidence)),
            JSONMember("rows", .array(rows)), JSONMember("verdicts", .array(verdicts)),
        ]).prettyText
    }

    /// The readable table: a heading line, one aligned row per group and metric, then the verdicts.
    static func table(_ c: ResultComparison) -> String {
        var out = "A = \(c.displayA), B = \(c.displayB): \(c.runs) runs of one plan; B − A per run, paired over seeds "
            + "(95% t interval, paired t-test, p Holm-adjusted over each algorithm's differing rows)\n\n"
        let s = ResultComparison.short
        let header = ["environment", "algorithm", "config", "metric", "runs", "identical", "n", "B − A", "95% CI", "t", "p", "Holm p", "outcome"]
        let body: [[String]] = c.rows.map { r in
            let t = r.test
            return [r.environment, r.algorithm, r.config, r.metric.id, String(r.runs), String(r.identical), String(r.pairs),
                    t.map { s($0.meanDifference) } ?? "", t.map { "[\(s($0.ciLow)), \(s($0.ciHigh))]" } ?? "",
                    t.map { s($0.t) } ?? "", t.map { s($0.pValue) } ?? "", r.pHolm.map(s) ?? "", r.outcome.rawValue]
        }
        out += textTable([header] + body)
        out += "\nVerdicts (B against A; better/worse: Holm-adjusted p < \(CanonicalNumber.format(ResultComparison.alpha)) in the metric's direction):\n"
        for v in c.verdicts { out += v.text + "\n" }
        return out
    }
}
