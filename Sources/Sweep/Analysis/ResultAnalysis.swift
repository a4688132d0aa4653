import AlignmentCore
import Foundation

/// The between-algorithm result files derived from a sweep's records: pairwise.csv (PairwiseTable),
/// tests.csv (SignificanceTable) and frontier.csv (RewardFrontier). `ResultStore.materialize`
/// writes them after summary.csv; `bench summarize` recomputes them from the CSVs.
public enum ResultAnalysis {
    /// The files written by `write`, in order.
    public static let fileNames = ["pairwise.csv", "tests.csv", "frontier.csv"]

    /// The selection rule of a spec's best configurations.
    ///
    /// The spec has no `select_by` key yet, so this is the default (lowest mean exploitability);
    /// once the parser accepts `select_by` (`ConfigurationSelection.parse(_:at:reader:)`), return
    /// the spec's value here.
    public static func selection(for spec: ExperimentSpec) -> ConfigurationSelection {
        _ = spec
        return .default
    }

    /// The texts of pairwise.csv, tests.csv and frontier.csv (in `fileNames` order).
    /// - Parameters:
    ///   - selection: the best-configuration rule (default: the spec's).
    ///   - bootstrapSamples: B for pairwise.csv's bootstrap interval (0 = off).
    /// - Throws: `StatisticsError`, problem or policy errors (none expected for a validated spec).
    static func files(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], bootstrapSamples: Int,
                      selection: ConfigurationSelection? = nil) throws -> [(String, String)] {
        let input = AnalysisInput(spec: spec, plans: plans, records: records,
                                  selection: selection ?? Self.selection(for: spec))
        return [
            ("pairwise.csv", try PairwiseTable.csv(input, bootstrapSamples: bootstrapSamples)),
            ("tests.csv", try SignificanceTable.csv(input)),
            ("frontier.csv", try RewardFrontier.csv(spec)),
        ]
    }

    /// Writes pairwise.csv, tests.csv and frontier.csv into `directory` (each atomically).
    /// - Throws: as `files`, and `SweepError.io`.
    static func write(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], directory: URL,
                      bootstrapSamples: Int, selection: ConfigurationSelection? = nil) throws {
        for (name, text) in try files(spec: spec, plans: plans, records: records, bootstrapSamples: bootstrapSamples,
                                      selection: selection) {
            try ResultStore.writeAtomically(text, to: directory.appendingPathComponent(name))
        }
    }
}
