extension Metric {
    /// Every metric the harness computes, in column order (runs.csv, curves.csv, summary.csv,
    /// tests.csv). The one list of metrics: adding one is an entry here plus its test.
    ///
    /// Values are computed by `GameMetrics` (exact, weighted over contexts by the problem's
    /// context weights; non-negative quantities clamped at 0), from the quantities the metrics of
    /// a checkpoint share (`MetricContext.quantities`: π's probabilities, P·π, KL(π‖μ), P·μ and the
    /// equilibria's probabilities), computed once per checkpoint or run.
    public static let all: [Metric] = [
        Metric(id: "exploitability", label: "exploitability  max_y P(y ≻ π) − 1/2", title: "Exploitability",
               unit: .probability, direction: .lowerIsBetter,
               doc: "max_y P(y ≻ π) − 1/2, averaged over contexts; 0 exactly at a Nash equilibrium",
               paper: "Munos et al. 2023, Nash learning from human feedback (the preference game's Nash equilibrium)") {
            GameMetrics.exploitability($0.problem, preferenceTimesPolicy: $0.quantities.preferenceTimesPolicy)
        },
        Metric(id: "regularized_gap", label: "regularized duality gap", title: "Regularized duality gap",
               unit: .probability, direction: .lowerIsBetter, requirements: [.evaluationTau],
               doc: "2[τ log Σ μ exp(Pπ/τ) + τ KL(π‖μ) − 1/2]; 0 exactly at π*_τ (needs τ)",
               paper: "Munos et al. 2023 (the KL-regularized preference game and π*_τ); duality gap as in Sokota et al. 2023") { c in
            c.tau.map { GameMetrics.regularizedGap(c.problem, tau: $0, preferenceTimesPolicy: c.quantities.preferenceTimesPolicy,
                                                   klToReference: c.quantities.policyKLToReference) }
        },
        Metric(id: "win_rate_vs_reference", label: "win rate vs reference  P(π ≻ μ)", title: "Win rate vs reference",
               unit: .probability, direction: .higherIsBetter,
               doc: "P(π ≻ μ)",
               paper: "Munos et al. 2023 (preference of one policy over another)") {
            GameMetrics.preference($0.problem, probabilities: $0.quantities.policyProbabilities,
                                   preferenceTimesOpponent: $0.quantities.preferenceTimesReference)
        },
        Metric(id: "kl_to_reference", label: "KL(π ‖ μ)", title: "KL to reference",
               unit: .nats, direction: .lowerIsBetter,
               doc: "KL(π‖μ)",
               paper: "Kullback & Leibler 1951; the KL term of RLHF (Ziegler et al. 2019; Ouyang et al. 2022)") {
            GameMetrics.weightedSum($0.problem, $0.quantities.policyKLToReference)
        },
        Metric(id: "true_reward", label: "true reward  E_π[r]", title: "True reward",
               unit: .rewardUnits, direction: .higherIsBetter, requirements: [.trueReward],
               doc: "E_π r, where the environment has a true reward",
               paper: "the environment's ground-truth (\"gold\") reward, as in Gao et al. 2023") {
            GameMetrics.trueReward($0.problem, probabilities: $0.quantities.policyProbabilities)
        },
        Metric(id: "kl_from_regularized_equilibrium", label: "KL(π*_τ ‖ π)", title: "KL from the regularized equilibrium",
               unit: .nats, direction: .lowerIsBetter, requirements: [.evaluationTau, .regularizedEquilibrium],
               doc: "KL(π*_τ‖π), Nash-MD's Theorem 1 quantity (needs τ)",
               paper: "Munos et al. 2023, §5, Theorem 1") { c in
            c.regularizedEquilibrium.map { star in
                c.quantities.regularizedEquilibriumProbabilities.map { GameMetrics.kl(c.problem, star, probabilities: $0, c.policy) }
                    ?? GameMetrics.kl(c.problem, star, c.policy)
            }
        },
        Metric(id: "nash_distance", label: "TV distance to the Nash equilibrium", title: "Distance to the Nash equilibrium",
               unit: .probability, direction: .lowerIsBetter, requirements: [.uniqueNashEquilibrium],
               doc: "total-variation distance to the Nash equilibrium, where it is unique",
               paper: "Munos et al. 2023 (the Nash equilibrium); total variation ½ Σ|π − π*|") { c in
            c.quantities.uniqueNashProbabilities.map { GameMetrics.totalVariation(c.problem, c.quantities.policyProbabilities, $0) }
        },
        Metric(id: "restricted_gap", label: "regularized gap − that of π*_Φ", title: "Restricted gap",
               unit: .probability, direction: .lowerIsBetter, requirements: [.evaluationTau, .restrictedEquilibrium],
               doc: "G_τ(π) − G_τ(π*_Φ), G_τ the regularized_gap and π*_Φ the restricted equilibrium of the environment's log-linear class; 0 at π*_Φ, negative for a policy (tabular, or in the class) whose full-class gap beats π*_Φ's (needs τ and a features block)",
               paper: "best-in-class reference of a parametric policy class: the regularized game of Munos et al. 2023 restricted to π_θ ∝ μ·exp(θᵀφ) (log-linear class as in Agarwal et al. 2021, §6)") { c in
            guard let tau = c.tau, let base = c.quantities.restrictedEquilibriumGap else { return nil }
            return GameMetrics.regularizedGap(c.problem, tau: tau, preferenceTimesPolicy: c.quantities.preferenceTimesPolicy,
                                              klToReference: c.quantities.policyKLToReference) - base
        },
        Metric(id: "kl_from_restricted_equilibrium", label: "KL(π*_Φ ‖ π)", title: "KL from the restricted equilibrium",
               unit: .nats, direction: .lowerIsBetter, requirements: [.evaluationTau, .restrictedEquilibrium],
               doc: "KL(π*_Φ‖π), π*_Φ the restricted equilibrium of the environment's log-linear class (needs τ and a features block)",
               paper: "the analogue of Munos et al. 2023, §5, Theorem 1's KL(π*_τ‖π) for the restricted equilibrium") { c in
            c.restrictedEquilibrium.map { star in
                c.quantities.restrictedEquilibriumProbabilities.map { GameMetrics.kl(c.problem, star, probabilities: $0, c.policy) }
                    ?? GameMetrics.kl(c.problem, star, c.policy)
            }
        },
    ]
}
