import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A spec's `metrics`: the sweep solves only the ground truth the listed metrics need, leaves the
/// other metric columns blank, and keeps every default spec's fingerprints unchanged.
struct MetricSelectionTests {
    static let base = """
    {"name": "sel", "environments": [{"id": "rps", "kind": "cyclic", "strength": 0.8}],
     "budget": {"iterations": 10}, "tau": 0.1,METRICS "algorithms": [{"id": "exact-only", "params": {"tau": 0.1, "eta": 0.5}}]}
    """

    /// The base spec with `extra` top-level members.
    static func spec(_ extra: String) -> String { base.replacingOccurrences(of: "METRICS", with: extra) }

    /// Rock–paper–scissors (strength 0.8, uniform μ) has the unique equilibrium uniform and, by
    /// symmetry, π*_τ = uniform: with every requirement both are computed (each probability 1/3 to
    /// 1e-12); with none, neither is (nil) and nothing is noted as unavailable.
    @Test func referenceSolutionsFollowTheRequirements() throws {
        let spec = try testSpec(Self.spec(""))
        let problem = try ProblemFactory.problem(spec.environments[0], spec: spec, replicate: 0)
        let all = referenceSolutions(problem: problem, tau: 0.1)
        for policy in [try #require(all.regularized), try #require(all.uniqueNash)] {
            for v in policy.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) <= 1e-12) }
        }
        let none = referenceSolutions(problem: problem, tau: 0.1, requirements: [.evaluationTau])
        #expect(none.regularized == nil && none.uniqueNash == nil && none.unavailable.isEmpty)
        let onlyNash = referenceSolutions(problem: problem, tau: 0.1, requirements: [.uniqueNashEquilibrium])
        #expect(onlyNash.regularized == nil && onlyNash.uniqueNash != nil)
    }

    /// The requirements of a selection are the union of its metrics' (`Metric.requirements`):
    /// exploitability alone needs nothing; adding kl_from_regularized_equilibrium needs τ and π*_τ.
    @Test func requirementsAreTheUnionOfTheListedMetrics() throws {
        let few = try testSpec(Self.spec(#" "metrics": ["exploitability", "kl_to_reference"],"#))
        #expect(few.metricIDs == ["exploitability", "kl_to_reference"])
        #expect(few.metricRequirements.isEmpty)
        let more = try testSpec(Self.spec(#" "metrics": ["kl_from_regularized_equilibrium", "exploitability"],"#))
        #expect(more.metricIDs == ["exploitability", "kl_from_regularized_equilibrium"])  // Metric.all order
        #expect(more.metricRequirements == [.evaluationTau, .regularizedEquilibrium])
        let all = try testSpec(Self.spec(""))
        #expect(all.metricIDs == Metric.ids)
    }

    /// Listing every metric is the default: same shared settings (run fingerprints) and the same
    /// values; a selection changes the fingerprints (a journaled run with other columns is not
    /// resumed as if complete).
    @Test func defaultSelectionKeepsFingerprints() throws {
        let plain = try testSpec(Self.spec(""))
        let everyID = "[" + Metric.ids.reversed().map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        let listed = try testSpec(Self.spec(#" "metrics": \#(everyID),"#))
        let few = try testSpec(Self.spec(#" "metrics": ["exploitability"],"#))
        #expect(plain.sharedSettings == listed.sharedSettings)
        #expect(plain.sharedSettings != few.sharedSettings)
    }

    /// Through a run: the ground truth the evaluation cache holds afterwards is exactly what the
    /// spec's metrics need — nothing for exploitability alone (no π*_τ, no LP), π*_τ alone for
    /// kl_from_regularized_equilibrium, the LP's unique equilibrium alone for nash_distance, both
    /// for every metric (rock–paper–scissors: both uniform, each probability 1/3 to 1e-12).
    @Test(arguments: [
        (#" "metrics": ["exploitability"],"#, false, false),
        (#" "metrics": ["exploitability", "kl_from_regularized_equilibrium"],"#, true, false),
        (#" "metrics": ["exploitability", "nash_distance"],"#, false, true),
        ("", true, true),
    ])
    func aRunSolvesOnlyTheGroundTruthItsMetricsNeed(_ metrics: String, regularized: Bool, nash: Bool) throws {
        let spec = try testSpec(Self.spec(metrics))
        let plan = try #require(try GridExpansion.plan(spec).first)
        let cache = EvaluationCache(spec: spec)
        let record = RunExecutor.execute(plan, spec: spec, cache: cache)
        #expect(record.status == .ok)
        let held = cache.heldSolutions(environment: 0, replicate: 0, tau: 0.1)
        #expect((held?.regularized != nil) == regularized)
        #expect((held?.uniqueNash != nil) == nash)
        for policy in [held?.regularized, held?.uniqueNash].compactMap({ $0 }) {
            for v in policy.probabilities(context: 0) { #expect(abs(v - 1.0 / 3) <= 1e-12) }
        }
    }

    /// Through the sweep: the listed metrics have exactly the values of a sweep with every metric,
    /// the others are blank in runs.csv and curves.csv, and the run is ok without a note.
    @Test func unlistedMetricsAreBlankAndListedOnesUnchanged() throws {
        func sweep(_ extra: String) throws -> (runs: [[String]], curves: [[String]], dir: URL) {
            let spec = try testSpec(Self.spec(extra))
            let dir = try temporaryDirectory()
            _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
            return (try readCSV(dir.appendingPathComponent("runs.csv")), try readCSV(dir.appendingPathComponent("curves.csv")), dir)
        }
        let full = try sweep(""), few = try sweep(#" "metrics": ["exploitability", "regularized_gap"],"#)
        defer { try? FileManager.default.removeItem(at: full.dir); try? FileManager.default.removeItem(at: few.dir) }
        #expect(full.runs[0] == few.runs[0] && full.curves[0] == few.curves[0])  // same columns
        for (table, other) in [(few.runs, full.runs), (few.curves, full.curves)] {
            let h = table[0]
            for (row, fullRow) in zip(table.dropFirst(), other.dropFirst()) {
                for id in Metric.ids {
                    let i = h.firstIndex(of: id)!
                    if ["exploitability", "regularized_gap"].contains(id) {
                        #expect(!row[i].isEmpty && row[i] == fullRow[i], "\(id)")
                    } else {
                        #expect(row[i].isEmpty, "\(id)")
                    }
                }
            }
        }
        let h = few.runs[0]
        #expect(few.runs[1][h.firstIndex(of: "status")!] == "ok" && few.runs[1][h.firstIndex(of: "error")!] == "")
    }
}
