import AlignmentCore
import BenchStatistics

/// How the "best configuration" of an algorithm is chosen per environment for pairwise.csv and
/// tests.csv: the configuration whose ok runs have the lowest (or highest) mean final value of a
/// metric. The default is the lowest mean exploitability.
///
/// Spec form (optional top-level key `select_by`, part of the results hash):
/// `{"metric": "win_rate_vs_reference", "goal": "max"}`; `goal` defaults to the metric's natural
/// direction (`ConfigurationSelection.naturalGoal(of:)`).
public struct ConfigurationSelection: Sendable, Hashable, CustomStringConvertible {
    /// Whether smaller or larger means are better.
    public enum Goal: String, Sendable, Hashable, CaseIterable {
        /// The smallest mean wins.
        case min
        /// The largest mean wins.
        case max

        /// The goal that prefers the better end of `direction`.
        public init(_ direction: MetricDirection) {
            switch direction {
            case .lowerIsBetter: self = .min
            case .higherIsBetter: self = .max
            }
        }
    }

    /// The metric id (one of `Metric.ids`).
    public var metric: String
    /// The direction.
    public var goal: Goal

    /// Creates a selection rule.
    /// - Precondition: `metric` is one of `Metric.ids`.
    public init(metric: String, goal: Goal) {
        precondition(Metric.ids.contains(metric), "unknown metric \(metric)")
        self.metric = metric
        self.goal = goal
    }

    /// Lowest mean exploitability (the goal from its direction, lower is better).
    public static let `default` = ConfigurationSelection(metric: "exploitability", goal: naturalGoal(of: "exploitability"))

    /// "metric:goal", the form `bench summarize --select-by` accepts.
    public var description: String { "\(metric):\(goal.rawValue)" }

    /// The goal that follows a metric's declared direction (`Metric.direction`): `max` when higher
    /// is better, `min` when lower is better. A spec or `--select-by` may still name the other goal.
    /// - Precondition: `metric` is one of `Metric.ids`.
    public static func naturalGoal(of metric: String) -> Goal {
        guard let entry = Metric.named(metric) else { preconditionFailure("unknown metric \(metric)") }
        return Goal(entry.direction)
    }

    /// Parses "metric" or "metric:min|max" (the value of `bench summarize --select-by`; the
    /// messages do not name the option, the caller does).
    /// - Throws: `SweepError.usage` (one line, with "did you mean") for an unknown metric or goal.
    public static func parse(_ text: String) throws -> ConfigurationSelection {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            throw SweepError.usage("expected metric or metric:min|max, got \(SpecText.quoted(text))")
        }
        let metric = parts[0]
        guard Metric.ids.contains(metric) else {
            let hint = Suggestion.closest(to: metric, among: Metric.ids).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw SweepError.usage("unknown metric \(SpecText.quoted(metric))\(hint); allowed: " + Metric.ids.joined(separator: ", "))
        }
        guard parts.count == 2 else { return ConfigurationSelection(metric: metric, goal: naturalGoal(of: metric)) }
        guard let goal = Goal(rawValue: parts[1]) else {
            throw SweepError.usage("unknown goal \(SpecText.quoted(parts[1])); allowed: min, max")
        }
        return ConfigurationSelection(metric: metric, goal: goal)
    }

    /// Validates a spec's `select_by` object `{"metric": m, "goal": "min"|"max"}` (goal optional).
    /// - Throws: `SweepError.spec` naming the file and JSON path.
    static func parse(_ value: JSONValue, at path: JSONPath, reader: SpecReader) throws -> ConfigurationSelection {
        _ = try reader.object(value, at: path, allowed: ["metric", "goal"], required: ["metric"])
        let metric = try reader.choice(value["metric"]!, at: path.key("metric"), among: Metric.ids)
        let goal = try value["goal"].map {
            Goal(rawValue: try reader.choice($0, at: path.key("goal"), among: Goal.allCases.map(\.rawValue)))!
        } ?? naturalGoal(of: metric)
        return ConfigurationSelection(metric: metric, goal: goal)
    }

    /// The index of the best candidate: the one whose values have the best mean (gsl_stats_mean,
    /// as in summary.csv); ties — means equal up to `ValueTolerance.standard` — go to the earliest
    /// candidate. Candidates without values are
    /// ignored; nil when no candidate has a value.
    /// - Parameter candidates: the metric values of each candidate's ok runs.
    /// - Throws: `StatisticsError` for non-finite values (not expected: metrics are finite).
    func best(_ candidates: [[Double]]) throws -> Int? {
        var best: (index: Int, mean: Double)?
        for (i, values) in candidates.enumerated() where !values.isEmpty {
            let mean = try Descriptive.summarize(values, bootstrapSamples: 0).mean
            guard let b = best else {
                best = (i, mean)
                continue
            }
            let better = goal == .min ? mean < b.mean : mean > b.mean
            if better && !ValueTolerance.standard.equal(mean, b.mean) { best = (i, mean) }
        }
        return best?.index
    }
}
