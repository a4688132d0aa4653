import AlignmentCore
import PreferenceLearning

/// Vote counts per ordered pair of models: outright wins and ties, from which the empirical
/// preference, the majority relation and the Bradley–Terry likelihood follow. A tie counts as half
/// a win to each side.
public struct BattleTally: Sendable, Equatable {
    /// Number of models n.
    public let models: Int
    /// `wins[i * n + j]`: votes model i won outright against model j.
    public private(set) var wins: [Double]
    /// `ties[i * n + j] = ties[j * n + i]`: tied votes (`tie` or `tie (bothbad)`) between i and j.
    public private(set) var ties: [Double]

    /// Creates an empty tally of n models.
    public init(models n: Int) {
        models = n
        wins = Array(repeating: 0, count: n * n)
        ties = Array(repeating: 0, count: n * n)
    }

    /// Tallies a file's votes: all of them, or those of one judge.
    /// - Parameters:
    ///   - file: the votes.
    ///   - judge: an index into `file.judges`, or nil for every vote.
    /// - Complexity: O(votes + n²).
    public init(_ file: BattleFile, judge: Int? = nil) {
        self.init(models: file.models.count)
        for v in file.votes where judge == nil || v.judge == judge {
            add(v.a, v.b, v.outcome, count: 1)
        }
    }

    /// Adds `count` votes of models a and b with the given outcome.
    public mutating func add(_ a: Int, _ b: Int, _ outcome: BattleOutcome, count: Double) {
        switch outcome {
        case .modelA: wins[a * models + b] += count
        case .modelB: wins[b * models + a] += count
        case .tie, .tieBothBad:
            ties[a * models + b] += count
            ties[b * models + a] += count
        }
    }

    /// Votes between i and j (either order, ties included).
    public func votes(_ i: Int, _ j: Int) -> Double { wins[i * models + j] + wins[j * models + i] + ties[i * models + j] }

    /// Total votes.
    public var total: Double {
        var s = 0.0
        for i in 0..<models { for j in (i + 1)..<max(i + 1, models) { s += votes(i, j) } }
        return s
    }

    /// i's score against j: wins plus half the ties, w_ij = W_ij + T_ij/2.
    public func score(_ i: Int, _ j: Int) -> Double { wins[i * models + j] + 0.5 * ties[i * models + j] }

    /// The empirical preference with additive smoothing α ≥ 0:
    /// P̂(i ≻ j) = (w_ij + α)/(n_ij + 2α), and ½ for a pair never compared (n_ij = 0; the same value
    /// the formula gives when α > 0) and on the diagonal.
    public func empirical(_ i: Int, _ j: Int, smoothing alpha: Double = 0) -> Double {
        let n = votes(i, j)
        guard i != j, n + 2 * alpha > 0 else { return 0.5 }
        return (score(i, j) + alpha) / (n + 2 * alpha)
    }

    /// Unordered pairs with at least one vote, and pairs never compared.
    public var comparedPairs: (compared: Int, never: Int) {
        var c = 0
        for i in 0..<models { for j in (i + 1)..<max(i + 1, models) where votes(i, j) > 0 { c += 1 } }
        return (c, models * (models - 1) / 2 - c)
    }

    /// The counts as the Bradley–Terry fitter takes them: W(i, j) = w_ij + α (one context), the
    /// α pseudo-wins added to every ordered pair i ≠ j.
    public func pairwiseCounts(smoothing alpha: Double = 0) -> PairwiseCounts {
        var c = PairwiseCounts(contexts: 1, actions: models)
        for i in 0..<models {
            for j in 0..<models where i != j {
                let w = score(i, j) + alpha
                if w > 0 { c.add(LabelledPair(context: 0, chosen: i, rejected: j), weight: w) }
            }
        }
        return c
    }

    /// The models that no model outside the set ever beats (ties count as half a win both ways),
    /// when the win graph (an edge i → j when i scored against j) is not strongly connected; nil
    /// when it is. The Bradley–Terry maximum-likelihood estimate is finite exactly when the graph
    /// is strongly connected (Zermelo 1929; Ford 1957): otherwise the set's ratings run off to
    /// +∞ relative to the rest. The set returned is a source component of the condensation.
    /// - Complexity: O(n²).
    public func unbeatenSet() -> [Int]? {
        let n = models
        func reach(_ start: Int, forward: Bool) -> [Bool] {
            var seen = [Bool](repeating: false, count: n)
            var stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                for j in 0..<n where !seen[j] && (forward ? score(i, j) : score(j, i)) > 0 {
                    seen[j] = true
                    stack.append(j)
                }
            }
            return seen
        }
        // Strongly connected iff every model reaches 0 and 0 reaches every model.
        let out = reach(0, forward: true), into = reach(0, forward: false)
        if out.allSatisfy({ $0 }) && into.allSatisfy({ $0 }) { return nil }
        // A source component: start anywhere, walk to a model with an unseen predecessor until none.
        var current = 0
        while true {
            let ancestors = reach(current, forward: false)
            let descendants = reach(current, forward: true)
            if let k = (0..<n).first(where: { ancestors[$0] && !descendants[$0] }) { current = k; continue }
            let component = (0..<n).filter { ancestors[$0] && descendants[$0] }
            return component
        }
    }

    /// The strict majority relation: i ≻ j when i's score exceeds j's (P̂(i ≻ j) > ½ for every
    /// smoothing α); pairs with equal scores or never compared are undecided.
    public func beats(_ i: Int, _ j: Int) -> Bool { score(i, j) > score(j, i) }

    /// The number of cyclic (intransitive) triads of the majority relation: unordered triples
    /// {i, j, k} with i ≻ j ≻ k ≻ i (Kendall & Babington Smith 1940, "On the method of paired
    /// comparisons"). Counted as Σ_{i ≻ j} |{k : j ≻ k, k ≻ i}| / 3 over bit sets, so triples with
    /// an undecided pair are never counted; for a complete tournament this equals
    /// C(n, 3) − Σ_i C(s_i, 2) with s_i the number of models i beats.
    /// - Complexity: O(n³/64).
    public var cyclicTriads: Int {
        let n = models, words = (n + 63) / 64
        var out = [UInt64](repeating: 0, count: n * words), into = out
        for i in 0..<n {
            for j in 0..<n where beats(i, j) {
                out[i * words + j / 64] |= 1 << UInt64(j % 64)
                into[j * words + i / 64] |= 1 << UInt64(i % 64)
            }
        }
        var count = 0
        for i in 0..<n {
            for j in 0..<n where beats(i, j) {
                for w in 0..<words { count += (out[j * words + w] & into[i * words + w]).nonzeroBitCount }
            }
        }
        return count / 3
    }

    /// The most cyclic triads a complete tournament of n players can have (Kendall & Babington
    /// Smith 1940): (n³ − n)/24 for odd n, (n³ − 4n)/24 for even n.
    public static func maximumCyclicTriads(models n: Int) -> Int {
        n % 2 == 1 ? (n * n * n - n) / 24 : (n * n * n - 4 * n) / 24
    }

    /// Unordered triples whose three pairs are all decided by the majority relation.
    /// - Complexity: O(n³/64).
    public var decidedTriads: Int {
        let n = models, words = (n + 63) / 64
        var decided = [UInt64](repeating: 0, count: n * words)
        for i in 0..<n { for j in 0..<n where i != j && score(i, j) != score(j, i) { decided[i * words + j / 64] |= 1 << UInt64(j % 64) } }
        var count = 0
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where score(i, j) != score(j, i) {
                for w in 0..<words { count += (decided[i * words + w] & decided[j * words + w]).nonzeroBitCount }
            }
        }
        return count / 3
    }
}
