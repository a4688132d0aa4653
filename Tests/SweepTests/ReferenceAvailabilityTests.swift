import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A reference solution (π*_τ, the unique Nash equilibrium) that the harness cannot compute must
/// never fail the algorithm's run: its metrics are blank and the reason is in `error` of the ok run.
struct ReferenceAvailabilityTests {
    static func run(_ text: String) throws -> (header: [String], rows: [[String]], dir: URL) {
        let spec = try testSpec(text)
        let dir = try temporaryDirectory()
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
        let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
        return (runs[0], Array(runs.dropFirst()), dir)
    }

    /// The case: spec τ = 1e-7 on RPS (strength 0.8) with μ = (0.6, 0.3, 0.1) failed every
    /// run at iteration 0 (GSL status 9 inside the π*_τ solver). Now the run is ok and
    /// kl_from_regularized_equilibrium = KL(π*_τ‖π) with π*_τ from an independent 60-digit mpmath
    /// solve (see EquilibriaSmallTauTests) and π from policies.csv, to 1e-12.
    @Test func tinySpecTauIsSolvedAndTheRunIsOk() throws {
        let (h, rows, dir) = try Self.run("""
        {"name": "tiny", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.8}],
         "reference": {"kind": "given", "probabilities": [0.6, 0.3, 0.1]}, "budget": {"iterations": 20},
         "tau": 1e-7, "algorithms": [{"id": "exact-only", "params": {"tau": 0.1, "eta": 0.5}}]}
        """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try #require(rows.first)
        #expect(r[h.firstIndex(of: "status")!] == "ok")
        #expect(r[h.firstIndex(of: "error")!] == "")
        #expect(r[h.firstIndex(of: "eval_tau")!] == "1e-07")
        let star = [0.33333342488440915789, 0.33333318402005267821, 0.3333333910955381639]
        let policy = try readCSV(dir.appendingPathComponent("policies.csv")).dropFirst().map { Double($0[3])! }
        let kl = zip(star, policy).reduce(0) { $0 + $1.0 * log($1.0 / $1.1) }
        let measured = try #require(Double(r[h.firstIndex(of: "kl_from_regularized_equilibrium")!]))
        #expect(abs(measured - kl) < 1e-12)
    }

    /// A run's own τ = 1e-300 (outside the spec's range, accepted by the plugin) on the 4-action
    /// tournament, whose Nash equilibria form a segment, with μ ∝ 2^{−y}: π*_τ would be decided by
    /// terms below double precision. The run's own τ is outside the evaluation range (0 or
    /// [1e-12, 1e6], the spec's `tau` range), so both τ-metrics are blank (no τ is evaluated, no
    /// solver runs); the run stays ok, the other metrics are there, and the reason is recorded.
    @Test func unavailableReferenceLeavesTheMetricBlankWithAReason() throws {
        let (h, rows, dir) = try Self.run("""
        {"name": "unavailable", "environments": [{"id": "c4", "kind": "cyclic", "actions": 4}],
         "reference": {"kind": "given", "probabilities": [0.5333333333333333, 0.26666666666666666, 0.13333333333333333, 0.06666666666666667]},
         "budget": {"iterations": 5}, "algorithms": [{"id": "exact-only", "params": {"tau": 1e-300, "eta": 0.5}}]}
        """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try #require(rows.first)
        func cell(_ name: String) -> String { r[h.firstIndex(of: name)!] }
        #expect(cell("status") == "ok")
        #expect(cell("kl_from_regularized_equilibrium") == "")
        #expect(cell("error") == "regularized_gap, kl_from_regularized_equilibrium, restricted_gap and kl_from_restricted_equilibrium are blank: the run's tau = 1e-300 is outside "
                + "the evaluation range (0 or a number in [1e-12, 1000000]); give the spec a top-level tau to measure them")
        #expect(cell("regularized_gap") == "" && cell("eval_tau") == "")
        #expect(Double(cell("exploitability")) != nil)
        #expect(cell("nash_distance") == "")   // the equilibrium is not unique (not a failure: no note)
        #expect(!cell("error").contains("nash_distance"))
    }

    /// The spec's `tau` is 0 or in [1e-12, 1e6] (see `EvaluationTau.supported`).
    @Test(arguments: [1e-13, 2e6, 1e-300])
    func specTauOutsideTheSupportedRangeIsRefused(tau: Double) throws {
        let text = """
        {"name": "t", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 5},
         "tau": \(CanonicalNumber.format(tau)), "algorithms": [{"id": "exact-only"}]}
        """
        #expect(throws: SweepError.spec(file: "spec.json", path: "$.tau", message: "\(CanonicalNumber.format(tau)) is out of range",
                                        allowed: "0 (no regularization) or a number in [1e-12, 1000000]")) {
            _ = try testSpec(text)
        }
    }

    @Test(arguments: [0.0, 1e-12, 1e6])
    func specTauAtTheEndsOfTheRangeIsAccepted(tau: Double) throws {
        let spec = try testSpec("""
        {"name": "t", "environments": [{"id": "rps", "kind": "cyclic"}], "budget": {"iterations": 5},
         "tau": \(CanonicalNumber.format(tau)), "algorithms": [{"id": "exact-only"}]}
        """)
        #expect(spec.tau == tau)
    }
}
