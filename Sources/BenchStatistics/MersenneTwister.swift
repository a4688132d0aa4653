import CGSL
import StableFloor

/// The stream of GSL's `gsl_rng_mt19937` (Matsumoto & Nishimura 1998, "Mersenne Twister: a
/// 623-dimensionally equidistributed uniform pseudo-random number generator", ACM TOMACS 8(1))
/// and of `gsl_rng_uniform_int` on it, computed in Swift so that a bootstrap's draws are inlined
/// rather than two indirect calls into GSL per index — the same numbers, bit for bit (tested
/// against GSL for many seeds and ranges): the seeding of GSL's `mt_set` (Knuth, TAOCP vol. 2,
/// 3rd ed., p. 106: x₀ = s, xᵢ = 1812433253·(xᵢ₋₁ ⊕ (xᵢ₋₁ >> 30)) + i mod 2³², seed 0 replaced by
/// GSL's default 4357), the twist of 624 words at a time and the tempering of `mt_get`, and the
/// rejection of `gsl_rng_uniform_int`: with scale = ⌊(2³² − 1)/n⌋, k = ⌊x/scale⌋ until k < n.
///
/// A generator is seeded like `GSLSetup.mt19937(seed:)` (the seed `GSLSetup.mt19937Seed`), so
/// it replaces that generator wherever one is drawn from with `gsl_rng_uniform_int` alone.
struct MersenneTwister {
    private static let words = 624, shift = 397
    private var state: [UInt32]
    private var position: Int

    /// The generator `GSLSetup.mt19937(seed:)` makes, at the start of its stream.
    /// - Parameter seed: any 64-bit value (folded by `GSLSetup.mt19937Seed`).
    init(seed: UInt64) {
        var s = UInt32(truncatingIfNeeded: GSLSetup.mt19937Seed(seed))
        if s == 0 { s = 4357 }
        state = [UInt32](repeating: 0, count: Self.words)
        state[0] = s
        for i in 1..<Self.words {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        position = Self.words
    }

    /// The next 32-bit output (`gsl_rng_get`).
    @inline(__always)
    mutating func next() -> UInt32 {
        if position == Self.words { twist() }
        var k = state[position]
        position += 1
        k ^= k >> 11
        k ^= (k << 7) & 0x9d2c_5680
        k ^= (k << 15) & 0xefc6_0000
        k ^= k >> 18
        return k
    }

    /// The scale `gsl_rng_uniform_int` divides by for the range 0..<n, ⌊(2³² − 1)/n⌋, with the
    /// reciprocal that divides by it exactly (`Divisor`).
    /// - Parameter n: 1 ≤ n ≤ 2³² − 1.
    static func scale(_ n: Int) -> Divisor {
        precondition(n >= 1 && n <= Int(UInt32.max), "uniform integers need 1 ≤ n < 2³²")
        return Divisor(UInt32.max / UInt32(n))
    }

    /// Division of 32-bit integers by a fixed d ≥ 1 as a multiplication: ⌊x/d⌋ = ⌊x·c / 2⁶⁴⌋ with
    /// c = ⌈2⁶⁴/d⌉ for every x < 2³² (Lemire, Kaser & Kurz 2019, "Faster remainder by direct
    /// computation", Software: Practice and Experience 49(6), Theorem 1 with F = 64 ≥ 32 + log₂ d),
    /// so the quotient is the one integer division gives; d = 1 (c = 2⁶⁴) divides by returning x.
    struct Divisor {
        /// d.
        let d: UInt32
        /// ⌈2⁶⁴/d⌉ = ⌊(2⁶⁴ − 1)/d⌋ + 1 for d ≥ 2; unused for d = 1.
        let c: UInt64

        /// The divisor d ≥ 1.
        init(_ d: UInt32) {
            precondition(d >= 1, "division by zero")
            self.d = d
            c = d == 1 ? 0 : UInt64.max / UInt64(d) &+ 1
        }

        /// ⌊x/d⌋.
        @inline(__always)
        func quotient(_ x: UInt32) -> UInt32 {
            d == 1 ? x : UInt32(truncatingIfNeeded: c.multipliedFullWidth(by: UInt64(x)).high)
        }
    }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int(r, n)`), `scale` = `scale(n)`.
    @inline(__always)
    mutating func uniformInt(_ n: Int, scale: Divisor) -> Int {
        while true {
            let k = Int(scale.quotient(next()))
            if k < n { return k }
        }
    }

    /// Regenerates the 624 words (`mt_get`'s block step).
    private mutating func twist() {
        let n = Self.words, m = Self.shift
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func mix(_ kk: Int, _ next: Int, _ far: Int) {
                let y = (mt[kk] & 0x8000_0000) | (mt[next] & 0x7fff_ffff)
                mt[kk] = mt[far] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_b0df)
            }
            for kk in 0..<(n - m) { mix(kk, kk + 1, kk + m) }
            for kk in (n - m)..<(n - 1) { mix(kk, kk + 1, kk + m - n) }
            mix(n - 1, 0, m - 1)
        }
        position = 0
    }
}
