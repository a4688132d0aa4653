import AlignmentCore

extension ConfigurationSelection {
    /// What a refused selection rule may use instead (the `allowed` part of its message).
    public static let availabilityAllowed =
        "a metric measured on every environment and for every algorithm of the spec "
        + "(" + Metric.prose { $0.requirements.isEmpty } + " always are)"

    /// Why choosing each label's best configuration by `selection` would find no value to choose
    /// by: the environments or algorithm labels of `spec` on which the selection metric is not
    /// measured at all; nil when it is measured everywhere.
    ///
    /// Without this check such a rule selected nothing, so pairwise.csv kept only μ and tests.csv
    /// only its header, with status 0. Decided from the metric's declared requirements
    /// (`Metric.requirements`; docs/ARCHITECTURE.md, "Best configuration"), in this order:
    /// - `.evaluationTau` (e.g. `regularized_gap`, `kl_from_regularized_equilibrium`): algorithm
    ///   labels none of whose configurations has an evaluation τ (`EvaluationTau.of`: no top-level
    ///   `tau`, no `tau` hyperparameter) — labels whose configurations mix τ are
    ///   `EvaluationTau.selectionConflict`;
    /// - `.trueReward` (`true_reward`): environments whose ground truth has no true reward (e.g.
    ///   `cyclic`);
    /// - `.uniqueNashEquilibrium` (`nash_distance`): environments whose Nash equilibrium is not
    ///   unique (or cannot be computed), decided on replicate 0 — the instance of a fixed-seed
    ///   environment; for `"seed": "per-run"` the first replicate's instance (a replicate drawn later
    ///   without a unique equilibrium leaves the metric blank for every configuration of that
    ///   replicate alike, so the choice stays paired);
    /// - `.regularizedEquilibrium` adds nothing beyond τ: a π*_τ the solver cannot compute leaves
    ///   the metric blank for every configuration of that replicate alike.
    /// - `.restrictedEquilibrium` (`restricted_gap`, `kl_from_restricted_equilibrium`):
    ///   environments without a `features` block; a π*_Φ the solver cannot compute (or that is not
    ///   unique) leaves the metric blank for every configuration alike, so adds nothing more.
    /// A metric without requirements is measured on every run.
    /// - Parameters:
    ///   - spec: the validated spec (its environments are built again for replicate 0).
    ///   - selection: the rule to check.
    /// - Returns: a one-line reason naming the metric and where it is missing, or nil.
    /// - Complexity: one problem build per environment for `.trueReward`, plus one Nash LP per
    ///   context for `.uniqueNashEquilibrium`; nothing for the other metrics.
    public static func availabilityConflict(spec: ExperimentSpec, selection: ConfigurationSelection) -> String? {
        let metric = selection.metric
        let requirements = Metric.named(metric)?.requirements ?? []
        if requirements.contains(.evaluationTau) {
            let labels = spec.algorithms.indices.filter { a in
                spec.algorithms[a].points.indices.allSatisfy { EvaluationTau.of(spec: spec, algorithm: a, point: $0) == nil }
            }.map { SpecText.quoted(spec.algorithms[$0].label) }
            if !labels.isEmpty {
                return "\(metric) is not measured for \(list(labels, "algorithm")): \(labels.count == 1 ? "its" : "their") "
                    + "configurations have no evaluation τ (no top-level \"tau\" and no hyperparameter declared with the regularization role)"
            }
        }
        if requirements.contains(.trueReward) {
            let missing = spec.environments.filter { env in
                guard let problem = try? ProblemFactory.problem(env, spec: spec, replicate: 0) else { return true }
                return problem.trueReward == nil
            }.map { SpecText.quoted($0.id) }
            if !missing.isEmpty {
                return "\(metric) is not measured on \(list(missing, "environment")): \(missing.count == 1 ? "it has" : "they have") no true reward"
            }
        }
        if requirements.contains(.restrictedEquilibrium) {
            let missing = spec.environments.filter { $0.features == nil }.map { SpecText.quoted($0.id) }
            if !missing.isEmpty {
                return "\(metric) is not measured on \(list(missing, "environment")): "
                    + "\(missing.count == 1 ? "it has" : "they have") no features block (the restricted equilibrium needs one)"
            }
        }
        if requirements.contains(.uniqueNashEquilibrium) {
            let missing = spec.environments.filter { env in
                guard let problem = try? ProblemFactory.problem(env, spec: spec, replicate: 0) else { return true }
                return (try? NashEquilibriumLP.uniqueEquilibrium(problem: problem)) == nil
            }.map { SpecText.quoted($0.id) }
            if !missing.isEmpty {
                return "\(metric) is not measured on \(list(missing, "environment")): "
                    + "\(missing.count == 1 ? "its" : "their") Nash equilibrium is not unique"
            }
        }
        return nil
    }

    /// "environment \"a\"" or "environments \"a\", \"b\"" (at most 10 named, then "and N more").
    private static func list(_ quoted: [String], _ noun: String) -> String {
        let shown = quoted.prefix(10).joined(separator: ", ")
        let more = quoted.count > 10 ? " and \(quoted.count - 10) more" : ""
        return (quoted.count == 1 ? noun : noun + "s") + " " + shown + more
    }
}
