import Foundation
import Testing

/// Specs that `bench validate` refuses (with the standard catalogues), each marked with whether
/// `Experiments/schema.json` flags it too. `SpecSchemaTests` checks both facts for every probe
/// with a real JSON Schema validator, so the counts in docs/ARCHITECTURE.md stay true.
enum SchemaProbes {
    /// One probe.
    struct Probe: Sendable, CustomTestStringConvertible {
        var testDescription: String { name }
        /// What is wrong.
        var name: String
        /// The spec text.
        var text: String
        /// Whether the schema flags it (false: a bench-only rule, see `SpecSchema.benchOnlyRules`).
        var schemaFlags: Bool
    }

    /// A spec from parts (valid when every part is).
    static func spec(top: String = "", environments: String = #"[{"id": "rps", "kind": "cyclic"}]"#,
                     budget: String = #"{"iterations": 10}"#, algorithms: String = #"[{"id": "nash-md"}]"#,
                     figures: String? = nil) -> String {
        #"{"name": "probe",\#(top) "environments": \#(environments), "budget": \#(budget), "algorithms": \#(algorithms)"#
            + (figures.map { #", "figures": \#($0)"# } ?? "") + "}"
    }

    static func env(_ members: String) -> String { #"[{"id": "e", \#(members)}]"# }
    static func alg(_ members: String) -> String { #"[{"id": "nash-md", \#(members)}]"# }
    static func fig(_ members: String) -> String { #"[{"id": "f", \#(members)}]"# }

    static let probes: [Probe] = [
        // Top level.
        Probe(name: "unknown top-level key", text: spec(top: #" "budgte": 1,"#), schemaFlags: true),
        Probe(name: "missing name", text: #"{"environments": [{"id": "e", "kind": "cyclic"}], "budget": {"iterations": 1}, "algorithms": [{"id": "nash-md"}]}"#, schemaFlags: true),
        Probe(name: "name with a slash", text: spec().replacingOccurrences(of: #""probe""#, with: #""a/b""#), schemaFlags: true),
        Probe(name: "name starting with a dot", text: spec().replacingOccurrences(of: #""probe""#, with: #"".hidden""#), schemaFlags: true),
        Probe(name: "description with a bidi override", text: spec(top: #" "description": "a\u202Eb","#), schemaFlags: true),
        Probe(name: "no environments", text: spec(environments: "[]"), schemaFlags: true),
        Probe(name: "environments not an array", text: spec(environments: #"{"id": "e"}"#), schemaFlags: true),
        Probe(name: "budget without iterations", text: spec(budget: #"{"queries": 5}"#), schemaFlags: true),
        Probe(name: "iterations 0", text: spec(budget: #"{"iterations": 0}"#), schemaFlags: true),
        Probe(name: "iterations 2.5", text: spec(budget: #"{"iterations": 2.5}"#), schemaFlags: true),
        Probe(name: "queries 0", text: spec(budget: #"{"iterations": 1, "queries": 0}"#), schemaFlags: true),
        Probe(name: "seeds 0", text: spec(top: #" "seeds": 0,"#), schemaFlags: true),
        Probe(name: "seeds 100001", text: spec(top: #" "seeds": 100001,"#), schemaFlags: true),
        Probe(name: "seed negative", text: spec(top: #" "seed": -1,"#), schemaFlags: true),
        Probe(name: "seed 1.5", text: spec(top: #" "seed": 1.5,"#), schemaFlags: true),
        Probe(name: "seed written with an exponent", text: spec(top: #" "seed": 1e3,"#), schemaFlags: false),
        Probe(name: "record_every 0", text: spec(top: #" "record_every": 0,"#), schemaFlags: true),
        Probe(name: "tau negative", text: spec(top: #" "tau": -0.1,"#), schemaFlags: true),
        Probe(name: "tau below 1e-12", text: spec(top: #" "tau": 1e-13,"#), schemaFlags: true),
        Probe(name: "tau above 1e6", text: spec(top: #" "tau": 2e6,"#), schemaFlags: true),
        Probe(name: "unknown feedback", text: spec(top: #" "feedback": "noisy","#), schemaFlags: true),
        Probe(name: "select_by unknown metric", text: spec(top: #" "select_by": {"metric": "exploitabilty"},"#), schemaFlags: true),
        Probe(name: "metrics unknown id", text: spec(top: #" "metrics": ["exploitabilty"],"#), schemaFlags: true),
        Probe(name: "metrics duplicate id", text: spec(top: #" "metrics": ["exploitability", "exploitability"],"#), schemaFlags: true),
        Probe(name: "metrics empty", text: spec(top: #" "metrics": [],"#), schemaFlags: true),
        Probe(name: "figure on a metric not listed in metrics",
              text: spec(top: #" "metrics": ["exploitability"], "figures": [{"id": "f", "kind": "bars", "metric": "kl_to_reference"}],"#), schemaFlags: false),
        Probe(name: "select_by unknown goal", text: spec(top: #" "select_by": {"metric": "exploitability", "goal": "up"},"#), schemaFlags: true),
        Probe(name: "select_by on τ with configurations at different τ",
              text: spec(top: #" "select_by": {"metric": "regularized_gap"},"#, algorithms: alg(#""grid": {"tau": [0.1, 0.2]}"#)), schemaFlags: false),
        // Reference.
        Probe(name: "unknown reference kind", text: spec(top: #" "reference": {"kind": "gaussian"},"#), schemaFlags: true),
        Probe(name: "softmax-normal scale 0", text: spec(top: #" "reference": {"kind": "softmax-normal", "scale": 0},"#), schemaFlags: true),
        Probe(name: "given probability negative", text: spec(top: #" "reference": {"kind": "given", "probabilities": [0.5, -0.1, 0.6]},"#), schemaFlags: true),
        Probe(name: "given reference of the wrong size", text: spec(top: #" "reference": {"kind": "given", "probabilities": [0.25, 0.25, 0.25, 0.25]},"#), schemaFlags: false),
        Probe(name: "given probabilities all 0", text: spec(top: #" "reference": {"kind": "given", "probabilities": [0, 0, 0]},"#), schemaFlags: false),
        // Environments.
        Probe(name: "unknown environment kind", text: spec(environments: env(#""kind": "cyclc""#)), schemaFlags: true),
        Probe(name: "environment without id", text: spec(environments: #"[{"kind": "cyclic"}]"#), schemaFlags: true),
        Probe(name: "unknown environment parameter", text: spec(environments: env(#""kind": "cyclic", "strenght": 0.5"#)), schemaFlags: true),
        Probe(name: "parameter of another kind", text: spec(environments: env(#""kind": "cyclic", "noise": 0.5"#)), schemaFlags: true),
        Probe(name: "cyclic strength 0 (open bound)", text: spec(environments: env(#""kind": "cyclic", "strength": 0"#)), schemaFlags: true),
        Probe(name: "cyclic strength 1.5", text: spec(environments: env(#""kind": "cyclic", "strength": 1.5"#)), schemaFlags: true),
        Probe(name: "cyclic actions 1", text: spec(environments: env(#""kind": "cyclic", "actions": 1"#)), schemaFlags: true),
        Probe(name: "cyclic actions 4097", text: spec(environments: env(#""kind": "cyclic", "actions": 4097"#)), schemaFlags: true),
        Probe(name: "random actions 2.5", text: spec(environments: env(#""kind": "random", "actions": 2.5"#)), schemaFlags: true),
        Probe(name: "unknown preset", text: spec(environments: env(#""kind": "cyclic", "preset": "biassed-rps""#)), schemaFlags: true),
        Probe(name: "three-rater epsilon 0.5", text: spec(environments: env(#""kind": "annotator-mixture", "preset": "three-rater", "epsilon": 0.5"#)), schemaFlags: true),
        Probe(name: "bradley-terry rewards of one entry", text: spec(environments: env(#""kind": "bradley-terry", "rewards": [1]"#)), schemaFlags: true),
        Probe(name: "thurstone noise 0", text: spec(environments: env(#""kind": "thurstone", "noise": 0"#)), schemaFlags: true),
        Probe(name: "matrix without path", text: spec(environments: env(#""kind": "matrix""#)), schemaFlags: true),
        Probe(name: "matrix format unknown", text: spec(environments: env(#""kind": "matrix", "path": "m.csv", "format": "xml""#)), schemaFlags: true),
        Probe(name: "matrix file missing", text: spec(environments: env(#""kind": "matrix", "path": "/nonexistent/m.csv""#)), schemaFlags: false),
        Probe(name: "contexts 0", text: spec(environments: env(#""kind": "cyclic", "contexts": 0"#)), schemaFlags: true),
        Probe(name: "seed \"per-replicate\"", text: spec(environments: env(#""kind": "random", "seed": "per-replicate""#)), schemaFlags: true),
        Probe(name: "label_noise 0.6", text: spec(environments: env(#""kind": "cyclic", "label_noise": 0.6"#)), schemaFlags: true),
        Probe(name: "environment parameter an object", text: spec(environments: env(#""kind": "annotator-mixture", "utilities": {"a": 1}"#)), schemaFlags: true),
        Probe(name: "duplicate environment ids", text: spec(environments: #"[{"id": "e", "kind": "cyclic"}, {"id": "e", "kind": "random"}]"#), schemaFlags: false),
        Probe(name: "preset and payoffs together", text: spec(environments: env(#""kind": "cyclic", "preset": "biased-rps", "payoffs": [[0, 1], [-1, 0]]"#)), schemaFlags: false),
        Probe(name: "one die", text: spec(environments: env(#""kind": "intransitive-dice", "dice": [[1, 2, 3]]"#)), schemaFlags: false),
        Probe(name: "too many preference entries", text: spec(environments: env(#""kind": "random", "actions": 1000, "contexts": 100"#)), schemaFlags: false),
        // Algorithms.
        Probe(name: "no algorithms", text: spec(algorithms: "[]"), schemaFlags: true),
        Probe(name: "unknown algorithm id", text: spec(algorithms: #"[{"id": "nash-mb"}]"#), schemaFlags: true),
        Probe(name: "unknown algorithm key", text: spec(algorithms: alg(#""parms": {}"#)), schemaFlags: true),
        Probe(name: "label not a name", text: spec(algorithms: alg(#""label": "a b""#)), schemaFlags: true),
        Probe(name: "label pandas reads as missing", text: spec(algorithms: alg(#""label": "null""#)), schemaFlags: true),
        Probe(name: "environment id R reads as missing", text: spec(environments: #"[{"id": "NA", "kind": "cyclic"}]"#), schemaFlags: true),
        Probe(name: "params not an object", text: spec(algorithms: alg(#""params": [1]"#)), schemaFlags: true),
        Probe(name: "unknown hyperparameter in params", text: spec(algorithms: alg(#""params": {"etta": 0.1}"#)), schemaFlags: true),
        Probe(name: "another algorithm's hyperparameter", text: spec(algorithms: alg(#""params": {"beta": 0.1}"#)), schemaFlags: true),
        Probe(name: "unknown hyperparameter in grid", text: spec(algorithms: alg(#""grid": {"etta": [0.1]}"#)), schemaFlags: true),
        Probe(name: "hyperparameter out of range", text: spec(algorithms: alg(#""params": {"eta": 0}"#)), schemaFlags: true),
        Probe(name: "tau < 0", text: spec(algorithms: alg(#""params": {"tau": -1}"#)), schemaFlags: true),
        Probe(name: "hyperparameter of the wrong type", text: spec(algorithms: alg(#""params": {"eta": "fast"}"#)), schemaFlags: true),
        Probe(name: "unknown choice", text: spec(algorithms: alg(#""params": {"schedule": "cosine"}"#)), schemaFlags: true),
        Probe(name: "integer hyperparameter 1.5", text: spec(algorithms: alg(#""params": {"samples": 1.5}"#)), schemaFlags: true),
        Probe(name: "grid value out of range", text: spec(algorithms: alg(#""grid": {"eta": [0.1, -1]}"#)), schemaFlags: true),
        Probe(name: "empty grid", text: spec(algorithms: alg(#""grid": {"eta": []}"#)), schemaFlags: true),
        Probe(name: "grid value not an array", text: spec(algorithms: alg(#""grid": {"eta": 0.1}"#)), schemaFlags: true),
        Probe(name: "duplicate grid values", text: spec(algorithms: alg(#""grid": {"eta": [0.1, 0.1]}"#)), schemaFlags: true),
        Probe(name: "dpo loss unknown", text: spec(algorithms: #"[{"id": "dpo", "params": {"loss": "hinged"}}]"#), schemaFlags: true),
        Probe(name: "unknown feedback override", text: spec(algorithms: alg(#""feedback": "noisy""#)), schemaFlags: true),
        Probe(name: "hyperparameter in params and grid", text: spec(algorithms: alg(#""params": {"eta": 0.1}, "grid": {"eta": [0.2, 0.3]}"#)), schemaFlags: false),
        Probe(name: "duplicate algorithm labels", text: spec(algorithms: #"[{"id": "nash-md"}, {"id": "nash-md"}]"#), schemaFlags: false),
        Probe(name: "more runs than the limit", text: spec(top: #" "seeds": 100000,"#, environments: #"[{"id": "a", "kind": "cyclic"}, {"id": "b", "kind": "cyclic"}]"#), schemaFlags: false),
        // Figures.
        Probe(name: "unknown figure kind", text: spec(figures: fig(#""kind": "pie", "metric": "exploitability""#)), schemaFlags: true),
        Probe(name: "unknown figure metric", text: spec(figures: fig(#""kind": "bars", "metric": "exploitabilty""#)), schemaFlags: true),
        Probe(name: "figure without metric", text: spec(figures: fig(#""kind": "bars""#)), schemaFlags: true),
        Probe(name: "bars with x", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "x": "iteration""#)), schemaFlags: true),
        Probe(name: "curves x time", text: spec(figures: fig(#""kind": "curves", "metric": "exploitability", "x": "time""#)), schemaFlags: true),
        Probe(name: "lines without x", text: spec(figures: fig(#""kind": "lines", "metric": "exploitability""#)), schemaFlags: true),
        Probe(name: "frontier x not a metric", text: spec(figures: fig(#""kind": "frontier", "metric": "true_reward", "x": "kl""#)), schemaFlags: true),
        Probe(name: "versus without opponents", text: spec(figures: fig(#""kind": "versus", "metric": "exploitability", "x": "eta""#)), schemaFlags: true),
        Probe(name: "empty algorithms filter", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "algorithms": []"#)), schemaFlags: true),
        Probe(name: "empty environments filter", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "environments": []"#)), schemaFlags: true),
        Probe(name: "algorithm listed twice in a filter", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "algorithms": ["nash-md", "nash-md"]"#)), schemaFlags: true),
        Probe(name: "environment listed twice in a filter", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "environments": ["rps", "rps"]"#)), schemaFlags: true),
        Probe(name: "guides on bars", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "guides": [{"label": "g", "scale": 1}]"#)), schemaFlags: true),
        Probe(name: "opponents on curves", text: spec(figures: fig(#""kind": "curves", "metric": "exploitability", "opponents": ["reference"]"#)), schemaFlags: true),
        Probe(name: "environments filter on a pooled kind", text: spec(figures: fig(#""kind": "profile", "metric": "exploitability", "environments": ["rps"]"#)), schemaFlags: true),
        Probe(name: "normalize unknown", text: spec(figures: fig(#""kind": "aggregate", "metric": "exploitability", "normalize": "zscore""#)), schemaFlags: true),
        Probe(name: "normalize on improvement", text: spec(figures: fig(#""kind": "improvement", "metric": "exploitability", "normalize": "none""#)), schemaFlags: true),
        Probe(name: "by unknown grouping", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "by": ["seed"]"#)), schemaFlags: true),
        Probe(name: "title with a control character", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "title": "a\u0007b""#)), schemaFlags: true),
        Probe(name: "duplicate figure ids", text: spec(figures: #"[{"id": "f", "kind": "bars", "metric": "exploitability"}, {"id": "f", "kind": "bars", "metric": "exploitability"}]"#), schemaFlags: false),
        Probe(name: "figure filter naming no environment", text: spec(figures: fig(#""kind": "bars", "metric": "exploitability", "environments": ["nope"]"#)), schemaFlags: false),
        Probe(name: "lines x a hyperparameter of no spec algorithm", text: spec(figures: fig(#""kind": "lines", "metric": "exploitability", "x": "beta""#)), schemaFlags: false),
        Probe(name: "diagnostic of no spec algorithm", text: spec(figures: fig(#""kind": "bars", "metric": "proxy_reward""#)), schemaFlags: false),
        Probe(name: "policy x not an environment parameter", text: spec(figures: fig(#""kind": "policy", "metric": "exploitability", "x": "epsilon""#)), schemaFlags: false),
    ]
}
