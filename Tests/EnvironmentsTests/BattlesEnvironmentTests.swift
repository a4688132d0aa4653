import AlignmentCore
@testable import Environments
import Foundation
import Testing

/// The `battles` environment: parsing (CSV and JSON Lines alike), ties as halves, smoothing, the
/// judge mixture and the Bradley–Terry projection, on the committed synthetic fixture
/// (Experiments/data/synthetic-battles.*, 247 votes) and on small files counted by hand.
struct BattlesEnvironmentTests {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The fixture with the given extension.
    static func fixture(_ ext: String) -> String { root.appendingPathComponent("Experiments/data/synthetic-battles.\(ext)").path }

    /// Writes `text` to a fresh file in this process's scratch directory (`TestScratch`) and returns its path.
    static func write(_ text: String, name: String = "b.csv") throws -> String {
        let dir = TestScratch.directory.appendingPathComponent("battles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func make(_ path: String, _ more: [String: ParameterValue] = [:]) throws -> BattlesEnvironment {
        try BattlesEnvironment.make(more.merging(["path": .string(path)]) { $1 })
    }

    static func matrix(_ e: BattlesEnvironment) throws -> PreferenceMatrix {
        try e.groundTruth(contexts: 1, seed: 0).preferences[0]
    }

    @Test(arguments: [[String: ParameterValue](), ["judges": .string("mixture"), "smoothing": .number(1)], ["model": .string("bradley-terry")]])
    func csvAndJSONLinesGiveIdenticalEnvironments(_ parameters: [String: ParameterValue]) throws {
        let csv = try Self.make(Self.fixture("csv"), parameters), jsonl = try Self.make(Self.fixture("jsonl"), parameters)
        #expect(csv.file == jsonl.file)
        #expect(csv.file.votes.count == 247)
        #expect(csv.file.models == ["syn-alpha", "syn-bravo", "syn-charlie", "syn-delta", "syn-echo", "syn-foxtrot"])
        #expect(csv.file.judges == ["judge-1", "judge-2"])
        #expect(try csv.groundTruth(contexts: 2, seed: 0) == jsonl.groundTruth(contexts: 2, seed: 0))
    }

    /// x–y: model_a, tie, tie (bothbad), model_b, model_a (x first each time) → x scores 2 + ½ + ½ = 3 of 5.
    /// x–z: z wins once as model_b. y–z never compared.
    @Test func tiesCountAsHalvesAndSmoothingAddsPseudoWins() throws {
        let path = try Self.write("model_a,model_b,winner\nx,y,model_a\nx,y,tie\ny,x,tie (bothbad)\nx,y,model_b\ny,x,model_b\nx,z,model_b\n")
        let raw = try Self.matrix(Self.make(path))
        #expect(raw[0, 1] == 3.0 / 5)
        #expect(raw[1, 0] == 2.0 / 5)
        #expect(raw[0, 2] == 0)
        #expect(raw[1, 2] == 0.5)   // never compared
        let smooth = try Self.matrix(Self.make(path, ["smoothing": .number(1)]))
        #expect(abs(smooth[0, 1] - 4.0 / 7) < 1e-15)   // (3 + 1)/(5 + 2)
        #expect(abs(smooth[0, 2] - 1.0 / 3) < 1e-15)   // (0 + 1)/(1 + 2)
        #expect(smooth[1, 2] == 0.5)
        let t = BattleTally(try BattleFile.load(InputFile.read(path: path, parameter: "path")))
        #expect(t.comparedPairs == (2, 1))
        #expect(t.ties[0 * 3 + 1] == 2 && t.ties[1 * 3 + 0] == 2)
    }

    /// Hand counts from make_synthetic_battles.py: syn-alpha vs syn-bravo, judge-1 (7, 2, 1 tie, 0),
    /// judge-2 (5, 4, 1 tie, 0); judge-1 has 140 votes, judge-2 107.
    @Test func fixtureEmpiricalSmoothedAndMixture() throws {
        let p = try Self.matrix(Self.make(Self.fixture("csv")))
        #expect(abs(p[0, 1] - 13.0 / 20) < 1e-15)
        #expect(abs(p[2, 0] - 11.0 / 20) < 1e-15)          // the cycle's closing edge: charlie 10 wins + 1 tie of 20
        #expect(p[4, 5] == 0.5)                              // echo–foxtrot never compared
        let s = try Self.matrix(Self.make(Self.fixture("csv"), ["smoothing": .number(1)]))
        #expect(abs(s[0, 1] - 14.0 / 22) < 1e-15)
        let mix = try Self.matrix(Self.make(Self.fixture("csv"), ["judges": .string("mixture")]))
        #expect(abs(mix[0, 1] - (140.0 / 247 * 7.5 / 10 + 107.0 / 247 * 5.5 / 10)) < 1e-15)   // 0.66336032… (numpy)
        let mixSmooth = try Self.matrix(Self.make(Self.fixture("csv"), ["judges": .string("mixture"), "smoothing": .number(1)]))
        #expect(abs(mixSmooth[0, 1] - (140.0 / 247 * 8.5 / 12 + 107.0 / 247 * 6.5 / 12)) < 1e-15)
        #expect(!(try Self.make(Self.fixture("csv")).groundTruth(contexts: 1, seed: 0).isTransitive))
    }

    /// Ratings and sandwich standard errors by numpy/scipy (scripts/peers/battles_numpy.py): the
    /// log-likelihood Σ_v y log σ(r_a − r_b) + (1 − y) log σ(r_b − r_a) minimised by BFGS then
    /// Newton to a gradient of 3e-15, centred; Cov = A⁺BA⁺ with numpy.linalg.pinv.
    static let ratings = [0.7639157321555065, 0.48482340223479403, 0.399723806426293, -0.013679743235366176, -0.6696134679452985, -0.9651697296359286]
    static let standardErrors = [0.18516134784785404, 0.17951054140385056, 0.18425472689294523, 0.18698492037135564, 0.22554422073314237, 0.2473631818323457]

    @Test func bradleyTerryFitAndSandwichMatchNumpy() throws {
        let file = try BattleFile.load(InputFile.read(path: Self.fixture("csv"), parameter: "path"))
        let fit = try BattleRatings(BattleTally(file), models: file.models)
        for (a, b) in zip(fit.ratings, Self.ratings) { #expect(abs(a - b) < 1e-12, "\(fit.ratings)") }
        for (a, b) in zip(fit.standardErrors, Self.standardErrors) { #expect(abs(a - b) < 1e-12, "\(fit.standardErrors)") }
        #expect(abs(fit.covariance[0 * 6 + 1] - -0.0038988248451740787) < 1e-12)
        #expect(abs(fit.covariance[2 * 6 + 5] - -0.010533714653394158) < 1e-12)
        // Normal interval with z = Φ⁻¹(0.975) = 1.959963984540054 (scipy.stats.norm.ppf).
        let i = fit.sandwichInterval(0, confidence: 0.95)
        #expect(abs(i.lower - (Self.ratings[0] - 1.959963984540054 * Self.standardErrors[0])) < 1e-12)
        // The environment's projection: σ(r_0 − r_1) = 0.569323682493987, σ(r_4 − r_5) = 0.5733558503625467 (numpy).
        let p = try Self.matrix(Self.make(Self.fixture("jsonl"), ["model": .string("bradley-terry")]))
        #expect(abs(p[0, 1] - 0.569323682493987) < 1e-12)
        #expect(abs(p[4, 5] - 0.5733558503625467) < 1e-12)
    }

    /// numpy (scripts/peers/battles_numpy.py): majority accuracy 0.6963562753036437, BT 0.6882591093117408, max |P̂ − P_BT|
    /// 0.1400548009712837 at (alpha, charlie), vote-weighted mean 0.043303801766243606, one pair reversed.
    @Test func fitLossMatchesNumpy() throws {
        let t = BattleTally(try BattleFile.load(InputFile.read(path: Self.fixture("csv"), parameter: "path")))
        let l = BattleFitLoss(t, ratings: Self.ratings)
        #expect(abs(l.majorityAccuracy - 0.6963562753036437) < 1e-15)
        #expect(abs(l.modelAccuracy - 0.6882591093117408) < 1e-15)
        #expect(abs(l.maxDifference - 0.1400548009712837) < 1e-12)
        #expect(l.maxPair == (0, 2))
        #expect(abs(l.meanDifference - 0.043303801766243606) < 1e-12)
        #expect(l.reversedPairs == 1)
    }

    /// The bootstrap is deterministic per seed; its spread agrees with a numpy bootstrap over votes
    /// (scripts/peers/battles_numpy.py: 2000 replicates, numpy.random.default_rng(0), Newton fits): standard deviations
    /// [0.1920, 0.1855, 0.1926, 0.1976, 0.2330, 0.2595] and 95% percentile bounds within the
    /// Monte-Carlo error of 1000 replicates (stated: 12% of the SD, 0.06 on a bound).
    @Test func bootstrapIsDeterministicAndAgreesWithNumpy() throws {
        let t = BattleTally(try BattleFile.load(InputFile.read(path: Self.fixture("csv"), parameter: "path")))
        let a = BattleBootstrap(t, replicates: 1000, seed: 0), b = BattleBootstrap(t, replicates: 1000, seed: 0)
        #expect(a == b)
        #expect(a != BattleBootstrap(t, replicates: 1000, seed: 1))
        #expect(a.excluded == 0 && a.samples.count == 1000)
        for s in a.samples { #expect(abs(s.reduce(0, +)) < 1e-12) }
        let sd = [0.19201124564237831, 0.18549865234302207, 0.19260795200106007, 0.19761480953213645, 0.23302128273614398, 0.25947329176053646]
        let low = [0.41974257136371534, 0.13724693185699113, 0.034832986142264946, -0.4057268926674946, -1.1656746218715606, -1.5559999907663034]
        let high = [1.1560075198576247, 0.8751310961035537, 0.8017948394298613, 0.3721032802691098, -0.2603169014426829, -0.5269110191693749]
        for i in 0..<6 {
            let xs = a.samples.map { $0[i] }
            let mean = xs.reduce(0, +) / 1000
            let s = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 999).squareRoot()
            #expect(abs(s - sd[i]) < 0.12 * sd[i], "model \(i): sd \(s)")
            let q = try #require(a.interval(i, confidence: 0.95))
            #expect(abs(q.lower - low[i]) < 0.06 && abs(q.upper - high[i]) < 0.06, "model \(i): \(q)")
        }
        // Type-7 quantiles against numpy.quantile: [1, 2, 3, 4] at 0.1 → 1.3; [0.5, −1, 3, 2, 7] at 0.975 → 6.6.
        #expect(abs(BattleBootstrap.quantile([1, 2, 3, 4], 0.1) - 1.3) < 1e-15)
        #expect(abs(BattleBootstrap.quantile([-1, 0.5, 2, 3, 7], 0.975) - 6.6) < 1e-14)
    }

    /// Cyclic triads by hand. Regular tournaments (i beats the next ⌊n/2⌋ cyclically, odd n) have
    /// C(n, 3) − n·C((n−1)/2, 2) cyclic triads, the maximum (n³ − n)/24: n = 3 → 1, 5 → 5, 7 → 14;
    /// a linear order has none; the fixture has exactly {alpha, bravo, charlie} among its 16
    /// decided triples (the 4 triples holding echo–foxtrot are undecided); n = 6 allows 8.
    @Test(arguments: [(3, 1), (5, 5), (7, 14)])
    func regularTournamentsHaveTheMaximum(_ n: Int, _ expected: Int) {
        var t = BattleTally(models: n)
        for i in 0..<n { for d in 1...(n / 2) { t.add(i, (i + d) % n, .modelA, count: 1) } }
        #expect(t.cyclicTriads == expected)
        #expect(BattleTally.maximumCyclicTriads(models: n) == expected)
        #expect(t.decidedTriads == n * (n - 1) * (n - 2) / 6)
    }

    @Test func cyclicTriadsByHand() throws {
        var order = BattleTally(models: 5)
        for i in 0..<5 { for j in (i + 1)..<5 { order.add(i, j, .modelA, count: 2) } }
        #expect(order.cyclicTriads == 0 && order.decidedTriads == 10)
        // Ties and equal scores leave a pair undecided: x beats y, y beats z, z–x tied → no cycle, no decided triple.
        var tied = BattleTally(models: 3)
        tied.add(0, 1, .modelA, count: 1); tied.add(1, 2, .modelA, count: 1); tied.add(2, 0, .tie, count: 3)
        #expect(tied.cyclicTriads == 0 && tied.decidedTriads == 0)
        let t = BattleTally(try BattleFile.load(InputFile.read(path: Self.fixture("csv"), parameter: "path")))
        #expect(t.cyclicTriads == 1 && t.decidedTriads == 16)
        #expect(BattleTally.maximumCyclicTriads(models: 6) == 8)
        #expect(BattleTally.maximumCyclicTriads(models: 4) == 2)   // (64 − 16)/24
    }

    /// The Bradley–Terry model needs a strongly connected win graph unless smoothed.
    @Test func bradleyTerryRefusesAnUnbeatenSet() throws {
        let path = try Self.write("model_a,model_b,winner\nx,y,model_a\nz,x,model_b\ny,z,tie\n")
        #expect(throws: AlignmentCoreError.invalidParameter(name: "path", reason: "battles file \(path): the Bradley–Terry fit has no finite maximum: 1 model (\"x\") never loses to the other 2 (a tie counts both ways); allowed: votes whose win graph is strongly connected, or smoothing > 0")) {
            try Self.make(path, ["model": .string("bradley-terry")])
        }
        let smoothed = try Self.matrix(Self.make(path, ["model": .string("bradley-terry"), "smoothing": .number(1)]))
        #expect(smoothed[0, 1] > 0.5 && smoothed[0, 2] > 0.5)
        #expect(throws: AlignmentCoreError.self) { try Self.make(path, ["model": .string("bradley-terry"), "judges": .string("mixture")]) }
    }

    @Test func multinomialDrawsSumToTheTrials() {
        let rng = RandomSource(seed: 3)
        let d = rng.multinomial(trials: 247, probabilities: [3, 0, 1, 6])
        #expect(d.reduce(0, +) == 247 && d[1] == 0)
    }
}
