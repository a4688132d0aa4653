import AlignmentCore
import StableFloor
import Foundation
import Testing
@testable import Sweep

/// Spec-level hyperparameter defaults (`"defaults": {"tau": 0.1}`): applied to every entry whose
/// plugin declares the name and that sets it in neither params nor grid; an entry's own value
/// wins; a default no algorithm declares, a grid, or a value a plugin refuses is an error at
/// `$.defaults.<name>`.
struct SpecDefaultsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func spec(defaults: String, algorithms: String) -> String {
        """
        {
          "name": "defaults",
          "environments": [{"id": "rps", "kind": "cyclic"}],
          "budget": {"iterations": 2},
          "seeds": 2,
          \(defaults)
          "algorithms": [\(algorithms)]
        }
        """
    }

    /// Every planned run's key, id, generator seed and fingerprint, and the results hash.
    static func identity(_ spec: ExperimentSpec) throws -> [String] {
        try GridExpansion.plan(spec).map { "\($0.key) \($0.runID) \($0.rngSeed) \($0.fingerprint.definition)" } + [spec.resultsHash]
    }

    @Test func aDefaultActsAsIfWrittenInEachEntryThatDeclaresIt() throws {
        let withDefaults = try testSpec(Self.spec(defaults: #""defaults": {"tau": 0.3, "per_iteration": 7},"#, algorithms: """
            {"id": "exact-only", "label": "a"},
            {"id": "exact-only", "label": "b", "params": {"tau": 0.5}},
            {"id": "exact-only", "label": "c", "grid": {"tau": [0.2, 0.4]}},
            {"id": "lambda-regularized", "label": "d"},
            {"id": "label-spender", "label": "e", "feedback": "exact"}
            """))
        let written = try testSpec(Self.spec(defaults: "", algorithms: """
            {"id": "exact-only", "label": "a", "params": {"tau": 0.3}},
            {"id": "exact-only", "label": "b", "params": {"tau": 0.5}},
            {"id": "exact-only", "label": "c", "grid": {"tau": [0.2, 0.4]}},
            {"id": "lambda-regularized", "label": "d"},
            {"id": "label-spender", "label": "e", "feedback": "exact", "params": {"per_iteration": 7}}
            """))
        #expect(withDefaults.algorithms[0].points[0].parameters["tau"] == .number(0.3))
        #expect(withDefaults.algorithms[1].points[0].parameters["tau"] == .number(0.5))
        #expect(withDefaults.algorithms[2].points.map { $0.parameters["tau"] } == [.number(0.2), .number(0.4)])
        #expect(withDefaults.algorithms[3].points[0].parameters["lambda"] == .number(0.1))  // its own default: "tau" is not its name
        #expect(withDefaults.algorithms[4].points[0].parameters["per_iteration"] == .number(7))
        #expect(try Self.identity(withDefaults) == Self.identity(written))
        #expect(withDefaults.specHash != written.specHash)
    }

    /// f1-last-iterate says τ = 0.1 once in `defaults`; with τ written in every entry (its text
    /// before defaults existed) it plans the same runs: keys, ids, seeds, fingerprints, results hash.
    @Test func f1LastIterateExpandsToTheSameRuns() throws {
        let url = Self.root.appendingPathComponent("Experiments/paper/f1-last-iterate.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(#""defaults": {"tau": 0.1}"#))
        var old = text.replacingOccurrences(of: "  \"defaults\": {\"tau\": 0.1},\n", with: "")
        for (from, to) in [(#""params": {"schedule""#, #""params": {"tau": 0.1, "schedule""#),
                           (#""params": {"eta""#, #""params": {"tau": 0.1, "eta""#),
                           (#""params": {"beta""#, #""params": {"tau": 0.1, "beta""#)] {
            old = old.replacingOccurrences(of: from, with: to)
        }
        #expect(old.components(separatedBy: #""tau": 0.1"#).count - 1 == 7)
        let current = try ExperimentSpec.parse(text, file: "f1-last-iterate.json")
        let written = try ExperimentSpec.parse(old, file: "f1-last-iterate.json")
        let plans = try GridExpansion.plan(current)
        #expect(plans.count == 6 * 10)
        #expect(try Self.identity(current) == Self.identity(written))
        // Literals from the committed paper results (Results/paper/f1-last-iterate/runs.csv, rows 1–2).
        #expect(plans[0].runID == "72b0c965247f" && StableHash.hex(plans[0].rngSeed) == "1deeb5240191c919")
        #expect(plans[1].runID == "72b0c865247f" && StableHash.hex(plans[1].rngSeed) == "acb05b9ba6f27c1c")
        for p in plans { #expect(p.key.contains("tau=0.1")) }
    }

    @Test(arguments: [
        (#""defaults": {"taux": 0.1},"#, "$.defaults.taux",
         #"no algorithm of this spec (exact-only) declares hyperparameter "taux" (did you mean "tau"?)"#, "eta, tau"),
        (#""defaults": {"tau": -1},"#, "$.defaults.tau", "", ""),
        (#""defaults": {"grid": {"tau": [0.1, 0.2]}},"#, "$.defaults.grid",
         #""grid" is not allowed in defaults: defaults hold single hyperparameter values, not grids"#, ""),
        (#""defaults": [0.1],"#, "$.defaults", "expected an object, got array", ""),
        (#""defaults": {"tau": {"x": 1}},"#, "$.defaults.tau", "expected a single value, got an object", ""),
    ])
    func badDefaultsAreRefusedAtTheirPath(defaults: String, path: String, message: String, allowed: String) throws {
        do {
            _ = try testSpec(Self.spec(defaults: defaults, algorithms: #"{"id": "exact-only"}"#))
            Issue.record("accepted \(defaults)")
        } catch let SweepError.spec(_, p, m, a) {
            #expect(p == path)
            if !message.isEmpty { #expect(m == message) }
            if !allowed.isEmpty { #expect(a == allowed) }
            if path == "$.defaults.tau" && message.isEmpty {
                #expect(m.hasSuffix(#"for algorithm "exact-only" ($.algorithms[0])"#), "\(m)")
            }
        }
    }

    /// An empty `defaults` changes nothing, not even the results hash.
    @Test func emptyDefaultsChangeNoHash() throws {
        let a = try testSpec(Self.spec(defaults: #""defaults": {},"#, algorithms: #"{"id": "exact-only"}"#))
        let b = try testSpec(Self.spec(defaults: "", algorithms: #"{"id": "exact-only"}"#))
        #expect(try Self.identity(a) == Self.identity(b))
    }
}
