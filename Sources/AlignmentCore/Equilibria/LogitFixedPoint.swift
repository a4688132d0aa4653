import Foundation

/// The logit fixed-point system of one context of the regularized preference game (Munos et al. 2023, §3):
/// F(θ) = θ − log μ − P·softmax(θ)/τ, whose unique root gives π*_τ = softmax(θ*).
///
/// Works on the support of μ only (actions with μ(y) = 0 have π*_τ(y) = 0). Used by
/// `RegularizedEquilibriumSolver`; shares no code with any algorithm plugin.
final class LogitFixedPoint {
    /// Number of actions in the support of μ.
    let k: Int
    /// P restricted to the support, row-major k×k.
    let p: [Double]
    /// log μ on the support (finite).
    let logMu: [Double]
    /// τ > 0.
    let tau: Double

    init(p: [Double], logMu: [Double], tau: Double) {
        self.k = logMu.count
        self.p = p
        self.logMu = logMu
        self.tau = tau
    }

    /// softmax(θ) and log softmax(θ).
    func policy(_ theta: UnsafeBufferPointer<Double>) -> (pi: [Double], logPi: [Double]) {
        var m = -Double.infinity
        for v in theta where v > m { m = v }
        var s = 0.0
        for v in theta { s += exp(v - m) }
        let z = m + log(s)
        let logPi = theta.map { $0 - z }
        return (logPi.map { exp($0) }, logPi)
    }

    /// (P q)(y) on the support (OpenBLAS `dgemv`, as `PreferenceMatrix.times`).
    func times(_ q: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: k) { out, count in
            p.withUnsafeBufferPointer { e in
                q.withUnsafeBufferPointer { x in
                    DenseLinearAlgebra.gemv(rows: k, columns: k, e.baseAddress!, x.baseAddress!, into: out.baseAddress!)
                }
            }
            count = k
        }
    }

    /// The fixed-point map T(θ) = log μ + P·softmax(θ)/τ (the logits of the regularized best
    /// response to softmax(θ)).
    func bestResponseLogits(_ theta: UnsafeBufferPointer<Double>) -> [Double] {
        let v = times(policy(theta).pi)
        return (0..<k).map { logMu[$0] + v[$0] / tau }
    }

    /// Writes F(θ) into `f` (length k).
    func residual(_ theta: UnsafeBufferPointer<Double>, into f: UnsafeMutableBufferPointer<Double>) {
        let t = bestResponseLogits(theta)
        for i in 0..<k { f[i] = theta[i] - t[i] }
    }

    /// Writes the Jacobian J_ij = δ_ij − π_j (P_ij − (Pπ)_i)/τ of F at θ into a row-major buffer
    /// with row stride `stride` (from dπ/dθ = diag(π) − ππᵀ).
    func jacobian(_ theta: UnsafeBufferPointer<Double>, into jac: UnsafeMutablePointer<Double>, stride: Int) {
        let pi = policy(theta).pi
        let v = times(pi)
        p.withUnsafeBufferPointer { e in
            for i in 0..<k {
                let row = jac + i * stride
                let base = i * k
                for j in 0..<k {
                    row[j] = -pi[j] * (e[base + j] - v[i]) / tau
                }
                row[i] += 1
            }
        }
    }

    /// The regularized duality gap of softmax(θ) in this context,
    /// 2[τ log Σ_y μ(y) exp((Pπ)(y)/τ) + τ KL(π‖μ) − ½] (the per-context summands of the regularized duality gap, `GameMetrics.regularizedGap`).
    func gap(_ theta: UnsafeBufferPointer<Double>) -> Double {
        let (pi, logPi) = policy(theta)
        let v = times(pi)
        let br = tau * LogSpace.logSumExp((0..<k).map { logMu[$0] + v[$0] / tau })
        var kl = 0.0
        for y in 0..<k where pi[y] > 0 { kl += pi[y] * (logPi[y] - logMu[y]) }
        return 2 * (br + tau * kl - 0.5)
    }

    /// Max-norm of F(θ).
    func residualNorm(_ theta: [Double]) -> Double {
        var f = [Double](repeating: 0, count: k)
        theta.withUnsafeBufferPointer { t in
            f.withUnsafeMutableBufferPointer { residual(t, into: $0) }
        }
        return f.reduce(0) { max($0, abs($1)) }
    }

    /// `gap` for an array.
    func gap(_ theta: [Double]) -> Double { theta.withUnsafeBufferPointer { gap($0) } }

    /// `bestResponseLogits` for an array.
    func bestResponseLogits(_ theta: [Double]) -> [Double] { theta.withUnsafeBufferPointer { bestResponseLogits($0) } }
}
