import AlignmentCore
import CClp
import Foundation

/// Ground-truth solve times over n (e) and the Nash LP by GLPK against COIN-OR CLP (item 3 of the
/// slice): data for choosing the solver; the harness keeps GLPK.
enum GroundTruthBenchmarks {
    /// (e) π*_τ (τ = 0.1, `RegularizedEquilibriumSolver`, dense Newton), one Nash equilibrium
    /// (`NashEquilibriumLP.solve`, GLPK) and the unique-equilibrium test the sweep runs
    /// (`NashEquilibriumLP.uniqueEquilibrium`) at each n of `sizes`, then π*_τ alone at each n of
    /// `regularizedSizes` (the LPs grow like n^3.3 and are not measured there), with the growth
    /// exponent of each.
    static func solveTimes(_ report: Report, sizes: [Int], regularizedSizes: [Int] = []) throws {
        report.begin("(e) ground-truth solve times — random games, softmax-normal μ, one context, one core")
        var regularized: [(x: Double, y: Double)] = [], lp: [(x: Double, y: Double)] = [], unique: [(x: Double, y: Double)] = []
        for n in sizes {
            let problem = try AlgorithmBenchmarks.randomGame(actions: n, seed: 3)
            let repeats = n <= 100 ? 3 : 1
            let tReg = try Measurement.median(repeats: repeats) { _ = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1) }
            let tLP = try Measurement.median(repeats: repeats) { _ = try NashEquilibriumLP.solve(problem: problem) }
            let tUnique = try Measurement.median(repeats: repeats) { _ = try NashEquilibriumLP.uniqueEquilibrium(problem: problem) }
            regularized.append((Double(n), tReg)); lp.append((Double(n), tLP)); unique.append((Double(n), tUnique))
            report.figure("e.n\(n).regularized_s", "n = \(n): π*_τ (τ = 0.1, dense Newton)", tReg, unit: "s")
            report.figure("e.n\(n).nash_lp_s", "n = \(n): Nash equilibrium (GLPK simplex)", tLP, unit: "s")
            report.figure("e.n\(n).unique_nash_s", "n = \(n): unique-equilibrium test (as the sweep)", tUnique, unit: "s")
            report.flush()
        }
        for n in regularizedSizes where !sizes.contains(n) {
            let problem = try AlgorithmBenchmarks.randomGame(actions: n, seed: 3)
            let tReg = try Measurement.median(repeats: 1) { _ = try RegularizedEquilibriumSolver.solve(problem: problem, tau: 0.1) }
            regularized.append((Double(n), tReg))
            report.figure("e.n\(n).regularized_s", "n = \(n): π*_τ (τ = 0.1, dense Newton; LPs not measured)", tReg, unit: "s")
            report.flush()
        }
        for (key, label, pts) in [("regularized", "π*_τ", regularized), ("nash_lp", "Nash LP", lp), ("unique_nash", "unique test", unique)] {
            if let k = Measurement.growthExponent(pts) {
                report.figure("e.\(key).exponent", "growth exponent of \(label) (time ∝ n^k, least squares)", k, unit: "")
            }
            if pts.count >= 2, let k = Measurement.growthExponent(Array(pts.suffix(2))) {
                report.figure("e.\(key).exponent_last", "  between the two largest n", k, unit: "")
            }
        }
    }

    /// max_y (P x)(y) − ½ of x clipped at 0 and normalised (the check `NashEquilibriumLP` applies).
    static func exploitability(_ p: PreferenceMatrix, _ raw: [Double]) -> Double {
        let clipped = raw.map { max($0, 0) }
        let s = clipped.reduce(0, +)
        guard s > 0 else { return .infinity }
        return (p.times(clipped.map { $0 / s }).max() ?? .infinity) - 0.5
    }

    /// The LP of `NashEquilibriumLP.solve` — min v s.t. (P − ½)π ≤ v·1, Σπ = 1, π ≥ 0 — solved by
    /// CLP with `method` ("primal", "dual" or "auto" = `Clp_initialSolve`), primal tolerance 1e-10.
    /// - Returns: π and the seconds of the solve (building the model included).
    static func clpSolve(_ p: PreferenceMatrix, method: String) throws -> (pi: [Double], seconds: Double) {
        let n = p.size
        var starts: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        var pi: [Double] = []
        var status: Int32 = 0
        let seconds = Measurement.seconds {
            index.reserveCapacity(n * (n + 1)); value.reserveCapacity(n * (n + 1))
            for j in 0..<n {           // column π_j: rows i ≠ j with P_ij − ½, the simplex row n with 1
                for i in 0..<n where i != j {
                    index.append(Int32(i)); value.append(p[i, j] - 0.5)
                }
                index.append(Int32(n)); value.append(1)
                starts.append(CoinBigIndex(index.count))
            }
            for i in 0..<n { index.append(Int32(i)); value.append(-1) }   // column v
            starts.append(CoinBigIndex(index.count))
            let inf = Double.greatestFiniteMagnitude
            let colLower = [Double](repeating: 0, count: n) + [-inf], colUpper = [Double](repeating: inf, count: n + 1)
            let objective = [Double](repeating: 0, count: n) + [1]
            let rowLower = [Double](repeating: -inf, count: n) + [1], rowUpper = [Double](repeating: 0, count: n) + [1]
            guard let model = Clp_newModel() else { status = -99; return }
            defer { Clp_deleteModel(model) }
            Clp_setLogLevel(model, 0)
            Clp_loadProblem(model, Int32(n + 1), Int32(n + 1), starts, index, value, colLower, colUpper, objective, rowLower, rowUpper)
            Clp_setOptimizationDirection(model, 1)
            Clp_setPrimalTolerance(model, 1e-10)
            switch method {
            case "primal": status = Clp_primal(model, 0)
            case "dual": status = Clp_dual(model, 0)
            default: status = Clp_initialSolve(model)
            }
            if Clp_status(model) != 0 { status = Clp_status(model) }
            if let x = Clp_primalColumnSolution(model) { pi = Array(UnsafeBufferPointer(start: x, count: n)) }
        }
        guard status == 0, pi.count == n else {
            throw BenchPerfError.measurement("CLP (\(method)) did not solve the Nash LP at n = \(n): status \(status)")
        }
        return (pi, seconds)
    }

    /// GLPK (`NashEquilibriumLP.solve`, the harness's solver) against CLP's primal, dual and
    /// automatic simplex on the same LP, with the exploitability of each returned point.
    static func lpComparison(_ report: Report, sizes: [Int]) throws {
        report.begin("LP solvers on the Nash LP — GLPK \(NumericLibraries.glpk) (the harness) vs COIN-OR CLP \(String(cString: Clp_Version()))")
        var glpkPts: [(x: Double, y: Double)] = [], clpPts: [(x: Double, y: Double)] = []
        for n in sizes {
            let p = try AlgorithmBenchmarks.randomGame(actions: n, seed: 5).preferences[0]
            var glpkPi: [Double] = []
            let tGLPK = try Measurement.seconds { glpkPi = try NashEquilibriumLP.solve(p) }
            glpkPts.append((Double(n), tGLPK))
            report.figure("lp.n\(n).glpk_s", "n = \(n): GLPK primal simplex", tGLPK, unit: "s",
                          note: String(format: "exploitability %.1e", exploitability(p, glpkPi)))
            var best = Double.infinity
            for method in ["primal", "dual", "auto"] {
                let r = try clpSolve(p, method: method)
                let e = exploitability(p, r.pi)
                best = min(best, r.seconds)
                report.figure("lp.n\(n).clp_\(method)_s", "n = \(n): CLP \(method)", r.seconds, unit: "s",
                              note: String(format: "exploitability %.1e%@", e, e <= NashEquilibriumLP.equilibriumTolerance ? "" : " (above 1e-9: not accepted)"))
            }
            clpPts.append((Double(n), best))
            report.figure("lp.n\(n).glpk_over_best_clp", "n = \(n): GLPK / fastest CLP", tGLPK / best, unit: "×")
            report.flush()
        }
        if let k = Measurement.growthExponent(glpkPts) { report.figure("lp.glpk.exponent", "growth exponent, GLPK", k, unit: "") }
        if let k = Measurement.growthExponent(clpPts) { report.figure("lp.clp.exponent", "growth exponent, fastest CLP", k, unit: "") }
    }
}
