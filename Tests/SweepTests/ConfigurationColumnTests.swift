import AlignmentCore
import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// The configuration key and the long parameters table after a real sweep (`SweepRunnerTests.text`:
/// exact-only with a grid over η ∈ {0.1, 0.5} and τ = 0.1 fixed; label-spender without a grid,
/// per_iteration = 3; 2 environments × 3 seeds). Expected values are written out from that spec.
struct ConfigurationColumnTests {
    /// Every table with a configuration column has a non-empty key in every row: an algorithm
    /// without a grid (and the reference μ) is "default" (pandas reads an empty cell as NaN and
    /// drops the group from a groupby).
    @Test func noEmptyConfigCellInAnyTable() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunnerTests.run(spec, in: dir, jobs: 2)
        // Every key a table writes: (algorithm column, config column) pairs per file.
        let keyed: [(String, [(String, String)])] = [
            ("runs.csv", [("algorithm", "config")]), ("summary.csv", [("algorithm", "config")]),
            ("curve_summary.csv", [("algorithm", "config")]),
            ("pairwise.csv", [("algorithm_a", "config_a"), ("algorithm_b", "config_b")]),
            ("tests.csv", [("algorithm_a", "config_a"), ("algorithm_b", "config_b")]),
        ]
        // The keys each label may have: its grid's points, "default" without a grid.
        let allowed: [String: Set<String>] = ["exact-only": ["eta=0.1", "eta=0.5"], "label-spender": ["default"],
                                              "reference": ["default"]]
        for (file, columns) in keyed {
            let rows = try readCSV(dir.appendingPathComponent(file))
            #expect(rows.count > 1, "\(file) has no rows")
            var seen: Set<String> = []
            for (algorithmColumn, configColumn) in columns {
                let a = try #require(rows[0].firstIndex(of: algorithmColumn)), c = try #require(rows[0].firstIndex(of: configColumn))
                for row in rows.dropFirst() {
                    #expect(!row[c].isEmpty, "\(file) \(configColumn) empty for \(row[a])")
                    #expect(allowed[row[a]]?.contains(row[c]) == true, "\(file): \(row[a]) has config \"\(row[c])\"")
                    seen.insert(row[a])
                }
            }
            // Both labels appear: the algorithm without a grid is not dropped.
            #expect(seen.contains("label-spender") && seen.contains("exact-only"), "\(file): \(seen.sorted())")
        }
        // runs.csv: 2 environments × (2 grid points + 1) × 3 seeds = 18 rows; 6 of them "default".
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let c = runs[0].firstIndex(of: "config")!
        #expect(runs.count - 1 == 18)
        #expect(runs.dropFirst().filter { $0[c] == "default" }.count == 6)
        #expect(runs.dropFirst().filter { $0[c] == "eta=0.1" }.count == 6)
    }

    /// parameters.csv has one row per (run, resolved hyperparameter) in the plugin's declared
    /// order — defaults and fixed values included — and joins runs.csv on run_id.
    @Test func parametersTableIsLongAndComplete() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunnerTests.run(spec, in: dir, jobs: 1)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let parameters = try readCSV(dir.appendingPathComponent("parameters.csv"))
        #expect(parameters[0] == ["run_id", "parameter", "value"])
        // exact-only: eta, tau (12 runs × 2 rows); label-spender: per_iteration (6 runs × 1 row).
        #expect(parameters.count - 1 == 12 * 2 + 6)
        var byRun: [String: [[String]]] = [:]
        for row in parameters.dropFirst() { byRun[row[0], default: []].append(Array(row[1...])) }
        let (id, a, c) = (runs[0].firstIndex(of: "run_id")!, runs[0].firstIndex(of: "algorithm")!, runs[0].firstIndex(of: "config")!)
        for run in runs.dropFirst() {
            let expected: [[String]]
            switch (run[a], run[c]) {
            case ("exact-only", "eta=0.1"): expected = [["eta", "0.1"], ["tau", "0.1"]]
            case ("exact-only", "eta=0.5"): expected = [["eta", "0.5"], ["tau", "0.1"]]
            case ("label-spender", "default"): expected = [["per_iteration", "3"]]
            default: Issue.record("unexpected run \(run[a]) \(run[c])"); continue
            }
            #expect(byRun[run[id]] == expected, "\(run[id])")
        }
    }

    /// List values are JSON in configuration keys and parameters.csv (the syntax a spec takes),
    /// strings inside lists quoted; run keys keep "[a;b]" so existing run ids stay valid.
    @Test(arguments: [
        (ParameterValue.array([.number(0), .number(0.7), .number(0.8)]), "[0,0.7,0.8]", "[0;0.7;0.8]"),
        (.array([.string("a b"), .string("q\"")]), #"["a b","q\""]"#, "[a b;q\"]"),
        (.array([]), "[]", "[]"),
        (.array([.bool(true), .number(1e-5)]), "[true,1e-05]", "[true;1e-05]"),
        (.string("sigmoid"), "sigmoid", "sigmoid"),
        (.number(5), "5", "5"),
    ])
    func valueTexts(_ value: ParameterValue, _ json: String, _ key: String) {
        #expect(value.description == json)
        #expect(value.keyText == key)
    }
}
