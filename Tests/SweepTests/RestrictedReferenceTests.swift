import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// The restricted equilibrium π*_Φ in a sweep: `restricted_gap` and
/// `kl_from_restricted_equilibrium` are measured for tabular and log-linear runs on an environment
/// with a `features` block, blank (without a note) on one without, solved only when a listed
/// metric needs it, and a `select_by` on them is refused where they are not measured.
struct RestrictedReferenceTests {
    static let feat = #"{"id": "feat", "kind": "random", "actions": 5, "contexts": 3, "seed": 4, "features": {"kind": "random", "dimension": 2, "seed": 9}}"#
    static let plain = #"{"id": "plain", "kind": "random", "actions": 5, "contexts": 3, "seed": 4}"#
    static let logLinear = #"{"id": "nash-md-pg", "params": {"tau": 0.2, "beta": 0}, "policy_class": "log-linear", "label": "pg-linear"}"#
    static let tabular = #"{"id": "nash-md", "params": {"tau": 0.2}}"#

    /// A spec on `environments` with `algorithms`; `extra` is appended to the top-level object.
    static func spec(_ environments: [String], _ algorithms: [String], extra: String = "") -> String {
        """
        {"name": "restricted", "environments": [\(environments.joined(separator: ", "))],
         "reference": {"kind": "softmax-normal", "scale": 1.0}, "feedback": "exact", "budget": {"iterations": 30}, "tau": 0.2,
         "algorithms": [\(algorithms.joined(separator: ", "))]\(extra)}
        """
    }

    /// Every run on "feat": the columns hold G_τ(π) − G_τ(π*_Φ) and KL(π*_Φ‖π) with π from
    /// policies.csv and π*_Φ solved here (1e-12); the note is empty. On "plain" both are blank and
    /// the note is empty too (an unmet requirement is not a failure).
    @Test func measuredWithFeaturesBlankWithout() throws {
        for text in [Self.spec([Self.feat], [Self.logLinear, Self.tabular]), Self.spec([Self.feat, Self.plain], [Self.tabular])] {
            let parsed = try testSpec(text)
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            _ = try SweepRunner.run(parsed, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
            let runs = try readCSV(dir.appendingPathComponent("runs.csv"))
            let h = runs[0]
            let policies = try readCSV(dir.appendingPathComponent("policies.csv"))
            let env = try #require(parsed.environments.first { $0.id == "feat" })
            let problem = try ProblemFactory.problem(env, spec: parsed, replicate: 0)
            let features = FeatureMap(randomContexts: 3, actions: 5, dimension: 2, seed: 9)
            let star = try RestrictedEquilibriumSolver.solve(problem: problem, features: features, tau: 0.2).policy
            #expect(runs.count == 3)
            for r in runs.dropFirst() {
                func cell(_ name: String) -> String { r[h.firstIndex(of: name)!] }
                #expect(cell("status") == "ok" && cell("error") == "")
                guard cell("environment") == "feat" else {
                    #expect(cell("restricted_gap") == "" && cell("kl_from_restricted_equilibrium") == "")
                    #expect(Double(cell("regularized_gap")) != nil)
                    continue
                }
                let rows = policies.dropFirst().filter { $0[0] == cell("run_id") }
                let probabilities = (0..<3).map { x in (0..<5).map { y in Double(rows.first { $0[1] == "\(x)" && $0[2] == "\(y)" }![3])! } }
                let pi = try Policy(probabilities: probabilities)
                let gap = try #require(Double(cell("restricted_gap")))
                #expect(abs(gap - (GameMetrics.regularizedGap(problem, pi, tau: 0.2) - GameMetrics.regularizedGap(problem, star, tau: 0.2))) <= 1e-12)
                let kl = try #require(Double(cell("kl_from_restricted_equilibrium")))
                #expect(abs(kl - GameMetrics.kl(problem, star, pi)) <= 1e-12)
            }
        }
    }

    /// The ground truth follows the listed metrics: without a restricted metric π*_Φ is not solved.
    @Test func solvedOnlyWhenAListedMetricNeedsIt() throws {
        let problem = try Harness2.problem()
        let features = FeatureMap(randomContexts: 2, actions: 4, dimension: 2, seed: 3)
        #expect(referenceSolutions(problem: problem, tau: 0.2, features: features).restricted != nil)
        #expect(referenceSolutions(problem: problem, tau: 0.2, features: features, requirements: [.evaluationTau, .regularizedEquilibrium]).restricted == nil)
        #expect(referenceSolutions(problem: problem, tau: nil, features: features).restricted == nil)
        #expect(referenceSolutions(problem: problem, tau: 0.2).restricted == nil)
        let spec = try testSpec(Self.spec([Self.feat], [Self.tabular], extra: #", "metrics": ["exploitability", "regularized_gap"]"#))
        #expect(!spec.metricRequirements.contains(.restrictedEquilibrium))
        let all = try testSpec(Self.spec([Self.feat], [Self.tabular]))
        #expect(all.metricRequirements.contains(.restrictedEquilibrium))
    }

    /// A `select_by` on a restricted metric is refused naming the environment without features.
    @Test func selectionWhereNotMeasuredIsRefused() throws {
        #expect {
            try testSpec(Self.spec([Self.feat, Self.plain], [Self.tabular], extra: #", "select_by": {"metric": "restricted_gap"}"#))
        } throws: { error in
            "\(error)".contains(#"restricted_gap is not measured on environment "plain": it has no features block (the restricted equilibrium needs one)"#)
        }
    }

    /// A small problem for the direct calls (2 contexts × 4 actions, seeded uniform P, uniform μ).
    enum Harness2 {
        static func problem() throws -> Problem {
            let rng = RandomSource(seed: 12)
            let ps = try (0..<2).map { _ in try PreferenceMatrix.fromUpperTriangle(size: 4) { _, _ in rng.uniform() } }
            return try Problem(preferences: ps, reference: .uniform(contexts: 2, actions: 4), isTransitive: false)
        }
    }
}
