import AlignmentCore
import ResultFiles
import BenchStatistics
import StableFloor

/// pairwise.csv: P(π_a ≻ π_b) between the final policies of the reference μ and the best
/// configuration of every algorithm label, per environment (Munos et al. 2023, Nash learning from human feedback, Table 1).
///
/// On replicate i the final policies of a and b are compared exactly on replicate i's problem
/// (the same instance for a fixed environment; replicate i's instance for a "per-run" one):
/// P_i(a ≻ b) = Σ_x w_x π_a,i(·|x)ᵀ P_x π_b,i(·|x) (`GameMetrics.preference`). The table then
/// summarises the values over the replicates where both runs are ok (`Descriptive.summarize`).
///
/// Every ordered pair is written, the diagonal included, so the table is complete and
/// antisymmetric replicate by replicate: for a before b in participant order the value is
/// computed, and P_i(b ≻ a) = 1 − P_i(a ≻ b) (exact since P + Pᵀ = 1); P_i(a ≻ a) = ½.
enum PairwiseTable {
    /// pairwise.csv columns (the first nine are the ones the heatmap figure reads).
    static let header = PairwiseFile.header()

    /// The problem of every replicate of environment `e` (built once for a fixed environment).
    /// - Throws: environment or reference errors (not expected: the spec validated).
    static func problems(_ spec: ExperimentSpec, environment e: Int) throws -> [Problem] {
        let env = spec.environments[e]
        if case .perRun = env.seed {
            return try (0..<spec.seeds).map { try ProblemFactory.problem(env, spec: spec, replicate: $0) }
        }
        let p = try ProblemFactory.problem(env, spec: spec, replicate: 0)
        return Array(repeating: p, count: spec.seeds)
    }

    /// The final policy of a participant on a replicate: μ of that replicate's problem for the
    /// reference, the recorded final policy of an ok run, nil otherwise.
    /// - Throws: `AlignmentCoreError.invalidPolicy` for a malformed recorded policy.
    static func policy(_ participant: AnalysisInput.Participant, replicate i: Int, problem: Problem) throws -> Policy? {
        if participant.isReference { return problem.reference }
        guard let r = participant.runs[i], r.status == .ok, !r.policy.isEmpty else { return nil }
        return try Policy(probabilities: r.policy)
    }

    /// values[a][b] = [P_i(π_a ≻ π_b) for every replicate i where both are available], in
    /// replicate order.
    /// - Complexity: O(seeds · k² · contexts · n²) for k participants with n actions; memory of one
    ///   problem instance at a time.
    /// - Throws: as `problems` and `policy`.
    static func preferences(_ spec: ExperimentSpec, environment e: Int,
                            participants: [AnalysisInput.Participant]) throws -> [[[Double]]] {
        let k = participants.count
        var values = [[[Double]]](repeating: [[Double]](repeating: [], count: k), count: k)
        let env = spec.environments[e]
        var fixed: Problem?
        if case .perRun = env.seed {} else { fixed = try ProblemFactory.problem(env, spec: spec, replicate: 0) }
        for i in 0..<spec.seeds {
            // One replicate's instance at a time: a per-run environment's instances (the same as
            // `problems(_:environment:)` builds) are never all held at once.
            let problem = try fixed ?? ProblemFactory.problem(env, spec: spec, replicate: i)
            let policies = try participants.map { try policy($0, replicate: i, problem: problem) }
            for a in 0..<k {
                guard let pa = policies[a] else { continue }
                values[a][a].append(0.5)
                for b in (a + 1)..<k where policies[b] != nil {
                    let p = GameMetrics.preference(problem, pa, policies[b]!)
                    values[a][b].append(p)
                    values[b][a].append(1 - p)
                }
            }
        }
        return values
    }

    /// The bootstrap seed of one cell: derived from the spec seed and the cell's key.
    static func bootstrapSeed(spec: ExperimentSpec, environment: String, a: AnalysisInput.Participant,
                              b: AnalysisInput.Participant) -> UInt64 {
        SeedDerivation.pairwiseBootstrap(specSeed: spec.seed, environment: environment, a: (a.algorithm, a.seedLabel), b: (b.algorithm, b.seedLabel))
    }

    /// pairwise.csv text: per environment (spec order), every ordered pair (a, b) of participants
    /// (μ, then the algorithm labels in spec order): n replicates, mean, t-based 95% CI, sd and
    /// bootstrap percentile 95% CI of the mean (B resamples). Cells are empty where undefined
    /// (n < 2 for the CI, n = 0 for the mean).
    /// - Throws: `StatisticsError` (not expected), problem and policy errors.
    static func csv(_ input: AnalysisInput, bootstrapSamples: Int) throws -> String {
        let csv = CSVWriter(header: header)
        try write(input, bootstrapSamples: bootstrapSamples, to: csv)
        return csv.text
    }

    /// Streams pairwise.csv's rows (see `csv(_:bootstrapSamples:)`) to `csv`, computing up to
    /// `jobs` environments at once (rows are written in environment order whatever `jobs`).
    /// - Throws: as `csv(_:bootstrapSamples:)`.
    static func write(_ input: AnalysisInput, bootstrapSamples: Int, jobs: Int = 1, to csv: CSVWriter) throws {
        try ParallelWork.orderedStream(count: input.spec.environments.count, jobs: jobs, compute: { e in
            try rows(input, environment: e, bootstrapSamples: bootstrapSamples)
        }, consume: { rows in rows.forEach(csv.append) })
    }

    /// pairwise.csv's rows of environment `e` (see `csv(_:bootstrapSamples:)`).
    /// - Throws: as `csv(_:bootstrapSamples:)`.
    static func rows(_ input: AnalysisInput, environment e: Int, bootstrapSamples: Int) throws -> [[String]] {
        var out: [[String]] = []
        let env = input.spec.environments[e]
        let participants = try input.pairwiseParticipants(environment: e)
        let values = try preferences(input.spec, environment: e, participants: participants)
        for (i, a) in participants.enumerated() {
            for (j, b) in participants.enumerated() {
                let head = [env.id, a.algorithm, a.config, b.algorithm, b.config, String(values[i][j].count)]
                guard !values[i][j].isEmpty else {
                    out.append(head + Array(repeating: "", count: header.count - head.count))
                    continue
                }
                let s = try Descriptive.summarize(values[i][j], confidence: 0.95, bootstrapSamples: bootstrapSamples,
                                                  seed: bootstrapSeed(spec: input.spec, environment: env.id, a: a, b: b))
                out.append(head + [s.mean, s.ciLow, s.ciHigh, s.sd, s.bootstrapLow, s.bootstrapHigh].map(CSVWriter.cell))
            }
        }
        return out
    }
}
