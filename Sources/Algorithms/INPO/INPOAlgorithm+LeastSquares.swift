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
    /// - Returns: g, or nil if a component's pinned system is numerically singular.
    /// - Complexity: O(n³).
    public static func minimumNormSolution(wins: [[Double]], margin: Double) -> [Double]? {
        let n = wins.count
        var c = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for a in 0..<n {
            for b in 0..<n where a != b { c[a][b] = wins[a][b] + wins[b][a] }
        }
        var g = [Double](repeating: 0, count: n)
        var seen = [Bool](repeating: false, count: n)
        for start in 0..<n where !seen[start] {
            var component = [start]
            seen[start] = true
            var i = 0
            while i < component.count {
                let a = component[i]
                for b in 0..<n where !seen[b] && c[a][b] > 0 {
                    seen[b] = true
                    component.append(b)
                }
                i += 1
            }
            guard component.count > 1 else { continue }
            component.sort()
            // Pin the first vertex at 0 and solve the remaining k − 1 normal equations.
            let free = Array(component.dropFirst())
            let k = free.count
            var m = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            var rhs = [Double](repeating: 0, count: k)
            for (row, a) in free.enumerated() {
                var diagonal = 0.0
                for b in component where b != a {
                    diagonal += c[a][b]
                    rhs[row] += margin * (wins[a][b] - wins[b][a])
                    if let col = free.firstIndex(of: b) { m[row][col] -= c[a][b] }
                }
                m[row][row] = diagonal
                // Row equilibration: a response rarely drawn has a row of tiny weights.
                for col in 0..<k { m[row][col] /= diagonal }
                rhs[row] /= diagonal
            }
            guard let solution = solve(m, rhs) else { return nil }
            var values = [0] + solution
            let mean = values.reduce(0, +) / Double(values.count)
            for j in values.indices { values[j] -= mean }
            for (j, a) in component.enumerated() { g[a] = values[j] }
        }
        return g
    }

    /// Solves a x = b by Gaussian elimination with partial pivoting; nil if a pivot is 0 or not finite.
    /// - Complexity: O(n³).
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var a = a, b = b
        let n = b.count
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, p)
            b.swapAt(k, p)
            guard a[k][k] != 0, a[k][k].isFinite else { return nil }
            for i in (k + 1)..<n {
                let f = a[i][k] / a[k][k]
                if f == 0 { continue }
                for j in k..<n { a[i][j] -= f * a[k][j] }
                b[i] -= f * b[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for j in (i + 1)..<n { s -= a[i][j] * x[j] }
            x[i] = s / a[i][i]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
