import AlignmentCore

/// Structural properties of preference matrices: transitivity and Condorcet cycles.
public enum PreferenceStructure {
    /// Entries within this distance of ½ count as ties.
    public static let tieTolerance = 1e-12

    /// Whether P is weakly stochastically transitive: the majority relation "y ≿ y' iff
    /// P(y ≻ y') ≥ ½" is a total preorder, i.e. some utility u has P(y ≻ y') > ½ ⇔ u(y) > u(y')
    /// and P(y ≻ y') = ½ ⇔ u(y) = u(y'). Every Bradley–Terry or Thurstone matrix is.
    ///
    /// Checked by ordering actions by the number of strict majority wins and verifying that every
    /// pair agrees with that order (ties exactly within equal win counts).
    /// - Complexity: O(n²).
    public static func isWeaklyTransitive(_ p: PreferenceMatrix) -> Bool {
        let n = p.size
        let wins = (0..<n).map { i in (0..<n).filter { p[i, $0] > 0.5 + tieTolerance }.count }
        for i in 0..<n {
            for j in 0..<n where i != j {
                let d = p[i, j] - 0.5
                if wins[i] > wins[j], !(d > tieTolerance) { return false }
                if wins[i] == wins[j], abs(d) > tieTolerance { return false }
            }
        }
        return true
    }

    /// Whether every context of a ground truth is weakly stochastically transitive.
    public static func isWeaklyTransitive(_ preferences: [PreferenceMatrix]) -> Bool {
        preferences.allSatisfy { isWeaklyTransitive($0) }
    }

    /// A cycle y₀ ≻ y₁ ≻ … ≻ y_k ≻ y₀ of strict majority preferences (P > ½), if there is one
    /// (depth-first search on the majority digraph).
    /// - Returns: the actions of the cycle in order, or nil when the majority relation is acyclic.
    /// - Complexity: O(n²).
    public static func condorcetCycle(_ p: PreferenceMatrix) -> [Int]? {
        let n = p.size
        var state = [Int](repeating: 0, count: n)  // 0 new, 1 on stack, 2 done
        var parent = [Int](repeating: -1, count: n)
        for root in 0..<n where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                let u = top.node
                var j = top.next
                while j < n, !(p[u, j] > 0.5 + tieTolerance && state[j] != 2) { j += 1 }
                if j == n {
                    state[u] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next = j + 1
                if state[j] == 1 {
                    var cycle = [j]
                    var w = u
                    while w != j { cycle.append(w); w = parent[w] }
                    // `cycle` is j ← u ← … (reversed edges); reverse to follow y ≻ y'.
                    return [j] + cycle.dropFirst().reversed()
                }
                parent[j] = u
                state[j] = 1
                stack.append((j, 0))
            }
        }
        return nil
    }
}
