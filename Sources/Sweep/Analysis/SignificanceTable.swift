import AlignmentCore
import ResultFiles
import BenchStatistics

/// tests.csv: between the best configurations of every pair of algorithm labels, per environment
/// and metric — Welch's t-test, Holm-adjusted p-values and the probability of improvement.
///
/// - Samples: the final metric values of the ok runs of each best configuration (one per replicate).
/// - Welch: t = (x̄_a − x̄_b)/√(s²_a/n_a + s²_b/n_b) with Welch–Satterthwaite df and the two-sided
///   p-value (`WelchTTest`, as scipy's `ttest_ind(equal_var=False)`); needs n_a, n_b ≥ 2, else the
///   cells are empty.
/// - Holm: the family is every algorithm pair of ONE environment and ONE metric (the k(k−1)/2 rows
///   with a p-value); p_holm is Holm's step-down adjustment within it (`MultipleComparisons.holm`).
/// - prob_improvement = P(a better than b) + ½·P(equal) for independent draws X_a, X_b of the two
///   samples, "better" by the metric's declared direction (`Metric.direction`, the one
///   aggregates.csv and `bench compare` follow): U_a/(n_a·n_b) = P(X_a > X_b) + ½P(X_a = X_b) for a
///   higher-is-better metric, U_b/(n_a·n_b) = P(X_a < X_b) + ½P(X_a = X_b) for a lower-is-better one
///   (Mann–Whitney; Agarwal et al. 2021, §4.3). Above ½ favours a.
///
/// - eval_tau_a, eval_tau_b: the evaluation τ of each side for a τ-dependent metric (empty for the
///   others). Values measured at different τ are never compared: such a row keeps n and the means
///   but its t, df, p_value, p_holm and prob_improvement are empty, and it is not in the Holm family.
///
/// Pairs are written once, a before b in spec order. A metric that neither sample has (e.g.
/// true_reward without a true reward) gives no row.
enum SignificanceTable {
    /// tests.csv columns.
    static let header = TestsFile.header()

    /// One row before the Holm adjustment.
    struct Row {
        var head: [String]
        var meanA: Double?
        var meanB: Double?
        var welch: WelchTTest?
        var probabilityOfImprovement: Double?
        /// eval_tau_a, eval_tau_b cells.
        var taus: [String] = ["", ""]
    }

    /// The rows of one environment and metric (without p_holm).
    /// - Throws: `StatisticsError` (not expected: metric values are finite).
    static func rows(environment: String, metric: String, participants: [AnalysisInput.Participant]) throws -> [Row] {
        var out: [Row] = []
        for i in participants.indices {
            for j in participants.indices where j > i {
                let a = participants[i], b = participants[j]
                let xa = a.values(of: metric), xb = b.values(of: metric)
                guard !xa.isEmpty || !xb.isEmpty else { continue }
                let tauDependent = EvaluationTau.dependsOnTau(metric)
                var row = Row(head: [environment, metric, a.algorithm, a.config, b.algorithm, b.config,
                                     String(xa.count), String(xb.count)])
                row.taus = tauDependent ? [EvaluationTau.cell(a.evalTau), EvaluationTau.cell(b.evalTau)] : ["", ""]
                row.meanA = try xa.isEmpty ? nil : Descriptive.summarize(xa, bootstrapSamples: 0).mean
                row.meanB = try xb.isEmpty ? nil : Descriptive.summarize(xb, bootstrapSamples: 0).mean
                guard EvaluationTau.comparable(metric, a.evalTau, b.evalTau) else {
                    out.append(row)
                    continue
                }
                if xa.count >= 2 && xb.count >= 2 { row.welch = try WelchTTest(xa, xb) }
                if !xa.isEmpty && !xb.isEmpty {
                    let lowerIsBetter = Metric.named(metric)?.direction == .lowerIsBetter
                    row.probabilityOfImprovement = try (lowerIsBetter ? MannWhitney(xb, xa) : MannWhitney(xa, xb)).probabilityOfImprovement
                }
                out.append(row)
            }
        }
        return out
    }

    /// tests.csv text: per environment (spec order), metric (`Metric.ids` order) and pair.
    /// - Throws: `StatisticsError` (not expected).
    static func csv(_ input: AnalysisInput) throws -> String {
        let csv = CSVWriter(header: header)
        try write(input, to: csv)
        return csv.text
    }

    /// Streams tests.csv's rows (see `csv(_:)`) to `csv`.
    /// - Throws: `StatisticsError` (not expected).
    static func write(_ input: AnalysisInput, to csv: CSVWriter) throws {
        for (e, env) in input.spec.environments.enumerated() {
            let participants = try input.algorithmParticipants(environment: e)
            for metric in Metric.ids {
                let family = try rows(environment: env.id, metric: metric, participants: participants)
                let tested = family.indices.filter { family[$0].welch != nil }
                let adjusted = try MultipleComparisons.holm(tested.map { family[$0].welch!.pValue })
                let holm = Dictionary(uniqueKeysWithValues: zip(tested, adjusted))
                for (k, r) in family.enumerated() {
                    csv.append(r.head + [r.meanA, r.meanB, r.welch?.t, r.welch?.degreesOfFreedom, r.welch?.pValue, holm[k],
                                         r.probabilityOfImprovement].map(CSVWriter.cell) + r.taus)
                }
            }
        }
    }
}
