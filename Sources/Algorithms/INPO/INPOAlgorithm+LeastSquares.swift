import AlignmentCore
import Foundation

extension INPOAlgorithm {
    /// The INPO loss Σ_{a≠b} W(a, b)(g_a − g_b − m)² of a vector g (m = η/2).
    /// - Parameters:
    ///   - g: the log-ratio offsets g = log π − log(prox centre).
    ///   - wins: W(a, b), the weight of labels "a ≻ b".
    ///   - margin: m.
    /// - Complexity: O(n²).
    public static func loss(_ g: [Double], wins: [[Double]], margin: Double) -> Double {
        var s = 0.0
        for a in g.indices {
            for b in g.indices where a != b && wins[a][b] != 0 {
                let r = g[a] - g[b] - margin
                s += wins[a][b] * r * r
            }
        }
        return s
    }

    /// The minimum-norm minimiser g of `loss(g, wins:, margin:)`: on each connected component of the
    /// graph with edge weights c_ab = W(a, b) + W(b, a), the solution of the normal equations
    /// Σ_b c_ab (g_a − g_b) = m Σ_b (W(a, b) − W(b, a)) with mean 0; g = 0 on responses in no pair.
    /// - Parameters:
    ///   - wins: W(a, b) ≥ 0, n × n.
    ///   - margin: m.
    /// - Returns: g, or nil if a component's system is numerically singular and LAPACK's
    ///   minimum-norm fallback fails too (`LeastSquaresWorkspace`).
    /// - Complexity: O(n³) time, O(n²) memory (`LeastSquaresWorkspace`).
    public static func minimumNormSolution(wins: [[Double]], margin: Double) -> [Double]? {
        let n = wins.count
        let flat = wins.flatMap { row in
            precondition(row.count == n, "wins must be square")
            return row
        }
        var workspace = LeastSquaresWorkspace(actions: n)
        var g = [Double](repeating: 0, count: n)
        let solved = flat.withUnsafeBufferPointer { w in
            g.withUnsafeMutableBufferPointer { workspace.minimumNormSolution(wins: w, margin: margin, into: $0) }
        }
        return solved ? g : nil
    }

    /// The buffers of `minimumNormSolution` for n responses, allocated once per run so that an
    /// iteration allocates nothing (issue 11, target 5).
    struct LeastSquaresWorkspace {
        /// Responses.
        let n: Int
        /// c_ab = W(a, b) + W(b, a), row-major n × n (0 on the diagonal).
        private var c: [Double]
        /// The first response of the component a response belongs to (−1: not reached yet).
        private var owner: [Int]
        /// The breadth-first queue, then the component in increasing order.
        private var component: [Int]
        /// A component's row-equilibrated normal equations, K × K row-major over its K vertices
        /// (none pinned), and their right-hand side.
        private var system: [Double], systemRHS: [Double]
        /// The pinned normal equations (`system` without the first vertex's row and column),
        /// k × k row-major (k = K − 1), solved in place.
        private var m: [Double]
        /// Their right-hand side, then the solution of the k free responses.
        private var rhs: [Double]
        private var solution: [Double]

        /// Buffers for n responses.
        init(actions n: Int) {
            self.n = n
            c = [Double](repeating: 0, count: n * n)
            owner = [Int](repeating: -1, count: n)
            component = []
            component.reserveCapacity(n)
            (system, m) = (c, c)
            rhs = [Double](repeating: 0, count: n)
            (systemRHS, solution) = (rhs, rhs)
        }

        /// Writes the minimum-norm minimiser of the loss with weights `wins` into `g`.
        /// - Parameters:
        ///   - wins: W(a, b) ≥ 0, row-major n × n.
        ///   - margin: m = η/2.
        ///   - g: receives g (n entries).
        /// - Returns: false if a component's pinned system is numerically singular and the
        ///   fallback (`minimumNormByLAPACK`) fails too (`g` is then partly written).
        /// - Complexity: O(n³), no allocation.
        mutating func minimumNormSolution(wins: UnsafeBufferPointer<Double>, margin: Double, into g: UnsafeMutableBufferPointer<Double>) -> Bool {
            precondition(wins.count == n * n && g.count == n, "wins must be n × n and g of length n")
            for a in 0..<n {
                for b in 0..<n { c[a * n + b] = a == b ? 0 : wins[a * n + b] + wins[b * n + a] }
                owner[a] = -1
                g[a] = 0
            }
            for start in 0..<n where owner[start] < 0 {
                // Breadth-first search from the first response no component holds yet; every
                // response it reaches has a larger index.
                component.removeAll(keepingCapacity: true)
                component.append(start)
                owner[start] = start
                var i = 0
                while i < component.count {
                    let a = component[i]
                    for b in 0..<n where owner[b] < 0 && c[a * n + b] > 0 {
                        owner[b] = start
                        component.append(b)
                    }
                    i += 1
                }
                guard component.count > 1 else { continue }
                component.removeAll(keepingCapacity: true)
                for v in start..<n where owner[v] == start { component.append(v) }
                // The component's normal equations, row j for component[j]; then pin the first
                // vertex at 0 and solve the remaining k = K − 1 (row and column j − 1 of the
                // pinned system belong to component[j]).
                let size = component.count, k = size - 1
                for (row, a) in component.enumerated() {
                    for col in 0..<size { system[row * size + col] = 0 }
                    systemRHS[row] = 0
                    var diagonal = 0.0
                    for (col, b) in component.enumerated() where b != a {
                        diagonal += c[a * n + b]
                        systemRHS[row] += margin * (wins[a * n + b] - wins[b * n + a])
                        system[row * size + col] -= c[a * n + b]
                    }
                    system[row * size + row] = diagonal
                    // Row equilibration: a response rarely drawn has a row of tiny weights.
                    for col in 0..<size { system[row * size + col] /= diagonal }
                    systemRHS[row] /= diagonal
                }
                for row in 0..<k {
                    for col in 0..<k { m[row * k + col] = system[(row + 1) * size + col + 1] }
                    rhs[row] = systemRHS[row + 1]
                }
                guard solvePinned(size: k) else {
                    guard let x = minimumNormByLAPACK(size: size) else { return false }
                    for (j, a) in component.enumerated() { g[a] = x[j] }
                    continue
                }
                var mean = 0.0
                for j in 0..<k { mean += solution[j] }
                mean /= Double(k + 1)
                g[start] = 0 - mean
                for j in 0..<k { g[component[j + 1]] = solution[j] - mean }
            }
            return true
        }

        /// The fallback when a component's pinned system has a zero or non-finite pivot, or pivots
        /// spanning more than 1/√ε (`pivotRatio`; pair weights spanning many orders of magnitude,
        /// as when π_t is nearly a point mass): the minimum-norm least-squares solution of the
        /// component's whole equilibrated system (`system`, every vertex, none pinned) by LAPACK's
        /// SVD (`DenseLinearAlgebra.leastSquares`, `dgelsd`: singular values below machine
        /// precision × σ_max count as zero), shifted to mean 0 — the minimum-norm minimiser up to
        /// double precision. It allocates; it runs only where the elimination failed (before, the
        /// run failed there or took a wrong answer).
        /// - Parameter size: the component's K vertices.
        /// - Returns: g on the component's vertices in order, or nil when the SVD fails or g is not finite.
        /// - Complexity: O(K³).
        private func minimumNormByLAPACK(size: Int) -> [Double]? {
            guard var x = DenseLinearAlgebra.leastSquares(rows: size, columns: size, Array(system[0..<(size * size)]),
                                                          Array(systemRHS[0..<size]))?.solution,
                  x.allSatisfy(\.isFinite) else { return nil }
            let mean = x.reduce(0, +) / Double(size)
            for j in x.indices { x[j] -= mean }
            return x
        }

        /// Solves m x = rhs (k × k) into `solution` by Gaussian elimination with partial pivoting
        /// (the first row of largest |pivot|); false if a pivot is 0 or not finite, x is not finite,
        /// or the pivots' magnitudes span more than 1/`pivotRatio`.
        /// - Complexity: O(k³), no allocation.
        private mutating func solvePinned(size k: Int) -> Bool {
            var smallest = Double.infinity, largest = 0.0
            for p in 0..<k {
                var pivot = p
                for i in (p + 1)..<k where abs(m[pivot * k + p]) < abs(m[i * k + p]) { pivot = i }
                if pivot != p {
                    for j in 0..<k { m.swapAt(p * k + j, pivot * k + j) }
                    rhs.swapAt(p, pivot)
                }
                let d = m[p * k + p]
                guard d != 0, d.isFinite else { return false }
                smallest = min(smallest, abs(d))
                largest = max(largest, abs(d))
                for i in (p + 1)..<k {
                    let f = m[i * k + p] / d
                    if f == 0 { continue }
                    for j in p..<k { m[i * k + j] -= f * m[p * k + j] }
                    rhs[i] -= f * rhs[p]
                }
            }
            for i in stride(from: k - 1, through: 0, by: -1) {
                var s = rhs[i]
                for j in (i + 1)..<k { s -= m[i * k + j] * solution[j] }
                solution[i] = s / m[i * k + i]
            }
            for i in 0..<k where !solution[i].isFinite { return false }
            // Pivots spanning more than 1/√ε: the system is too ill-conditioned for the
            // elimination's answer (a near-disconnected pair graph; its solution can be off by
            // orders of magnitude and blow the policy up): the SVD fallback decides instead.
            return smallest >= Self.pivotRatio * largest
        }

        /// The smallest accepted ratio of the smallest to the largest pivot magnitude, √ε ≈ 1.5e-8
        /// (the elimination's relative error grows like ε times the condition number).
        static let pivotRatio = Double.ulpOfOne.squareRoot()
    }
}
