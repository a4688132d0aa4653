import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// A best-configuration rule on a metric that some environment or algorithm of the spec never
/// measures is refused (it selected nothing: pairwise.csv kept only μ, tests.csv only its header,
/// status 0): `select_by` in the spec with status 3 at `$.select_by.metric`, `bench summarize
/// --select-by` with a usage error.
struct SelectionAvailabilityTests {
    static func spec(environments: String, algorithms: String, selectBy: String, top: String = "") -> String {
        """
        {"name": "avail", "environments": [\(environments)], "budget": {"iterations": 1}, \(top)
         "select_by": {"metric": "\(selectBy)"}, "algorithms": [\(algorithms)]}
        """
    }

    static let rps = #"{"id": "rps", "kind": "cyclic", "actions": 3}"#
    static let bt = #"{"id": "bt", "kind": "bradley-terry", "actions": 4}"#
    /// The balanced 4-action tournament: every mixture of the two "cycles" is an equilibrium.
    static let tour4 = #"{"id": "tour4", "kind": "cyclic", "actions": 4}"#
    static let omd = #"{"id": "online-mirror-descent"}"#
    static let sppo = #"{"id": "sppo"}"#

    /// (environments, algorithms, metric, top-level keys, expected message or nil when accepted).
    @Test(arguments: [
        // true_reward: only where the ground truth has a true reward (bradley-terry, not cyclic).
        ([rps, bt], [omd], "true_reward", "",
         #"true_reward is not measured on environment "rps": it has no true reward"#),
        ([rps, tour4, bt], [omd], "true_reward", "",
         #"true_reward is not measured on environments "rps", "tour4": they have no true reward"#),
        ([bt], [omd], "true_reward", "", nil),
        // τ metrics: sppo has no τ hyperparameter; online-mirror-descent has one.
        ([rps], [omd, sppo], "regularized_gap", "",
         #"regularized_gap is not measured for algorithm "sppo": its configurations have no evaluation τ (no top-level "tau" and no hyperparameter declared with the regularization role)"#),
        ([rps], [sppo], "kl_from_regularized_equilibrium", "",
         #"kl_from_regularized_equilibrium is not measured for algorithm "sppo": its configurations have no evaluation τ (no top-level "tau" and no hyperparameter declared with the regularization role)"#),
        ([rps], [omd, sppo], "regularized_gap", #""tau": 0.1,"#, nil),
        ([rps], [omd], "regularized_gap", "", nil),
        // nash_distance: RPS has the unique equilibrium uniform; the 4-action tournament does not.
        ([rps, tour4], [omd], "nash_distance", "",
         #"nash_distance is not measured on environment "tour4": its Nash equilibrium is not unique"#),
        ([rps, bt], [omd], "nash_distance", "", nil),
        // Metrics measured on every run.
        ([rps, tour4], [sppo], "exploitability", "", nil),
        ([rps, tour4], [sppo], "win_rate_vs_reference", "", nil),
        ([rps, tour4], [sppo], "kl_to_reference", "", nil),
    ] as [([String], [String], String, String, String?)])
    func unavailableSelectionMetricIsRefused(environments: [String], algorithms: [String], metric: String,
                                             top: String, expected: String?) throws {
        let text = Self.spec(environments: environments.joined(separator: ", "), algorithms: algorithms.joined(separator: ", "),
                             selectBy: metric, top: top)
        guard let expected else {
            let spec = try testSpec(text)
            #expect(ConfigurationSelection.availabilityConflict(spec: spec, selection: spec.selectBy) == nil)
            return
        }
        #expect(throws: SweepError.spec(file: "spec.json", path: "$.select_by.metric", message: expected,
                                        allowed: ConfigurationSelection.availabilityAllowed)) {
            _ = try testSpec(text)
        }
        // The same rule given to `bench summarize --select-by` on the spec without select_by:
        // refused before any file is read.
        let plain = try testSpec(text.replacingOccurrences(of: "\"select_by\": {\"metric\": \"\(metric)\"},", with: ""))
        let selection = ConfigurationSelection(metric: metric, goal: ConfigurationSelection.naturalGoal(of: metric))
        #expect(ConfigurationSelection.availabilityConflict(spec: plain, selection: selection) == expected)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SweepError.usage("--select-by \(selection): \(expected); allowed: \(ConfigurationSelection.availabilityAllowed)")) {
            try ResultSummarizer.summarize(spec: plain, directory: dir, bootstrapSamples: 0, selection: selection)
        }
    }

    @Test func theDefaultRuleNeedsNoCheck() throws {
        let spec = try testSpec(Self.spec(environments: Self.tour4, algorithms: Self.sppo, selectBy: "exploitability"))
        #expect(ConfigurationSelection.availabilityConflict(spec: spec, selection: .default) == nil)
    }
}
