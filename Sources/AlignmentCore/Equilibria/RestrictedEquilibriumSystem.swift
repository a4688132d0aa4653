import Foundation

/// The restricted first-order system of the τ-regularised preference game on the log-linear class
/// Π_Φ = {π_θ(y|x) ∝ μ(y|x) exp(θᵀφ(x, y))}, in reduced coordinates (used by
/// `RestrictedEquilibriumSolver`; shares no code with the algorithm plugins or PreferenceLearning).
///
/// With s_x = Φ_x θ, π_x = softmax(log μ_x + s_x), h_x = P_x π_x − τ s_x (equal to
/// A_x = P_x π_x − τ log(π_x/μ_x) up to a per-context constant) and C_x = diag π_x − π_x π_xᵀ,
/// F(θ) = Σ_x w_x Φ_xᵀ C_x h_x, the gradient in θ' of P(π_θ' ≻ π_θ) − τ KL(π_θ'‖μ) at θ' = θ.
///
/// **Reduced coordinates.** θ enters π only through Φ̃θ, where Φ̃ has rows φ(x, y) − φ̄_x for the
/// actions y in μ_x's support of the contexts with w_x > 0 (φ̄_x their mean): directions orthogonal
/// to Φ̃'s row space shift scores by a per-context constant. An orthonormal basis Q (d × r) of that
/// row space (modified Gram–Schmidt, twice, rows kept above 1e-10 of the largest row norm) gives
/// θ = Q η with η ∈ ℝʳ identified, F_θ = Q F_η (so ‖F_θ‖₂ = ‖F_η‖₂), and the Jacobian
/// J_η = Σ_x w_x Ψ_xᵀ J_x Ψ_x with Ψ_x = Φ_x Q and, in the scores,
/// J_x = [diag(h_x − h̄_x) − π_x (h_x − h̄_x)ᵀ] C_x + C_x (P_x C_x − τ I), h̄_x = π_xᵀ h_x
/// (differentiate C h = π ⊙ h − π (πᵀh) with dπ = C ds and dh = (P C − τ I) ds).
struct RestrictedEquilibriumSystem {
    /// Contexts, actions, reduced dimension r, original dimension d.
    let contexts: Int, actions: Int, rank: Int, dimension: Int
    /// τ > 0.
    let tau: Double
    /// Context weights w_x.
    let weights: [Double]
    /// P_x per context.
    let preferences: [PreferenceMatrix]
    /// log μ_x per context (−∞ outside the support).
    let logReference: [[Double]]
    /// Q row-major d × r.
    let basis: [Double]
    /// Ψ = Φ Q row-major, `psi[(x * actions + y) * rank + j]`.
    let psi: [Double]

    /// One evaluation: the policy, the residual F_η and the quantities the Jacobian reuses.
    struct Point {
        /// π_x per context.
        var pi: [[Double]]
        /// h_x = P_x π_x − τ s_x per context (0 outside the support).
        var h: [[Double]]
        /// F_η.
        var residual: [Double]
        /// ‖F_η‖₂².
        var squaredNorm: Double { residual.reduce(0) { $0 + $1 * $1 } }
        /// ‖F_η‖∞.
        var maxNorm: Double { residual.reduce(0) { max($0, abs($1)) } }
    }

    /// Builds the reduced system.
    /// - Throws: `AlignmentCoreError.invalidProblem` when the shapes differ.
    init(problem: Problem, features: FeatureMap, tau: Double) throws {
        guard features.contexts == problem.contexts, features.actions == problem.actions else {
            throw AlignmentCoreError.invalidProblem("features are \(features.contexts) context(s) × \(features.actions) actions, the problem \(problem.contexts) × \(problem.actions)")
        }
        contexts = problem.contexts
        actions = problem.actions
        dimension = features.dimension
        self.tau = tau
        weights = problem.contextWeights
        preferences = problem.preferences
        logReference = problem.reference.logProbabilities
        let d = dimension
        var rows: [[Double]] = []
        for x in 0..<problem.contexts where problem.contextWeights[x] > 0 {
            let logMu = problem.reference.logProbabilities[x]
            let support = (0..<problem.actions).filter { logMu[$0] > -.infinity }
            guard support.count > 1 else { continue }
            let phis = support.map { features.feature(context: x, action: $0) }
            var mean = [Double](repeating: 0, count: d)
            for f in phis { for k in 0..<d { mean[k] += f[k] } }
            for k in 0..<d { mean[k] /= Double(phis.count) }
            for f in phis { rows.append((0..<d).map { f[$0] - mean[$0] }) }
        }
        let q = Self.orthonormalBasis(rows, dimension: d)
        let r = q.count
        rank = r
        basis = (0..<d).flatMap { k in q.map { $0[k] } }
        var psi = [Double](repeating: 0, count: problem.contexts * problem.actions * r)
        for x in 0..<problem.contexts {
            for y in 0..<problem.actions {
                let f = features.feature(context: x, action: y)
                for j in 0..<r {
                    var s = 0.0
                    for k in 0..<d { s += f[k] * q[j][k] }
                    psi[(x * problem.actions + y) * r + j] = s
                }
            }
        }
        self.psi = psi
    }

    /// An orthonormal basis of the span of `rows` (modified Gram–Schmidt with reorthogonalisation;
    /// a row whose remainder is below 1e-10 of the largest row norm adds nothing).
    /// - Complexity: O(rows · d · r).
    static func orthonormalBasis(_ rows: [[Double]], dimension d: Int) -> [[Double]] {
        let scale = rows.reduce(0.0) { max($0, sqrt($1.reduce(0) { $0 + $1 * $1 })) }
        guard scale > 0 else { return [] }
        var q: [[Double]] = []
        for row in rows {
            guard q.count < d else { break }
            var v = row
            for _ in 0..<2 {
                for b in q {
                    var dot = 0.0
                    for k in 0..<d { dot += b[k] * v[k] }
                    for k in 0..<d { v[k] -= dot * b[k] }
                }
            }
            let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
            if norm > 1e-10 * scale { q.append(v.map { $0 / norm }) }
        }
        return q
    }

    /// θ = Q η.
    func theta(_ eta: [Double]) -> [Double] {
        (0..<dimension).map { k in
            var s = 0.0
            for j in 0..<rank { s += basis[k * rank + j] * eta[j] }
            return s
        }
    }

    /// The scores s_x(y) = Ψ_x η of context x.
    func scores(_ eta: [Double], context x: Int) -> [Double] {
        (0..<actions).map { y in
            var s = 0.0
            let base = (x * actions + y) * rank
            for j in 0..<rank { s += psi[base + j] * eta[j] }
            return s
        }
    }

    /// max_{x,y} |(Ψ v)(x, y)|: the largest change of a score that a step v in η makes.
    /// - Complexity: O(contexts · actions · r).
    func scoreChange(_ v: [Double]) -> Double {
        var worst = 0.0
        for i in 0..<(contexts * actions) {
            var s = 0.0
            for j in 0..<rank { s += psi[i * rank + j] * v[j] }
            worst = max(worst, abs(s))
        }
        return worst
    }

    /// π_x = softmax(log μ_x + s_x) for every context.
    func policy(_ eta: [Double]) -> [[Double]] {
        (0..<contexts).map { x in
            LogSpace.softmax(zip(logReference[x], scores(eta, context: x)).map { $0 + $1 })
        }
    }

    /// π, h and F_η at η.
    /// - Complexity: O(contexts · (actions² + actions · r)).
    func evaluate(_ eta: [Double]) -> Point {
        var residual = [Double](repeating: 0, count: rank)
        var pis: [[Double]] = [], hs: [[Double]] = []
        for x in 0..<contexts {
            let s = scores(eta, context: x)
            let pi = LogSpace.softmax(zip(logReference[x], s).map { $0 + $1 })
            let v = preferences[x].times(pi)
            var h = [Double](repeating: 0, count: actions)
            var mean = 0.0
            for y in 0..<actions where pi[y] > 0 {
                h[y] = v[y] - tau * s[y]
                mean += pi[y] * h[y]
            }
            if weights[x] > 0 {
                for y in 0..<actions where pi[y] > 0 {
                    let u = weights[x] * pi[y] * (h[y] - mean)
                    let base = (x * actions + y) * rank
                    for j in 0..<rank { residual[j] += u * psi[base + j] }
                }
            }
            pis.append(pi)
            hs.append(h)
        }
        return Point(pi: pis, h: hs, residual: residual)
    }

    /// The Jacobian J_η = ∂F_η/∂η at a point (row-major r × r), from the formula in the type's
    /// documentation.
    /// - Complexity: O(contexts · (actions³ + actions² · r + actions · r²)).
    func jacobian(_ point: Point) -> [Double] {
        let n = actions, r = rank
        var jac = [Double](repeating: 0, count: r * r)
        for x in 0..<contexts where weights[x] > 0 {
            let pi = point.pi[x], h = point.h[x]
            var hbar = 0.0
            for y in 0..<n { hbar += pi[y] * h[y] }
            // C = diag π − ππᵀ.
            var c = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { c[i * n + j] = (i == j ? pi[i] : 0) - pi[i] * pi[j] } }
            // PC − τI.
            var pc = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    var s = 0.0
                    for k in 0..<n where pi[k] > 0 { s += preferences[x][i, k] * c[k * n + j] }
                    pc[i * n + j] = s - (i == j ? tau : 0)
                }
            }
            // J_x = diag(h − h̄)C − π (h − h̄)ᵀ C + C (PC − τI).
            var g = [Double](repeating: 0, count: n)   // (h − h̄)ᵀ C
            for j in 0..<n { for k in 0..<n { g[j] += (h[k] - hbar) * c[k * n + j] } }
            var jx = [Double](repeating: 0, count: n * n)
            for i in 0..<n where pi[i] > 0 {
                for j in 0..<n {
                    var s = (h[i] - hbar) * c[i * n + j] - pi[i] * g[j]
                    for k in 0..<n where pi[k] > 0 { s += c[i * n + k] * pc[k * n + j] }
                    jx[i * n + j] = s
                }
            }
            // Ψ_xᵀ J_x Ψ_x, weighted.
            var jpsi = [Double](repeating: 0, count: n * r)   // J_x Ψ_x
            for i in 0..<n {
                for k in 0..<n where jx[i * n + k] != 0 {
                    let base = (x * n + k) * r
                    for b in 0..<r { jpsi[i * r + b] += jx[i * n + k] * psi[base + b] }
                }
            }
            for i in 0..<n {
                let base = (x * n + i) * r
                for a in 0..<r where psi[base + a] != 0 {
                    let f = weights[x] * psi[base + a]
                    for b in 0..<r { jac[a * r + b] += f * jpsi[i * r + b] }
                }
            }
        }
        return jac
    }
}
