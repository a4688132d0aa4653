import AlignmentCore
import ResultFiles
import Foundation

/// The between-algorithm result files derived from a sweep's records: pairwise.csv (PairwiseTable),
/// tests.csv (SignificanceTable), frontier.csv (RewardFrontier) and aggregates.csv (AggregateTable). `ResultStore.materialize`
/// writes them after timings.csv and before manifest.json; `bench summarize` recomputes them
/// from the CSVs.
public enum ResultAnalysis {
    /// The files `files` returns, in order.
    public static let fileNames = [PairwiseFile.fileName, TestsFile.fileName, FrontierFile.fileName, AggregatesFile.fileName]

    /// The selection rule of a spec's best configurations: its `select_by` key, by default the
    /// lowest mean final exploitability.
    public static func selection(for spec: ExperimentSpec) -> ConfigurationSelection {
        spec.selectBy
    }

    /// The texts of pairwise.csv, tests.csv, frontier.csv and aggregates.csv (in `fileNames` order).
    /// - Parameters:
    ///   - selection: the best-configuration rule (default: the spec's).
    ///   - bootstrapSamples: B for pairwise.csv's and aggregates.csv's bootstrap intervals (0 = off).
    /// - Throws: `StatisticsError`, problem or policy errors (none expected for a validated spec).
    static func files(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], bootstrapSamples: Int,
                      selection: ConfigurationSelection? = nil) throws -> [(String, String)] {
        let input = AnalysisInput(spec: spec, plans: plans, records: records,
                                  selection: selection ?? Self.selection(for: spec))
        return [
            ("pairwise.csv", try PairwiseTable.csv(input, bootstrapSamples: bootstrapSamples)),
            ("tests.csv", try SignificanceTable.csv(input)),
            ("frontier.csv", try RewardFrontier.csv(spec)),
            ("aggregates.csv", try {
                let csv = CSVWriter(header: AggregateTable.header)
                try AggregateTable.write(input, bootstrapSamples: bootstrapSamples, to: csv)
                return csv.text
            }()),
        ]
    }

    /// Streams pairwise.csv, tests.csv, frontier.csv and aggregates.csv into `directory` (each atomically).
    /// - Throws: as `files`, and `SweepError.io` on file-system errors.
    static func write(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], bootstrapSamples: Int,
                      selection: ConfigurationSelection? = nil, directory: URL) throws {
        let input = AnalysisInput(spec: spec, plans: plans, records: records,
                                  selection: selection ?? Self.selection(for: spec))
        try writePairwise(input, bootstrapSamples: bootstrapSamples, directory: directory)
        try writeTestsAndFrontier(input, directory: directory)
        try writeAggregates(input, bootstrapSamples: bootstrapSamples, directory: directory)
    }

    /// Streams aggregates.csv into `directory`, computing up to `jobs` metrics at once (the bytes
    /// do not depend on `jobs`).
    /// - Throws: as `files`, and `SweepError.io`.
    static func writeAggregates(_ input: AnalysisInput, bootstrapSamples: Int, jobs: Int = 1, directory: URL) throws {
        try ResultStore.write(AggregatesFile.self, directory: directory) {
            try AggregateTable.write(input, bootstrapSamples: bootstrapSamples, jobs: jobs, to: $0)
        }
    }

    /// Streams pairwise.csv into `directory`, computing up to `jobs` environments at once (the
    /// bytes do not depend on `jobs`).
    /// - Throws: as `files`, and `SweepError.io`.
    static func writePairwise(_ input: AnalysisInput, bootstrapSamples: Int, jobs: Int = 1, directory: URL) throws {
        try ResultStore.write(PairwiseFile.self, directory: directory) {
            try PairwiseTable.write(input, bootstrapSamples: bootstrapSamples, jobs: jobs, to: $0)
        }
    }

    /// Streams tests.csv and frontier.csv into `directory`.
    /// - Throws: as `files`, and `SweepError.io`.
    static func writeTestsAndFrontier(_ input: AnalysisInput, directory: URL) throws {
        try ResultStore.write(TestsFile.self, directory: directory) { try SignificanceTable.write(input, to: $0) }
        try ResultStore.write(FrontierFile.self, directory: directory) { try RewardFrontier.write(input.spec, to: $0) }
    }
}
