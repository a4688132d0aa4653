/// Stable, process-independent hashing for seeds, run ids, spec fingerprints and figure colours:
/// the one implementation of FNV-1a and SplitMix64 in the package.
///
/// Swift's `Hasher` is randomised per process and must never be used for seeds.
public enum StableHash {
    /// The FNV-1a 64 offset basis 0xcbf29ce484222325 (Fowler, Noll & Vo; IETF draft-eastlake-fnv).
    public static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The FNV-1a 64 prime 0x100000001b3.
    public static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// 64-bit FNV-1a of the UTF-8 bytes of `string`.
    ///
    /// offset basis 0xcbf29ce484222325, prime 0x100000001b3.
    public static func fnv1a64(_ string: String) -> UInt64 {
        fnv1a64(bytes: Array(string.utf8))
    }

    /// 64-bit FNV-1a of raw bytes.
    /// - Complexity: O(n) in the number of bytes.
    public static func fnv1a64<S: Sequence>(bytes: S) -> UInt64 where S.Element == UInt8 {
        fnv1a64(continuing: fnvOffsetBasis, bytes: bytes)
    }

    /// FNV-1a 64 continued from state `h` over `bytes`: h ← (h ⊕ b)·prime per byte, so that
    /// `fnv1a64(continuing: fnv1a64(a), bytes: b) == fnv1a64(a + b)` (a shared prefix is hashed once).
    /// - Complexity: O(n) in the number of bytes.
    public static func fnv1a64<S: Sequence>(continuing h: UInt64, bytes: S) -> UInt64 where S.Element == UInt8 {
        var h = h
        for b in bytes {
            h ^= UInt64(b)
            h = h &* fnvPrime
        }
        return h
    }

    /// FNV-1a 64 continued from state `h` over the UTF-8 bytes of `string`.
    public static func fnv1a64(continuing h: UInt64, _ string: String) -> UInt64 {
        fnv1a64(continuing: h, bytes: string.utf8)
    }

    /// One SplitMix64 output for state `x` (Steele, Lea & Flood 2014): the finaliser of
    /// x + 0x9e3779b97f4a7c15.
    public static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A seed for `key` derived from a base seed: SplitMix64(base ⊕ FNV-1a(key)).
    public static func derivedSeed(base: UInt64, key: String) -> UInt64 {
        splitMix64(base ^ fnv1a64(key))
    }

    /// 16 lowercase hex digits of a 64-bit value.
    public static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
