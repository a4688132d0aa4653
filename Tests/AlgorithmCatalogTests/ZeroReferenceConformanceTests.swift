import AlgorithmCatalog
import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation
import Testing

/// A reference μ with zeros: every plugin must keep responses outside μ's support at probability
/// exactly 0 (as the KL-regularised solutions π ∝ μ·exp(·) do) and, with exact feedback, behave as
/// on the game restricted to μ's support (issue 9, "a zero in μ").
struct ZeroReferenceConformanceTests {
    /// A problem and the same problem restricted to the responses `kept`.
    struct Case {
        var name: String
        var problem: Problem
        var restricted: Problem
        var kept: [Int]
    }

    /// Drops every response not in `kept` from P and μ (same support in every context).
    static func restrict(_ problem: Problem, to kept: [Int]) throws -> Problem {
        let prefs = try problem.preferences.map { p in try PreferenceMatrix(rows: kept.map { i in kept.map { j in p[i, j] } }) }
        let mu = try Policy(probabilities: problem.reference.probabilities.map { row in kept.map { row[$0] } })
        return try Problem(preferences: prefs, reference: mu, isTransitive: problem.isTransitive,
                           contextWeights: problem.contextWeights)
    }

    static func cases() throws -> [Case] {
        // Issue 9's case: RPS (strength 1) with μ = (½, ½, 0).
        let rps = try Harness.rps(mu: [0.5, 0.5, 0])
        // A 4-response random game in 2 contexts, μ zero on response 1 in both (a zero in the middle).
        let random = try Harness.problem(RandomEnvironment.make(["actions": .number(4)]), contexts: 2, seed: 5,
                                         reference: .given([[0.4, 0, 0.35, 0.25], [0.2, 0, 0.5, 0.3]]))
        return [
            Case(name: "rps μ=(½,½,0)", problem: rps, restricted: try restrict(rps, to: [0, 1]), kept: [0, 1]),
            Case(name: "random4 μ₁=0", problem: random, restricted: try restrict(random, to: [0, 2, 3]), kept: [0, 2, 3]),
        ]
    }

    /// Parameter variants: the defaults, then each parameter alone at its admitted extremes (the low
    /// edge, every choice, both flags — `ParameterProbe.admittedExtremes`) and at a closed finite
    /// upper bound (e.g. a mixture weight of 1), where products such as 0·log μ(y) = 0·(−∞) arise.
    static func variants(_ type: any Algorithm.Type) -> [[String: ParameterValue]] {
        var out: [[String: ParameterValue]] = [[:]]
        for spec in type.descriptor.parameters {
            var values = ParameterProbe.admittedExtremes(for: spec.kind)
            if case let .real(i) = spec.kind, i.upper.isFinite, !i.upperOpen { values.append(.number(i.upper)) }
            out += values.map { [spec.name: $0] }
        }
        return out
    }

    /// Every plugin, in every mode it supports and every parameter variant it accepts, runs 30
    /// iterations (or until it stops) without failing, and every reported policy gives probability
    /// exactly 0 (log-probability −∞) to the responses μ gives 0. With exact feedback and default
    /// parameters a plugin that is deterministic there ends at the policy it reaches on the
    /// restricted game (the supported responses' probabilities agree within 1e-9: the two runs do
    /// the same arithmetic up to the order of a few sums).
    @Test(arguments: AlgorithmCatalog.ids)
    func responsesOutsideTheReferenceStayAtZero(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        for c in try Self.cases() {
            for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) {
              for overrides in Self.variants(type) {
                do {
                    _ = try type.make(ConformanceDriver.requiredValues(type).merging(overrides) { $1 })
                } catch AlignmentCoreError.invalidParameter {
                    continue  // a cross-parameter conflict with the defaults
                }
                let label = "\(id) \(overrides) on \(c.name), \(mode)"
                let run: ConformanceRun
                do {
                    run = try ConformanceDriver.run(type, on: c.problem, mode: mode, iterations: 30, recordEvery: 1,
                                                    budget: 20_000, seed: 3, overrides: overrides)
                } catch AlignmentCoreError.unsupportedFeedback {
                    continue  // the option needs the other feedback mode
                } catch {
                    Issue.record("\(label) failed: \(error)")
                    continue
                }
                for cp in run.checkpoints {
                    #expect(cp.policy.isDistribution(tolerance: 1e-12), "\(label), iteration \(cp.iteration)")
                    for x in 0..<c.problem.contexts {
                        for y in 0..<c.problem.actions where !c.kept.contains(y) {
                            #expect(cp.policy.logProbabilities[x][y] == -.infinity,
                                    "\(label), iteration \(cp.iteration): π(\(y)|\(x)) = \(exp(cp.policy.logProbabilities[x][y]))")
                        }
                    }
                }
                guard overrides.isEmpty, mode == .exact, !type.descriptor.stochasticModes.contains(.exact) else { continue }
                let reduced = try ConformanceDriver.run(type, on: c.restricted, mode: mode, iterations: 30, recordEvery: 1,
                                                        budget: 20_000, seed: 3)
                #expect(run.context.last?.iteration == reduced.context.last?.iteration, "\(label)")
                for x in 0..<c.problem.contexts {
                    let full = run.final.probabilities(context: x), small = reduced.final.probabilities(context: x)
                    for (k, y) in c.kept.enumerated() {
                        #expect(abs(full[y] - small[k]) < 1e-9, "\(label), context \(x), response \(y): \(full[y]) vs \(small[k])")
                    }
                }
              }
            }
        }
    }

    /// DPO with an explicit dataset that uses a response outside μ's support is refused with a
    /// one-line reason naming the pair and the response (its margin log π/μ is undefined).
    @Test func dpoRefusesADatasetPairOutsideTheSupport() throws {
        let type = try ConformanceDriver.plugin("dpo")
        let problem = try Harness.rps(mu: [0.5, 0.5, 0])
        let dataset: ParameterValue = .array([.array([.number(0), .number(1)]), .array([.number(0), .number(2)])])
        #expect(throws: AlignmentCoreError.invalidParameter(
            name: "dataset",
            reason: "pair [0, 2] uses response 2, which μ gives probability 0 in context 0; the margin log π/μ is undefined there (use responses in μ's support)")) {
            _ = try ConformanceDriver.run(type, on: problem, mode: .exact, iterations: 5, recordEvery: 1, budget: nil, seed: 1,
                                          overrides: ["dataset": dataset])
        }
    }
}
