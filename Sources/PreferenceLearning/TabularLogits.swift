import AlignmentCore
import Foundation

/// Tabular softmax parameters θ: one logit per (context, response), stored flat (row-major by
/// context) so that optimizers work on one vector. π_θ(y | x) = exp(θ_x(y)) / Σ_y' exp(θ_x(y')).
///
/// Useful identities for gradients: ∂ log π_θ(y | x)/∂θ_x = e_y − π_θ(· | x), and the log-ratio
/// difference log π(a)/μ(a) − log π(b)/μ(b) has gradient e_a − e_b (the normaliser cancels).
public struct TabularLogits: Sendable, Equatable {
    /// Number of contexts.
    public let contexts: Int
    /// Number of responses per context.
    public let actions: Int
    /// θ, flat: `values[x * actions + y]`.
    public var values: [Double]

    /// Logits equal to a policy's log-probabilities (e.g. initialise at μ, the SFT model).
    public init(policy: Policy) {
        contexts = policy.contexts
        actions = policy.actions
        values = policy.logProbabilities.flatMap { $0 }
    }

    /// Zero logits (the uniform policy).
    public init(contexts: Int, actions: Int) {
        precondition(contexts >= 1 && actions >= 1, "logits need positive sizes")
        self.contexts = contexts
        self.actions = actions
        values = Array(repeating: 0, count: contexts * actions)
    }

    /// The flat index of (x, y).
    @inlinable
    public func index(_ x: Int, _ y: Int) -> Int { x * actions + y }

    /// log π_θ(· | x) (log-softmax).
    public func logProbabilities(context x: Int) -> [Double] {
        LogSpace.normalize(Array(values[(x * actions)..<((x + 1) * actions)]))
    }

    /// π_θ(· | x).
    public func probabilities(context x: Int) -> [Double] {
        LogSpace.softmax(Array(values[(x * actions)..<((x + 1) * actions)]))
    }

    /// The policy π_θ.
    /// - Throws: `AlignmentCoreError.invalidPolicy` if a logit is NaN or +∞ (a diverged run).
    public func policy() throws -> Policy {
        try Policy(logits: (0..<contexts).map { x in Array(values[(x * actions)..<((x + 1) * actions)]) })
    }

    /// Whether the logits define a policy: every logit is finite or −∞ (a response outside the
    /// support, e.g. where μ is 0 when θ starts at log μ; it stays at probability 0) and each
    /// context has a finite logit. False after a NaN or +∞ (a diverged run).
    public var isFinite: Bool {
        guard !values.contains(where: { $0.isNaN || $0 == .infinity }) else { return false }
        return (0..<contexts).allSatisfy { x in values[(x * actions)..<((x + 1) * actions)].contains(where: \.isFinite) }
    }

    /// Re-centres each context's finite logits to mean 0 (π_θ is unchanged; keeps values
    /// bounded); −∞ logits stay −∞.
    public mutating func recentre() {
        for x in 0..<contexts {
            let r = (x * actions)..<((x + 1) * actions)
            var sum = 0.0, count = 0
            for i in r where values[i].isFinite {
                sum += values[i]
                count += 1
            }
            guard count > 0 else { continue }
            let m = sum / Double(count)
            for i in r where values[i].isFinite { values[i] -= m }
        }
    }
}
