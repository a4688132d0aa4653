import CGSL
import Foundation
import StableFloor

/// A per-run random number generator: GSL's MT19937 (docs/ARCHITECTURE.md, "Seeds").
///
/// Not `Sendable`: each run owns its generator and never shares it between threads.
/// MT19937 uses 32 bits of seed; `init(seed:)` folds the 64-bit seed into them
/// (`GSLSetup.mt19937Seed`).
public final class RandomSource {
    private let rng: OpaquePointer

    /// The 64-bit seed this generator was created with.
    public let seed: UInt64

    /// Creates an MT19937 generator.
    /// - Parameter seed: any 64-bit value; equal seeds give equal streams in every process.
    public init(seed: UInt64) {
        self.rng = OpaquePointer(GSLSetup.mt19937(seed: seed))
        self.seed = seed
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(rng)) }

    /// A child generator with a seed derived from this one's seed and `stream`
    /// (`SeedDerivation.child`; independent of how many numbers have been drawn).
    public func child(_ stream: String) -> RandomSource {
        RandomSource(seed: SeedDerivation.child(of: seed, stream: stream))
    }

    private var ptr: UnsafePointer<gsl_rng> { UnsafePointer(rng) }

    /// U[0, 1) (gsl_rng_uniform).
    public func uniform() -> Double { gsl_rng_uniform(ptr) }

    /// U(0, 1), never 0 (gsl_rng_uniform_pos).
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(ptr) }

    /// A uniform integer in 0..<n (gsl_rng_uniform_int).
    public func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs n > 0")
        return Int(gsl_rng_uniform_int(ptr, UInt(n)))
    }

    /// N(mean, sd²) (gsl_ran_gaussian_ziggurat).
    public func normal(mean: Double = 0, sd: Double = 1) -> Double {
        mean + gsl_ran_gaussian_ziggurat(ptr, sd)
    }

    /// Bernoulli(p): true with probability p.
    public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// A draw from the categorical distribution with the given probabilities (need not be
    /// normalised; must be non-negative with a positive sum).
    /// - Complexity: O(n).
    public func categorical(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        precondition(total > 0 && total.isFinite, "categorical needs positive finite total weight")
        let u = uniform() * total
        var acc = 0.0
        for (i, w) in weights.enumerated() {
            acc += w
            if u < acc { return i }
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? (weights.count - 1)
    }

    /// Counts of `trials` independent draws from the categorical distribution `probabilities`
    /// (need not be normalised; non-negative with a positive sum), by conditional binomials
    /// (gsl_ran_multinomial; Davis 1993, "The computer generation of multinomial random variates").
    /// - Precondition: 0 ≤ trials ≤ UInt32.max, a non-empty, non-negative, finite, positive-sum
    ///   `probabilities`.
    /// - Complexity: O(K) binomial draws for K categories, independent of `trials`.
    public func multinomial(trials: Int, probabilities: [Double]) -> [Int] {
        precondition(trials >= 0 && trials <= Int(UInt32.max), "multinomial trials out of range")
        precondition(!probabilities.isEmpty && probabilities.allSatisfy { $0 >= 0 && $0.isFinite }
                     && probabilities.reduce(0, +) > 0, "multinomial needs non-negative finite weights with a positive sum")
        var counts = [UInt32](repeating: 0, count: probabilities.count)
        probabilities.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { n in
                gsl_ran_multinomial(ptr, p.count, UInt32(trials), p.baseAddress, n.baseAddress)
            }
        }
        return counts.map { Int($0) }
    }

    /// A draw from π(· | x) given log-probabilities.
    public func sample(logProbabilities lp: [Double]) -> Int {
        categorical(lp.map { exp($0) })
    }
}
