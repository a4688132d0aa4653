import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Consumers of the metric registry read it: the default goal of a best-configuration rule, the
/// schema's metric enumeration and goal description, `bench list`/`describe`, and the metrics
/// table of README.md and docs/ARCHITECTURE.md.
struct MetricConsumersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The default goal per metric, written out: max exactly where higher is better.
    @Test(arguments: [
        ("exploitability", ConfigurationSelection.Goal.min), ("regularized_gap", .min), ("win_rate_vs_reference", .max),
        ("kl_to_reference", .min), ("true_reward", .max), ("kl_from_regularized_equilibrium", .min), ("nash_distance", .min),
        ("restricted_gap", .min), ("kl_from_restricted_equilibrium", .min),
    ])
    func defaultGoalFollowsTheDirection(metric: String, goal: ConfigurationSelection.Goal) throws {
        #expect(ConfigurationSelection.naturalGoal(of: metric) == goal)
        #expect(try ConfigurationSelection.parse(metric).goal == goal)
        let reader = SpecReader(file: "s.json")
        let value = try JSONParser.parse(#"{"metric": "\#(metric)"}"#, file: "s.json")
        #expect(try ConfigurationSelection.parse(value, at: .root.key("select_by"), reader: reader).goal == goal)
        // A goal against the direction stays allowed (as before the registry): the rule says what it does.
        let contrary: ConfigurationSelection.Goal = goal == .min ? .max : .min
        let explicit = try JSONParser.parse(#"{"metric": "\#(metric)", "goal": "\#(contrary.rawValue)"}"#, file: "s.json")
        #expect(try ConfigurationSelection.parse(explicit, at: .root.key("select_by"), reader: reader).goal == contrary)
        #expect(try ConfigurationSelection.parse("\(metric):\(contrary.rawValue)").goal == contrary)
    }

    @Test func goalOfEachDirection() {
        #expect(ConfigurationSelection.Goal(.lowerIsBetter) == .min)
        #expect(ConfigurationSelection.Goal(.higherIsBetter) == .max)
        #expect(ConfigurationSelection.default == ConfigurationSelection(metric: "exploitability", goal: .min))
    }

    /// The "always measured" list of a refused rule's message is the metrics without requirements.
    @Test func availabilityAllowedNamesTheMetricsWithoutRequirements() {
        #expect(ConfigurationSelection.availabilityAllowed == "a metric measured on every environment and for every algorithm "
            + "of the spec (exploitability, win_rate_vs_reference and kl_to_reference always are)")
    }

    @Test func describeAMetric() throws {
        #expect(try CatalogText.describe("kl_to_reference") == """
            metric kl_to_reference
              KL(π‖μ)
              label: KL(π ‖ μ)  [nats]
              unit: nats
              better: lower (default select_by goal: min)
              needs: nothing beyond the policy and P
              paper: Kullback & Leibler 1951; the KL term of RLHF (Ziegler et al. 2019; Ouyang et al. 2022)

            """)
        let gap = try CatalogText.describe("kl_from_regularized_equilibrium")
        #expect(gap.contains("\n  needs: evaluation τ, π*_τ\n  needs the evaluation τ (spec \"tau\" or the run's declared regularization τ)\n"))
        #expect(try CatalogText.describe("true_reward").contains("\n  better: higher (default select_by goal: max)\n"))
        let list = try CatalogText.list("metrics").split(separator: "\n")
        #expect(list.map { String($0.prefix { $0 != " " }) } == Metric.ids)
        #expect(list.first?.hasSuffix("[probability; lower is better]") == true)
    }

    /// The docs' metrics tables are the registry's: a new metric that is not documented fails here
    /// (the message holds the table to paste).
    @Test(arguments: ["README.md", "docs/ARCHITECTURE.md"])
    func docsHoldTheGeneratedMetricsTable(file: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
        let table = CatalogText.metricsTable()
        let found = text.contains(table)
        #expect(found, "\(file) must contain the metrics table generated from the registry:\n\(table)")
        #expect(table.split(separator: "\n").count == Metric.all.count + 2)
    }
}
