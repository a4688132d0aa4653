import AlignmentCore
import Foundation
import Testing

/// The metric registry (`Metric.all`): its invariants, that every declared requirement is honoured
/// (and no undeclared one is needed), and every value on a 3-action example computed by hand.
struct MetricRegistryTests {
    /// P with P + Pᵀ = 1: P(0≻1) = 0.8, P(0≻2) = 0.3, P(1≻2) = 0.6.
    static let preference = try! PreferenceMatrix(rows: [[0.5, 0.8, 0.3], [0.2, 0.5, 0.6], [0.7, 0.4, 0.5]])
    /// μ = (½, ¼, ¼), true reward r = (1, 0, −1).
    static func problem(trueReward: Bool) throws -> Problem {
        try Problem(preferences: [preference], reference: Policy(probabilities: [[0.5, 0.25, 0.25]]),
                    trueReward: trueReward ? [[1, 0, -1]] : nil, isTransitive: false)
    }
    /// π = (¼, ¼, ½).
    static let policy = try! Policy(probabilities: [[0.25, 0.25, 0.5]])
    /// Stands in for π*_τ and for the unique Nash equilibrium: the uniform policy.
    static let uniform = try! Policy(probabilities: [[1.0 / 3, 1.0 / 3, 1.0 / 3]])
    /// Stands in for the restricted equilibrium π*_Φ: ρ = (½, 0.3, 0.2).
    static let restricted = try! Policy(probabilities: [[0.5, 0.3, 0.2]])
    static let tau = 0.5

    static func context(tau: Double? = MetricRegistryTests.tau, regularized: Bool = true, nash: Bool = true,
                        trueReward: Bool = true, restricted: Bool = true) throws -> MetricContext {
        MetricContext(policy: policy, problem: try problem(trueReward: trueReward), tau: tau,
                      regularizedEquilibrium: regularized ? uniform : nil, uniqueNash: nash ? uniform : nil,
                      restrictedEquilibrium: restricted ? Self.restricted : nil)
    }

    /// Hand computation (one context, weight 1): Pπ = (0.475, 0.475, 0.525), Pμ = (0.525, 0.375, 0.575).
    /// - exploitability = max Pπ − ½ = 0.025
    /// - regularized_gap at τ = ½: 2[½ ln(¾e^0.95 + ¼e^1.05) + ½·KL(π‖μ) − ½]
    ///   = −0.05 + ln(¾ + ¼e^0.1) + ¼ ln 2 = 0.149239812616941…
    /// - win_rate_vs_reference = πᵀPμ = ¼·0.525 + ¼·0.375 + ½·0.575 = 0.5125
    /// - kl_to_reference = ¼ ln(¼/½) + ¼ ln 1 + ½ ln(½/¼) = ¼ ln 2
    /// - true_reward = ¼·1 + ¼·0 + ½·(−1) = −0.25
    /// - kl_from_regularized_equilibrium = KL(u‖π) = ⅓[2 ln(4/3) + ln(2/3)] = ⅓ ln(32/27)
    /// - nash_distance = ½(|¼ − ⅓| + |¼ − ⅓| + |½ − ⅓|) = 1/6
    /// - restricted_gap = G_τ(π) − G_τ(ρ) with Pρ = (0.55, 0.37, 0.57):
    ///   G_τ(ρ) = ln(½e^1.1 + ¼e^0.74 + ¼e^1.14) + KL(ρ‖μ) − 1, KL(ρ‖μ) = 0.3 ln 1.2 + 0.2 ln 0.8,
    ///   so restricted_gap = 0.149239812616941… − 0.042454406596011… = 0.106785406020930…
    /// - kl_from_restricted_equilibrium = KL(ρ‖π) = ½ ln 2 + 0.3 ln 1.2 + 0.2 ln 0.4 = 0.218011910943328…
    static let expected: [(String, Double)] = [
        ("exploitability", 0.025),
        ("regularized_gap", -0.05 + log(0.75 + 0.25 * exp(0.1)) + 0.25 * log(2.0)),
        ("win_rate_vs_reference", 0.5125),
        ("kl_to_reference", 0.25 * log(2.0)),
        ("true_reward", -0.25),
        ("kl_from_regularized_equilibrium", log(32.0 / 27) / 3),
        ("nash_distance", 1.0 / 6),
        ("restricted_gap", -0.05 + log(0.75 + 0.25 * exp(0.1)) + 0.25 * log(2.0)
            - (log(0.5 * exp(1.1) + 0.25 * exp(0.74) + 0.25 * exp(1.14)) + 0.3 * log(1.2) + 0.2 * log(0.8) - 1)),
        ("kl_from_restricted_equilibrium", 0.5 * log(2.0) + 0.3 * log(1.2) + 0.2 * log(0.4)),
    ]

    @Test func idsAreUniqueValidColumnsAndInColumnOrder() {
        #expect(Set(Metric.ids).count == Metric.ids.count)
        // The registry's order is the column order of runs.csv and curves.csv.
        #expect(Metric.ids == ["exploitability", "regularized_gap", "win_rate_vs_reference", "kl_to_reference",
                               "true_reward", "kl_from_regularized_equilibrium", "nash_distance",
                               "restricted_gap", "kl_from_restricted_equilibrium"])
        let fixedColumns: Set = ["run_id", "environment", "algorithm", "seed", "rng_seed", "status", "error", "iterations",
                                 "iteration", "queries", "eval_tau", "config", "metric"]
        for id in Metric.ids {
            // A CSV cell that needs no quoting and an identifier in R and pandas: [a-z][a-z0-9_]*.
            let scalars = Array(id.unicodeScalars)
            #expect(scalars.first.map { ("a"..."z").contains($0) } == true, "\(id)")
            #expect(scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }, "\(id)")
            #expect(!fixedColumns.contains(id), "\(id) collides with a fixed column")
        }
    }

    @Test(arguments: Metric.all)
    func entryIsComplete(metric: Metric) {
        #expect(!metric.label.isEmpty && !metric.doc.isEmpty && !metric.paper.isEmpty)
        #expect(metric.title.first?.isUppercase == true, "\(metric.id): \(metric.title)")
        #expect(Metric.named(metric.id) == metric)
        if metric.requirements.contains(.regularizedEquilibrium) {
            #expect(metric.requirements.contains(.evaluationTau), "π*_τ is only defined at an evaluation τ")
        }
        if metric.requirements.contains(.restrictedEquilibrium) {
            #expect(metric.requirements.contains(.evaluationTau), "π*_Φ is only defined at an evaluation τ")
        }
        #expect(metric.axisLabel == metric.label + (metric.unit == .nats ? "  [nats]" : ""))
    }

    /// With exactly its declared requirements the metric has a value (no undeclared need); without
    /// any one of them it is nil.
    @Test(arguments: Metric.all)
    func requirementsAreHonoured(metric: Metric) throws {
        let needs = metric.requirements
        let exact = try Self.context(tau: needs.contains(.evaluationTau) ? Self.tau : nil,
                                     regularized: needs.contains(.regularizedEquilibrium),
                                     nash: needs.contains(.uniqueNashEquilibrium), trueReward: needs.contains(.trueReward),
                                     restricted: needs.contains(.restrictedEquilibrium))
        #expect(metric.value(in: exact) != nil, "\(metric.id) needs something it does not declare")
        for missing in needs {
            let without = try Self.context(tau: missing == .evaluationTau ? nil : Self.tau,
                                           regularized: missing != .regularizedEquilibrium,
                                           nash: missing != .uniqueNashEquilibrium, trueReward: missing != .trueReward,
                                           restricted: missing != .restrictedEquilibrium)
            #expect(metric.value(in: without) == nil, "\(metric.id) without \(missing.rawValue)")
        }
    }

    /// Declared requirements of today's metrics, written out (a change is deliberate).
    @Test func declaredRequirements() {
        let needs = Dictionary(uniqueKeysWithValues: Metric.all.map { ($0.id, $0.requirements) })
        #expect(needs == ["exploitability": [], "regularized_gap": [.evaluationTau], "win_rate_vs_reference": [],
                          "kl_to_reference": [], "true_reward": [.trueReward],
                          "kl_from_regularized_equilibrium": [.evaluationTau, .regularizedEquilibrium],
                          "nash_distance": [.uniqueNashEquilibrium],
                          "restricted_gap": [.evaluationTau, .restrictedEquilibrium],
                          "kl_from_restricted_equilibrium": [.evaluationTau, .restrictedEquilibrium]])
        let directions = Dictionary(uniqueKeysWithValues: Metric.all.map { ($0.id, $0.direction) })
        #expect(directions == ["exploitability": .lowerIsBetter, "regularized_gap": .lowerIsBetter,
                               "win_rate_vs_reference": .higherIsBetter, "kl_to_reference": .lowerIsBetter,
                               "true_reward": .higherIsBetter, "kl_from_regularized_equilibrium": .lowerIsBetter,
                               "nash_distance": .lowerIsBetter, "restricted_gap": .lowerIsBetter,
                               "kl_from_restricted_equilibrium": .lowerIsBetter])
        let units = Dictionary(uniqueKeysWithValues: Metric.all.map { ($0.id, $0.unit) })
        #expect(units == ["exploitability": .probability, "regularized_gap": .probability, "win_rate_vs_reference": .probability,
                          "kl_to_reference": .nats, "true_reward": .rewardUnits, "kl_from_regularized_equilibrium": .nats,
                          "nash_distance": .probability, "restricted_gap": .probability,
                          "kl_from_restricted_equilibrium": .nats])
    }

    /// Every value equals the hand computation (tolerance 1e-15 absolute: O(1) quantities from
    /// ≤ 9 products, each rounding ≤ 2⁻⁵³; 2e-15 for restricted_gap, a difference of two such
    /// values) and the `GameMetrics` function it names.
    @Test func valuesOnAThreeActionExample() throws {
        #expect(Metric.ids == Self.expected.map(\.0))
        let values = MetricEvaluator(problem: try Self.problem(trueReward: true), tau: Self.tau,
                                     regularizedEquilibrium: Self.uniform, uniqueNash: Self.uniform,
                                     restrictedEquilibrium: Self.restricted).evaluate(Self.policy)
        #expect(values.count == Metric.all.count)
        for (id, value) in Self.expected {
            let got = try #require(values[id] ?? nil, "\(id)")
            #expect(abs(got - value) <= (id == "restricted_gap" ? 2e-15 : 1e-15), "\(id): \(got) vs \(value)")
        }
        let p = try Self.problem(trueReward: true), pi = Self.policy
        let direct: [String: Double?] = [
            "exploitability": GameMetrics.exploitability(p, pi),
            "regularized_gap": GameMetrics.regularizedGap(p, pi, tau: Self.tau),
            "win_rate_vs_reference": GameMetrics.preference(p, pi, p.reference),
            "kl_to_reference": GameMetrics.kl(p, pi, p.reference),
            "true_reward": GameMetrics.trueReward(p, pi),
            "kl_from_regularized_equilibrium": GameMetrics.kl(p, Self.uniform, pi),
            "nash_distance": GameMetrics.totalVariation(p, pi, Self.uniform),
            "restricted_gap": GameMetrics.regularizedGap(p, pi, tau: Self.tau) - GameMetrics.regularizedGap(p, Self.restricted, tau: Self.tau),
            "kl_from_restricted_equilibrium": GameMetrics.kl(p, Self.restricted, pi),
        ]
        #expect(values == direct)
    }

    /// Without τ, π*_τ, a unique equilibrium, a true reward or π*_Φ, exactly the metrics that need them are nil.
    @Test func evaluatorLeavesBlankWhatIsMissing() throws {
        let values = MetricEvaluator(problem: try Self.problem(trueReward: false), tau: nil).evaluate(Self.policy)
        #expect(Set(values.keys) == Set(Metric.ids))
        #expect(Set(values.filter { $0.value == nil }.keys) == ["regularized_gap", "true_reward",
                                                                  "kl_from_regularized_equilibrium", "nash_distance",
                                                                  "restricted_gap", "kl_from_restricted_equilibrium"])
        #expect(abs(try #require(values["exploitability"] ?? nil) - 0.025) <= 1e-15)
    }

    @Test func proseListsIdsInColumnOrder() {
        #expect(Metric.prose(where: \.needsTau)
                == "regularized_gap, kl_from_regularized_equilibrium, restricted_gap and kl_from_restricted_equilibrium")
        #expect(Metric.prose { $0.requirements.isEmpty } == "exploitability, win_rate_vs_reference and kl_to_reference")
        #expect(Metric.prose { $0.id == "nash_distance" } == "nash_distance")
        #expect(Metric.prose { _ in false } == "")
    }
}
