import AlignmentCore
import Foundation
import Testing

/// The divergence rules of `DivergenceMonitor` on policies with a prescribed log-ratio spread.
struct DivergenceMonitorTests {
    static let mu = Policy.uniform(contexts: 1, actions: 2)

    /// A two-response policy with logits (0, −d): its log-ratio spread to the uniform μ is d.
    static func policy(spread d: Double) throws -> Policy { try Policy(logits: [[0, -d]]) }

    /// Feeds spreads d(t) for t = 0…last and returns the first iteration that fails, if any.
    static func firstFailure(upTo last: Int, _ d: (Int) -> Double) throws -> (Int, String)? {
        var monitor = DivergenceMonitor()
        for t in 0...last {
            do {
                try monitor.observe(iteration: t, policy: policy(spread: d(t)), reference: mu)
            } catch let AlignmentCoreError.numericalFailure(iteration, reason) {
                return (iteration, reason)
            }
        }
        return nil
    }

    @Test func spreadIsTheLargestLogRatioRangeOverSupportedResponses() throws {
        // μ = (0.5, 0.25, 0.25, 0) and π = (0.25, 0.25, 0.5, 0): ρ = (log ½, 0, log 2) on the
        // supported responses, spread 2·log 2 = 1.3862943611198906 (the fourth response is outside
        // both supports and ignored). Second context π = μ: spread 0. Tolerance 1e-15.
        let mu = try Policy(probabilities: [[0.5, 0.25, 0.25, 0], [0.5, 0.25, 0.25, 0]])
        let pi = try Policy(probabilities: [[0.25, 0.25, 0.5, 0], [0.5, 0.25, 0.25, 0]])
        #expect(abs(DivergenceMonitor.logRatioSpread(pi, reference: mu) - 1.3862943611198906) < 1e-15)
        #expect(DivergenceMonitor.logRatioSpread(mu, reference: mu) == 0)
    }

    @Test(arguments: [1.0, 499.0, 1000.0, 1e6])
    func linearRampsAreNeverFlagged(slope: Double) throws {
        // D_t = c·t has constant increases, so it never accelerates — not even at the start, where
        // it doubles over 10 reports (t ≤ 20) past 10⁴ nats for c ≥ 500. 5,000 steps reach at most
        // 5e9 nats (c = 10⁶), below 2⁵².
        #expect(try Self.firstFailure(upTo: 5000) { slope * Double($0) } == nil)
    }

    @Test func quadraticGrowthQualifiesOnlyAsAnEarlyBurst() throws {
        // D_t = a·t² has increases a(2t − 1), growing by (2t − 1)/(2t − 3) ≥ 1.01 for t ≤ 101, and
        // doubles over 10 reports while t²/(t − 10)² ≥ 2, i.e. t ≤ 34. a = 100 reaches the floor
        // at t = 10 (D = 10⁴ exactly, D_0 = 0): flagged there — 10⁴ nats of accelerating growth in
        // 10 reports. a = 1 reaches 10⁴ only at t = 100, where 100²/90² = 1.23 < 2: never flagged.
        #expect(try Self.firstFailure(upTo: 100) { 100 * Double($0 * $0) }?.0 == 10)
        #expect(try Self.firstFailure(upTo: 10_000) { Double($0 * $0) } == nil)
    }

    @Test func geometricGrowthOfEightPercentIsCaughtWhenItPassesTheFloor() throws {
        // D_t = 1.08^t: the 10-report ratio 1.08¹⁰ = 2.159 ≥ 2 holds throughout, so the first failure is
        // the first t with 1.08^t ≥ 10⁴: t ≥ ln 10⁴ / ln 1.08 = 119.67 → t = 120.
        let failure = try Self.firstFailure(upTo: 1000) { pow(1.08, Double($0)) }
        #expect(failure?.0 == 120)
        // D_110 = 1.08¹¹⁰ = 4,750.9.
        #expect(failure?.1.hasPrefix("diverging: log π/μ spans 1.03e+04 nats after growing from 4.75e+03 with accelerating increases") == true)
    }

    @Test func slowGeometricGrowthIsCaughtAtTheCeiling() throws {
        // D_t = 1.07^t grows ×1.967 < 2 per 10 reports, so only the 2⁵² ceiling catches it: the first
        // t with 1.07^t > 2⁵² is ⌈52·ln 2 / ln 1.07⌉ = ⌈532.72⌉ = 533.
        let failure = try Self.firstFailure(upTo: 1000) { pow(1.07, Double($0)) }
        #expect(failure?.0 == 533)
        #expect(failure?.1.contains("beyond 2^52") == true)
    }

    @Test func aSingleDipResetsTheGrowthWindow() throws {
        // D_t = 1.5^t except D_30 = D_29 / 2: the monitor fires at t = 23 (first t with
        // 1.5^t ≥ 10⁴ is 22.7 → 23, ratio 1.5¹⁰ = 57.7) — the dip comes later; a sequence whose
        // growth is interrupted every 10th report never fires below the ceiling.
        #expect(try Self.firstFailure(upTo: 100) { pow(1.5, Double($0)) }?.0 == 23)
        let interrupted = try Self.firstFailure(upTo: 60) { t in
            pow(1.5, Double(t)) * (t % 10 == 0 ? 0.5 : 1)
        }
        // 1.5⁶⁰ = 3.7e10 < 2⁵², and no 11-report window is monotone (every 10th value dips).
        #expect(interrupted == nil)
    }

    @Test func aRepeatedIterationReplacesItsObservation() throws {
        // Iterations 0…10 report 1.08^t·10⁴ (growing ×2.16 over the window) but iteration 10 is first
        // reported with a dip and then again with the grown value: only the second counts, so the
        // monitor fires at iteration 10.
        var monitor = DivergenceMonitor()
        for t in 0..<10 { try monitor.observe(iteration: t, policy: Self.policy(spread: 1e4 * pow(1.08, Double(t))), reference: Self.mu) }
        try monitor.observe(iteration: 10, policy: Self.policy(spread: 1e4), reference: Self.mu)
        #expect(throws: AlignmentCoreError.self) {
            try monitor.observe(iteration: 10, policy: Self.policy(spread: 1e4 * pow(1.08, 10)), reference: Self.mu)
        }
    }
}
