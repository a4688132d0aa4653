import Foundation

/// Exact Nash equilibria of the (unregularized) symmetric preference game by linear programming
/// through GLPK.
///
/// With A = P − ½ (antisymmetric, so the game's value is 0), π is a Nash equilibrium exactly when
/// π ≥ 0, Σπ = 1 and Aπ ≤ 0, i.e. no pure response y wins against π with probability above ½.
/// `solve` finds one such π as the solution of  min v  s.t.  Aπ ≤ v·1, Σπ = 1, π ≥ 0
/// (optimal v = 0), with the primal simplex method at feasibility tolerance 1e-10, then checks
/// the equilibrium condition on the returned point in double precision.
/// All GLPK calls in the process are serialised behind one lock.
public enum NashEquilibriumLP {
    /// The largest allowed max_y (Pπ)(y) − ½ of a returned equilibrium.
    public static let equilibriumTolerance = 1e-9
    /// An equilibrium is declared unique when every coordinate's range over the equilibrium set is
    /// below this.
    public static let uniquenessTolerance = 1e-9

    /// One Nash equilibrium of the symmetric game P.
    /// - Parameter p: the preference matrix.
    /// - Returns: π with π ≥ 0, Σπ = 1 and max_y (Pπ)(y) − ½ ≤ `equilibriumTolerance`.
    /// - Throws: `AlignmentCoreError.linearProgram` when GLPK fails or the point it returns violates
    ///   the equilibrium condition by more than the tolerance.
    /// - Complexity: one dense LP with n + 1 rows and columns (seconds at n = 1000).
    public static func solve(_ p: PreferenceMatrix) throws -> [Double] {
        let n = p.size
        if n == 1 { return [1] }
        let pi: [Double] = try GLPKSession.run { lp in
            lp.resize(rows: n + 1, columns: n + 1)
            lp.setDirection(minimize: true)
            var triplets: [(Int, Int, Double)] = []
            triplets.reserveCapacity(n * (n + 2))
            for i in 0..<n {
                lp.setRow(i + 1, .upper(0))
                for j in 0..<n where j != i {
                    triplets.append((i + 1, j + 1, p[i, j] - 0.5))
                }
                triplets.append((i + 1, n + 1, -1))
                triplets.append((n + 1, i + 1, 1))
                lp.setColumn(i + 1, .lower(0))
            }
            lp.setRow(n + 1, .fixed(1))
            lp.setColumn(n + 1, .free)
            lp.setObjective(n + 1, 1)
            lp.load(triplets)
            try lp.simplex("Nash equilibrium LP (n = \(n))")
            return (1...n).map { lp.columnValue($0) }
        }
        let x = try normalise(pi)
        let e = exploitability(p, x)
        guard e <= equilibriumTolerance else {
            throw AlignmentCoreError.linearProgram(
                "the LP solution is not an equilibrium: a pure response wins with probability ½ + \(e)")
        }
        return x
    }

    /// A Nash equilibrium of every context of `problem`.
    /// - Throws: as `solve(_:)`.
    public static func solve(problem: Problem) throws -> Policy {
        try Policy(probabilities: problem.preferences.map { try solve($0) })
    }

    /// The range [min π(y), max π(y)] of each coordinate over the set of Nash equilibria of P.
    ///
    /// Coordinates that are strictly worse responses to a first equilibrium π₀ ((Aπ₀)(y) < −1e-7)
    /// are 0 in every equilibrium (if π' is an equilibrium, π'ᵀAπ₀ = 0 and every term is ≤ 0), so
    /// they are fixed at 0; for each remaining coordinate two LPs over {π ≥ 0, Σπ = 1, Aπ ≤ 0}
    /// minimise and maximise π(y), warm-started from the previous basis.
    /// - Throws: `AlignmentCoreError.linearProgram` when GLPK fails.
    /// - Complexity: up to 2n LPs; in practice 2·|best responses to π₀| short warm-started solves.
    public static func equilibriumRanges(_ p: PreferenceMatrix) throws -> [ClosedRange<Double>] {
        try ranges(p, around: try solve(p))
    }

    /// `equilibriumRanges` given one equilibrium `first` of P.
    static func ranges(_ p: PreferenceMatrix, around first: [Double]) throws -> [ClosedRange<Double>] {
        let n = p.size
        if n == 1 { return [1...1] }
        let payoff = p.times(first).map { $0 - 0.5 }
        let isFree = payoff.map { $0 >= -1e-7 }
        let free = (0..<n).filter { isFree[$0] }
        var ranges = Array(repeating: 0.0...0.0, count: n)
        try GLPKSession.run { lp in
            lp.resize(rows: n + 1, columns: n)
            var triplets: [(Int, Int, Double)] = []
            triplets.reserveCapacity(n * (n + 1))
            for i in 0..<n {
                lp.setRow(i + 1, .upper(0))
                for j in 0..<n where j != i {
                    triplets.append((i + 1, j + 1, p[i, j] - 0.5))
                }
                triplets.append((n + 1, i + 1, 1))
                lp.setColumn(i + 1, isFree[i] ? .lower(0) : .fixed(0))
            }
            lp.setRow(n + 1, .fixed(1))
            lp.load(triplets)
            for j in free {
                lp.setObjective(j + 1, 1)
                lp.setDirection(minimize: true)
                try lp.simplex("equilibrium range LP (min π[\(j)])")
                let lo = lp.columnValue(j + 1)
                lp.setDirection(minimize: false)
                try lp.simplex("equilibrium range LP (max π[\(j)])")
                let hi = lp.columnValue(j + 1)
                lp.setObjective(j + 1, 0)
                ranges[j] = max(0, lo)...max(0, lo, hi)
            }
        }
        return ranges
    }

    /// The Nash equilibrium of every context when it is unique in every context, else nil.
    ///
    /// Uniqueness is decided per context by a sufficient condition checked in O(|S|³)
    /// (`certifiesUniqueness`: strict complementarity and full rank on the support) and, when that
    /// condition does not hold, by `equilibriumRanges`: unique when every coordinate's range over
    /// the equilibrium set is below `uniquenessTolerance`.
    /// - Throws: `AlignmentCoreError.linearProgram` when GLPK fails.
    public static func uniqueEquilibrium(problem: Problem) throws -> Policy? {
        var rows: [[Double]] = []
        for p in problem.preferences {
            let pi = try solve(p)
            if try certifiesUniqueness(p, pi) {
                rows.append(pi)
                continue
            }
            let r = try ranges(p, around: pi)
            guard r.allSatisfy({ $0.upperBound - $0.lowerBound < uniquenessTolerance }) else { return nil }
            rows.append(pi)
        }
        return try Policy(probabilities: rows)
    }

    /// max_y (Pπ)(y) − ½ for one context.
    static func exploitability(_ p: PreferenceMatrix, _ pi: [Double]) -> Double {
        (p.times(pi).max() ?? 0.5) - 0.5
    }

    /// Clips LP round-off below 0 and renormalises to Σπ = 1.
    private static func normalise(_ x: [Double]) throws -> [Double] {
        let clipped = x.map { $0 > 0 ? $0 : 0 }
        let s = clipped.reduce(0, +)
        guard s > 0.5, s.isFinite else {
            throw AlignmentCoreError.linearProgram("the LP returned a point that is not a distribution (mass \(s))")
        }
        return clipped.map { $0 / s }
    }
}
