import Foundation

/// The family of policies a run's plugin optimises over, as named in a spec's `policy_class`.
public enum PolicyClassKind: String, Sendable, CaseIterable, Hashable, Comparable {
    /// One free logit per (context, response): every policy (today's behaviour, the default).
    case tabular = "tabular"
    /// π_θ(y|x) ∝ μ(y|x)·exp(θᵀφ(x, y)) with the environment's features φ.
    case logLinear = "log-linear"

    /// Declaration order (tabular first).
    public static func < (a: PolicyClassKind, b: PolicyClassKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A run's policy class with what it needs: nothing for `tabular`, the parameterisation for
/// `logLinear`. Handed to the plugin in `RunContext.policyClass`.
public enum PolicyClass: Sendable, Equatable {
    /// Tabular softmax logits.
    case tabular
    /// The log-linear class π_θ ∝ μ·exp(θᵀφ).
    case logLinear(LogLinearPolicyClass)

    /// The class's name.
    public var kind: PolicyClassKind {
        switch self {
        case .tabular: return .tabular
        case .logLinear: return .logLinear
        }
    }
}

/// The log-linear parameterisation π_θ(y|x) ∝ μ(y|x)·exp(θᵀφ(x, y)) (the exponential family with
/// base measure μ; e.g. Agarwal et al. 2021, "On the theory of policy gradient methods", §6, with
/// μ as base measure so that θ = 0 is μ and responses outside μ's support keep probability 0).
///
/// Logits z(x, y) = log μ(y|x) + θᵀφ(x, y). For an objective J with logit gradient
/// g(x, y) = ∂J/∂z(x, y), the chain rule gives ∇_θ J = Σ_{x,y} g(x, y) φ(x, y) = Φᵀg; this is how a
/// gradient-based plugin written for tabular logits steps θ instead.
public struct LogLinearPolicyClass: Sendable, Equatable {
    /// The features φ.
    public let features: FeatureMap
    /// log μ, flat `[x * actions + y]` (−∞ outside μ's support).
    public let logReference: [Double]

    /// Creates the class for `reference` μ and `features`.
    /// - Throws: `AlignmentCoreError.invalidProblem` when the shapes differ.
    public init(reference: Policy, features: FeatureMap) throws {
        guard reference.contexts == features.contexts, reference.actions == features.actions else {
            throw AlignmentCoreError.invalidProblem("features are \(features.contexts) context(s) × \(features.actions) actions, the problem \(reference.contexts) × \(reference.actions)")
        }
        self.features = features
        logReference = reference.logProbabilities.flatMap { $0 }
    }

    /// The dimension d of θ.
    public var dimension: Int { features.dimension }

    /// The logits log μ + Φθ, flat `[x * actions + y]` (−∞ where μ is 0).
    /// - Complexity: O(contexts · actions · d).
    public func logits(_ theta: [Double]) -> [Double] {
        let s = features.scores(theta)
        return zip(logReference, s).map { $0 + $1 }
    }

    /// The policy π_θ.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when a logit is NaN or +∞ (a diverged θ).
    public func policy(_ theta: [Double]) throws -> Policy {
        let z = logits(theta)
        let n = features.actions
        return try Policy(logits: (0..<features.contexts).map { x in Array(z[(x * n)..<((x + 1) * n)]) })
    }

    /// ∇_θ J = Σ_{x,y} g(x, y) φ(x, y) for a logit gradient g, flat `[x * actions + y]`.
    /// - Complexity: O(contexts · actions · d).
    public func parameterGradient(logitGradient g: [Double]) -> [Double] {
        features.transposeTimes(g)
    }
}
