import AlignmentCore
import Foundation
import Testing

/// The in-place forms the plugins' iterations use (`LogSpace+InPlace.swift`,
/// `FeedbackOracle.preferenceVector(…, into:)`) give every bit of the allocating expressions the
/// plugins used before (written out here as the reference), so a plugin rewritten onto them keeps
/// its results byte for byte. Vectors are drawn from a seeded generator (the seed is the test's
/// argument) with responses outside the support (−∞) in some of them.
struct LogSpaceInPlaceTests {
    /// (seed, length n, number of −∞ entries).
    static let cases: [(UInt64, Int, Int)] = [(1, 1, 0), (2, 3, 0), (3, 10, 0), (4, 10, 3), (5, 64, 1), (6, 257, 17)]

    /// A log-probability vector: normal logits, `outside` of them −∞, normalised.
    static func logProbabilities(_ rng: RandomSource, n: Int, outside: Int) -> [Double] {
        var x = (0..<n).map { _ in rng.normal(sd: 2) }
        for i in 0..<min(outside, n - 1) { x[(i * 7) % n] = -.infinity }
        return LogSpace.normalize(x)
    }

    static func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

    @Test(arguments: cases)
    func stepFromCentreIsTheAllocatingStep(seed: UInt64, n: Int, outside: Int) {
        let rng = RandomSource(seed: seed)
        let centre = Self.logProbabilities(rng, n: n, outside: outside)
        let g = (0..<n).map { _ in rng.uniform() }
        for eta in [0.1, 1, 7.5] {
            var out = [Double](repeating: .nan, count: n)
            LogSpace.step(from: centre, along: g, by: eta, into: &out)
            let reference = LogSpace.normalize(centre.indices.map { centre[$0] + eta * g[$0] })
            #expect(Self.bits(out) == Self.bits(reference), "seed \(seed), η = \(eta)")
        }
    }

    @Test(arguments: cases)
    func mixtureExponentialsNormalizeAndSoftmaxAreTheAllocatingForms(seed: UInt64, n: Int, outside: Int) {
        let rng = RandomSource(seed: seed)
        let a = Self.logProbabilities(rng, n: n, outside: outside)
        let b = Self.logProbabilities(rng, n: n, outside: 0)
        let logits = (0..<n).map { _ in rng.normal(mean: 3, sd: 5) }
        for w in [0, 0.37, 1] {
            var out = [Double](repeating: .nan, count: n)
            LogSpace.geometricMixture(a, b, weight: w, into: &out)
            #expect(Self.bits(out) == Self.bits(LogSpace.geometricMixture(a, b, weight: w)), "seed \(seed), w = \(w)")
        }
        var out = [Double](repeating: .nan, count: n)
        LogSpace.exponentials(a, into: &out)
        #expect(Self.bits(out) == Self.bits(a.map { exp($0) }), "seed \(seed)")
        LogSpace.normalize(logits, into: &out)
        #expect(Self.bits(out) == Self.bits(LogSpace.normalize(logits)), "seed \(seed)")
        LogSpace.softmax(logits, into: &out)
        #expect(Self.bits(out) == Self.bits(LogSpace.softmax(logits)), "seed \(seed)")
    }

    /// MMD's step (Sokota et al. 2023), as MMD, MPO and COMAL wrote it before, for τ > 0 and τ = 0
    /// (where w·(−∞) must read as 0).
    @Test(arguments: cases)
    func magneticStepIsTheAllocatingStep(seed: UInt64, n: Int, outside: Int) {
        let rng = RandomSource(seed: seed)
        let start = Self.logProbabilities(rng, n: n, outside: 0)
        let magnet = Self.logProbabilities(rng, n: n, outside: outside)
        let g = (0..<n).map { _ in rng.uniform() }
        for (eta, tau) in [(0.1, 0.1), (1.0, 0.0), (50.0, 0.1), (0.3, 3.0)] {
            let w = eta * tau, shrink = 1 / (1 + w)
            var x = start
            LogSpace.magneticStep(&x, magnet: magnet, along: g, by: eta, weight: w)
            let reference = LogSpace.normalize(start.indices.map { shrink * (start[$0] + LogSpace.scaled(w, magnet[$0]) + eta * g[$0]) })
            #expect(Self.bits(x) == Self.bits(reference), "seed \(seed), η = \(eta), τ = \(tau)")
        }
    }

    /// `preferenceVector(…, into:)` in exact feedback is P q (the allocating call's bits), and in
    /// sampled feedback draws the same labels from the same generators as the allocating call.
    @Test(arguments: [FeedbackMode.exact, .sampled])
    func preferenceVectorIntoIsTheAllocatingCall(mode: FeedbackMode) throws {
        let rng = RandomSource(seed: 23)
        let preferences = try (0..<2).map { _ in try PreferenceMatrix.fromUpperTriangle(size: 7) { _, _ in rng.uniform() } }
        let mu = try Policy(logits: (0..<2).map { _ in (0..<7).map { _ in rng.normal() } })
        let problem = try Problem(preferences: preferences, reference: mu, isTransitive: false)
        let allocating = FeedbackOracle(problem: problem, mode: mode, queryBudget: nil, rng: RandomSource(seed: 5))
        let inPlace = FeedbackOracle(problem: problem, mode: mode, queryBudget: nil, rng: RandomSource(seed: 5))
        let rngA = RandomSource(seed: 6), rngB = RandomSource(seed: 6)
        var y = [Double](repeating: .nan, count: 7)
        for (step, x) in [0, 1, 1, 0].enumerated() {
            let q = mu.probabilities[x]
            let expected = try allocating.preferenceVector(context: x, against: q, labelsPerResponse: 3, rng: rngA)
            try inPlace.preferenceVector(context: x, against: q, labelsPerResponse: 3, rng: rngB, into: &y)
            #expect(Self.bits(y) == Self.bits(expected), "\(mode), call \(step)")
        }
        #expect(allocating.queries == inPlace.queries)
        #expect(allocating.exactEvaluations == inPlace.exactEvaluations)
    }
}
