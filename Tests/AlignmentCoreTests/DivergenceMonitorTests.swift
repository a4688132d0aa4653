import AlignmentCore
import Foundation
import Testing

/// The divergence rules of `DivergenceMonitor` on prescribed log-ratio spreads. Expected
/// iterations are derived by hand from the rule (stated per test) and were cross-checked with an
/// independent Python re-implementation of the rule.
struct DivergenceMonitorTests {
    static let mu = Policy.uniform(contexts: 1, actions: 2)

    /// A two-response policy with logits (0, −d): its log-ratio spread to the uniform μ is d.
    static func policy(spread d: Double) throws -> Policy { try Policy(logits: [[0, -d]]) }

    /// Feeds spreads d(t) for t = 0…last and returns the first iteration that fails, if any.
    static func firstFailure(upTo last: Int, _ d: (Int) -> Double) throws -> (Int, String)? {
        var monitor = DivergenceMonitor()
        for t in 0...last {
            do {
                try monitor.observe(iteration: t, spread: d(t))
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

    /// D_t = 0.5·rᵗ reaches the floor 8 at t₀ = ln 16/ln r and each further level 2ᵏ·8 after
    /// ln 2/ln r more; the fifth record (level 4, D = 128) is made at the first report
    /// ≥ t₀ + 4·ln 2/ln r = 6·ln 2/ln r: r = 1.003 → 1851.3 → 1852 (the 0.3 %-per-step growth of
    /// SGD just above its stability limit); 1.5 → 13.7 → 14; 2 → 12 − 4 = 8 exactly; r = 249
    /// crosses ~8 levels per report, one record per report: records at t = 1…5 → 5.
    @Test(arguments: [(1.003, 1852), (1.5, 14), (2.0, 8), (249.0, 5)])
    func geometricGrowthIsCaughtAfterFiveRecords(rate: Double, iteration: Int) throws {
        let failure = try Self.firstFailure(upTo: 100_000) { 0.5 * pow(rate, Double($0)) }
        #expect(failure?.0 == iteration)
        #expect(failure?.1.hasPrefix("diverging: log π/μ spans ") == true, "\(failure?.1 ?? "")")
        #expect(failure?.1.contains("has doubled every") == true)
    }

    /// D_t = c·tᵖ has doubling times growing by 2^{1/p} (2, 1.41, 1.26, 1.19 for p = 1…4), all
    /// above 1.15: never flagged, over 20,000 reports or until c·tᵖ reaches 2⁵¹ (below the
    /// ceiling), for scales c from 0.01 to 10⁴.
    @Test(arguments: [1, 2, 3, 4])
    func powerGrowthIsNeverFlagged(power: Int) throws {
        for c in [0.01, 1, 100, 1e4] {
            let last = min(20_000, Int(pow(0x1p51 / c, 1 / Double(power))))
            #expect(try Self.firstFailure(upTo: last) { c * pow(Double($0), Double(power)) } == nil, "c = \(c)")
        }
    }

    /// Convergence to a regularized optimum with D* = 1/τ = 1000 nats, D_t = 1000(1 − 0.999ᵗ),
    /// logarithmic growth 50·ln(1 + t) (DPO on deterministic preferences) and a single jump from
    /// 10 to 10¹² nats that then stays: never flagged in 20,000 reports.
    @Test func convergenceLogarithmicGrowthAndASingleJumpAreNeverFlagged() throws {
        #expect(try Self.firstFailure(upTo: 20_000) { 1000 * (1 - pow(0.999, Double($0))) } == nil)
        #expect(try Self.firstFailure(upTo: 20_000) { 50 * log1p(Double($0)) } == nil)
        #expect(try Self.firstFailure(upTo: 20_000) { $0 == 0 ? 0 : ($0 == 1 ? 10 : 1e12) } == nil)
    }

    @Test func slowGrowthBeyondTheCeilingIsCaught() throws {
        // D_t = 10¹⁵·t grows linearly (never geometric) and first exceeds 2⁵² = 4.5036e15 at t = 5.
        let failure = try Self.firstFailure(upTo: 100) { 1e15 * Double($0) }
        #expect(failure?.0 == 5)
        #expect(failure?.1.contains("beyond 2^52") == true)
    }

    @Test func aSpreadBelowTheFloorDiscardsTheRecords() throws {
        // D_t = 0.5·2ᵗ (records at t = 4…8) except D_7 = 1 < 8: t = 7 discards the records of
        // t = 4…6; t = 8 (D = 128) records again, and the fifth record is at t = 12 (D = 2048).
        #expect(try Self.firstFailure(upTo: 100) { $0 == 7 ? 1 : 0.5 * pow(2, Double($0)) }?.0 == 12)
    }

    @Test func aRepeatedIterationReplacesItsObservation() throws {
        // 0.5·2ᵗ for t = 0…7 records levels at t = 4…7; iteration 8 first reported with D = 1
        // (which would discard the records) and then again with 128: only the second counts, and
        // it is the fifth record.
        var monitor = DivergenceMonitor()
        for t in 0..<8 { try monitor.observe(iteration: t, policy: Self.policy(spread: 0.5 * pow(2, Double(t))), reference: Self.mu) }
        try monitor.observe(iteration: 8, policy: Self.policy(spread: 1), reference: Self.mu)
        #expect(throws: AlignmentCoreError.self) {
            try monitor.observe(iteration: 8, policy: Self.policy(spread: 128), reference: Self.mu)
        }
    }
}
