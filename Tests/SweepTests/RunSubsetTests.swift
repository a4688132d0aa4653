import Foundation
import Testing
@testable import Sweep

/// `RunSubset` and `ExperimentSpec.restricted(to:)`: the subset keeps the whole spec's run keys,
/// ids and seeds; figures are narrowed; the hashes and folder change.
struct RunSubsetTests {
    static let text = """
    {
      "name": "sub",
      "environments": [{"id": "rps", "kind": "cyclic"}, {"id": "r4", "kind": "random", "actions": 4, "seed": 3}],
      "budget": {"iterations": 5},
      "seeds": 2,
      "algorithms": [
        {"id": "nash-md", "grid": {"eta": [0.1, 0.2]}},
        {"id": "nash-md", "label": "slow", "params": {"eta": 0.01}},
        {"id": "online-mirror-descent", "label": "omd"}
      ],
      "figures": [
        {"id": "all", "kind": "bars", "metric": "exploitability", "by": ["environment", "algorithm"]},
        {"id": "slow-only", "kind": "bars", "metric": "exploitability", "by": ["algorithm"], "algorithms": ["slow"]},
        {"id": "mixed", "kind": "bars", "metric": "exploitability", "by": ["algorithm"], "algorithms": ["slow", "omd"], "environments": ["rps"]}
      ]
    }
    """

    static func subset(_ arguments: String...) throws -> RunSubset {
        var s = RunSubset()
        for a in arguments { try s.add(a) }
        return s
    }

    /// Keys, ids and seeds of the subset's runs are those of the whole plan's runs with the same
    /// environment and label: (2 grid points + 1 + 1 entries) × 2 environments × 2 seeds = 16
    /// runs; selecting the plugin id nash-md keeps both of its entries (12), "omd" 4, r4 8.
    @Test(arguments: [
        (["algorithm=nash-md"], 12, ["nash-md", "slow"], ["rps", "r4"]),
        (["algorithm=omd"], 4, ["omd"], ["rps", "r4"]),
        (["environment=r4"], 8, ["nash-md", "slow", "omd"], ["r4"]),
        (["algorithm=slow,omd", "environment=rps"], 4, ["slow", "omd"], ["rps"]),
    ])
    func subsetPlansAreTheWholePlansRuns(arguments: [String], count: Int, labels: [String], environments: [String]) throws {
        let spec = try ExperimentSpec.parse(Self.text, file: "sub.json")
        var s = RunSubset()
        for a in arguments { try s.add(a) }
        let restricted = try spec.restricted(to: s)
        let whole = try GridExpansion.plan(spec)
        let part = try GridExpansion.plan(restricted)
        #expect(part.count == count)
        let expected = whole.filter { labels.contains(spec.algorithms[$0.algorithm].label) && environments.contains(spec.environments[$0.environment].id) }
        #expect(part.map(\.key) == expected.map(\.key))
        #expect(part.map(\.runID) == expected.map(\.runID))
        #expect(part.map(\.rngSeed) == expected.map(\.rngSeed))
        #expect(part.map(\.fingerprint) == expected.map(\.fingerprint))
        #expect(restricted.resultsHash != spec.resultsHash && restricted.specHash != spec.specHash)
        #expect(restricted.name == "sub")
        #expect(restricted.folderName == "sub" + s.folderSuffix)
    }

    /// Figures: narrowed filters, and figures whose explicit filters select nothing are left out.
    @Test func figuresAreNarrowed() throws {
        let spec = try ExperimentSpec.parse(Self.text, file: "sub.json")
        let omd = try spec.restricted(to: Self.subset("algorithm=omd"))
        #expect(omd.figures.map(\.id) == ["all", "mixed"])
        #expect(omd.figures[1].algorithms == ["omd"])
        let r4 = try spec.restricted(to: Self.subset("environment=r4"))
        #expect(r4.figures.map(\.id) == ["all", "slow-only"])
    }

    /// Text, arguments, the manifest member and the folder suffix of a selection; the text reads
    /// back to the same selection. Characters outside [A-Za-z0-9._=,-] become "_" in the folder.
    @Test func textForms() throws {
        let s = try Self.subset("environment=r4", "algorithm=a b/c", "algorithm=omd", "algorithm=omd")
        #expect(s.text == "algorithm=a b/c,omd;environment=r4")
        #expect(s.arguments == ["--only", "algorithm=a b/c,omd", "--only", "environment=r4"])
        #expect(s.folderSuffix == ".only.algorithm=a_b_c,omd.environment=r4")
        #expect(try RunSubset(text: s.text) == s)
        #expect(try RunSubset(manifestMember: s.json) == s)
        #expect(try RunSubset(manifestMember: .null).isEmpty)
        #expect(try RunSubset(text: "").isEmpty)
    }

    /// An unknown value names the allowed ones (labels first, then plugin ids not used as labels).
    @Test func unknownValuesListTheAllowedOnes() throws {
        let spec = try ExperimentSpec.parse(Self.text, file: "sub.json")
        #expect(throws: SweepError.usage("--only algorithm=\"nash-dm\": no algorithm label or plugin id \"nash-dm\" in sub.json (did you mean \"nash-md\"?); allowed: nash-md, slow, omd, online-mirror-descent")) {
            try spec.restricted(to: Self.subset("algorithm=nash-dm"))
        }
        #expect(throws: SweepError.usage("--only environment=\"zzzzz\": no environment id \"zzzzz\" in sub.json; allowed: rps, r4")) {
            try spec.restricted(to: Self.subset("environment=zzzzz"))
        }
    }
}
