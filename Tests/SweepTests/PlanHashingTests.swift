import AlignmentCore
import StableFloor
import Testing
@testable import Sweep

/// The planner hashes shared prefixes once (FNV-1a continued); the results must equal the
/// documented definitions computed from scratch.
struct PlanHashingTests {
    @Test(arguments: [("", ""), ("env=rps|alg=x|", "3"), ("a\u{1F}é", "😀12")])
    func continuedFNVEqualsFNVOfTheConcatenation(a: String, b: String) {
        #expect(StableHash.fnv1a64(continuing: StableHash.fnv1a64(continuing: StableHash.fnvOffsetBasis, a), b) == StableHash.fnv1a64(a + b))
    }

    /// Every plan's id, seed and fingerprint equal their definitions: id = first 12 hex digits of
    /// FNV-1a(key), seed = SplitMix64(spec seed ⊕ FNV-1a(key)), fingerprint = FNV-1a of the shared
    /// settings, the environment entry, the algorithm id, the feedback mode and the key joined by U+001F.
    @Test func planMatchesTheDefinitions() throws {
        let spec = try testSpec(GridExpansionTests.text)
        for p in try GridExpansion.plan(spec) {
            let env = spec.environments[p.environment], alg = spec.algorithms[p.algorithm]
            #expect(p.key == GridExpansion.runKey(environment: env.id, label: alg.label, parameters: alg.points[p.point].parameters, replicate: p.replicate))
            #expect(p.runID == GridExpansion.runID(key: p.key))
            #expect(p.rngSeed == StableHash.derivedSeed(base: spec.seed, key: p.key))
            let text = [spec.sharedSettings, env.canonical, alg.id, alg.feedback.rawValue, p.key].joined(separator: "\u{1F}")
            #expect(p.fingerprint.definition == StableHash.hex(StableHash.fnv1a64(text)))
            #expect(p.fingerprint.inputs == "none")
            #expect(p.fingerprint.harness == CodeFingerprints.harness)
            #expect(p.fingerprint.libraries == CodeFingerprints.libraries)
            #expect(p.fingerprint.algorithm == CodeFingerprints.algorithm(type(of: alg.points[p.point].algorithm)))
        }
    }
}
