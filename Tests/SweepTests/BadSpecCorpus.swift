import AlignmentCore
import Foundation
@testable import Sweep

/// The corpus of invalid specs (issue 6): every way a spec or a `matrix` file can be wrong, each
/// with its exact one-line message and its exit-status class. Together with
/// `SpecValidationTests.cases` (30 more) and the CLI's file-level cases it covers syntax, types,
/// unknown keys (with "did you mean"), missing keys, out-of-range and non-finite numbers, empty and
/// absurdly large grids, duplicate ids, unknown algorithm/environment/metric, unsupported feedback,
/// bad matrix files and unusable paths.
enum BadSpecCorpus {
    typealias S = SpecValidationTests

    /// One corpus entry.
    struct Case: Sendable, CustomStringConvertible {
        /// What the entry exercises (shown by the test runner).
        var name: String
        /// The spec text.
        var text: String
        /// The exact message.
        var message: String
        /// The exit status class.
        var code: BenchExitCode
        /// The size limits to parse with (`.forced` for the --force cases).
        var limits: SpecLimits = .standard
        var description: String { name }
    }

    /// A temporary directory with the matrix files the corpus names (absolute paths), removed when
    /// the test process exits.
    static let matrixDirectory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bad-spec-corpus-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = [
            "asymmetric.csv": "0.5,0.7\n0.7,0.5\n",
            "ragged.csv": "0.5,0.5,0.5\n0.5,0.5\n",
            "outside.json": #"{"preference": [[0.5, 1.5], [-0.5, 0.5]]}"#,
            "word.csv": "0.5,x\n0.5,0.5\n",
            "typo.json": #"{"preferences": [[0.5, 0.5], [0.5, 0.5]]}"#,
            "diagonal.csv": "0.4,0.5\n0.5,0.5\n",
            "badref.json": #"{"preference": [[0.5, 0.5], [0.5, 0.5]], "reference": [0.5, -0.5]}"#,
            "good.csv": "0.5,0.75\n0.25,0.5\n",
            "single.csv": "0.5\n",
            "single.json": #"{"preference": [[[0.5]], [[0.5]]], "reward": [[1], [2]]}"#,
            // Security corpus (BadSpecCorpus+Security.swift): oversized and foreign files.
            "wide.csv": "# 5000 actions\n" + Array(repeating: "0.5", count: 5000).joined(separator: ",") + "\n",
            "wide.json": #"{"preference": [[ "# + Array(repeating: "0.5", count: 4097).joined(separator: ", ") + "]]}",
            "shadow": "root:$6$s3cr3tSALT$Zm9vYmFyYmF6:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
            "secret.json": #"{"password": "hunter2"}"#,
            "secretvalue.json": #"{"preference": [["hunter2-token"]]}"#,
        ]
        for (name, text) in files { try? text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("folder.csv"), withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: BadSpecCorpus.matrixDirectory) }  // nothing left in the system's tmp
        return dir
    }()

    static func matrix(_ name: String) -> String { matrixDirectory.appendingPathComponent(name).path }

    /// A grid axis of `n` distinct values (0.001, 0.002, …).
    static func axis(_ n: Int) -> String { "[" + (1...n).map { "\(Double($0) / 1000)" }.joined(separator: ", ") + "]" }

    static let matrixHint = "values accepted by environment kind \"matrix\" (see `bench describe matrix`)"
    static let exactOnly = #"[{"id": "exact-only"}]"#

    static var cases: [Case] { generalCases + securityCases }

    static var generalCases: [Case] {
        [
            // JSON syntax and non-finite numbers
            Case(name: "number beyond a double", text: S.spec(top: #" "tau": 1e999,"#), message: #"spec.json:2:26: invalid JSON: number 1e999 is out of the range of a double"#, code: .invalidSpec),
            Case(name: "number below the smallest double", text: S.spec(algorithms: #"[{"id": "exact-only", "params": {"eta": 1e-400}}]"#), message: #"spec.json:5:57: invalid JSON: number 1e-400 is too small for a double (it would be 0)"#, code: .invalidSpec),
            Case(name: "NaN literal", text: S.spec(top: #" "tau": NaN,"#), message: #"spec.json:2:26: invalid JSON: NaN and Infinity are not JSON numbers; use a finite number"#, code: .invalidSpec),
            Case(name: "Infinity literal", text: S.spec(top: #" "tau": Infinity,"#), message: #"spec.json:2:26: invalid JSON: NaN and Infinity are not JSON numbers; use a finite number"#, code: .invalidSpec),
            Case(name: "negative Infinity", text: S.spec(top: #" "tau": -Infinity,"#), message: #"spec.json:2:26: invalid JSON: NaN and Infinity are not JSON numbers; use a finite number"#, code: .invalidSpec),
            Case(name: "nesting beyond the depth limit", text: #"{"name": "tiny", "description": "# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}", message: #"spec.json:1:96: invalid JSON: nesting is deeper than 64 levels"#, code: .invalidSpec),
            Case(name: "truncated document", text: String(S.spec().dropLast(12)), message: #"spec.json:5:82: invalid JSON: invalid number: expected a digit after '.'"#, code: .invalidSpec),
            Case(name: "raw tab in a string", text: S.spec(top: " \"description\": \"a\tb\","), message: #"spec.json:2:36: invalid JSON: control character in a string (escape it, e.g. \n)"#, code: .invalidSpec),
            Case(name: "lone surrogate escape", text: S.spec(top: #" "description": "\ud800","#), message: #"spec.json:2:35: invalid JSON: unpaired surrogate in a \u escape"#, code: .invalidSpec),
            Case(name: "single-quoted string", text: S.spec(top: #" "description": 'x',"#), message: #"spec.json:2:34: invalid JSON: strings must use double quotes"#, code: .invalidSpec),
            Case(name: "byte order mark", text: "\u{FEFF}" + S.spec(), message: #"spec.json:1:1: invalid JSON: the file starts with a byte order mark (U+FEFF); save it as UTF-8 without one"#, code: .invalidSpec),
            Case(name: "duplicate key inside an environment", text: S.spec(environments: #"[{"id": "rps", "kind": "cyclic", "id": "b"}]"#), message: #"spec.json:3:52: invalid JSON: duplicate key "id""#, code: .invalidSpec),
            // types
            Case(name: "top level is an array", text: "[1, 2]", message: #"spec.json: $: expected an object, got array; allowed: an object with keys \#(S.topKeys)"#, code: .invalidSpec),
            Case(name: "empty object", text: "{}", message: #"spec.json: $: missing required key "name"; allowed: \#(S.topKeys)"#, code: .invalidSpec),
            Case(name: "name is a number", text: S.spec().replacingOccurrences(of: #""tiny""#, with: "42"), message: #"spec.json: $.name: expected a string, got number; allowed: a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.'"#, code: .invalidSpec),
            Case(name: "environments is an object", text: S.spec(environments: #"{"id": "rps", "kind": "cyclic"}"#), message: #"spec.json: $.environments: expected an array, got object; allowed: a non-empty array of environment objects"#, code: .invalidSpec),
            Case(name: "preference model in exact feedback", text: S.spec(algorithms: #"[{"id": "nash-md-pg", "params": {"preference": "model"}}]"#), message: #"spec.json: $.algorithms[0]: preference "model" learns from labels and needs sampled feedback; use preference "environment" in exact feedback; allowed: hyperparameters that algorithm "nash-md-pg" accepts in exact feedback (see `bench describe nash-md-pg`)"#, code: .invalidSpec),
            Case(name: "preference model on one grid point in exact feedback", text: S.spec(algorithms: #"[{"id": "nash-md", "grid": {"preference": ["environment", "model"]}}]"#), message: #"spec.json: $.algorithms[0]: grid point preference=model: preference "model" learns from labels and needs sampled feedback; use preference "environment" in exact feedback; allowed: hyperparameters that algorithm "nash-md" accepts in exact feedback (see `bench describe nash-md`)"#, code: .invalidSpec),
            Case(name: "algorithms is a string", text: S.spec(algorithms: #""exact-only""#), message: #"spec.json: $.algorithms: expected an array, got string; allowed: a non-empty array of algorithm objects"#, code: .invalidSpec),
            Case(name: "budget is an array", text: S.spec(budget: "[10]"), message: #"spec.json: $.budget: expected an object, got array; allowed: an object with keys iterations, queries"#, code: .invalidSpec),
            Case(name: "seeds is a boolean", text: S.spec(top: #" "seeds": true,"#), message: #"spec.json: $.seeds: expected an integer, got boolean; allowed: an integer in [1, 100000]"#, code: .invalidSpec),
            Case(name: "tau is a string", text: S.spec(top: #" "tau": "0.1","#), message: #"spec.json: $.tau: expected a number, got string; allowed: a number in [0, ∞)"#, code: .invalidSpec),
            Case(name: "negative seed", text: S.spec(top: #" "seed": -1,"#), message: #"spec.json: $.seed: -1 is not a non-negative integer; allowed: an integer in [0, 18446744073709551615]"#, code: .invalidSpec),
            Case(name: "seed beyond 64 bits", text: S.spec(top: #" "seed": 18446744073709551616,"#), message: #"spec.json: $.seed: 18446744073709551616 is not a non-negative integer; allowed: an integer in [0, 18446744073709551615]"#, code: .invalidSpec),
            Case(name: "fractional seed", text: S.spec(top: #" "seed": 1.5,"#), message: #"spec.json: $.seed: 1.5 is not a non-negative integer; allowed: an integer in [0, 18446744073709551615]"#, code: .invalidSpec),
            Case(name: "params is an array", text: S.spec(algorithms: #"[{"id": "exact-only", "params": [0.1]}]"#), message: #"spec.json: $.algorithms[0].params: expected an object, got array; allowed: an object of hyperparameter values"#, code: .invalidSpec),
            Case(name: "grid axis is a number", text: S.spec(algorithms: #"[{"id": "exact-only", "grid": {"eta": 0.1}}]"#), message: #"spec.json: $.algorithms[0].grid.eta: expected an array, got number; allowed: a non-empty array of values, each a number in (0, ∞)"#, code: .invalidSpec),
            Case(name: "feedback is a number", text: S.spec(top: #" "feedback": 1,"#), message: #"spec.json: $.feedback: expected a string, got number; allowed: "exact", "sampled""#, code: .invalidSpec),
            Case(name: "figure by is a string", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "by": "algorithm"}],"#), message: #"spec.json: $.figures[0].by: expected an array, got string; allowed: an array of "environment", "algorithm""#, code: .invalidSpec),
            Case(name: "label_noise is a string", text: S.spec(environments: #"[{"id": "rps", "kind": "cyclic", "label_noise": "low"}]"#), message: #"spec.json: $.environments[0].label_noise: expected a number, got string; allowed: a number in [0, 0.5]"#, code: .invalidSpec),
            Case(name: "environment parameter of the wrong type", text: S.spec(environments: #"[{"id": "rps", "kind": "cyclic", "actions": "three"}]"#), message: #"spec.json: $.environments[0].actions: expected an integer, got string; allowed: an integer in [2, 4096]"#, code: .invalidSpec),
            // unknown and missing keys
            Case(name: "budget key typo", text: S.spec(budget: #"{"iteration": 10}"#), message: #"spec.json: $.budget.iteration: unknown key "iteration" (did you mean "iterations"?); allowed: iterations, queries"#, code: .invalidSpec),
            Case(name: "algorithm key typo", text: S.spec(algorithms: #"[{"id": "exact-only", "parms": {"eta": 0.1}}]"#), message: #"spec.json: $.algorithms[0].parms: unknown key "parms" (did you mean "params"?); allowed: id, label, feedback, params, grid, policy_class"#, code: .invalidSpec),
            Case(name: "reference key typo", text: S.spec(top: #" "reference": {"kind": "softmax-normal", "scael": 2},"#), message: #"spec.json: $.reference.scael: unknown key "scael" (did you mean "scale"?); allowed: kind, scale, seed"#, code: .invalidSpec),
            Case(name: "figure key typo", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "log-y": true}],"#), message: #"spec.json: $.figures[0].log-y: unknown key "log-y" (did you mean "log_y"?); allowed: id, kind, metric, x, log_x, log_y, guides, by, opponents, normalize, environments, algorithms, title"#, code: .invalidSpec),
            Case(name: "environment without id", text: S.spec(environments: #"[{"kind": "cyclic"}]"#), message: #"spec.json: $.environments[0]: missing required key "id"; allowed: \#(S.cyclicKeys)"#, code: .invalidSpec),
            Case(name: "figure without metric", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars"}],"#), message: #"spec.json: $.figures[0]: missing required key "metric"; allowed: id, kind, metric, x, log_x, log_y, guides, by, opponents, normalize, environments, algorithms, title"#, code: .invalidSpec),
            Case(name: "spec without name", text: S.spec().replacingOccurrences(of: #""name": "tiny","#, with: ""), message: #"spec.json: $: missing required key "name"; allowed: \#(S.topKeys)"#, code: .invalidSpec),
            Case(name: "reference without kind", text: S.spec(top: #" "reference": {"scale": 1},"#), message: #"spec.json: $.reference: missing required key "kind"; allowed: uniform, softmax-normal, given"#, code: .invalidSpec),
            // out-of-range numbers
            Case(name: "negative tau", text: S.spec(top: #" "tau": -0.1,"#), message: #"spec.json: $.tau: -0.1 is out of range; allowed: a number in [0, ∞)"#, code: .invalidSpec),
            Case(name: "zero contexts", text: S.spec(environments: #"[{"id": "rps", "kind": "cyclic", "contexts": 0}]"#), message: #"spec.json: $.environments[0].contexts: 0 is out of range; allowed: an integer in [1, 100000]"#, code: .invalidSpec),
            Case(name: "too many seeds", text: S.spec(top: #" "seeds": 100001,"#), message: #"spec.json: $.seeds: 100001 is out of range; allowed: an integer in [1, 100000]"#, code: .invalidSpec),
            Case(name: "too many iterations", text: S.spec(budget: #"{"iterations": 1000000001}"#), message: #"spec.json: $.budget.iterations: 1000000001 is out of range; allowed: an integer in [1, 1000000000]"#, code: .invalidSpec),
            Case(name: "zero query budget", text: S.spec(budget: #"{"iterations": 10, "queries": 0}"#), message: #"spec.json: $.budget.queries: 0 is out of range; allowed: an integer ≥ 1"#, code: .invalidSpec),
            Case(name: "negative given reference", text: S.spec(top: #" "reference": {"kind": "given", "probabilities": [0.5, -0.5, 1]},"#), message: #"spec.json: $.reference.probabilities[1]: -0.5 is out of range; allowed: a number in [0, ∞)"#, code: .invalidSpec),
            Case(name: "environment strength out of range", text: S.spec(environments: #"[{"id": "rps", "kind": "cyclic", "strength": 2}]"#), message: #"spec.json: $.environments[0].strength: value 2 is out of range; allowed: a number in (0, 1]"#, code: .invalidSpec),
            // empty and absurdly large grids
            Case(name: "no algorithms", text: S.spec(algorithms: "[]"), message: #"spec.json: $.algorithms: no algorithms; allowed: a non-empty array of algorithm objects"#, code: .invalidSpec),
            Case(name: "too many runs from seeds", text: S.spec(top: #" "seeds": 100000,"#, environments: #"[{"id": "a", "kind": "cyclic"}, {"id": "b", "kind": "cyclic"}]"#, algorithms: exactOnly), message: #"spec.json: $.algorithms: the spec expands to 200000 runs (1 configuration × 2 environments × 100000 seeds), more than the limit of 100000; allowed: at most 100000 runs (check the grid, or pass --force to allow up to 10000000)"#, code: .tooLarge),
            Case(name: "too many grid points", text: S.spec(algorithms: #"[{"id": "exact-only", "params": {"tau": 0}, "grid": {"eta": "# + axis(1000) + #", "tau": "# + axis(1000) + "}}]"), message: #"spec.json: $.algorithms: the spec expands to 1000000 runs (1000000 configurations × 1 environment × 1 seed), more than the limit of 100000; allowed: at most 100000 runs (check the grid, or pass --force to allow up to 10000000)"#, code: .tooLarge),
            Case(name: "too many runs even with --force", text: S.spec(top: #" "seeds": 100000,"#, algorithms: #"[{"id": "exact-only", "grid": {"eta": "# + axis(101) + "}}]"), message: #"spec.json: $.algorithms: the spec expands to 10100000 runs (101 configurations × 1 environment × 100000 seeds), more than the limit of 10000000; allowed: at most 10000000 runs, the most one sweep can hold (split the experiment into several specs)"#, code: .tooLarge, limits: .forced),
            Case(name: "too many checkpoints in total", text: S.spec(top: #" "seeds": 300, "record_every": 100,"#, budget: #"{"iterations": 1000000}"#, algorithms: exactOnly), message: #"spec.json: $.record_every: the spec records 3000300 checkpoints (300 runs × 10001 per run), more than the limit of 2000000; allowed: at most 2000000 checkpoints (raise record_every, or pass --force to allow up to 100000000)"#, code: .tooLarge),
            Case(name: "too many checkpoints per run", text: S.spec(top: #" "record_every": 1,"#, budget: #"{"iterations": 2000000}"#, algorithms: exactOnly), message: #"spec.json: $.record_every: each run would record 2000001 checkpoints (2000000 iterations, record_every 1); allowed: at most 1000001 checkpoints per run (record_every ≥ 2)"#, code: .invalidSpec),
            Case(name: "environment too large", text: S.spec(environments: #"[{"id": "big", "kind": "cyclic", "actions": 1000, "contexts": 100}]"#), message: #"spec.json: $.environments[0].contexts: 100 contexts × 1000² actions = 100000000 preference entries; allowed: at most 16777216 entries per environment (at most 16 contexts of 1000 actions)"#, code: .invalidSpec),
            // duplicates
            Case(name: "duplicate figure id", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability"}, {"id": "f", "kind": "bars", "metric": "kl_to_reference"}],"#), message: #"spec.json: $.figures[1].id: duplicate figure id "f" (also at $.figures[0]); allowed: unique ids"#, code: .invalidSpec),
            Case(name: "duplicate grouping", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "by": ["algorithm", "algorithm"]}],"#), message: #"spec.json: $.figures[0].by[1]: duplicate "algorithm"; allowed: an array of "environment", "algorithm""#, code: .invalidSpec),
            Case(name: "duplicate label after an explicit label", text: S.spec(algorithms: #"[{"id": "exact-only", "label": "a"}, {"id": "failing", "label": "a"}]"#), message: #"spec.json: $.algorithms[1].label: duplicate algorithm label "a" (also at $.algorithms[0]); allowed: unique labels (set "label" to tell entries with the same id apart)"#, code: .invalidSpec),
            // unknown names
            Case(name: "unknown frontier x metric", text: S.spec(top: #" "figures": [{"id": "f", "kind": "frontier", "metric": "true_reward", "x": "kl"}],"#), message: #"spec.json: $.figures[0].x: unknown metric "kl"; allowed: \#(Metric.ids.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "unknown algorithm label in a figure", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "algorithms": ["exact"]}],"#), message: #"spec.json: $.figures[0].algorithms[0]: unknown value "exact"; allowed: "exact-only""#, code: .invalidSpec),
            Case(name: "unknown environment in a figure", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "environments": ["rsp"]}],"#), message: #"spec.json: $.figures[0].environments[0]: unknown value "rsp" (did you mean "rps"?); allowed: "rps""#, code: .invalidSpec),
            Case(name: "unknown reference kind", text: S.spec(top: #" "reference": {"kind": "uniformm"},"#), message: #"spec.json: $.reference.kind: unknown value "uniformm" (did you mean "uniform"?); allowed: "uniform", "softmax-normal", "given""#, code: .invalidSpec),
            Case(name: "unknown feedback mode", text: S.spec(top: #" "feedback": "sampeld","#), message: #"spec.json: $.feedback: unknown value "sampeld" (did you mean "sampled"?); allowed: "exact", "sampled""#, code: .invalidSpec),
            Case(name: "bars figure with an x", text: S.spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "x": "iteration"}],"#), message: #"spec.json: $.figures[0].x: bars figures have no x; allowed: x only for curves, frontier, lines, policy and versus figures"#, code: .invalidSpec),
            Case(name: "unsupported feedback of the second entry", text: S.spec(top: #" "feedback": "sampled","#, algorithms: #"[{"id": "failing"}, {"id": "exact-only"}]"#), message: #"spec.json: $.feedback: algorithm "exact-only" does not support sampled feedback; allowed: "exact""#, code: .invalidSpec),
            // select_by
            Case(name: "select_by unknown metric", text: S.spec(top: #" "select_by": {"metric": "exploitabilty"},"#), message: #"spec.json: $.select_by.metric: unknown value "exploitabilty" (did you mean "exploitability"?); allowed: \#(Metric.ids.map { "\"\($0)\"" }.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "metrics unknown id", text: S.spec(top: #" "metrics": ["exploitability", "exploitabilty"],"#), message: #"spec.json: $.metrics[1]: unknown value "exploitabilty" (did you mean "exploitability"?); allowed: \#(Metric.ids.map { "\"\($0)\"" }.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "metrics duplicate id", text: S.spec(top: #" "metrics": ["exploitability", "kl_to_reference", "exploitability"],"#), message: #"spec.json: $.metrics[2]: duplicate metric "exploitability" (also at $.metrics[0]); allowed: a non-empty array of distinct metric ids among \#(Metric.ids.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "metrics empty", text: S.spec(top: #" "metrics": [],"#), message: #"spec.json: $.metrics: an empty list computes no metric; allowed: a non-empty array of distinct metric ids among \#(Metric.ids.joined(separator: ", "))"#, code: .invalidSpec),
            Case(name: "metrics without the default select_by metric", text: S.spec(top: #" "metrics": ["kl_to_reference"],"#), message: #"spec.json: $.metrics: select_by uses metric "exploitability" (the default), which "metrics" does not list; allowed: a select_by metric among the listed metrics: kl_to_reference"#, code: .invalidSpec),
            Case(name: "select_by metric not listed in metrics", text: S.spec(top: #" "metrics": ["exploitability"], "select_by": {"metric": "win_rate_vs_reference"},"#), message: #"spec.json: $.select_by.metric: select_by uses metric "win_rate_vs_reference", which "metrics" does not list; allowed: a select_by metric among the listed metrics: exploitability"#, code: .invalidSpec),
            Case(name: "figure needs a metric not listed in metrics", text: S.spec(top: #" "metrics": ["exploitability", "kl_to_reference"], "figures": [{"id": "ok", "kind": "bars", "metric": "exploitability"}, {"id": "dist", "kind": "bars", "metric": "nash_distance"}],"#), message: #"spec.json: $.figures[1].metric: figure "dist" needs metric "nash_distance", which the spec's "metrics" does not list (it is not computed); allowed: a metric listed in $.metrics (exploitability, kl_to_reference) or a diagnostic, or add "nash_distance" to $.metrics"#, code: .invalidSpec),
            Case(name: "select_by bad goal", text: S.spec(top: #" "select_by": {"metric": "true_reward", "goal": "maximum"},"#), message: #"spec.json: $.select_by.goal: unknown value "maximum"; allowed: "min", "max""#, code: .invalidSpec),
            Case(name: "select_by without metric", text: S.spec(top: #" "select_by": {"goal": "min"},"#), message: #"spec.json: $.select_by: missing required key "metric"; allowed: metric, goal"#, code: .invalidSpec),
            Case(name: "select_by key typo", text: S.spec(top: #" "select_by": {"metric": "exploitability", "gaol": "min"},"#), message: #"spec.json: $.select_by.gaol: unknown key "gaol" (did you mean "goal"?); allowed: metric, goal"#, code: .invalidSpec),
            Case(name: "select_by is a string", text: S.spec(top: #" "select_by": "exploitability","#), message: #"spec.json: $.select_by: expected an object, got string; allowed: an object with keys metric, goal"#, code: .invalidSpec),
            // matrix files
            Case(name: "matrix file missing", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": "/nonexistent/m.csv"}]"#), message: #"spec.json: $.environments[0].path: no such file /nonexistent/m.csv (relative paths start at the current directory \#(FileManager.default.currentDirectoryPath)); allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix path is a directory", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("folder.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: \#(matrixDirectory.path)/folder.csv is a directory; allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix P + Pᵀ ≠ 1", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("asymmetric.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/asymmetric.csv: row 0, column 1: P[0][1] + P[1][0] = 0.7 + 0.7 = 1.4, expected 1 (within 1e-09); allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            // One response: nothing to compare (every kind that takes its size from input data).
            Case(name: "matrix of one response (CSV)", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("single.csv") + #""}]"#), message: #"spec.json: $.environments[0]: environment "m" has 1 response; allowed: at least 2 responses (a preference is between two)"#, code: .invalidSpec),
            Case(name: "matrix of one response (JSON, two contexts)", text: S.spec(environments: #"[{"id": "one", "kind": "matrix", "path": ""# + matrix("single.json") + #""}]"#), message: #"spec.json: $.environments[0]: environment "one" has 1 response; allowed: at least 2 responses (a preference is between two)"#, code: .invalidSpec),
            Case(name: "cyclic payoffs of one response", text: S.spec(environments: #"[{"id": "c", "kind": "cyclic", "payoffs": [[0]]}]"#), message: #"spec.json: $.environments[0].payoffs: needs between 2 and 4096 actions, got 1; allowed: an n×n antisymmetric array of numbers, not all 0"#, code: .invalidSpec),
            Case(name: "matrix not square", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("ragged.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/ragged.csv: row 0 has 3 entries but there are 2 rows (P must be square); allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix value outside [0, 1]", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("outside.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/outside.json: row 0, column 1: value 1.5 is outside [0, 1]; allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix CSV field not a number", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("word.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/word.csv: line 1, field 1: a field of 1 byte is not a finite number; allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix JSON key typo", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("typo.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/typo.json: unknown key "preferences" (did you mean "preference"?); allowed: preference, reference, log_reference, reward, context_weights, id, actions, contexts"#, code: .invalidSpec),
            Case(name: "matrix diagonal not one half", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("diagonal.csv") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/diagonal.csv: row 0, column 0: diagonal value 0.4 must be 0.5 (P + Pᵀ = 1); allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix reference negative", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("badref.json") + #""}]"#), message: #"spec.json: $.environments[0].path: matrix file \#(matrixDirectory.path)/badref.json: reference row 0, column 1: value -0.5 is not a non-negative probability; allowed: values accepted by environment kind "matrix" (see `bench describe matrix`)"#, code: .invalidSpec),
            Case(name: "matrix unknown format", text: S.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + matrix("good.csv") + #"", "format": "xml"}]"#), message: #"spec.json: $.environments[0].format: unknown value "xml"; allowed: one of "auto", "json", "csv""#, code: .invalidSpec),
            Case(name: "matrix without path", text: S.spec(environments: #"[{"id": "m", "kind": "matrix"}]"#), message: #"spec.json: $.environments[0]: missing required key "path" of environment kind "matrix"; allowed: a path to a file (relative to the current directory)"#, code: .invalidSpec),
        ]
    }
}
