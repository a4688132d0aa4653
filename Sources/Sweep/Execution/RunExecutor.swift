import AlignmentCore

/// Executes one planned run: builds its problem and reference solutions, runs the plugin through
/// `RunDriver` (the run lifecycle shared with the plugin test harness), and measures every recorded
/// checkpoint with `MetricEvaluator` (the harness, never the plugin, computes the metrics).
enum RunExecutor {
    /// Collects the curve inside the recorder closure.
    private final class CurveBuffer {
        var points: [CurvePoint] = []
    }

    /// Runs `plan` and returns its record. Never throws: an error inside the run, a NaN policy or a
    /// NaN metric produce a `failed` record with the reason; an exhausted query budget ends the run
    /// normally with its last reported policy.
    static func execute(_ plan: RunPlan, spec: ExperimentSpec, cache: EvaluationCache) -> RunRecord {
        let clock = ContinuousClock()
        let start = clock.now
        let env = spec.environments[plan.environment]
        let alg = spec.algorithms[plan.algorithm]
        let point = alg.points[plan.point]
        let buffer = CurveBuffer()
        var context: RunContext?

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
                                            uniqueNash: solutions.uniqueNash, metrics: Metric.all.filter { spec.metricIDs.contains($0.id) })
            let declared = alg.descriptor.diagnostics
            let ids = Metric.ids
            let policyClass = try Self.policyClass(alg.policyClass, environment: env, problem: problem)
            let ctx = RunDriver.context(problem: problem, mode: alg.feedback, queryBudget: spec.queryBudget,
                                        labelNoise: env.labelNoise, seed: plan.rngSeed, iterations: spec.iterations,
                                        recordEvery: spec.recordEvery, policyClass: policyClass) { checkpoint in
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
            guard let last = ctx.last, let finalPoint = buffer.points.last else {
                return failed("the algorithm reported no policy")
            }
            // An unavailable reference solution leaves its metrics blank and is noted, the run stays ok.
            let note = [EvaluationTau.note(spec: spec, descriptor: alg.descriptor, parameters: point.parameters), solutions.note.isEmpty ? nil : solutions.note]
                .compactMap { $0 }.joined(separator: "; ")
            return RunRecord(runID: plan.runID, fingerprint: plan.fingerprint, status: .ok, error: note.isEmpty ? nil : note,
                             iterations: last.iteration, queries: ctx.oracle.queries, finalMetrics: finalPoint.metrics,
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
