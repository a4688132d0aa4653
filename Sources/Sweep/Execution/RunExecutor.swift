import AlignmentCore

/// Executes one planned run: builds its problem and reference solutions, runs the plugin through
/// `RunDriver` (the run lifecycle shared with the plugin test harness), and measures every recorded
/// checkpoint with `MetricEvaluator` (the harness, never the plugin, computes the metrics).
enum RunExecutor {
    /// Collects the curve inside the recorder closure.
    private final class CurveBuffer {
        var points: [CurvePoint] = []
    }

    /// Runs `plan` and returns its record, its checkpoints in the record's `curve`. Never throws:
    /// an error inside the run, a NaN policy or a NaN metric produce a `failed` record with the
    /// reason; an exhausted query budget ends the run normally with its last reported policy.
    /// - Complexity: memory O(checkpoints).
    static func execute(_ plan: RunPlan, spec: ExperimentSpec, cache: EvaluationCache) -> RunRecord {
        execute(plan, spec: spec, cache: cache, recorder: nil)
    }

    /// Runs `plan` like `execute(_:spec:cache:)`, its checkpoints going to scratch files as they
    /// are measured (`CurveRecorder`): the record's `spill` and `journalCurveText` hold them, so
    /// the run's memory does not grow with their number.
    /// - Throws: `SweepError.io` when a scratch file cannot be created or written (a problem of
    ///   the sweep, not of the run: nothing is journaled).
    static func executeSpilled(_ plan: RunPlan, spec: ExperimentSpec, cache: EvaluationCache,
                               scratch: ScratchDirectory) throws -> RunRecord {
        let alg = spec.algorithms[plan.algorithm]
        let recorder = try CurveRecorder(scratch: scratch, runID: plan.runID, metricNames: Metric.ids,
                                         diagnosticNames: alg.descriptor.diagnostics)
        var record = execute(plan, spec: spec, cache: cache, recorder: recorder)
        let (spill, text) = try recorder.finish()
        record.spill = spill
        record.journalCurveText = text
        return record
    }

    private static func execute(_ plan: RunPlan, spec: ExperimentSpec, cache: EvaluationCache,
                                recorder: CurveRecorder?) -> RunRecord {
        let clock = ContinuousClock()
        let start = clock.now
        let env = spec.environments[plan.environment]
        let alg = spec.algorithms[plan.algorithm]
        let point = alg.points[plan.point]
        let buffer = CurveBuffer()
        var context: RunContext?
        let declared = alg.descriptor.diagnostics
        let ids = Metric.ids

        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        func failed(_ reason: String) -> RunRecord {
            RunRecord(runID: plan.runID, fingerprint: plan.fingerprint, status: .failed, error: reason,
                      iterations: context?.last?.iteration ?? 0, queries: context?.oracle.queries ?? 0, finalMetrics: [:],
                      curve: buffer.points, policy: [], seconds: seconds())
        }

        do {
            let problem = try cache.problem(environment: plan.environment, replicate: plan.replicate)
            let tau = EvaluationTau.of(spec: spec, descriptor: alg.descriptor, parameters: point.parameters)
            let solutions = try cache.solutions(environment: plan.environment, replicate: plan.replicate, tau: tau)
            let evaluator = MetricEvaluator(problem: problem, tau: tau, regularizedEquilibrium: solutions.regularized,
                                            uniqueNash: solutions.uniqueNash, restrictedEquilibrium: solutions.restricted, metrics: Metric.all.filter { spec.metricIDs.contains($0.id) })
            // The journal carries a column for each metric the evaluator computes (the others are
            // absent at every checkpoint).
            recorder?.journalMetrics(evaluator.computedMetricIndices)
            let policyClass = try Self.policyClass(alg.policyClass, environment: env, problem: problem)
            // Kept between checkpoints, so recording one allocates nothing for its metrics.
            var recorded = RecordedRow(metrics: ids.count, diagnostics: declared)
            let ctx = RunDriver.context(problem: problem, mode: alg.feedback, queryBudget: spec.queryBudget,
                                        labelNoise: env.labelNoise, seed: plan.rngSeed, iterations: spec.iterations,
                                        recordEvery: spec.recordEvery, policyClass: policyClass) { checkpoint in
                if let recorder {
                    try recorded.record(checkpoint, evaluator: evaluator, to: recorder)
                    return
                }
                var metrics = [String: Double](minimumCapacity: ids.count)
                for (k, value) in evaluator.values(checkpoint.policy).enumerated() {
                    guard let v = value else { continue }
                    guard v.isFinite else {
                        throw SweepError.nonFiniteMetric(metric: ids[k], iteration: checkpoint.iteration, value: v)
                    }
                    metrics[ids[k]] = v
                }
                // Undeclared diagnostics are dropped; the common case (all declared) keeps the dictionary as is.
                let diagnostics = checkpoint.diagnostics.keys.allSatisfy(declared.contains) ? checkpoint.diagnostics
                                                                                         : checkpoint.diagnostics.filter { declared.contains($0.key) }
                buffer.points.append(CurvePoint(iteration: checkpoint.iteration, queries: checkpoint.queries,
                                                metrics: metrics, diagnostics: diagnostics))
            }
            context = ctx
            _ = try RunDriver.run(point.algorithm, in: ctx)
            guard let last = ctx.last, (recorder?.count ?? buffer.points.count) > 0 else {
                return failed("the algorithm reported no policy")
            }
            let finalMetrics = recorder?.lastMetrics ?? buffer.points.last!.metrics
            // An unavailable reference solution leaves its metrics blank and is noted, the run stays ok.
            let note = [EvaluationTau.note(spec: spec, descriptor: alg.descriptor, parameters: point.parameters), solutions.note.isEmpty ? nil : solutions.note]
                .compactMap { $0 }.joined(separator: "; ")
            return RunRecord(runID: plan.runID, fingerprint: plan.fingerprint, status: .ok, error: note.isEmpty ? nil : note,
                             iterations: last.iteration, queries: ctx.oracle.queries, finalMetrics: finalMetrics,
                             curve: buffer.points, policy: last.policy.probabilities, seconds: seconds())
        } catch {
            return failed("\(error)")
        }
    }

    /// The run's policy class: tabular, or the log-linear class on the environment's features
    /// (built per run from the environment entry's `features` block and the problem's μ).
    /// - Throws: `AlignmentCoreError.invalidProblem` when the features do not fit the problem.
    static func policyClass(_ kind: PolicyClassKind, environment env: EnvironmentSetup, problem: Problem) throws -> PolicyClass {
        guard kind == .logLinear else { return .tabular }
        guard let f = env.features else {
            throw AlignmentCoreError.invalidProblem("environment \"\(env.id)\" has no features for the log-linear class")
        }
        let map = try f.featureMap(contexts: problem.contexts, actions: problem.actions)
        return .logLinear(try LogLinearPolicyClass(reference: problem.reference, features: map))
    }
}

/// A recorded checkpoint's row — the metrics in `Metric.ids` order, then the plugin's declared
/// diagnostics, NaN where absent — and the storage `MetricEvaluator` reuses between checkpoints.
/// Captured by the run's checkpoint closure as one variable and updated by one mutating call per
/// checkpoint: an escaping closure's captured variables are checked for exclusive access
/// dynamically at every access, so three separate ones cost a check per element written.
private struct RecordedRow {
    /// The row handed to the recorder.
    private var row: [Double]
    /// `MetricEvaluator.values(_:into:reusing:)`'s output.
    private var metricValues: [Double?]
    /// `MetricEvaluator.values(_:into:reusing:)`'s context.
    private var metricContext: MetricContext?
    /// The plugin's declared diagnostics (`AlgorithmDescriptor.diagnostics`).
    private let diagnostics: [String]

    /// Storage for `metrics` metric columns and the declared `diagnostics`.
    init(metrics: Int, diagnostics: [String]) {
        row = [Double](repeating: .nan, count: metrics + diagnostics.count)
        metricValues = [Double?](repeating: nil, count: metrics)
        self.diagnostics = diagnostics
    }

    /// Measures `checkpoint` with `evaluator` and appends its row to `recorder`; undeclared
    /// diagnostics are dropped (no lookup when the checkpoint has none).
    /// - Throws: `SweepError.nonFiniteMetric` for a NaN or infinite metric (nothing appended).
    /// - Complexity: that of the metrics, plus O(metrics + diagnostics); no allocation once the
    ///   first checkpoint is recorded.
    mutating func record(_ checkpoint: Checkpoint, evaluator: MetricEvaluator, to recorder: CurveRecorder) throws {
        evaluator.values(checkpoint.policy, into: &metricValues, reusing: &metricContext)
        let metrics = metricValues.count
        for k in 0..<metrics {
            let value = metricValues[k]
            if let v = value, !v.isFinite {
                throw SweepError.nonFiniteMetric(metric: Metric.ids[k], iteration: checkpoint.iteration, value: v)
            }
            row[k] = value ?? .nan
        }
        let reported = checkpoint.diagnostics
        for (k, name) in diagnostics.enumerated() { row[metrics + k] = reported.isEmpty ? .nan : reported[name] ?? .nan }
        recorder.append(iteration: checkpoint.iteration, queries: checkpoint.queries, values: row)
    }
}
