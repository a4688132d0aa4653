import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Issue 9's divergence case through a whole sweep: a diverging run is recorded as failed with the
/// reason and the iteration, never as an `ok` pure policy.
struct DivergenceSweepTests {
    /// DPO, IPO loss, SGD, β = 0.5, exact feedback, cyclic RPS with strength 0.8, μ = (0.5, 0.3, 0.2),
    /// 200 iterations. The loss's largest curvature is 2.50388708 (numpy eigvalsh of its Hessian,
    /// see DPODivergenceTests), so SGD is stable only for η < 0.798758. Expected first failing
    /// iterations from a numpy re-implementation of the step and of the monitor's rules:
    /// η = 1 → 27, 3 → 10, 10 → 10, 30 → 9, 100 → 7; η = 0.5 converges and ends ok at 200.
    @Test func ipoWithSGDFailsAboveTheStabilityLimit() throws {
        let spec = try StoreSafetyTests.spec("""
        {"name": "div", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.8,
           "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]}}],
         "budget": {"iterations": 200}, "record_every": 10, "feedback": "exact",
         "algorithms": [{"id": "dpo", "params": {"optimizer": "sgd", "loss": "ipo", "beta": 0.5},
                         "grid": {"learning_rate": [0.5, 1, 3, 10, 30, 100]}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try StoreSafetyTests.run(spec, in: dir)
        #expect(report.planned == 6 && report.failed == 5)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        let expected = ["1": 27, "3": 10, "10": 10, "30": 9, "100": 7]
        for r in runs.dropFirst() {
            let rate = col(r, "learning_rate")
            if rate == "0.5" {
                #expect(col(r, "status") == "ok" && col(r, "iterations") == "200" && col(r, "error") == "")
            } else {
                let k = try #require(expected[rate])
                #expect(col(r, "status") == "failed")
                #expect(col(r, "error").hasPrefix("numerical failure at iteration \(k): diverging: log π/μ spans "), "\(col(r, "error"))")
                #expect(col(r, "iterations") == String(k - 1))
                #expect(col(r, "exploitability") == "")
            }
        }
        let policies = try readCSV(dir.appendingPathComponent("policies.csv"))
        #expect(policies.count == 1 + 3, "only the ok run has a final policy")
    }
}
