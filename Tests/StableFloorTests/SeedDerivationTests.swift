import Testing
import StableFloor

/// Every seed stream equals its documented definition SplitMix64(base ⊕ FNV-1a 64(key)). The
/// expected values were computed independently by a 20-line Python implementation of FNV-1a 64
/// (offset basis 0xcbf29ce484222325, prime 0x100000001b3) and SplitMix64 (Steele, Lea & Flood
/// 2014) with 64-bit wrap-around; they are exact (integers, no tolerance).
struct SeedDerivationTests {
    @Test func eachStreamEqualsItsIndependentlyComputedValue() {
        #expect(SeedDerivation.run(specSeed: 1, runKeyHash: StableHash.fnv1a64("env=rps|alg=a|tau=0.1|seed=0")) == 0xd3a6_5378_3edb_38e3)
        #expect(SeedDerivation.environment(specSeed: 7, id: "rps") == 0x4c42_bbfc_f8d2_6bc7)
        #expect(SeedDerivation.perRunEnvironment(specSeed: 7, id: "random10", replicate: 3) == 0x995d_9a1e_7119_bbd5)
        #expect(SeedDerivation.reference(specSeed: 1, environment: "random10") == 0xb823_313a_b2a2_563a)
        #expect(SeedDerivation.features(specSeed: 1, environment: "random10") == 0x5ff4_a435_1b73_95bc)
        #expect(SeedDerivation.summaryBootstrap(specSeed: 2, group: "rps|a|", metric: "exploitability") == 0xf096_c1cb_b427_12b5)
        #expect(SeedDerivation.pairwiseBootstrap(specSeed: 2, environment: "rps", a: ("a", "eta=0.1"), b: ("b", ""))
                == 0x3c01_4c61_a48f_fcf1)
        #expect(SeedDerivation.child(of: 42, stream: "oracle") == 0x3677_5986_ada9_6297)
        #expect(SeedDerivation.aggregateBootstrap(specSeed: 3, metric: "exploitability", normalization: "min-max", algorithm: "nash-md")
                == 0xa452_4d84_3150_c636)
        #expect(SeedDerivation.profileBootstrap(specSeed: 3, metric: "exploitability", normalization: "none", algorithm: "dpo")
                == 0x7e5e_28d6_51b6_ccbc)
        #expect(SeedDerivation.improvementBootstrap(specSeed: 3, metric: "win_rate_vs_reference", a: "nash-md", b: "dpo")
                == 0xff0a_48a6_e191_06f6)
    }

    /// The MT19937 seed fold (s ⊕ s >> 32) mod 2³², with 0 replaced by 0x9e3779b9.
    @Test(arguments: [(UInt64(0x0000_0005_0000_0005), UInt(0x9e37_79b9)), (0x1234_5678_9abc_def0, 0x8888_8888),
                      (0, 0x9e37_79b9), (4357, 4357)])
    func mt19937SeedFold(seed: UInt64, expected: UInt) {
        #expect(GSLSetup.mt19937Seed(seed) == expected)
    }

    /// FNV-1a continued over a suffix equals FNV-1a of the concatenation (the planner hashes a
    /// run key's shared prefix once).
    @Test(arguments: [("", ""), ("env=rps|alg=x|", "3"), ("a\u{1F}é", "😀12")])
    func continuedFNVEqualsFNVOfTheConcatenation(a: String, b: String) {
        #expect(StableHash.fnv1a64(continuing: StableHash.fnv1a64(a), b) == StableHash.fnv1a64(a + b))
    }
}
