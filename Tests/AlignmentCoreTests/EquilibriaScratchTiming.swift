import AlignmentCore
import Foundation
import Testing

// TEMPORARY measurement harness (to be deleted).
struct EquilibriaScratchTiming {
    static func randomProblem(n: Int, seed: UInt64, muScale: Double) throws -> Problem {
        let rng = RandomSource(seed: seed)
        var rows = Array(repeating: Array(repeating: 0.5, count: n), count: n)
        for i in 0..<n { for j in 0..<i { let u = rng.uniform(); rows[i][j] = u; rows[j][i] = 1 - u } }
        let p = try PreferenceMatrix(rows: rows)
        let mu = try ReferencePolicy.softmaxNormal(scale: muScale, seed: seed &+ 1).make(contexts: 1, actions: n)
        return try Problem(preferences: [p], reference: mu, isTransitive: false)
    }

    @Test(arguments: [Int(ProcessInfo.processInfo.environment["ENVS_N"] ?? "100")!])
    func timing(n: Int) throws {
        guard ProcessInfo.processInfo.environment["ENVS_TIMING"] != nil else { return }
        let problem = try Self.randomProblem(n: n, seed: 3, muScale: 1)
        for tau in [1.0, 0.1, 0.01, 1e-3] {
            let t0 = Date()
            let pi = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            let dt = Date().timeIntervalSince(t0)
            print("n=\(n) tau=\(tau) time=\(dt) gap=\(GameMetrics.regularizedGap(problem, pi, tau: tau)) expl=\(GameMetrics.exploitability(problem, pi))")
        }
        guard ProcessInfo.processInfo.environment["ENVS_LP"] != nil else { return }
        let t0 = Date()
        let nash = try NashEquilibriumLP.solve(problem: problem)
        let t1 = Date()
        let u = try NashEquilibriumLP.uniqueEquilibrium(problem: problem)
        print("n=\(n) LP time=\(t1.timeIntervalSince(t0)) expl=\(GameMetrics.exploitability(problem, nash)) unique=\(u != nil) uniqueTime=\(Date().timeIntervalSince(t1))")
    }
}
