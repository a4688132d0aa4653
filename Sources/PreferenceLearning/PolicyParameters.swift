import AlignmentCore
import Foundation

/// The parameters a gradient-based plugin optimises, in the run's policy class
/// (`RunContext.policyClass`): tabular logits, or θ of the log-linear class
/// π_θ ∝ μ·exp(θᵀφ) (`LogLinearPolicyClass`).
///
/// The plugin computes its gradient with respect to the logits, as for a tabular policy, and
/// hands it to `step`: tabular logits take the step themselves (exactly the arithmetic the plugins
/// did before the class existed), θ takes the step on ∇_θ = Φᵀg (the chain rule). `logits` is
/// always the current logit table (for log-linear, log μ + Φθ, recomputed after each step), so the
/// gradient code reads the same values in both classes. With indicator features the log-linear
/// run therefore follows the tabular one up to rounding (the conformance suite checks 1e-9).
public struct PolicyParameters: Sendable {
    /// The current logits (the parameters themselves when tabular).
    public private(set) var logits: TabularLogits
    /// θ (log-linear only).
    public private(set) var theta: [Double]?
    /// The log-linear class (nil when tabular).
    public let logLinear: LogLinearPolicyClass?

    /// Parameters at μ: tabular logits log μ, or θ = 0 (π_0 = μ).
    /// - Parameter run: the run (its reference μ and policy class).
    public init(run: RunContext) {
        logits = TabularLogits(policy: run.reference)
        switch run.policyClass {
        case .tabular:
            theta = nil
            logLinear = nil
        case let .logLinear(c):
            theta = Array(repeating: 0, count: c.dimension)
            logLinear = c
        }
    }

    /// θ = 0 of the run's log-linear class, or nil when the run is tabular (for plugins whose
    /// tabular arithmetic works on per-context logit rows and stays as it was).
    public init?(logLinear run: RunContext) {
        guard case .logLinear = run.policyClass else { return nil }
        self.init(run: run)
    }

    /// The logits as rows `[x][y]`.
    public var logitRows: [[Double]] {
        let n = logits.actions
        return (0..<logits.contexts).map { x in Array(logits.values[(x * n)..<((x + 1) * n)]) }
    }

    /// The number of optimised parameters (contexts × actions, or d).
    public var count: Int { theta?.count ?? logits.values.count }

    /// One optimizer step (the optimizer descends) with the gradient `g` with respect to the
    /// logits (flat `[x * actions + y]`): tabular logits step on g, θ on Φᵀg.
    public mutating func step<O: GradientOptimizer>(_ optimizer: inout O, logitGradient g: [Double]) {
        guard var t = theta, let c = logLinear else {
            optimizer.step(&logits.values, gradient: g)
            return
        }
        optimizer.step(&t, gradient: c.parameterGradient(logitGradient: g))
        theta = t
        logits.values = c.logits(t)
    }

    /// An ascent step θ ← θ + η·∇ (plain SGD on a gradient to ascend), with `g` the ascent
    /// direction with respect to the logits, flat `[x * actions + y]`.
    public mutating func ascend(learningRate: Double, logitGradient g: [Double]) {
        guard var t = theta, let c = logLinear else {
            for i in logits.values.indices { logits.values[i] += learningRate * g[i] }
            return
        }
        let gt = c.parameterGradient(logitGradient: g)
        for k in t.indices { t[k] += learningRate * gt[k] }
        theta = t
        logits.values = c.logits(t)
    }

    /// Re-centres tabular logits per context (`TabularLogits.recentre`); θ is left alone (a shift
    /// of θ is not a shift per context unless the features contain one).
    public mutating func recentre() {
        if theta == nil { logits.recentre() }
    }

    /// Whether the parameters define a policy (`TabularLogits.isFinite`; for log-linear also
    /// every θ_k finite).
    public var isFinite: Bool {
        if let t = theta, t.contains(where: { !$0.isFinite }) { return false }
        return logits.isFinite
    }

    /// The policy.
    /// - Throws: `AlignmentCoreError.invalidPolicy` if a logit is NaN or +∞.
    public func policy() throws -> Policy { try logits.policy() }
}
