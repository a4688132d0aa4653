import AlignmentCore
import Foundation

/// The exact-feedback step of the tabular class without allocation (issue 11, target 5): the
/// expressions of `exactBatch(logPi:logMu:context:oracle:)` and `gradient(_:logPi:logMu:)`, in the
/// same order, written into buffers of n entries that a run allocates once, so the same bits
/// (`SelfPlayInPlaceTests` compares them with the allocating forms on seeded inputs).
extension SelfPlayPolicyGradient {
    /// One context's buffers for `exactStep`, each of n entries.
    struct ExactWorkspace {
        /// log π_old: the normalised logits the batch is drawn from.
        var logPiOld: [Double]
        /// π_old, the batch's weights.
        var pi: [Double]
        /// P π_old (the oracle's `dgemv`).
        var preference: [Double]
        /// ℓ = log(π_old/μ).
        var ell: [Double]
        /// The expected advantages Ā(y).
        var advantages: [Double]
        /// log π of the current logits (epochs after the first).
        var logPi: [Double]
        /// The gradient's first sum u, then the gradient itself.
        var gradient: [Double]

        /// Buffers for n responses.
        init(actions n: Int) {
            let zeros = [Double](repeating: 0, count: n)
            (logPiOld, pi, preference, ell, advantages, logPi, gradient) = (zeros, zeros, zeros, zeros, zeros, zeros, zeros)
        }
    }

    /// One iteration of context x in exact feedback: the exact batch at softmax(`theta`), then
    /// `epochs` ascent steps of `learningRate` on `theta` — what the tabular loop of `run` does
    /// with `exactBatch` and `gradient`, bit for bit.
    /// - Parameters:
    ///   - theta: the context's logits (n entries), updated in place.
    ///   - logMu: log μ of the context.
    ///   - x: the context.
    ///   - oracle: the run's oracle (exact feedback).
    ///   - w: the context's buffers.
    /// - Throws: `unsupportedFeedback` in sampled feedback (from the oracle).
    /// - Complexity: O(n²) for P π (one `dgemv`) and O(epochs · n); no allocation.
    func exactStep(_ theta: inout [Double], logMu: [Double], context x: Int, oracle: FeedbackOracle,
                   workspace w: inout ExactWorkspace) throws {
        let n = theta.count
        LogSpace.normalize(theta, into: &w.logPiOld)
        // exactBatch: π, P π, ℓ, πᵀℓ, Ā.
        LogSpace.exponentials(w.logPiOld, into: &w.pi)
        try w.pi.withUnsafeBufferPointer { q in
            try w.preference.withUnsafeMutableBufferPointer { try oracle.preferenceAgainst(context: x, q, into: $0) }
        }
        let (a, b) = expectedScales
        for y in 0..<n { w.ell[y] = LogSpace.logRatio(w.logPiOld[y], logMu[y]) }
        var meanEll = 0.0
        for y in 0..<n { meanEll = meanEll + w.pi[y] * w.ell[y] }
        for y in 0..<n { w.advantages[y] = a * (w.preference[y] - 0.5) - (klInLoss ? 0 : b * beta * (w.ell[y] - meanEll)) }
        for epoch in 0..<epochs {
            // The first epoch's log π is log π_old (the same normalisation of the same logits).
            if epoch > 0 { LogSpace.normalize(theta, into: &w.logPi) }
            let logPi = epoch == 0 ? w.logPiOld : w.logPi
            // gradient: u over the batch (every action y, weight π_old(y)), then u − (Σu) π.
            for y in 0..<n { w.gradient[y] = 0 }
            for y in 0..<n {
                guard w.pi[y] > 0 else { continue }
                let adv = w.advantages[y]
                let rho = exp(logPi[y] - w.logPiOld[y])
                let clipped = (adv > 0 && rho > 1 + clipEpsilon) || (adv < 0 && rho < 1 - clipEpsilon)
                if !clipped { w.gradient[y] += w.pi[y] * rho * adv }
                if klInLoss { w.gradient[y] -= w.pi[y] * beta * (1 - exp(logMu[y] - logPi[y])) }
            }
            var total = 0.0
            for y in 0..<n { total = total + w.gradient[y] }
            for y in 0..<n { w.gradient[y] = w.gradient[y] - total * exp(logPi[y]) }
            for y in 0..<n { theta[y] += learningRate * w.gradient[y] }
        }
    }
}
