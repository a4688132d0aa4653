import Foundation
import Testing
@testable import ResultFiles

/// Each result file's header comes from its schema; the expected headers are the documented
/// layouts (docs/ARCHITECTURE.md "Result files"), written out literally.
struct SchemaTests {
    @Test func headers() {
        #expect(RunsFile.header(extra: ["m"]) == ["run_id", "environment", "algorithm", "config", "seed", "rng_seed", "status",
                                                  "error", "iterations", "queries", "eval_tau", "m"])
        #expect(ParametersFile.header() == ["run_id", "parameter", "value"])
        #expect(CurvesFile.header(extra: ["m", "d"]) == ["run_id", "iteration", "queries", "m", "d"])
        #expect(PoliciesFile.header() == ["run_id", "context", "action", "probability"])
        #expect(TimingsFile.header() == ["run_id", "seconds"])
        #expect(SummaryFile.header() == ["environment", "algorithm", "config", "metric", "n", "failed", "mean", "sd", "sem",
                                         "ci_low", "ci_high", "median", "iqm", "boot_low", "boot_high", "min", "max", "eval_tau"])
        #expect(CurveSummaryFile.header() == ["environment", "algorithm", "config", "metric", "iteration", "n", "mean", "ci_low",
                                              "ci_high", "queries", "eval_tau"])
        #expect(PairwiseFile.header() == ["environment", "algorithm_a", "config_a", "algorithm_b", "config_b", "n", "mean",
                                          "ci_low", "ci_high", "sd", "boot_low", "boot_high"])
        #expect(TestsFile.header() == ["environment", "metric", "algorithm_a", "config_a", "algorithm_b", "config_b", "n_a",
                                       "n_b", "mean_a", "mean_b", "t", "df", "p_value", "p_holm", "prob_improvement",
                                       "eval_tau_a", "eval_tau_b"])
        #expect(FrontierFile.header() == ["environment", "beta", "kl", "reward"])
        #expect(AggregatesFile.header() == ["metric", "eval_tau", "direction", "normalization", "statistic", "algorithm",
                                            "opponent", "threshold", "environments", "runs", "estimate", "boot_low", "boot_high"])
    }

    /// Columns are found by name whatever their position; a missing one is named; an optional
    /// one reads as "".
    @Test func lookUpThroughTheSchema() throws {
        let csv = try CSVReader(text: "probability,run_id,action,context\n0.5,abc,1,0\n", path: "p.csv")
        let reader = try ResultFileReader<PoliciesFile>(csv)
        let row = try #require(try reader.next())
        #expect(row[.runID] == "abc")
        #expect(row[.probability] == "0.5")
        #expect(try row.integer(.action) == 1)
        #expect(throws: ResultFilesError.missingColumn(path: "p.csv", column: "action", header: ["run_id", "context"])) {
            try ResultFileReader<PoliciesFile>(CSVReader(text: "run_id,context\n", path: "p.csv"))
        }
        let old = try ResultFileReader<CurveSummaryFile>(CSVReader(
            text: CurveSummaryFile.header().dropLast().joined(separator: ",") + "\ne,a,default,m,1,2,0.5,,,3\n", path: "c.csv"))
        #expect(try old.next()?[.evalTau] == "")
    }

    /// Number cells: strict reading restores nan/inf and rejects text; `finite` drops non-finite
    /// values (and rejects text just as strictly).
    @Test(arguments: [("0.25", 0.25, 0.25), ("1e-12", 1e-12, 1e-12), ("", nil, nil), ("inf", Double.infinity, nil)] as [(String, Double?, Double?)])
    func numbers(_ cell: String, _ strict: Double?, _ finite: Double?) throws {
        let row = try #require(try ResultFileReader<TimingsFile>(CSVReader(text: "run_id,seconds\nr,\(cell)\n", path: "t.csv")).next())
        #expect(try row.number(.seconds) == strict)
        #expect(try row.finite(.seconds) == finite)
    }

    @Test func badNumberIsNamed() throws {
        let row = try #require(try ResultFileReader<TimingsFile>(CSVReader(text: "run_id,seconds\nr,ok\n", path: "t.csv")).next())
        #expect(throws: ResultFilesError.badCell(path: "t.csv", line: 2, column: "seconds", cell: "ok", expected: "a number")) {
            try row.number(.seconds)
        }
        #expect(throws: ResultFilesError.badCell(path: "t.csv", line: 2, column: "seconds", cell: "ok", expected: "a number")) {
            try row.finite(.seconds)
        }
    }

    /// No empty configuration key: an algorithm without a grid gets "default".
    @Test func configurationKey() {
        #expect(ConfigurationKey.key([]) == "default")
        #expect(ConfigurationKey.key([("beta", "0.1"), ("eta", "[0,0.7]")]) == "beta=0.1 eta=[0,0.7]")
    }
}
