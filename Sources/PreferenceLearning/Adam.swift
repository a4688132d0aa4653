import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// θ ← θ − η · m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
///
/// Dense: every coordinate's moments decay at every step, including coordinates with a zero
/// gradient (the behaviour of the common deep-learning implementations).
public struct Adam: GradientOptimizer {
    /// The step size η (may be changed between steps, e.g. by a schedule).
    public var learningRate: Double
    /// β₁.
    public let beta1: Double
    /// β₂.
    public let beta2: Double
    /// ε.
    public let epsilon: Double
    /// Steps taken (t).
    public private(set) var steps = 0
    private var m: [Double]
    private var v: [Double]

    /// Creates Adam for `parameterCount` parameters.
    public init(parameterCount: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8) {
        precondition(learningRate > 0, "learning rate must be positive")
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0, "invalid Adam constants")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = Array(repeating: 0, count: parameterCount)
        v = Array(repeating: 0, count: parameterCount)
    }

    /// One Adam step on `parameters` with `gradient` (moments updated, bias-corrected).
    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        precondition(gradient.count == parameters.count && parameters.count == m.count, "gradient has the wrong length")
        steps += 1
        let c1 = 1 - pow(beta1, Double(steps))
        let c2 = 1 - pow(beta2, Double(steps))
        for i in parameters.indices {
            let g = gradient[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            parameters[i] -= learningRate * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
        }
    }
}
