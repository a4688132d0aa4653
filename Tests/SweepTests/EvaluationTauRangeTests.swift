import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A run's own `tau` is an evaluation τ only inside the same range as the spec's `tau`
/// (0 or [1e-12, 1e6], `EvaluationTau.supported`); outside it the τ-metrics are blank with a note
/// (issue 9 review: mmd with tau 1e-300, 1e8, 1e300 reported regularized metrics with no note; at
/// τ = 1e8 regularized_gap was 8.95e-9 at π ≈ μ, pure rounding).
struct EvaluationTauRangeTests {
    @Test(arguments: [(1e-300, false), (1e-13, false), (1e-12, true), (0.1, true), (1e6, true), (1e8, false), (1e300, false), (0, true)])
    func ownTauIsEvaluableOnlyInTheSpecRange(tau: Double, evaluable: Bool) {
        #expect(EvaluationTau.isEvaluable(tau) == evaluable)
    }

    @Test func outOfRangeOwnTauBlanksTheTauMetricsWithANote() throws {
        let spec = try StoreSafetyTests.spec("""
        {"name": "taus", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.8,
           "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]}}],
         "budget": {"iterations": 20}, "record_every": 10, "feedback": "exact",
         "algorithms": [{"id": "mmd", "grid": {"tau": [1e-300, 0.1, 1e8, 1e300]}}]}
        """)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try StoreSafetyTests.run(spec, in: dir)
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        let h = runs[0]
        func col(_ r: [String], _ n: String) -> String { r[h.firstIndex(of: n)!] }
        let parameters = try parameterValues(dir)
        var checked = 0
        for r in runs.dropFirst() where col(r, "status") == "ok" {
            let tau = parameters[col(r, "run_id")]?["tau"] ?? ""
            if tau == "0.1" {
                #expect(col(r, "eval_tau") == "0.1" && Double(col(r, "regularized_gap")) != nil
                        && Double(col(r, "kl_from_regularized_equilibrium")) != nil && col(r, "error") == "")
            } else {
                checked += 1
                #expect(col(r, "eval_tau") == "" && col(r, "regularized_gap") == "" && col(r, "kl_from_regularized_equilibrium") == "")
                #expect(col(r, "error") == "regularized_gap, kl_from_regularized_equilibrium, restricted_gap and kl_from_restricted_equilibrium are blank: the run's tau = \(tau) "
                        + "is outside the evaluation range (0 or a number in [1e-12, 1000000]); give the spec a top-level tau to measure them",
                        "\(col(r, "error"))")
                #expect(Double(col(r, "exploitability")) != nil)
            }
        }
        #expect(checked >= 2, "at least τ = 1e8 and one other out-of-range run end ok")
        // With the spec's top-level tau, the run's own τ does not matter: every run is measured there.
        let measured = try StoreSafetyTests.spec("""
        {"name": "taus2", "tau": 0.5, "environments": [{"id": "rps", "kind": "cyclic"}],
         "budget": {"iterations": 5}, "feedback": "exact", "algorithms": [{"id": "mmd", "grid": {"tau": [1e300]}}]}
        """)
        #expect(EvaluationTau.of(spec: measured, algorithm: 0, point: 0) == 0.5)
    }
}
