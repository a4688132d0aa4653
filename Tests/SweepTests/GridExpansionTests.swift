import AlignmentCore
import StableFloor
import Testing
@testable import Sweep

struct GridExpansionTests {
    /// FNV-1a 64 of "env=rps|alg=exact-only|eta=0.5;tau=0.1|seed=3" is 0x1ed7c2970025bcaf (computed
    /// independently byte by byte: offset basis 0xcbf29ce484222325, prime 0x100000001b3), so the run
    /// id is its first 12 hex digits; SplitMix64 of it (base seed 0) is 0x6338e23913bcb988, and with
    /// base seed 42 (42 ⊕ hash) 0x0f8d7466433875c7.
    @Test func runKeyIdAndSeedAreStableLiterals() throws {
        let params = ParameterValues(["tau": .number(0.1), "eta": .number(0.5)])
        let key = GridExpansion.runKey(environment: "rps", label: "exact-only", parameters: params, replicate: 3)
        #expect(key == "env=rps|alg=exact-only|eta=0.5;tau=0.1|seed=3")
        #expect(GridExpansion.runID(key: key) == "1ed7c2970025")
        #expect(StableHash.derivedSeed(base: 0, key: key) == 0x6338_e239_13bc_b988)
        #expect(StableHash.derivedSeed(base: 42, key: key) == 0x0f8d_7466_4338_75c7)
    }

    static let text = """
    {
      "name": "grid",
      "environments": [{"id": "rps", "kind": "cyclic"}, {"id": "r5", "kind": "random", "actions": 5}],
      "budget": {"iterations": 5},
      "seeds": 4,
      "seed": 42,
      "algorithms": [
        {"id": "exact-only", "grid": {"tau": [0.1, 0.2], "eta": [0.1, 0.5, 1]}},
        {"id": "exact-only", "label": "plain"}
      ]
    }
    """

    @Test func planIsTheProductInSpecOrder() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        // (6 grid points + 1) configurations × 2 environments × 4 seeds.
        #expect(plans.count == (6 + 1) * 2 * 4)
        #expect(Set(plans.map(\.runID)).count == plans.count)
        #expect(plans.map(\.index) == Array(0..<plans.count))
        // Grid keys sorted (eta before tau), eta slowest; then environments; then seeds.
        let first = plans.prefix(9).map(\.key)
        #expect(first == [
            "env=rps|alg=exact-only|eta=0.1;tau=0.1|seed=0", "env=rps|alg=exact-only|eta=0.1;tau=0.1|seed=1",
            "env=rps|alg=exact-only|eta=0.1;tau=0.1|seed=2", "env=rps|alg=exact-only|eta=0.1;tau=0.1|seed=3",
            "env=r5|alg=exact-only|eta=0.1;tau=0.1|seed=0", "env=r5|alg=exact-only|eta=0.1;tau=0.1|seed=1",
            "env=r5|alg=exact-only|eta=0.1;tau=0.1|seed=2", "env=r5|alg=exact-only|eta=0.1;tau=0.1|seed=3",
            "env=rps|alg=exact-only|eta=0.1;tau=0.2|seed=0",
        ])
        #expect(spec.algorithms[0].points.map(\.config) == [
            "eta=0.1 tau=0.1", "eta=0.1 tau=0.2", "eta=0.5 tau=0.1", "eta=0.5 tau=0.2", "eta=1 tau=0.1", "eta=1 tau=0.2",
        ])
        #expect(spec.algorithms[1].points.map(\.config) == ["default"])
        // The default-filled key of the un-gridded entry lists every resolved hyperparameter.
        #expect(plans[48].key == "env=rps|alg=plain|eta=0.1;tau=0.1|seed=0")
        for p in plans {
            #expect(p.runID == GridExpansion.runID(key: p.key))
            #expect(p.rngSeed == StableHash.derivedSeed(base: 42, key: p.key))
        }
        // The literal of runKeyIdAndSeedAreStableLiterals appears in the plan.
        let literal = plans.first { $0.key == "env=rps|alg=exact-only|eta=0.5;tau=0.1|seed=3" }
        #expect(literal?.runID == "1ed7c2970025")
        #expect(literal?.rngSeed == 0x0f8d_7466_4338_75c7)
    }

    @Test func planIsIdenticalAcrossParses() throws {
        let a = try GridExpansion.plan(testSpec(Self.text))
        let b = try GridExpansion.plan(testSpec(Self.text))
        #expect(a == b)
    }

    @Test func fingerprintChangesWithRunSettingsOnly() throws {
        let a = try GridExpansion.plan(testSpec(Self.text))
        let longer = try GridExpansion.plan(testSpec(Self.text.replacingOccurrences(of: #""iterations": 5"#, with: #""iterations": 6"#)))
        let renamed = try GridExpansion.plan(testSpec(Self.text.replacingOccurrences(of: #""name": "grid""#, with: #""name": "other""#)))
        #expect(a.map(\.runID) == longer.map(\.runID))
        #expect(zip(a, longer).allSatisfy { $0.fingerprint != $1.fingerprint })
        #expect(a.map(\.fingerprint) == renamed.map(\.fingerprint))
    }

    @Test func productOfNoAxesIsOneEmptyPoint() {
        #expect(GridExpansion.product([]).count == 1)
        #expect(GridExpansion.product([]).first?.isEmpty == true)
        let axes = [GridAxis(name: "a", values: [.number(1), .number(2)]), GridAxis(name: "b", values: [.string("x"), .string("y"), .string("z")])]
        #expect(GridExpansion.product(axes).map { $0.map { "\($0.0)=\($0.1)" }.joined(separator: ",") }
                == ["a=1,b=x", "a=1,b=y", "a=1,b=z", "a=2,b=x", "a=2,b=y", "a=2,b=z"])
    }
}
