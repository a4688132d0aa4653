import AlignmentCore
import Foundation

/// SPPO in the log-linear class π_θ ∝ μ·exp(θᵀφ) (`LogLinearPolicyClass`): the paper's regression
/// step (Wu et al. 2024, the SPPO objective of Algorithm 1) as a linear least-squares problem.
///
/// Per iteration, every context's targets are formed at θ_t as in the tabular plugin — exact
/// feedback: every response y with π_t(y|x) > 0, target η(P(y ≻ π_t) − ½), weight ρ(x)·π_t(y|x)
/// (the expectation over y ∼ π_t that the paper's loss takes); sampled feedback: the K responses
/// drawn from π_t (the same draws and labels as the tabular plugin), one row per distinct
/// response with the mean target η(P̂ − ½) and weight ρ(x)·(occurrences/K) — and then
///
///     Δθ = argmin_Δ Σ_rows w·(Δᵀφ(x, y) − η(P̂(y ≻ π_t) − ½))²,   θ_{t+1} = θ_t + Δθ,
///
/// solved exactly, with the least-norm Δθ when the rows do not determine it (`DenseLinearAlgebra
/// .leastSquares`, LAPACK `dgelsd`).
///
/// The choice this makes: the paper regresses log(π_θ(y|x)/π_t(y|x)) = Δθᵀφ(x, y) − Δlog Z_θ(x),
/// whose normaliser change it approximates by the constant η/2 (the log-partition approximation
/// that gives the objective its −½). Here the unnormalised log-ratio Δθᵀφ is regressed, with the normaliser
/// left to the policy: the problem stays linear least squares (one exact solve per iteration, no
/// inner optimiser to tune), and where the class can represent the multiplicative update
/// π_t·exp(η(P − ½)) it is reached exactly. With indicator features every row is its own
/// coordinate, so Δθ_{(x,y)} = η(P̂ − ½) on the rows and 0 elsewhere: the tabular update, which the
/// catalogue's conformance suite checks to 1e-9 for both feedback modes. With d smaller than
/// contexts × (actions − 1), Δθ is the weighted projection of that update onto the features
/// (the compatible-function-approximation step of Q-NPG for log-linear policies, Agarwal et al.
/// 2021, "On the theory of policy gradient methods", §6, with the win-rate target in place of Q).
extension SPPOAlgorithm {
    /// Runs SPPO over θ from θ_0 = 0 (π_0 = μ), reporting the last or the average iterate.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` when the least-squares
    ///   solve fails or θ stops being finite.
    /// - Complexity: per iteration, the targets as in the tabular plugin, plus O(m·d·min(m, d)) for
    ///   the solve with m ≤ contexts·min(actions, K) rows and d features.
    func runLogLinear(_ run: RunContext, policyClass c: LogLinearPolicyClass) throws {
        let n = run.actions
        var theta = [Double](repeating: 0, count: c.dimension)
        var sum = run.reference.probabilities  // Σ_{s≤t} π_s
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            let logits = c.logits(theta)
            var rows: [(pair: Int, weight: Double, target: Double)] = []
            for x in 0..<run.contexts {
                let pi = LogSpace.normalize(Array(logits[(x * n)..<((x + 1) * n)])).map { exp($0) }
                let rho = run.contextWeights[x]
                if run.mode == .exact {
                    let v = try run.oracle.preferenceAgainst(context: x, pi)
                    for y in 0..<n where pi[y] > 0 {
                        rows.append((x * n + y, rho * pi[y], eta * (v[y] - 0.5)))
                    }
                } else {
                    for rate in try sampledWinRates(pi: pi, context: x, run: run) {
                        rows.append((x * n + rate.response, rho * Double(rate.occurrences) / Double(responses),
                                     eta * (rate.estimate - 0.5)))
                    }
                }
            }
            guard let step = Self.regressionStep(rows, features: c.features) else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "SPPO's least-squares step did not converge (LAPACK dgelsd)")
            }
            for k in theta.indices { theta[k] += step[k] }
            guard theta.allSatisfy(\.isFinite) else {
                throw AlignmentCoreError.numericalFailure(iteration: t + 1, reason: "SPPO's θ is not finite")
            }
            let last = try c.policy(theta)
            if reportsAverage {
                for x in 0..<run.contexts {
                    for y in 0..<n { sum[x][y] += last.probabilities[x][y] }
                }
                try run.report(iteration: t + 1, policy: Policy(probabilities: sum))
            } else {
                try run.report(iteration: t + 1, policy: last)
            }
        }
    }

    /// The least-norm Δ minimising Σ w·(Δᵀφ(pair) − target)² over `rows` (rows of weight 0 are
    /// left out): the weighted problem as ordinary least squares on √w·φ and √w·target.
    /// - Parameters:
    ///   - rows: (pair index x·actions + y, weight ≥ 0, target).
    ///   - features: φ.
    /// - Returns: Δ (d entries; all zero when no row has positive weight), or nil when the SVD
    ///   did not converge.
    /// - Complexity: O(m·d·min(m, d)) for m rows.
    static func regressionStep(_ rows: [(pair: Int, weight: Double, target: Double)], features: FeatureMap) -> [Double]? {
        let used = rows.filter { $0.weight > 0 }
        let d = features.dimension
        guard !used.isEmpty else { return [Double](repeating: 0, count: d) }
        var a = [Double](repeating: 0, count: used.count * d)
        var b = [Double](repeating: 0, count: used.count)
        for (i, row) in used.enumerated() {
            let s = row.weight.squareRoot()
            let phi = features.feature(context: row.pair / features.actions, action: row.pair % features.actions)
            for k in 0..<d { a[i * d + k] = s * phi[k] }
            b[i] = s * row.target
        }
        return DenseLinearAlgebra.leastSquares(rows: used.count, columns: d, a, b)?.solution
    }
}
