/// One environment's comparisons for the bootstrap of the probability of improvement
/// (`AggregatePerformance.improvementInterval`): for a resample of X's runs (indices `x`) and of
/// Y's (indices `y`), the integer
///
///     H = Σ_{i ∈ x} Σ_{j ∈ y} h(x_i, y_j),   h = 2 (x_i better), 1 (tied, `ValueTolerance.equal`), 0 (worse),
///
/// i.e. twice the Mann–Whitney sum Σ Σ ([x_i > y_j] + ½[x_i ≈ y_j]) of `probabilityOfImprovement`.
/// That sum, added in floating point from 0 in any order, is H/2 exactly: every partial sum is a
/// multiple of ½ below 2⁵³, so no addition rounds.
///
/// When every row of the table h(x_i, ·), read in the order of Y's sorted runs, is a run of 2s,
/// then of 1s, then of 0s — which holds for the relative tolerance, where the runs tied with x_i
/// form an interval around it, and is checked here entry by entry rather than assumed — row i
/// sums the multiplicities of Y's runs below `better[i]` twice and those from `better[i]` to
/// `tied[i]` once: Σ_j c_j h(x_i, y_j) = C(better[i]) + C(tied[i]) with C the cumulative
/// multiplicities in sorted order. A table that fails the check is summed entry by entry.
struct ImprovementCounter {
    /// The number of X's and Y's runs.
    let n: Int, m: Int
    /// h(x_i, y_j) at [i·m + j] (kept for a table that is not ordered).
    private let table: [Int]
    /// Y's run j's position in Y's runs sorted ascending.
    private let rank: [Int]
    /// Per X run: the number of sorted Y runs it beats, and that number plus the runs it ties;
    /// nil when some row is not ordered.
    private let better: [Int]?, tied: [Int]?
    /// Whether every row is ordered, so that `halves(x:y:scratch:)` counts rather than sums the table.
    var isOrdered: Bool { better != nil }

    /// Tabulates the comparisons of runs `x` against runs `y` (both non-empty, finite).
    /// - Complexity: O(n·m + m log m).
    init(_ x: [Double], _ y: [Double], tolerance: ValueTolerance) {
        precondition(!x.isEmpty && !y.isEmpty, "probability of improvement needs runs on every environment")
        let (n, m) = (x.count, y.count)
        self.n = n
        self.m = m
        let h = x.flatMap { a in y.map { b in tolerance.equal(a, b) ? 1 : (a > b ? 2 : 0) } }
        table = h
        let order = y.indices.sorted { y[$0] < y[$1] }
        var rank = [Int](repeating: 0, count: m)
        for (r, j) in order.enumerated() { rank[j] = r }
        self.rank = rank
        var better = [Int](repeating: 0, count: n), tied = [Int](repeating: 0, count: n)
        var ordered = true
        for i in 0..<n where ordered {
            let row = order.map { h[i * m + $0] }
            var k = 0
            while k < m && row[k] == 2 { k += 1 }
            better[i] = k
            while k < m && row[k] == 1 { k += 1 }
            tied[i] = k
            ordered = row[k...].allSatisfy { $0 == 0 }
        }
        self.better = ordered ? better : nil
        self.tied = ordered ? tied : nil
    }

    /// H for the resample with X's run indices `x` and Y's run indices `y` (with repetition).
    /// - Parameters:
    ///   - x: indices into X's runs.
    ///   - y: indices into Y's runs.
    ///   - scratch: at least m + 1 integers (overwritten): the cumulative multiplicities.
    /// - Complexity: O(n + m) for an ordered table, O(|x|·|y|) otherwise; no allocation.
    func halves(x: [Int], y: [Int], scratch cumulative: UnsafeMutableBufferPointer<Int>) -> Int {
        guard let better, let tied else {
            var total = 0
            for i in x {
                let row = i * m
                for j in y { total += table[row + j] }
            }
            return total
        }
        precondition(cumulative.count > m, "the scratch holds m + 1 cumulative counts")
        for k in 0...m { cumulative[k] = 0 }
        for j in y { cumulative[rank[j] + 1] += 1 }
        for k in 0..<m { cumulative[k + 1] += cumulative[k] }
        var total = 0
        for i in x { total += cumulative[better[i]] + cumulative[tied[i]] }
        return total
    }
}
