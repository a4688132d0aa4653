import AlgorithmTestSupport
import AlignmentCore
import Foundation
import Testing
@testable import INPO

/// The exact iteration without allocation (`exactIteration`, `LeastSquaresWorkspace`) against the
/// loop it replaced, written out here with its allocating forms — `Policy(logits:)`, the pair law's
/// expected counts as `[[Double]]`, `LogSpace.geometricMixture`, and the least-squares solve with
/// nested arrays, `max(by:)` pivots and row swaps — the same logits bit for bit, iteration by
/// iteration, or the same failure.
struct INPOInPlaceTests {
    /// W(a, b) = 2 q(a, b) P(a ≻ b), q(a, b) = ρ(a)ρ(b)/(1 − Σρ²) (uniform on distinct pairs when
    /// 1 − Σρ² is not > 0), with 1 − ρ(a) computed as Σρ − ρ(a).
    static func formerWins(_ p: PreferenceMatrix, _ rho: [Double]) -> [[Double]] {
        let n = rho.count
        let total = rho.reduce(0, +)
        let normaliser = rho.map { $0 * max(0, total - $0) }.reduce(0, +)
        return (0..<n).map { a in
            (0..<n).map { b in
                guard a != b else { return 0 }
                let q = normaliser > 0 ? rho[a] * rho[b] / normaliser : 1 / Double(n * (n - 1))
                return 2 * q * p[a, b]
            }
        }
    }

    /// The former minimum-norm solver.
    static func formerMinimumNorm(_ wins: [[Double]], margin: Double) -> [Double]? {
        let n = wins.count
        var c = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for a in 0..<n { for b in 0..<n where a != b { c[a][b] = wins[a][b] + wins[b][a] } }
        var g = [Double](repeating: 0, count: n)
        var seen = [Bool](repeating: false, count: n)
        for start in 0..<n where !seen[start] {
            var component = [start]
            seen[start] = true
            var i = 0
            while i < component.count {
                for b in 0..<n where !seen[b] && c[component[i]][b] > 0 {
                    seen[b] = true
                    component.append(b)
                }
                i += 1
            }
            guard component.count > 1 else { continue }
            component.sort()
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
                for col in 0..<k { m[row][col] /= diagonal }
                rhs[row] /= diagonal
            }
            // Gaussian elimination with partial pivoting.
            for p in 0..<k {
                let q = (p..<k).max { abs(m[$0][p]) < abs(m[$1][p]) }!
                m.swapAt(p, q)
                rhs.swapAt(p, q)
                guard m[p][p] != 0, m[p][p].isFinite else { return nil }
                for i in (p + 1)..<k {
                    let f = m[i][p] / m[p][p]
                    if f == 0 { continue }
                    for j in p..<k { m[i][j] -= f * m[p][j] }
                    rhs[i] -= f * rhs[p]
                }
            }
            var x = [Double](repeating: 0, count: k)
            for i in stride(from: k - 1, through: 0, by: -1) {
                var s = rhs[i]
                for j in (i + 1)..<k { s -= m[i][j] * x[j] }
                x[i] = s / m[i][i]
            }
            guard x.allSatisfy(\.isFinite) else { return nil }
            var values = [0] + x
            let mean = values.reduce(0, +) / Double(values.count)
            for j in values.indices { values[j] -= mean }
            for (j, a) in component.enumerated() { g[a] = values[j] }
        }
        return g
    }

    /// One former iteration; nil where the former loop threw "least-squares system is singular".
    static func formerIteration(_ logPi: [[Double]], _ logMu: [[Double]], _ preferences: [PreferenceMatrix],
                                eta: Double, tau: Double) throws -> [[Double]]? {
        let current = try Policy(logits: logPi)
        var next = logPi
        for x in logPi.indices {
            let centre = LogSpace.geometricMixture(logPi[x], logMu[x], weight: eta * tau)
            let wins = formerWins(preferences[x], current.probabilities(context: x))
            guard let g = formerMinimumNorm(wins, margin: eta / 2) else { return nil }
            next[x] = LogSpace.normalize(centre.indices.map { centre[$0] + g[$0] })
        }
        return next
    }

    /// (η, τ, seed): small and large steps, with and without regularisation; η = 20, τ = 0 drives
    /// π_t towards a point mass within a few iterations, where the system becomes singular.
    static let cases: [(Double, Double, UInt64)] = [(0.1, 0.1, 1), (1, 0.5, 2), (5, 0, 3), (20, 0, 4), (2, 0.05, 5)]

    @Test(arguments: 0..<cases.count, [3, 10])
    func exactIterationIsTheFormerLoop(_ index: Int, actions n: Int) throws {
        let (eta, tau, seed) = Self.cases[index]
        let plugin = try INPOAlgorithm.make(["eta": .number(eta), "tau": .number(tau)])
        let problem = try Harness.random(actions: n, seed: seed, contexts: 2)
        // μ of the problem in context 0; context 1 leaves the last response out of μ's support.
        var logMu = problem.reference.logProbabilities
        logMu[1][n - 1] = -.infinity
        logMu[1] = LogSpace.normalize(logMu[1])
        var former = logMu, inPlace = logMu
        var workspace = INPOAlgorithm.ExactWorkspace(contexts: 2, actions: n)
        var compared = 0
        for t in 1...40 {
            let next = try Self.formerIteration(former, logMu, problem.preferences, eta: eta, tau: tau)
            do {
                try plugin.exactIteration(&inPlace, logReference: logMu, preferences: problem.preferences, iteration: t, workspace: &workspace)
            } catch AlignmentCoreError.numericalFailure(let iteration, _) {
                #expect(next == nil && iteration == t, "seed \(seed): the in-place loop failed at \(t), the former did not")
                break
            }
            let expected = try #require(next, "seed \(seed): the former loop failed at \(t), the in-place one did not")
            #expect(expected.map { $0.map(\.bitPattern) } == inPlace.map { $0.map(\.bitPattern) }, "seed \(seed), iteration \(t)")
            #expect(inPlace[1][n - 1] == -.infinity)
            former = expected
            compared += 1
            // The run stops at a non-finite policy; so does the comparison.
            if !former.allSatisfy({ $0.allSatisfy { !$0.isNaN && $0 != .infinity } }) { break }
        }
        #expect(compared >= 3, "seed \(seed): only \(compared) iterations compared")
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func minimumNormSolutionIsTheFormerSolver(seed: UInt64) throws {
        // Sparse counts as sampled feedback leaves them (about half the pairs unlabelled, several
        // components, isolated responses) and dense real weights over 12 decades: the same g.
        let rng = RandomSource(seed: seed)
        for n in [2, 5, 9] {
            let sparse = (0..<n).map { a in (0..<n).map { b in a != b && rng.uniform() < 0.25 ? Double(Int(rng.uniform() * 4)) : 0 } }
            let dense = (0..<n).map { a in (0..<n).map { b in a == b ? 0 : pow(10, -12 * rng.uniform()) } }
            for (wins, margin) in [(sparse, 0.25), (dense, 2.5)] {
                let got = INPOAlgorithm.minimumNormSolution(wins: wins, margin: margin)
                let expected = Self.formerMinimumNorm(wins, margin: margin)
                #expect(got?.map(\.bitPattern) == expected?.map(\.bitPattern), "seed \(seed), n = \(n): \(String(describing: got)) vs \(String(describing: expected))")
            }
        }
    }
}
