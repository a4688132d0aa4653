import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// `EvaluationCache` keeps what runs share: a fixed environment's instance for the whole sweep, a
/// per-run environment's instance (one per replicate) until the last planned run on it finished.
struct EvaluationCacheTests {
    /// 2 algorithm entries × (1 fixed + 1 per-run environment) × 3 seeds = 12 runs.
    static let text = """
    {
      "name": "cache",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "seed": "per-run"}
      ],
      "budget": {"iterations": 10},
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [
        {"id": "exact-only", "params": {"tau": 0.1}},
        {"id": "exact-only", "label": "again", "params": {"tau": 0.1}}
      ]
    }
    """

    @Test func perRunInstancesAreDroppedAfterTheirLastRun() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        #expect(plans.count == 12)
        let cache = EvaluationCache(spec: spec, plans: plans)
        // Every run's problem and solutions requested first: 1 fixed + 3 per-run instances.
        var before: [Int: [Double]] = [:]
        for p in plans {
            let problem = try cache.problem(environment: p.environment, replicate: p.replicate)
            _ = try cache.solutions(environment: p.environment, replicate: p.replicate, tau: 0.1)
            if p.environment == 1 { before[p.replicate] = problem.preferences[0].entries }
        }
        #expect(cache.heldInstances == 4)
        // Replicate 0 of r4 has two runs (one per algorithm entry): the first leaves it held.
        let r0 = plans.filter { $0.environment == 1 && $0.replicate == 0 }
        #expect(r0.count == 2)
        cache.finished(r0[0])
        #expect(cache.heldInstances == 4)
        cache.finished(r0[1])
        #expect(cache.heldInstances == 3)
        // The fixed environment's runs never drop it.
        for p in plans where p.environment == 0 { cache.finished(p) }
        #expect(cache.heldInstances == 3)
        for p in plans where p.environment == 1 && p.replicate > 0 { cache.finished(p) }
        #expect(cache.heldInstances == 1)
        // A dropped instance asked for again is rebuilt identical (it depends only on the spec).
        let again = try cache.problem(environment: 1, replicate: 0)
        #expect(again.preferences[0].entries == before[0])
    }

    /// Without plans (the default) nothing is ever dropped.
    @Test func withoutPlansNothingIsDropped() throws {
        let spec = try testSpec(Self.text)
        let plans = try GridExpansion.plan(spec)
        let cache = EvaluationCache(spec: spec)
        for p in plans { _ = try cache.problem(environment: p.environment, replicate: p.replicate) }
        for p in plans { cache.finished(p) }
        #expect(cache.heldInstances == 4)
    }
}
