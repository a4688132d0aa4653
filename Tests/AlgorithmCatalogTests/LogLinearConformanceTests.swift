import AlgorithmCatalog
import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing

/// The log-linear policy class over every catalogue plugin that declares it (issue 13).
struct LogLinearConformanceTests {
    /// The plugins that declare the log-linear class, from the catalogue.
    static var logLinearPlugins: [any Algorithm.Type] {
        AlgorithmCatalog.all.filter { $0.descriptor.policyClasses.contains(.logLinear) }
    }

    /// The declarations, written out: the gradient-based plugins whose θ step is the chain rule of
    /// their logit gradient, and SPPO, whose θ step is its regression solved by least squares. A plugin added to or dropped from the class must change this list.
    @Test func declaredPluginsAreTheGradientBasedOnes() {
        #expect(Self.logLinearPlugins.map { $0.descriptor.id }.sorted()
                == ["dpo", "nash-ema", "nash-md-pg", "rest", "rlhf-ppo", "self-play-pg", "sppo"])
        #expect(AlgorithmCatalog.all.allSatisfy { $0.descriptor.policyClasses.contains(.tabular) })
    }

    /// A problem with 2 contexts × 4 actions (a random intransitive game, non-uniform μ).
    static func problem() throws -> Problem {
        try Harness.random(actions: 4, seed: 7, contexts: 2)
    }

    /// With indicator features, θ_{(x,y)} = logit − log μ: the log-linear run follows the tabular
    /// run of the same plugin, seed and configuration. Exact feedback: every checkpoint's policy
    /// within 1e-9 (max |Δπ|); sampled feedback: the same labels spent at every checkpoint (and
    /// the policies within 1e-9, since the draws coincide). 40 iterations, default parameters.
    @Test(arguments: logLinearPlugins.map { $0.descriptor.id })
    func indicatorFeaturesReproduceTheTabularRun(id: String) throws {
        let type = try #require(AlgorithmCatalog.algorithm(id: id))
        let problem = try Self.problem()
        let features = FeatureMap(indicatorContexts: problem.contexts, actions: problem.actions)
        let logLinear = PolicyClass.logLinear(try LogLinearPolicyClass(reference: problem.reference, features: features))
        let plugin = try type.make([:])
        var modes = 0
        for mode in FeedbackMode.allCases where type.descriptor.feedbackModes.contains(mode) && plugin.refusal(feedback: mode) == nil {
            modes += 1
            let tabular = try Harness.drive(plugin, on: problem, mode: mode, iterations: 40, budget: mode == .sampled ? 20_000 : nil, seed: 3)
            let linear = try Harness.drive(plugin, on: problem, mode: mode, iterations: 40, budget: mode == .sampled ? 20_000 : nil, seed: 3,
                                           policyClass: logLinear)
            #expect(tabular.checkpoints.map(\.iteration) == linear.checkpoints.map(\.iteration), "\(id) \(mode)")
            #expect(tabular.checkpoints.map(\.queries) == linear.checkpoints.map(\.queries), "\(id) \(mode)")
            for (a, b) in zip(tabular.checkpoints, linear.checkpoints) {
                let d = Harness.maxAbs(a.policy, b.policy)
                #expect(d <= 1e-9, "\(id) \(mode) iteration \(a.iteration): max |Δπ| = \(d)")
            }
            #expect(Harness.maxAbs(tabular.final, problem.reference) > 1e-3, "\(id) \(mode): the run must move away from μ")
        }
        #expect(modes >= 1, "\(id): no feedback mode ran")
    }

    /// With d = 2 < contexts × (actions − 1) = 6 random features, every declaring plugin's run
    /// ends with finite metrics and a policy inside the class: log π − log μ is θᵀφ plus one
    /// constant per context, so the least-squares fit of (θ, c_x) leaves a residual below 1e-9
    /// (relative to the log-ratios' norm). The tabular run of the same plugin is the control: it
    /// leaves the class (residual above 1e-3), so the check can fail.
    @Test(arguments: logLinearPlugins.map { $0.descriptor.id })
    func restrictedClassStaysInTheClass(id: String) throws {
        let type = try #require(AlgorithmCatalog.algorithm(id: id))
        let problem = try Self.problem()
        let features = FeatureMap(randomContexts: problem.contexts, actions: problem.actions, dimension: 2, seed: 21)
        let c = try LogLinearPolicyClass(reference: problem.reference, features: features)
        let plugin = try type.make([:])
        let mode: FeedbackMode = plugin.refusal(feedback: .exact) == nil && type.descriptor.feedbackModes.contains(.exact) ? .exact : .sampled
        let run = try Harness.drive(plugin, on: problem, mode: mode, iterations: 60, budget: 50_000, seed: 5, policyClass: .logLinear(c))
        #expect(GameMetrics.exploitability(problem, run.final).isFinite)
        #expect(run.final.isDistribution(tolerance: 1e-12))
        let inClass = Self.relativeResidual(run.final, reference: problem.reference, features: features)
        #expect(inClass < 1e-9, "\(id): residual \(inClass)")
        let tabular = try Harness.drive(plugin, on: problem, mode: mode, iterations: 60, budget: 50_000, seed: 5)
        let outside = Self.relativeResidual(tabular.final, reference: problem.reference, features: features)
        #expect(outside > 1e-3, "\(id): the tabular control residual \(outside)")
    }

    /// ‖r‖/‖b‖ for b = log π − log μ over the support and r its residual after least squares on
    /// the columns φ_1 … φ_d and one indicator per context (modified Gram–Schmidt, written here
    /// independently of the plugins and of `LogLinearPolicyClass`).
    static func relativeResidual(_ p: Policy, reference mu: Policy, features f: FeatureMap) -> Double {
        var rows: [(x: Int, y: Int)] = []
        for x in 0..<p.contexts { for y in 0..<p.actions where mu.logProbabilities[x][y].isFinite { rows.append((x, y)) } }
        var b = rows.map { p.logProbabilities[$0.x][$0.y] - mu.logProbabilities[$0.x][$0.y] }
        let norm = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var columns: [[Double]] = (0..<f.dimension).map { k in rows.map { f.feature(context: $0.x, action: $0.y)[k] } }
        columns += (0..<p.contexts).map { x in rows.map { $0.x == x ? 1 : 0 } }
        var basis: [[Double]] = []
        for var v in columns {
            for q in basis {
                let dot = zip(q, v).reduce(0) { $0 + $1.0 * $1.1 }
                v = zip(v, q).map { $0 - dot * $1 }
            }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if n > 1e-10 { basis.append(v.map { $0 / n }) }
        }
        for q in basis {
            let dot = zip(q, b).reduce(0) { $0 + $1.0 * $1.1 }
            b = zip(b, q).map { $0 - dot * $1 }
        }
        return b.reduce(0) { $0 + $1 * $1 }.squareRoot() / max(norm, 1e-300)
    }
}
