import AlignmentCore
import ResultFiles

/// The records of a sweep arranged for the between-algorithm tables (pairwise.csv, tests.csv):
/// runs indexed by (environment, algorithm entry, grid point, replicate), the best configuration
/// of every algorithm per environment, and the participants of the pairwise table.
struct AnalysisInput: Sendable {
    /// One row or column of the pairwise table: the reference μ, or the best configuration of one
    /// algorithm label.
    struct Participant: Sendable {
        /// The algorithm label ("reference" for μ).
        var algorithm: String
        /// summary.csv's config of the chosen grid point (`ConfigurationKey.default` for μ).
        var config: String
        /// The chosen grid point's `GridPoint.seedLabel` ("" for μ): what bootstrap seeds derive from.
        var seedLabel: String
        /// Index into `spec.algorithms`, nil for μ.
        var algorithmIndex: Int?
        /// The run of each replicate (index = replicate), nil where no record exists; empty for μ.
        var runs: [RunRecord?]
        /// The evaluation τ of the configuration (`EvaluationTau.of`), nil for μ or without τ.
        var evalTau: Double? = nil

        /// Whether this is the reference μ.
        var isReference: Bool { algorithmIndex == nil }

        /// The final metric values of the ok runs, in replicate order.
        func values(of metric: String) -> [Double] {
            runs.compactMap { r in r.flatMap { $0.status == .ok ? $0.finalMetrics[metric] : nil } }
        }
    }

    /// The validated spec.
    let spec: ExperimentSpec
    /// How the best configuration is chosen.
    let selection: ConfigurationSelection
    /// runs[e][a][g][replicate].
    private let runs: [[[[RunRecord?]]]]

    /// Arranges the records of a plan.
    init(spec: ExperimentSpec, plans: [RunPlan], records: [String: RunRecord], selection: ConfigurationSelection) {
        self.spec = spec
        self.selection = selection
        var runs = spec.environments.map { _ in
            spec.algorithms.map { a in a.points.map { _ in [RunRecord?](repeating: nil, count: spec.seeds) } }
        }
        for p in plans { runs[p.environment][p.algorithm][p.point][p.replicate] = records[p.runID] }
        self.runs = runs
    }

    /// The name of the reference's pseudo-algorithm: "reference", or "reference_mu" when an
    /// algorithm label is already "reference".
    var referenceLabel: String {
        spec.algorithms.contains { $0.label == "reference" } ? "reference_mu" : "reference"
    }

    /// The best configuration of algorithm entry `a` on environment `e` under `selection` (see
    /// `ConfigurationSelection.best`), nil when no configuration has an ok run with the metric.
    /// - Throws: `StatisticsError` (not expected).
    func bestPoint(environment e: Int, algorithm a: Int) throws -> Int? {
        try selection.best(runs[e][a].map { replicateRuns in
            replicateRuns.compactMap { r in r.flatMap { $0.status == .ok ? $0.finalMetrics[selection.metric] : nil } }
        })
    }

    /// The best configuration of every algorithm label on environment `e`, in spec order
    /// (algorithms without any selectable configuration are left out).
    /// - Throws: `StatisticsError` (not expected).
    func algorithmParticipants(environment e: Int) throws -> [Participant] {
        var out: [Participant] = []
        for (a, alg) in spec.algorithms.enumerated() {
            guard let g = try bestPoint(environment: e, algorithm: a) else { continue }
            out.append(Participant(algorithm: alg.label, config: alg.points[g].config, seedLabel: alg.points[g].seedLabel, algorithmIndex: a, runs: runs[e][a][g],
                                   evalTau: EvaluationTau.of(spec: spec, algorithm: a, point: g)))
        }
        return out
    }

    /// The pairwise table's participants on environment `e`: μ first, then the best
    /// configuration of every algorithm label in spec order.
    /// - Throws: `StatisticsError` (not expected).
    func pairwiseParticipants(environment e: Int) throws -> [Participant] {
        [Participant(algorithm: referenceLabel, config: ConfigurationKey.default, seedLabel: "", algorithmIndex: nil, runs: [])]
            + (try algorithmParticipants(environment: e))
    }
}
