import AlignmentCore
import StableFloor
import Environments
import Foundation
import Testing
@testable import Sweep

/// Spec validation: every error is one line naming the file and the JSON path, what is wrong and
/// what is allowed.
struct SpecValidationTests {
    /// A small valid spec with replaceable parts.
    static func spec(top: String = "", environments: String = #"[{"id": "rps", "kind": "cyclic"}]"#,
                     budget: String = #"{"iterations": 10}"#,
                     algorithms: String = #"[{"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}}]"#) -> String {
        """
        {
          "name": "tiny",\(top)
          "environments": \(environments),
          "budget": \(budget),
          "algorithms": \(algorithms)
        }
        """
    }

    static let topKeys = ExperimentSpec.topLevelKeys.joined(separator: ", ")
    static let cyclicKeys = (ExperimentSpec.commonEnvironmentKeys + CyclicEnvironment.descriptor.parameters.map(\.name)).joined(separator: ", ")
    static let describeHint = "hyperparameters that algorithm \"exact-only\" accepts together (see `bench describe exact-only`)"

    static let cases: [(String, String)] = [
        (spec(top: #" "seedz": 3,"#),
         "spec.json: $.seedz: unknown key \"seedz\" (did you mean \"seeds\"?); allowed: \(topKeys)"),
        (spec(top: #" "seeds": "ten","#),
         "spec.json: $.seeds: expected an integer, got string; allowed: an integer in [1, 100000]"),
        (spec(top: #" "seeds": 2.5,"#),
         "spec.json: $.seeds: 2.5 is not an integer; allowed: an integer in [1, 100000]"),
        (spec(algorithms: #"[{"id": "exact-only", "grid": {"eta": [0.1, -1]}}]"#),
         "spec.json: $.algorithms[0].grid.eta[1]: value -1 is out of range; allowed: a number in (0, ∞)"),
        (spec(algorithms: #"[{"id": "exact-only", "params": {"eta": "big"}}]"#),
         "spec.json: $.algorithms[0].params.eta: expected a number, got string; allowed: a number in (0, ∞)"),
        (spec(algorithms: #"[{"id": "exact-onyl"}]"#),
         "spec.json: $.algorithms[0].id: unknown algorithm \"exact-onyl\" (did you mean \"exact-only\"?); allowed: "
            + testCatalog.algorithmIDs.joined(separator: ", ")),
        (spec(environments: #"[{"id": "rps", "kind": "cyclc"}]"#),
         "spec.json: $.environments[0].kind: unknown environment kind \"cyclc\" (did you mean \"cyclic\"?); allowed: "
            + testCatalog.environmentKinds.joined(separator: ", ")),
        (spec(algorithms: #"[{"id": "exact-only", "grid": {"eta": []}}]"#),
         "spec.json: $.algorithms[0].grid.eta: empty grid; allowed: a non-empty array of values, each a number in (0, ∞)"),
        (spec(top: #" "feedback": "sampled","#),
         "spec.json: $.feedback: algorithm \"exact-only\" does not support sampled feedback; allowed: \"exact\""),
        (spec(algorithms: #"[{"id": "exact-only", "feedback": "sampled"}]"#),
         "spec.json: $.algorithms[0].feedback: algorithm \"exact-only\" does not support sampled feedback; allowed: \"exact\""),
        (spec(environments: #"[{"id": "rps", "kind": "cyclic", "strenght": 0.5}]"#),
         "spec.json: $.environments[0].strenght: unknown key \"strenght\" (did you mean \"strength\"?); allowed: \(cyclicKeys)"),
        (spec(environments: #"[{"id": "rps", "kind": "cyclic", "actions": 1}]"#),
         "spec.json: $.environments[0].actions: value 1 is out of range; allowed: an integer in [2, 4096]"),
        (spec(environments: #"[{"id": "rps", "kind": "cyclic", "label_noise": 0.7}]"#),
         "spec.json: $.environments[0].label_noise: 0.7 is out of range; allowed: a number in [0, 0.5]"),
        (spec(environments: #"[{"id": "rps", "kind": "cyclic", "seed": "random"}]"#),
         "spec.json: $.environments[0].seed: unknown value \"random\"; allowed: an integer in [0, 18446744073709551615] or \"per-run\""),
        (spec(environments: #"[{"id": "rps", "kind": "cyclic"}, {"id": "rps", "kind": "random"}]"#),
         "spec.json: $.environments[1].id: duplicate environment id \"rps\" (also at $.environments[0]); allowed: unique ids"),
        (spec(environments: "[]"),
         "spec.json: $.environments: no environments; allowed: a non-empty array of environment objects"),
        (spec(algorithms: #"[{"id": "exact-only", "params": {"etta": 0.1}}]"#),
         "spec.json: $.algorithms[0].params.etta: unknown hyperparameter \"etta\" of algorithm \"exact-only\" (did you mean \"eta\"?); allowed: eta, tau"),
        (spec(algorithms: #"[{"id": "exact-only", "params": {"tau": 1}, "grid": {"eta": [0.5, 2]}}]"#),
         "spec.json: $.algorithms[0].grid.eta: grid point eta=2: η·τ must be ≤ 1; allowed: \(describeHint)"),
        (spec(algorithms: #"[{"id": "exact-only", "params": {"eta": 0.1}, "grid": {"eta": [0.5]}}]"#),
         "spec.json: $.algorithms[0].grid.eta: hyperparameter \"eta\" is given in both params and grid; allowed: each hyperparameter in params or in grid, not both"),
        (spec(algorithms: #"[{"id": "exact-only", "grid": {"eta": [0.5, 0.5]}}]"#),
         "spec.json: $.algorithms[0].grid.eta[1]: duplicate value 0.5 (also at index 0); allowed: distinct values"),
        (spec(algorithms: #"[{"id": "exact-only"}, {"id": "exact-only"}]"#),
         "spec.json: $.algorithms[1]: duplicate algorithm label \"exact-only\" (also at $.algorithms[0]); allowed: unique labels (set \"label\" to tell entries with the same id apart)"),
        (spec(budget: #"{"iterations": 0}"#),
         "spec.json: $.budget.iterations: 0 is out of range; allowed: an integer in [1, 1000000000]"),
        (spec(budget: #"{"queries": 10}"#),
         "spec.json: $.budget: missing required key \"iterations\"; allowed: iterations, queries"),
        (#"{"name": "tiny", "environments": [], "algorithms": []}"#,
         "spec.json: $: missing required key \"budget\"; allowed: \(topKeys)"),
        (spec(top: #" "reference": {"kind": "given", "probabilities": [0.5, 0.5]},"#),
         "spec.json: $.reference: reference does not fit environment \"rps\" (1 context(s) × 3 actions): invalid policy: given reference must be 1×3 (or one row of 3); allowed: probabilities with 3 entries per row, one row or 1 rows"),
        (spec(top: #" "reference": {"kind": "softmax-normal", "scale": 0},"#),
         "spec.json: $.reference.scale: 0 is out of range; allowed: a number in (0, ∞)"),
        (spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitabilty"}],"#),
         "spec.json: $.figures[0].metric: unknown metric \"exploitabilty\" (did you mean \"exploitability\"?); allowed: "
            + Metric.ids.joined(separator: ", ")),
        (spec(top: #" "figures": [{"id": "f", "kind": "curve", "metric": "exploitability"}],"#),
         "spec.json: $.figures[0].kind: unknown value \"curve\" (did you mean \"curves\"?); allowed: \"curves\", \"bars\", \"heatmap\", \"frontier\", \"lines\", \"policy\", \"versus\", \"aggregate\", \"improvement\", \"profile\""),
        (spec().replacingOccurrences(of: #""tiny""#, with: #"".hidden""#),
         "spec.json: $.name: invalid name \".hidden\"; allowed: a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.'"),
        (spec(top: #" "name": "two","#),
         "spec.json:2:19: invalid JSON: duplicate key \"name\""),
    ] + missingValueNameCases + figureFilterCases

    /// A figure's `environments`/`algorithms` filter lists each id once and at least one.
    static let figureFilterCases: [(String, String)] = [
        (spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "algorithms": []}],"#),
         "spec.json: $.figures[0].algorithms: an empty filter selects nothing; allowed: a non-empty array of algorithm labels: exact-only (or no \"algorithms\" key for all)"),
        (spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "environments": []}],"#),
         "spec.json: $.figures[0].environments: an empty filter selects nothing; allowed: a non-empty array of environment ids: rps (or no \"environments\" key for all)"),
        (spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "algorithms": ["exact-only", "exact-only"]}],"#),
         "spec.json: $.figures[0].algorithms[1]: duplicate \"exact-only\"; allowed: an array of algorithm labels: exact-only, each once"),
        (spec(top: #" "figures": [{"id": "f", "kind": "bars", "metric": "exploitability", "environments": ["rps", "rps"]}],"#),
         "spec.json: $.figures[0].environments[1]: duplicate \"rps\"; allowed: an array of environment ids: rps, each once"),
    ]

    /// Environment ids and algorithm labels are key cells of the result files: the names pandas
    /// (default `na_values`: NA, NULL, null, NaN, -NaN, nan, -nan, None and others that are not
    /// identifiers) or R (`na.strings = "NA"`) load as missing are refused, since a groupby would
    /// drop their rows.
    static let missingValueNameCases: [(String, String)] = ["NA", "NULL", "null", "NaN", "-NaN", "nan", "-nan", "None"].flatMap { name in
        let allowed = "allowed: a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.', other than NA, NULL, null, NaN, -NaN, nan, -nan, None"
        let why = "reads as a missing value in pandas and R, so a groupby on the result files would drop its rows; "
        return [
            (spec(environments: #"[{"id": "\#(name)", "kind": "cyclic"}]"#),
             "spec.json: $.environments[0].id: the name \"\(name)\" " + why + allowed),
            (spec(algorithms: #"[{"id": "exact-only", "label": "\#(name)", "params": {"tau": 0.1}}]"#),
             "spec.json: $.algorithms[0].label: the name \"\(name)\" " + why + allowed),
        ]
    }

    @Test(arguments: cases)
    func invalidSpecGivesItsPreciseOneLineMessage(text: String, message: String) {
        do {
            _ = try testSpec(text)
            Issue.record("expected the spec to be rejected with: \(message)")
        } catch {
            #expect(error is SweepError)
            #expect("\(error)" == message)
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func validSpecResolvesDefaults() throws {
        let s = try testSpec(Self.spec())
        #expect(s.name == "tiny")
        #expect(s.seeds == 1 && s.seed == 0)
        #expect(s.recordEvery == 1)            // max(1, 10/50)
        #expect(s.feedback == .exact)
        #expect(s.reference == .uniform)
        #expect(s.tau == nil)
        #expect(s.environments[0].contexts == 1 && s.environments[0].labelNoise == 0)
        #expect(s.environments[0].seed == .fixed(StableHash.derivedSeed(base: 0, key: "environment|rps")))
        #expect(s.algorithms[0].label == "exact-only")
        #expect(s.algorithms[0].points.map(\.config) == ["eta=0.1", "eta=0.5"])
        #expect(s.algorithms[0].points[1].parameters.values == ["eta": .number(0.5), "tau": .number(0.1)])
        #expect(s.hyperparameterColumns == ["eta", "tau"])
    }

    @Test func specHashIgnoresFormattingButNotContent() throws {
        let a = try testSpec(Self.spec())
        let b = try testSpec(Self.spec().replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "0.5", with: "0.50"))
        let c = try testSpec(Self.spec(budget: #"{"iterations": 11}"#))
        #expect(a.specHash == b.specHash)
        #expect(a.specHash != c.specHash)
        #expect(a.specHash.count == 16)
    }

    @Test func perRunEnvironmentIsBuiltButNotFixed() throws {
        let s = try testSpec(Self.spec(environments: #"[{"id": "bt", "kind": "bradley-terry", "actions": 4, "seed": "per-run"}]"#))
        #expect(s.environments[0].seed == .perRun)
        #expect(s.environments[0].fixedGroundTruth == nil)
        let p0 = try ProblemFactory.problem(s.environments[0], spec: s, replicate: 0)
        let p1 = try ProblemFactory.problem(s.environments[0], spec: s, replicate: 1)
        #expect(p0.trueReward != p1.trueReward)
        #expect(try ProblemFactory.problem(s.environments[0], spec: s, replicate: 1) == p1)
    }

    /// The committed flagship spec validates with the real catalogues and expands as documented:
    /// 19 configurations × 6 environments × 10 seeds.
    @Test func flagshipSpecValidates() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let spec = try ExperimentSpec.load(contentsOf: root.appendingPathComponent("Experiments/intransitive.json"),
                                           displayName: "Experiments/intransitive.json")
        #expect(spec.name == "intransitive")
        // 19 configurations (dpo has two losses, the other 17 entries one) × 6 environments × 10 seeds.
        #expect(try GridExpansion.plan(spec).count == 19 * 6 * 10)
        #expect(spec.figures.map(\.id) == ["exploitability", "win-rate", "exploitability-curves", "gap-curves",
                                          "aggregate-exploitability", "aggregate-win-rate", "improvement-exploitability",
                                          "profile-exploitability"])
        #expect(spec.figures[3].logY)
        // The aggregates.csv figures (Agarwal et al. 2021): raw scores, improvement among six labels.
        #expect(spec.figures[4...].map(\.kind.id) == ["aggregate", "aggregate", "improvement", "profile"])
        #expect(spec.figures[4...].allSatisfy { $0.normalize == "none" && $0.environments == nil })
        #expect(spec.figures[6].algorithms == ["nash-md", "online-mirror-descent", "extragradient", "mmd", "rlhf-ppo", "dpo"])
        // Issue 4: the four seed algorithms and the competitors, sampled feedback, ≥ 10 seeds.
        let ids = Set(spec.algorithms.map(\.id))
        #expect(ids.isSuperset(of: ["rlhf-ppo", "dpo", "rest", "nash-md", "nash-md-pg", "online-mirror-descent",
                                    "extragradient", "mmd", "nash-ema", "sppo", "best-of-n"]))
        // Issue 13: the 2024–2026 methods.
        #expect(ids.isSuperset(of: ["inpo", "self-play-pg", "dno", "omwu", "mpo", "comal"]))
        #expect(spec.algorithms.contains { $0.label == "online-ipo" })
        #expect(spec.feedback == .sampled)
        #expect(spec.seeds >= 10)
        // The published schema is well-formed JSON naming draft 2020-12.
        let schema = try JSONParser.parse(String(contentsOf: root.appendingPathComponent("Experiments/schema.json"), encoding: .utf8),
                                          file: "schema.json")
        #expect(schema["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
        let documented = schema["properties"]?.objectMembers?.map(\.key) ?? []
        #expect(Set(documented) == Set(ExperimentSpec.topLevelKeys))
        // select_by's metric enum is exactly the metric ids.
        let metricEnum = schema["properties"]?["select_by"]?["properties"]?["metric"]?["enum"]?.arrayElements?.compactMap(\.stringValue)
        #expect(metricEnum == Metric.ids)
    }
}
