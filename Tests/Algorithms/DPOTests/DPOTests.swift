import AlgorithmTestSupport
import AlignmentCore
import DPO
import Environments
import Foundation
import Testing

/// The DPO family against analytic stationary points.
struct DPOTests {
    static let rewards = [1.0, 0.0, -0.5, 2.0]
    static let mu = [0.1, 0.4, 0.3, 0.2]

    /// A [[chosen, rejected], …] dataset parameter.
    static func dataset(_ pairs: [[Int]]) -> ParameterValue {
        .array(pairs.map { .array($0.map { .number(Double($0)) }) })
    }

    /// Azar et al. §5.4: a ≻ b, b ≻ c, a ≻ c, each observed once (a, b, c = 0, 1, 2).
    static let chain = dataset([[0, 1], [1, 2], [0, 2]])

    /// Three actions, uniform μ (the preference itself is unused with an explicit dataset).
    static func threeActions() throws -> Problem {
        try Harness.bradleyTerry(rewards: [0, 0, 0], mu: [1.0 / 3, 1.0 / 3, 1.0 / 3])
    }

    @Test(arguments: [("adam", 0.01, false), ("adam", 0.05, true), ("sgd", 1.0, false)], [0.5, 1.0])
    func sigmoidPopulationLossReachesTheRegularisedOptimum(setting: (String, Double, Bool), beta: Double) throws {
        // On a BT preference σ(r_a − r_b) the population DPO loss is minimised where
        // β·Δ_ab = r_a − r_b for every pair, i.e. π = μ·exp(r/β)/Z (Rafailov et al. §4), whether pairs
        // come from μ (offline) or from π itself (online). Exact mode descends that loss; observed TV
        // after 5000 steps ≤ 2e-15 (offline) and ≤ 1e-13 (online). Tolerance 1e-10.
        let (optimizer, lr, online) = setting
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: beta)
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(beta), "optimizer": .string(optimizer), "learning_rate": .number(lr), "online": .bool(online)],
                                  on: problem, mode: .exact, iterations: 5000, recordEvery: 1000)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 1e-10)
        #expect(run.queries == 0)
    }

    @Test func everyContextReachesItsOwnOptimum() throws {
        // Three contexts with their own drawn rewards, a non-uniform μ per context and context weights
        // 1:2:3: the population optimum is μ_x·exp(r_x/β)/Z in each context. Exact mode, Adam with the
        // step annealed linearly (constant-step Adam hovers at 1e-6–1e-3 around this optimum, where
        // rare pairs give tiny curvature); observed error 1e-16, tolerance 1e-10.
        let problem = try Harness.multiContext(contexts: 3, actions: 5, seed: 21)
        let target = try Harness.regularisedOptimum(problem, beta: 0.7)
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(0.7), "learning_rate": .number(0.05), "lr_schedule": .string("linear")],
                                  on: problem, mode: .exact, iterations: 5000, recordEvery: 5000)
        #expect(Harness.maxAbs(run.final, target) < 1e-10)
        #expect(problem.trueReward![0] != problem.trueReward![1])
    }

    @Test(arguments: [0.5, 1.0], [1, 2] as [UInt64])
    func sigmoidWithEnoughSampledDataApproachesTheOptimum(beta: Double, seed: UInt64) throws {
        // 50,000 labelled pairs from μ; the empirical DPO minimiser differs from the population one by
        // the sampling error of the pair frequencies (observed TV 0.001–0.011). Tolerance 0.03, against a
        // start at TV ≥ 0.45.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let target = try Harness.regularisedOptimum(problem, beta: beta)
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(beta), "dataset_size": .number(50_000), "batch_size": .number(256)],
                                  on: problem, mode: .sampled, iterations: 5000, recordEvery: 5000, seed: seed)
        #expect(run.queries == 50_000)
        #expect(GameMetrics.totalVariation(problem, run.final, target) < 0.03)
        #expect(GameMetrics.totalVariation(problem, problem.reference, target) > 0.45)
    }

    @Test(arguments: [0.1, 0.5, 1.0, 2.0])
    func dpoOnDeterministicChainDrivesPiOfATowardOne(beta: Double) throws {
        // Azar et al. §5.4: on D = {(a,b), (b,c), (a,c)} the DPO loss Σ −log σ(βΔ) has no minimiser —
        // it decreases as h_ab, h_bc → ∞ — so π(a) → 1 whatever β (the KL regularisation is ignored).
        // Setting of the paper: Adam, lr 0.01, batch 9, 18,000 steps. Observed π(a) = 1 − 8e-4 for
        // β = 2 and closer to 1 for smaller β (rounding to exactly 1 for β = 0.1), against the IPO value
        // 0.39–0.96 for the same β (next test); π(a) never decreases.
        let problem = try Self.threeActions()
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(beta), "dataset": Self.chain, "batch_size": .number(9), "learning_rate": .number(0.01)],
                                  on: problem, mode: .sampled, iterations: 18_000, recordEvery: 2000)
        let pa = run.checkpoints.map { $0.policy.probabilities(context: 0)[0] }
        #expect(pa.last! > 0.999)
        #expect(zip(pa, pa.dropFirst()).allSatisfy { $0.0 <= $0.1 })
        #expect(run.queries == 0)
    }

    @Test(arguments: [0.1, 0.5, 1.0, 2.0])
    func ipoOnDeterministicChainSettlesAtItsClosedForm(tau: Double) throws {
        // IPO (Azar et al. Eq. 17) on D = {(a,b), (b,c), (a,c)}, uniform μ, so h_xy = log π(x) − log π(y):
        //   L = (h_ab − k)² + (h_bc − k)² + (h_ac − k)²,  k = 1/(2τ),  with h_ac = h_ab + h_bc.
        // The three targets are inconsistent (h_ac would have to equal h_ab + h_bc = 2k), so the
        // stationary point is the least-squares solution. With u = h_ab, v = h_bc:
        //   ∂L/∂u = 2(u − k) + 2(u + v − k) = 0,  ∂L/∂v = 2(v − k) + 2(u + v − k) = 0
        //   ⇒ u = v and 3u = 2k ⇒ h_ab = h_bc = 2k/3 = 1/(3τ), h_ac = 2/(3τ).
        // Hence π = (e^{2/(3τ)}, e^{1/(3τ)}, 1)/Z: regularised, unlike DPO (e.g. τ = 1: (0.4484, 0.3213, 0.2302)).
        // Same setting as the paper (Adam, lr 0.01, batch 9, 18,000 steps); observed error ≤ 6e-10,
        // tolerance 1e-6.
        let problem = try Self.threeActions()
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(tau), "loss": .string("ipo"), "dataset": Self.chain, "batch_size": .number(9),
                                   "learning_rate": .number(0.01)],
                                  on: problem, mode: .sampled, iterations: 18_000, recordEvery: 18_000)
        let k = 1 / (3 * tau)
        let z = exp(2 * k) + exp(k) + 1
        let expected = [exp(2 * k) / z, exp(k) / z, 1 / z]
        #expect(Harness.maxAbs(run.final, try Policy(probabilities: [expected])) < 1e-6)
    }

    @Test(arguments: ["sigmoid", "ipo"])
    func contradictoryPairsLeaveTheReferenceInPlace(loss: String) throws {
        // D = {(a,b), (b,a)}: the loss ℓ(h) + ℓ(−h) is even in h and convex, minimised at h = 0 — the
        // policy stays at uniform μ (c never appears, so its logit never moves).
        let problem = try Self.threeActions()
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(0.5), "loss": .string(loss), "dataset": Self.dataset([[0, 1], [1, 0]]), "batch_size": .number(9)],
                                  on: problem, mode: .sampled, iterations: 2000, recordEvery: 2000)
        #expect(Harness.maxAbs(run.final, problem.reference) < 1e-12)
    }

    @Test(arguments: [0.05, 0.2], [0.5, 2.0])
    func robustLossStopsAtTheSmoothedMargin(epsilon: Double, beta: Double) throws {
        // cDPO on D = {(a,b)}: ℓ'(Δ) = −β(1−ε)σ(−βΔ) + βεσ(βΔ) = 0 ⇔ σ(βΔ) = 1 − ε
        // ⇔ Δ = log((1−ε)/ε)/β, so with two actions and uniform μ, π(a) = 1/(1 + (ε/(1−ε))^{1/β}).
        // Exact mode (full batch), Adam lr 0.05, 4000 steps; tolerance 1e-8.
        let problem = try Harness.bradleyTerry(rewards: [0, 0], mu: [0.5, 0.5])
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(beta), "loss": .string("robust"), "label_smoothing": .number(epsilon),
                                   "dataset": Self.dataset([[0, 1]]), "learning_rate": .number(0.05)],
                                  on: problem, mode: .exact, iterations: 4000, recordEvery: 4000)
        let expected = 1 / (1 + pow(epsilon / (1 - epsilon), 1 / beta))
        #expect(abs(run.final.probabilities(context: 0)[0] - expected) < 1e-8)
    }

    @Test(arguments: [0.5, 2.0])
    func hingeLossReachesZeroAtUnitMargins(beta: Double) throws {
        // SLiC hinge max(0, 1 − βΔ) on the chain: the gradient vanishes once βh ≥ 1 for all three pairs;
        // from h = 0 the loss must reach 0 (Adam, lr 0.01, 5000 steps), and then stays there.
        let problem = try Self.threeActions()
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["beta": .number(beta), "loss": .string("hinge"), "dataset": Self.chain],
                                  on: problem, mode: .exact, iterations: 5000, recordEvery: 5000)
        let lp = run.final.logProbabilities[0]
        for (w, l) in [(0, 1), (1, 2), (0, 2)] { #expect(beta * (lp[w] - lp[l]) >= 1 - 1e-12) }
    }

    @Test func onlineBatchesStopAtTheBudget() throws {
        // Online: 32 labels per iteration; a budget of 1000 pays for 31 batches (992 labels); the 32nd
        // batch does not fit, so the run ends at iteration 31 without overspending.
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        let run = try Harness.run(DirectPreferenceOptimization.self, ["online": .bool(true), "batch_size": .number(32)],
                                  on: problem, mode: .sampled, iterations: 100, recordEvery: 10, budget: 1000)
        #expect(run.queries == 992)
        #expect(run.context.recordedIterations == [0, 10, 20, 30, 31])
    }

    @Test func offlineDatasetIsCappedAndEpochsEndTheRun() throws {
        let problem = try Harness.bradleyTerry(rewards: Self.rewards, mu: Self.mu)
        // 100 pairs in batches of 30 → 4 minibatches per epoch (30, 30, 30, 10); 3 epochs = 12 steps.
        let run = try Harness.run(DirectPreferenceOptimization.self,
                                  ["dataset_size": .number(100), "batch_size": .number(30), "epochs": .number(3)],
                                  on: problem, mode: .sampled, iterations: 1000, recordEvery: 5)
        #expect(run.queries == 100)
        #expect(run.context.last!.iteration == 12)
        let capped = try Harness.run(DirectPreferenceOptimization.self, ["dataset_size": .number(5000)],
                                     on: problem, mode: .sampled, iterations: 10, budget: 700)
        #expect(capped.queries == 700 && capped.context.last!.iteration == 10)
    }

    @Test func rejectsInvalidDatasets() throws {
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["dataset": Self.dataset([[0, 0]])]) }
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["dataset": .array([.number(1)])]) }
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["dataset": Self.dataset([[0, 1, 2]])]) }
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["dataset": .array([])]) }
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["dataset": Self.chain, "online": .bool(true)]) }
        #expect(throws: AlignmentCoreError.self) { try DirectPreferenceOptimization.make(["loss": .string("sigmod")]) }
        // An index beyond the problem's responses fails the run with a message naming the pair.
        let problem = try Self.threeActions()
        #expect(throws: AlignmentCoreError.invalidParameter(name: "dataset", reason: "pair [0, 3] is out of range for 3 responses (indices 0…2)")) {
            try Harness.run(DirectPreferenceOptimization.self, ["dataset": Self.dataset([[0, 3]])], on: problem, iterations: 5)
        }
    }

    @Test func lossDerivativesMatchFiniteDifferences() throws {
        // m'(Δ) against central differences of m (h = 1e-6, tolerance 1e-7) for every loss, away from the
        // hinge and truncated-square kinks at βΔ = 1.
        for loss in DirectPreferenceOptimization.Loss.allCases.map(\.rawValue) {
            let a = try DirectPreferenceOptimization.make(["loss": .string(loss), "beta": .number(0.7), "label_smoothing": .number(0.15)])
            for d in [-3.0, -0.4, 0.3, 2.5] {
                let fd = (a.lossValue(d + 1e-6) - a.lossValue(d - 1e-6)) / 2e-6
                #expect(abs(fd - a.lossDerivative(d)) < 1e-7)
            }
        }
    }
}
