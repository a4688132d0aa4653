import AlgorithmCatalog
import AlignmentCore
import Foundation
import Testing

/// Every registered plugin, in every feedback mode it supports, on small environments: budgets
/// are never exceeded, checkpoints arrive every `record_every` iterations, every reported policy
/// is a distribution, and the seed alone determines the result.
struct RunConformanceTests {
    /// With recordEvery = 1 every reported policy reaches the recorder: each is a distribution
    /// (finite log-probabilities or −∞, rows summing to 1 within 1e-12), the iterations start at
    /// 0, rise by one (a report after every iteration) and stay within the iteration budget, and
    /// queries never decrease. (A plugin may stop before `iterations`, e.g. a one-shot method.)
    @Test(arguments: AlgorithmCatalog.ids)
    func everyReportedPolicyIsADistribution(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        for env in try ConformanceDriver.environments() {
            for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
                let label = "\(id) on \(env.name), \(mode)"
                let run = try ConformanceDriver.run(type, on: env.problem, mode: mode, labelNoise: env.labelNoise,
                                                    iterations: 9, recordEvery: 1, budget: nil, seed: 1)
                #expect(!run.endedByBudget, "\(label)")
                let last = try #require(run.context.last, "\(label): nothing reported")
                #expect(last.iteration <= 9, "\(label)")
                #expect(run.checkpoints.map(\.iteration) == Array(0...last.iteration), "\(label)")
                var previousQueries = 0
                for cp in run.checkpoints {
                    #expect(cp.policy.isDistribution(tolerance: 1e-12), "\(label), iteration \(cp.iteration)")
                    #expect(!cp.policy.logProbabilities.joined().contains { $0.isNaN }, "\(label)")
                    #expect(cp.queries >= previousQueries, "\(label)")
                    previousQueries = cp.queries
                    #expect(Set(cp.diagnostics.keys).isSubset(of: type.descriptor.diagnostics), "\(label)")
                }
            }
        }
    }

    /// Checkpoints arrive at 0, every `record_every` iterations and at the end: recordEvery = 4
    /// over 10 iterations records exactly [0, 4, 8, 10] (or, for a plugin that stops at L < 10,
    /// 0, the multiples of 4 up to L, and L); a run of 0 iterations records [0].
    @Test(arguments: AlgorithmCatalog.ids)
    func checkpointsArriveEveryRecordEvery(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        let env = try ConformanceDriver.environments()[1]
        for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
            let run = try ConformanceDriver.run(type, on: env.problem, mode: mode, iterations: 10, recordEvery: 4,
                                                budget: nil, seed: 3)
            let last = try #require(run.context.last, "\(id), \(mode): nothing reported")
            let expected = ConformanceDriver.expectedRecorded(last: last.iteration, recordEvery: 4)
            if last.iteration == 10 { #expect(expected == [0, 4, 8, 10]) }
            #expect(run.context.recordedIterations == expected, "\(id), \(mode)")
            #expect(run.checkpoints.map(\.iteration) == expected, "\(id), \(mode)")
            let empty = try ConformanceDriver.run(type, on: env.problem, mode: mode, iterations: 0, recordEvery: 4,
                                                  budget: nil, seed: 3)
            #expect(empty.context.recordedIterations == [0], "\(id), \(mode)")
        }
    }

    /// Tight query budgets (0, 1, 7, 60) are never exceeded, in every mode and environment: the
    /// run ends normally (completed, or on `budgetExhausted`), no checkpoint reports more queries
    /// than the budget, no iteration exceeds the iteration budget, and the recorded iterations are
    /// 0, the multiples of record_every and the last reported iteration. A budget of 0 in sampled
    /// feedback leaves only μ at iteration 0 for plugins that need labels before their first step.
    @Test(arguments: AlgorithmCatalog.ids)
    func neverExceedsTheBudgets(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        for env in try ConformanceDriver.environments() {
            for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
                for budget in [0, 1, 7, 60] {
                    let label = "\(id) on \(env.name), \(mode), budget \(budget)"
                    let run = try ConformanceDriver.run(type, on: env.problem, mode: mode, labelNoise: env.labelNoise,
                                                        iterations: 12, recordEvery: 5, budget: budget, seed: 2)
                    #expect(run.queries <= budget, "\(label)")
                    #expect(run.checkpoints.allSatisfy { $0.queries <= budget && $0.iteration <= 12 }, "\(label)")
                    let last = try #require(run.context.last, "\(label): nothing reported")
                    #expect(run.context.recordedIterations
                            == ConformanceDriver.expectedRecorded(last: last.iteration, recordEvery: 5), "\(label)")
                }
            }
        }
    }

    /// The same seed gives the same checkpoints (iterations, queries, log-probabilities and
    /// diagnostics, compared exactly); a different seed gives a different run in the modes the
    /// plugin declares stochastic, and the same run in the others.
    @Test(arguments: AlgorithmCatalog.ids)
    func seedDeterminesTheRun(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        let env = try ConformanceDriver.environments()[1]
        for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
            func go(_ seed: UInt64) throws -> ConformanceRun {
                try ConformanceDriver.run(type, on: env.problem, mode: mode, labelNoise: env.labelNoise,
                                          iterations: 12, recordEvery: 3, budget: 100_000, seed: seed)
            }
            let a = try go(11), b = try go(11), c = try go(12)
            #expect(Self.same(a, b), "\(id), \(mode): same seed, different runs")
            if type.descriptor.stochasticModes.contains(mode) {
                #expect(!Self.same(a, c), "\(id), \(mode): declared stochastic, but the seed changes nothing")
            } else {
                #expect(Self.same(a, c), "\(id), \(mode): declared deterministic, but the seed changes the run")
            }
        }
    }

    /// Every value a declaration admits must run: each choice option, and the lowest admissible
    /// value of every numeric parameter (the closed bound, or just above an open one), alone with
    /// the other defaults. Each variant either is rejected at creation as a cross-parameter
    /// conflict (`invalidParameter`), or runs 5 iterations in every mode ending normally — or with
    /// `unsupportedFeedback` when the option needs the other feedback mode — and reports only
    /// distributions.
    @Test(arguments: AlgorithmCatalog.ids)
    func everyAdmittedValueRuns(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        let env = try ConformanceDriver.environments()[0]
        for spec in type.descriptor.parameters {
            for value in ParameterProbe.admittedExtremes(for: spec.kind) {
                let overrides = [spec.name: value]
                do {
                    _ = try type.make(ConformanceDriver.requiredValues(type).merging(overrides) { $1 })
                } catch AlignmentCoreError.invalidParameter {
                    continue
                }
                for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
                    let label = "\(id) with \(spec.name) = \(value), \(mode)"
                    do {
                        let run = try ConformanceDriver.run(type, on: env.problem, mode: mode, iterations: 5, recordEvery: 1,
                                                            budget: 500, seed: 4, overrides: overrides)
                        #expect(run.checkpoints.allSatisfy { $0.policy.isDistribution(tolerance: 1e-12) }, "\(label)")
                    } catch AlignmentCoreError.unsupportedFeedback {
                        continue
                    } catch {
                        Issue.record("\(label) failed: \(error)")
                    }
                }
            }
        }
    }

    static func same(_ a: ConformanceRun, _ b: ConformanceRun) -> Bool {
        a.checkpoints.count == b.checkpoints.count && zip(a.checkpoints, b.checkpoints).allSatisfy {
            $0.iteration == $1.iteration && $0.queries == $1.queries && $0.policy == $1.policy && $0.diagnostics == $1.diagnostics
        }
    }
}
