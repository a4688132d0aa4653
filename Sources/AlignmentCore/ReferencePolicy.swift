/// How the reference policy μ is built: uniform, softmax of seeded normal logits,
/// or given explicitly.
public enum ReferencePolicy: Sendable, Hashable {
    /// μ uniform.
    case uniform
    /// μ_x = softmax(z_x), z_x(y) ~ N(0, scale²) drawn from `seed`.
    case softmaxNormal(scale: Double, seed: UInt64)
    /// μ given as probabilities `[context][action]` (or one row used for every context).
    case given([[Double]])

    /// Builds μ for a problem's shape.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when a given μ has the wrong shape or values.
    public func make(contexts: Int, actions: Int) throws -> Policy {
        switch self {
        case .uniform:
            return Policy.uniform(contexts: contexts, actions: actions)
        case let .softmaxNormal(scale, seed):
            let rng = RandomSource(seed: seed)
            let logits = (0..<contexts).map { _ in (0..<actions).map { _ in rng.normal(sd: scale) } }
            return try Policy(logits: logits)
        case let .given(rows):
            let full = rows.count == 1 && contexts > 1 ? Array(repeating: rows[0], count: contexts) : rows
            guard full.count == contexts, full.allSatisfy({ $0.count == actions }) else {
                throw AlignmentCoreError.invalidPolicy("given reference must be \(contexts)×\(actions) (or one row of \(actions))")
            }
            return try Policy(probabilities: full)
        }
    }
}
