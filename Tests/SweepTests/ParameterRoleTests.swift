import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A run's own τ comes from the parameter its plugin declares with `ParameterRole.regularization`,
/// whatever its name; a parameter merely *named* `tau` is not τ.
struct ParameterRoleTests {
    static let spec = """
    {
      "name": "roles",
      "environments": [{"id": "rps", "kind": "cyclic"}],
      "reference": {"kind": "given", "probabilities": [0.5, 0.3, 0.2]},
      "budget": {"iterations": 20},
      "seeds": 1,
      "algorithms": [
        {"id": "exact-only", "label": "named-tau", "params": {"eta": 0.5, "tau": 0.3}},
        {"id": "lambda-regularized", "label": "named-lambda", "params": {"eta": 0.5, "lambda": 0.3}},
        {"id": "undeclared-tau", "label": "no-role", "params": {"tau": 0.3}}
      ]
    }
    """

    @Test func theEvaluationTauIsReadFromTheDeclaredParameter() throws {
        let spec = try testSpec(Self.spec)
        #expect(EvaluationTau.of(spec: spec, algorithm: 0, point: 0) == 0.3)
        #expect(EvaluationTau.of(spec: spec, algorithm: 1, point: 0) == 0.3)
        #expect(EvaluationTau.of(spec: spec, algorithm: 2, point: 0) == nil)
        // A top-level tau still wins for every algorithm, including one without a declared τ.
        let top = try testSpec(Self.spec.replacingOccurrences(of: "\"seeds\": 1,", with: "\"seeds\": 1, \"tau\": 0.2,"))
        for a in top.algorithms.indices { #expect(EvaluationTau.of(spec: top, algorithm: a, point: 0) == 0.2) }
    }

    @Test func theOutOfRangeNoteNamesTheDeclaredParameter() throws {
        let spec = try testSpec(Self.spec.replacingOccurrences(of: "\"eta\": 0.5, \"lambda\": 0.3", with: "\"eta\": 1e-8, \"lambda\": 1e7"))
        let setup = spec.algorithms[1]
        let note = EvaluationTau.note(spec: spec, descriptor: setup.descriptor, parameters: setup.points[0].parameters)
        #expect(note?.hasPrefix("regularized_gap, kl_from_regularized_equilibrium, restricted_gap and kl_from_restricted_equilibrium are blank: the run's lambda = 10000000 ") == true)
    }

    /// The same mirror descent with τ named `tau` and with τ named `lambda` produces the same policy,
    /// so its regularized gap — measured at the declared τ = 0.3 — is the same bit for bit; the
    /// plugin without a declared τ has no regularized gap (no evaluation τ).
    @Test func aRunMeasuresTheRenamedTau() throws {
        let spec = try testSpec(Self.spec)
        let plans = try GridExpansion.plan(spec)
        let cache = EvaluationCache(spec: spec)
        let records = plans.map { RunExecutor.execute($0, spec: spec, cache: cache) }
        for r in records { #expect(r.status == .ok, "\(r.error ?? "")") }
        let named = try #require(records[0].finalMetrics["regularized_gap"])
        let lambda = try #require(records[1].finalMetrics["regularized_gap"])
        #expect(named.bitPattern == lambda.bitPattern)
        #expect(named > 0)
        #expect(records[2].finalMetrics["regularized_gap"] == nil)
        #expect(records[2].finalMetrics["exploitability"] != nil)
    }
}
