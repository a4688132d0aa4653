import AlignmentCore
import Foundation
import PreferenceLearning
import Testing

/// Maximum-likelihood fits of the Bradley–Terry reward model against independent references.
struct BradleyTerryRewardModelTests {
    /// W(a, b) = wins of a over b, hand-made (not separable: every response wins and loses).
    static let counts: PairwiseCounts = {
        var c = PairwiseCounts(contexts: 1, actions: 3)
        let w = [[0.0, 7, 3], [2, 0, 5], [4, 1, 0]]
        for a in 0..<3 { for b in 0..<3 where w[a][b] > 0 { c.add(LabelledPair(context: 0, chosen: a, rejected: b), weight: w[a][b]) } }
        return c
    }()

    @Test func penalisedFitMatchesScipyReference() {
        // Reference: mpmath (40 digits) root of the numerically differentiated objective
        // f(r) = (1/22) Σ W_ab log(1 + e^{r_b − r_a}) + 0.05‖r‖²  →
        // r = (0.251249087104059, −0.0423750043812539, −0.208874082722805).
        let m = BradleyTerryRewardModel.fit(Self.counts, l2: 0.1)
        #expect(m.converged)
        // Tolerance 1e-9: Newton converges quadratically to ‖g‖∞ ≤ 1e-10; the reference has 15 digits.
        #expect(Fixture.maxAbs(m.rewards[0], [0.251249087104059, -0.0423750043812539, -0.208874082722805]) < 1e-9)
    }

    @Test func unpenalisedFitMatchesScipyReferenceUpToShift() {
        // Same reference with λ = 0 on the centred parametrisation r_2 = −(r_0 + r_1):
        // (0.352765529470344, −0.0466704150162265, −0.306095114454117).
        let m = BradleyTerryRewardModel.fit(Self.counts, l2: 0)
        #expect(m.converged)
        #expect(Fixture.maxAbs(m.rewards[0], [0.352765529470344, -0.0466704150162265, -0.306095114454117]) < 1e-9)
        // The gradient of the mean log-likelihood vanishes at the fit (first-order condition):
        // Σ_b n_ab σ(r_a − r_b) = Σ_b W_ab for every a.
        let r = m.rewards[0]
        for a in 0..<3 {
            var expected = 0.0, observed = 0.0
            for b in 0..<3 where b != a {
                let nab = Self.counts.wins(context: 0, a, b) + Self.counts.wins(context: 0, b, a)
                expected += nab / (1 + exp(r[b] - r[a]))
                observed += Self.counts.wins(context: 0, a, b)
            }
            #expect(abs(expected - observed) < 1e-8)
        }
    }

    @Test(arguments: [[0.3, -1.2, 0.8, 2.0], [0.0, 0.5, 1.0, 1.5, -3.0]])
    func exactSoftLabelsRecoverTheRewardUpToAShift(rewards: [Double]) throws {
        // With exact soft labels from a Bradley–Terry P the MLE is the true reward (the objective is
        // strictly convex on 1^⊥ and its gradient vanishes at r): recovered to 1e-8.
        let n = rewards.count
        let mu = (0..<n).map { Double($0 + 1) }.map { $0 / Double(n * (n + 1) / 2) }
        let problem = try Fixture.problem(rewards: rewards, mu: mu)
        let soft = PairwiseCounts.expected(preferences: problem.preferences, pairPolicy: problem.reference)
        #expect(abs(soft.total(context: 0) - 1) < 1e-12)
        let m = BradleyTerryRewardModel.fit(soft, l2: 0)
        #expect(m.converged)
        #expect(Fixture.maxAbs(m.rewards[0], Fixture.centred(rewards)) < 1e-8)
        // Mean-0 under μ after centring.
        let c = m.centred(under: problem.reference)
        #expect(abs(zip(mu, c.rewards[0]).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-12)
        #expect(Fixture.maxAbs(c.rewards[0].map { $0 - c.rewards[0][0] }, rewards.map { $0 - rewards[0] }) < 1e-8)
    }

    @Test func sampledLabelsRecoverTheRewardWithEnoughData() throws {
        // 200,000 labels over the 6 pairs of 4 responses (uniform μ): each difference r_a − r_b has a
        // standard error ≈ 1/√(33,000·0.2) ≈ 0.012, so 0.06 is a 5σ tolerance.
        let rewards = [0.5, -0.5, 1.0, 0.0]
        let problem = try Fixture.problem(rewards: rewards, mu: [0.25, 0.25, 0.25, 0.25])
        let run = Fixture.run(problem, mode: .sampled, budget: nil)
        let (m, data) = try RewardModelTraining.learn(run: run, pairs: 200_000, l2: 0)
        #expect(data.count == 200_000 && run.oracle.queries == 200_000)
        #expect(data.allSatisfy { $0.chosen != $0.rejected })
        #expect(Fixture.maxAbs(m.rewards[0], Fixture.centred(rewards)) < 0.06)
    }

    @Test func exactTrainingUsesNoLabels() throws {
        let problem = try Fixture.problem(rewards: [1, 0, -1], mu: [0.2, 0.3, 0.5])
        let run = Fixture.run(problem, mode: .exact, budget: 0)
        let (m, data) = try RewardModelTraining.learn(run: run, pairs: 1000, l2: 0)
        #expect(data.isEmpty && run.oracle.queries == 0)
        #expect(Fixture.maxAbs(m.rewards[0], [1, 0, -1]) < 1e-8)
    }

    @Test func sampledTrainingIsCappedByTheBudget() throws {
        let problem = try Fixture.problem(rewards: [1, 0, -1], mu: [0.2, 0.3, 0.5])
        let run = Fixture.run(problem, mode: .sampled, budget: 250)
        let (_, data) = try RewardModelTraining.learn(run: run, pairs: 1000, l2: 1e-3)
        #expect(data.count == 250 && run.oracle.queries == 250)
        // Nothing left: the next request ends the run.
        #expect(throws: AlignmentCoreError.budgetExhausted(queries: 250)) {
            try RewardModelTraining.learn(run: run, pairs: 10, l2: 1e-3)
        }
    }

    @Test func separableDataStaysFiniteAndOrdered() {
        // Response 0 always beats 1 and 1 always beats 2: no finite MLE for λ = 0. Newton stops once
        // the gradient is below 1e-10, with the order preserved; with λ > 0 the fit is finite and
        // bounded by the penalty.
        var c = PairwiseCounts(contexts: 1, actions: 3)
        c.add(LabelledPair(context: 0, chosen: 0, rejected: 1), weight: 10)
        c.add(LabelledPair(context: 0, chosen: 1, rejected: 2), weight: 10)
        let free = BradleyTerryRewardModel.fit(c, l2: 0)
        #expect(free.rewards[0].allSatisfy { $0.isFinite })
        #expect(free.rewards[0][0] > free.rewards[0][1] + 5 && free.rewards[0][1] > free.rewards[0][2] + 5)
        let ridge = BradleyTerryRewardModel.fit(c, l2: 0.01)
        #expect(ridge.converged)
        #expect(ridge.rewards[0][0] > ridge.rewards[0][1] && ridge.rewards[0][1] > ridge.rewards[0][2])
        #expect(ridge.rewards[0].allSatisfy { abs($0) < 20 })
    }

    @Test func contextWithoutLabelsGetsZeroReward() {
        var c = PairwiseCounts(contexts: 2, actions: 3)
        c.add(LabelledPair(context: 1, chosen: 0, rejected: 1), weight: 3)
        c.add(LabelledPair(context: 1, chosen: 1, rejected: 0), weight: 1)
        let m = BradleyTerryRewardModel.fit(c, l2: 0)
        #expect(m.rewards[0] == [0, 0, 0])
        // Context 1: only the pair (0, 1) is observed, 3:1, so r_0 − r_1 = log 3; response 2 is
        // unconstrained and sits at the centre (the minimum-norm solution keeps r_2 = mean).
        #expect(abs((m.rewards[1][0] - m.rewards[1][1]) - log(3)) < 1e-8)
        #expect(abs(m.rewards[1].reduce(0, +)) < 1e-12)
    }

    /// ‖g‖∞ of the mean logistic loss (λ = 0) at r, computed here from the counts.
    static func gradientNorm(_ c: PairwiseCounts, _ r: [Double]) -> Double {
        let n = c.actions, total = c.total(context: 0)
        var g = [Double](repeating: 0, count: n)
        for a in 0..<n {
            for b in 0..<n where b != a {
                let nab = c.wins(context: 0, a, b) + c.wins(context: 0, b, a)
                g[a] += (nab / (1 + exp(r[b] - r[a])) - c.wins(context: 0, a, b)) / total
            }
        }
        return g.reduce(0) { max($0, abs($1)) }
    }

    /// Near the optimum Newton's predicted decrease (≈ 1e-19) is below the rounding of the
    /// objective (≈ 1e-16), so an Armijo test on the objective alone stalls just above the
    /// tolerance. The fit must reach its tolerance on every table — 1e-10 by default, and the
    /// rounding floor (≤ 1e-14 here) with `tolerance: 0` — as measured by the gradient computed
    /// in this test. 300 random 6-response tables of 20–600 votes, every pair compared
    /// (seed 20261130, GSL MT19937); the hand table's λ = 0 optimum to the reference's 15 digits.
    @Test func fitReachesItsToleranceAndTheRoundingFloor() throws {
        let rng = RandomSource(seed: 20_261_130)
        for table in 0..<300 {
            var c = PairwiseCounts(contexts: 1, actions: 6)
            let scale = 10 + Double(rng.integer(below: 290))
            for a in 0..<6 {
                for b in 0..<6 where a != b {
                    c.add(LabelledPair(context: 0, chosen: a, rejected: b), weight: 1 + (scale * rng.uniform()).rounded())
                }
            }
            let fit = BradleyTerryRewardModel.fit(c, l2: 0)
            #expect(fit.converged && Self.gradientNorm(c, fit.rewards[0]) <= 1e-10, "seed 20261130, table \(table)")
            let floor = BradleyTerryRewardModel.fit(c, l2: 0, tolerance: 0)
            let g = Self.gradientNorm(c, floor.rewards[0])
            #expect(g <= 1e-14 && floor.gradientNorm <= 1e-14, "seed 20261130, table \(table): ‖g‖∞ = \(g)")
        }
        let hand = BradleyTerryRewardModel.fit(Self.counts, l2: 0, tolerance: 0)
        #expect(Fixture.maxAbs(hand.rewards[0], [0.352765529470344, -0.0466704150162265, -0.306095114454117]) < 1e-14)
    }

    @Test func minMaxNormalisation() {
        let m = BradleyTerryRewardModel(rewards: [[2, -1, 0.5], [3, 3, 3]]).minMaxNormalised()
        #expect(m.rewards[0] == [1, 0, 0.5])
        #expect(m.rewards[1] == [0, 0, 0])
    }
}
