import AlignmentCore
import PreferenceLearning

/// Bootstrap replicates of the Bradley–Terry ratings: the N votes are resampled with replacement
/// (a multinomial draw of N over the observed (pair, outcome) cells with probabilities count/N,
/// which is the same distribution at O(cells) cost) and refitted; replicates whose resampled win
/// graph is not strongly connected have no finite estimate and are excluded (and counted).
public struct BattleBootstrap: Sendable, Equatable {
    /// The refitted ratings (mean 0) of every usable replicate, in draw order.
    public let samples: [[Double]]
    /// Replicates drawn.
    public let replicates: Int
    /// Replicates without a finite estimate (not strongly connected) or whose fit did not converge.
    public let excluded: Int

    /// Draws and refits `replicates` resamples.
    /// - Parameters:
    ///   - tally: the observed votes.
    ///   - replicates: B ≥ 0.
    ///   - seed: the generator's seed (GSL MT19937, `RandomSource`); equal seeds give equal
    ///     replicates in every process.
    /// - Complexity: O(B · (cells + iterations · n³)).
    public init(_ tally: BattleTally, replicates: Int, seed: UInt64) {
        precondition(replicates >= 0, "replicates must be non-negative")
        let n = tally.models
        // Cells (i < j; outcome i won, j won, tie) with their counts.
        var cells: [(i: Int, j: Int, outcome: BattleOutcome)] = []
        var counts: [Double] = []
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                for (o, c) in [(BattleOutcome.modelA, tally.wins[i * n + j]), (.modelB, tally.wins[j * n + i]), (.tie, tally.ties[i * n + j])] where c > 0 {
                    cells.append((i, j, o))
                    counts.append(c)
                }
            }
        }
        let total = Int(counts.reduce(0, +).rounded())
        let rng = RandomSource(seed: seed).child("battles-bootstrap")
        var samples: [[Double]] = []
        var excluded = 0
        for _ in 0..<replicates {
            let draw = rng.multinomial(trials: total, probabilities: counts)
            var t = BattleTally(models: n)
            for (k, c) in draw.enumerated() where c > 0 { t.add(cells[k].i, cells[k].j, cells[k].outcome, count: Double(c)) }
            guard t.unbeatenSet() == nil else { excluded += 1; continue }
            guard let r = BattleRatings.maximumLikelihood(t) else { excluded += 1; continue }
            samples.append(r)
        }
        self.samples = samples
        self.replicates = replicates
        self.excluded = excluded
    }

    /// The percentile interval of model i's rating at the given confidence c: the (1 − c)/2 and
    /// (1 + c)/2 quantiles of the usable replicates, interpolated linearly between order
    /// statistics (Hyndman & Fan 1996 type 7, numpy's default); nil without usable replicates.
    public func interval(_ i: Int, confidence c: Double) -> (lower: Double, upper: Double)? {
        guard !samples.isEmpty else { return nil }
        let xs = samples.map { $0[i] }.sorted()
        return (Self.quantile(xs, (1 - c) / 2), Self.quantile(xs, (1 + c) / 2))
    }

    /// The type-7 quantile of sorted values: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (m − 1)q.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// How much pairwise preference accuracy a Bradley–Terry fit loses against the votes.
///
/// A predictor that says "i beats j" scores, on the votes of that pair, i's wins plus half the ties
/// (w_ij); one that says ½ scores half of every vote. Accuracy = Σ_pairs score / N. The empirical
/// majority (predict the side with the larger w) is the most accurate pairwise predictor, so
/// `majorityAccuracy − modelAccuracy` ≥ 0 is what the fit's transitivity costs on these votes.
public struct BattleFitLoss: Sendable, Equatable {
    /// Accuracy of the empirical majority Σ_{i<j} max(w_ij, w_ji) / N.
    public let majorityAccuracy: Double
    /// Accuracy of the sign of σ(r_i − r_j) − ½.
    public let modelAccuracy: Double
    /// Compared pairs on which the fit predicts the opposite of a strict majority.
    public let reversedPairs: Int
    /// max over compared pairs of |P̂(i ≻ j) − σ(r_i − r_j)| (P̂ unsmoothed) and the pair (i < j).
    public let maxDifference: Double
    /// The pair attaining `maxDifference`.
    public let maxPair: (Int, Int)
    /// Vote-weighted mean Σ_{i<j} n_ij |P̂ − P_BT| / N.
    public let meanDifference: Double

    /// Compares the votes with ratings r.
    public init(_ t: BattleTally, ratings r: [Double]) {
        let n = t.models
        var majority = 0.0, fitted = 0.0, reversed = 0, worst = 0.0, pair = (0, 1), mean = 0.0
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let v = t.votes(i, j)
                guard v > 0 else { continue }
                let wi = t.score(i, j), wj = t.score(j, i)
                majority += max(wi, wj)
                let s = BradleyTerryRewardModel.sigmoid(r[i] - r[j])
                fitted += s > 0.5 ? wi : s < 0.5 ? wj : v / 2
                if (wi > wj && s < 0.5) || (wj > wi && s > 0.5) { reversed += 1 }
                let d = abs(wi / v - s)
                mean += v * d
                if d > worst { worst = d; pair = (i, j) }
            }
        }
        let total = t.total
        majorityAccuracy = majority / total
        modelAccuracy = fitted / total
        reversedPairs = reversed
        maxDifference = worst
        maxPair = pair
        meanDifference = mean / total
    }

    /// Equal when every field is (the pair compared element-wise).
    public static func == (x: BattleFitLoss, y: BattleFitLoss) -> Bool {
        x.majorityAccuracy == y.majorityAccuracy && x.modelAccuracy == y.modelAccuracy && x.reversedPairs == y.reversedPairs
            && x.maxDifference == y.maxDifference && x.maxPair == y.maxPair && x.meanDifference == y.meanDifference
    }
}
