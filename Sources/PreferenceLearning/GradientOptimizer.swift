import Foundation

/// A first-order optimizer that descends a loss given its gradient with respect to a flat
/// parameter vector.
public protocol GradientOptimizer: Sendable {
    /// The current step size.
    var learningRate: Double { get set }
    /// Applies one descent step: θ ← θ − update(g).
    /// - Precondition: `gradient.count == parameters.count`.
    mutating func step(_ parameters: inout [Double], gradient: [Double])
}

/// Plain (stochastic) gradient descent: θ ← θ − η g.
public struct GradientDescent: GradientOptimizer {
    /// The step size η.
    public var learningRate: Double

    /// Creates SGD with step size η.
    public init(learningRate: Double) {
        precondition(learningRate > 0, "learning rate must be positive")
        self.learningRate = learningRate
    }

    /// θ ← θ − η g.
    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        precondition(gradient.count == parameters.count, "gradient has the wrong length")
        for i in parameters.indices { parameters[i] -= learningRate * gradient[i] }
    }
}
