import AlignmentCore
import Foundation
import ResultFiles
@testable import Sweep

/// Fixtures of the analysis tests (pairwise.csv, tests.csv, frontier.csv, `bench summarize`).
enum AnalysisFixtures {
    /// A run's outcome chosen by hand: final policy and final metrics (nil = the run failed).
    struct Outcome {
        var policy: [[Double]]
        var metrics: [String: Double]
    }

    /// The plan of `spec` and hand-made records: `outcome(label, config, replicate)` gives each run's
    /// final policy and metrics, or nil for a failed run.
    static func records(_ spec: ExperimentSpec,
                        _ outcome: (String, String, Int) -> Outcome?) throws -> (plans: [RunPlan], records: [String: RunRecord]) {
        let plans = try GridExpansion.plan(spec)
        var records: [String: RunRecord] = [:]
        for p in plans {
            let alg = spec.algorithms[p.algorithm]
            if let o = outcome(alg.label, alg.points[p.point].config, p.replicate) {
                records[p.runID] = RunRecord(runID: p.runID, fingerprint: p.fingerprint, status: .ok, error: nil, iterations: 1,
                                             queries: 0, finalMetrics: o.metrics, curve: [], policy: o.policy, seconds: 0)
            } else {
                records[p.runID] = RunRecord(runID: p.runID, fingerprint: p.fingerprint, status: .failed, error: "failed by hand",
                                             iterations: 0, queries: 0, finalMetrics: [:], curve: [], policy: [], seconds: 0)
            }
        }
        return (plans, records)
    }

    /// Parses CSV text into rows of fields (header first).
    static func rows(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(text: text, path: "test.csv")
        var rows = [reader.header]
        while let r = try reader.next() { rows.append(r.fields) }
        return rows
    }

    /// The field `column` of every row (header excluded) whose leading fields equal `key`.
    static func cell(_ rows: [[String]], key: [String], column: String) -> String? {
        guard let c = rows[0].firstIndex(of: column) else { return nil }
        return rows.dropFirst().first { Array($0.prefix(key.count)) == key }?[c]
    }
}

/// Reports μ at iteration 0 and the fixed policy (0.7, 0.2, 0.1) in every context at iteration
/// `stop_at`, then returns normally — before the spec's `iterations` (as ReST and best-of-n may).
struct EarlyStopper: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "early-stopper", summary: "test plugin that ends before the iteration budget", paper: "test",
        parameters: [ParameterSpec("stop_at", .integer(1...1000), default: .number(7), doc: "last iteration")],
        feedbackModes: [.exact, .sampled], stochasticModes: [])

    /// The policy reported at `stop_at`.
    static let final = [0.7, 0.2, 0.1]

    let stopAt: Int

    init(parameters: ParameterValues) throws { stopAt = parameters.int("stop_at") }

    func run(_ run: RunContext) throws {
        try run.report(iteration: 0, policy: run.reference)
        let rows = Array(repeating: Self.final, count: run.contexts)
        try run.report(iteration: min(stopAt, run.iterations), policy: Policy(probabilities: rows))
    }
}

/// The test catalogue plus `EarlyStopper`.
let analysisCatalog = PluginCatalog(algorithms: testCatalog.algorithms + [EarlyStopper.self],
                                    environments: testCatalog.environments)
