import CGSL

/// Process-wide GSL set-up and generator seeding: the one place that turns GSL's aborting error
/// handler off and seeds an MT19937 generator from a 64-bit seed.
public enum GSLSetup {
    /// Turns GSL's aborting error handler off (idempotent; every entry point that uses GSL calls it,
    /// so library users need not remember to).
    public static func configure() { _ = configured }

    private static let configured: Bool = {
        cgsl_disable_abort()
        return true
    }()

    /// The 32-bit seed MT19937 is given for a 64-bit seed: the fold (s ⊕ s >> 32) mod 2³², with
    /// a fold of 0 replaced by 0x9e3779b9 (GSL maps seed 0 to its default 4357, which would make
    /// seeds folding to 0 and to 4357 give the same stream).
    public static func mt19937Seed(_ seed: UInt64) -> UInt {
        let folded = (seed ^ (seed >> 32)) & 0xffff_ffff
        return UInt(folded == 0 ? 0x9e37_79b9 : folded)
    }

    /// A new MT19937 generator (gsl_rng_mt19937) seeded with `mt19937Seed(seed)`; the caller frees
    /// it with `gsl_rng_free`.
    /// - Parameter seed: any 64-bit value; equal seeds give equal streams in every process.
    public static func mt19937(seed: UInt64) -> UnsafeMutablePointer<gsl_rng> {
        configure()
        guard let r = gsl_rng_alloc(cgsl_rng_mt19937()) else { fatalError("gsl_rng_alloc failed (out of memory)") }
        gsl_rng_set(r, mt19937Seed(seed))
        return r
    }
}
