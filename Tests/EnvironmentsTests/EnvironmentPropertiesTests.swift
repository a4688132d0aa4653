import AlignmentCore
import Environments
import Foundation
import Testing

/// One example of one environment kind, as a test argument.
struct KindExample: Sendable, CustomTestStringConvertible {
    var kind: String
    var index: Int
    var example: EnvironmentExample { EnvironmentCatalog.environment(kind: kind)!.descriptor.examples[index] }
    var testDescription: String { "\(kind) #\(index): \(example.title)" }
}

/// Properties every environment kind must have: P + Pᵀ = 1, diagonal ½, the requested number of
/// contexts, determinism per seed, randomness as declared, registration in the catalogue,
/// documented parameters. The configurations are the examples every descriptor carries
/// (`EnvironmentDescriptor.examples`), over the whole `EnvironmentCatalog`: a new kind is covered
/// as soon as it is registered.
struct EnvironmentPropertiesTests {
    /// Every example of every registered kind.
    static let examples: [KindExample] = EnvironmentCatalog.all.flatMap { type in
        type.descriptor.examples.indices.map { KindExample(kind: type.descriptor.kind, index: $0) }
    }

    static func make(_ kind: String, _ parameters: [String: ParameterValue]) throws -> any Environment {
        let type = try #require(EnvironmentCatalog.environment(kind: kind))
        return try type.make(parameters)
    }

    static func make(_ e: KindExample) throws -> any Environment {
        let type = try #require(EnvironmentCatalog.environment(kind: e.kind))
        return try type.make(example: e.example)
    }

    @Test func catalogueListsEveryKind() {
        #expect(EnvironmentCatalog.kinds == ["bradley-terry", "thurstone", "cyclic", "intransitive-dice", "annotator-mixture",
                                              "random", "disc-game", "matrix", "battles"])
        for type in EnvironmentCatalog.all {
            let d = type.descriptor
            #expect(!d.summary.isEmpty)
            #expect(!d.transitivity.isEmpty)
            #expect(!d.examples.isEmpty, "\(d.kind) has no example")
            for p in d.parameters { #expect(!p.doc.isEmpty, "parameter \(p.name) of \(d.kind) has no doc") }
            for e in d.examples {
                #expect(!e.title.isEmpty)
                // Files are given only for `.inputFile` parameters, and every such parameter of the example has one.
                let fileParameters = Set(d.parameters.filter { $0.kind == .inputFile }.map(\.name))
                #expect(Set(e.files.keys) == fileParameters.intersection(e.parameters.keys), "\(d.kind): \(e.title)")
            }
        }
    }

    /// 9 kinds; the count of examples is what the descriptors declare (2+2+3+2+3+1+2+2+3), so that a
    /// dropped example is noticed.
    @Test func everyKindHasItsExamples() {
        #expect(Self.examples.count == 20)
        #expect(Set(Self.examples.map(\.kind)) == Set(EnvironmentCatalog.kinds))
    }

    @Test(arguments: examples)
    func preferencesAreValid(_ e: KindExample) throws {
        let env = try Self.make(e)
        let gt = try env.groundTruth(contexts: 3, seed: 12345)
        #expect(gt.preferences.count == 3)
        let n = gt.preferences[0].size
        #expect(n >= 2)
        for p in gt.preferences {
            #expect(p.size == n)
            for i in 0..<p.size {
                #expect(p[i, i] == 0.5)
                for j in 0..<p.size {
                    #expect(p[i, j] >= 0 && p[i, j] <= 1)
                    #expect(abs(p[i, j] + p[j, i] - 1) <= 1e-12)
                }
            }
        }
        if let r = gt.trueReward {
            #expect(r.count == 3 && r.allSatisfy { $0.count == n })
        }
        if type(of: env).descriptor.hasTrueReward {
            #expect(gt.trueReward != nil, "\(e.kind) declares a true reward")
        }
        if let w = gt.contextWeights { #expect(w.count == 3) }
        // A problem can be built from it.
        _ = try Problem(preferences: gt.preferences, reference: gt.reference ?? .uniform(contexts: 3, actions: n),
                        trueReward: gt.trueReward, isTransitive: gt.isTransitive, contextWeights: gt.contextWeights)
    }

    /// Same seed → identical ground truth (also from a second instance). Deterministic kinds give
    /// the same for every seed; a random kind's first example draws from its seed, so another seed
    /// gives another instance and two contexts differ.
    @Test(arguments: examples)
    func deterministicPerSeed(_ e: KindExample) throws {
        let env = try Self.make(e)
        let a = try env.groundTruth(contexts: 2, seed: 7)
        let b = try Self.make(e).groundTruth(contexts: 2, seed: 7)
        #expect(a == b)
        let c = try env.groundTruth(contexts: 2, seed: 8)
        if !type(of: env).descriptor.isRandom {
            #expect(a == c)
        } else if e.index == 0 {
            #expect(a.preferences != c.preferences)
            #expect(a.preferences[0] != a.preferences[1])
        }
    }

    /// The example validates against the descriptor through the same path a spec takes: every
    /// parameter it gives is declared (unknown names and out-of-range values would throw).
    @Test(arguments: examples)
    func exampleValidatesAgainstItsDescriptor(_ e: KindExample) throws {
        let d = try #require(EnvironmentCatalog.environment(kind: e.kind)).descriptor
        let values = try e.example.values(for: d)
        for name in e.example.parameters.keys { #expect(values[name] == e.example.parameters[name]) }
        for name in e.example.files.keys { #expect(values.inputFiles[name]?.text == e.example.files[name]) }
    }

    @Test func thurstoneMatchesTheNormalCDF() throws {
        // P = Φ((r_y − r_y')/(√2 s)); scipy.stats.norm.cdf values written as literals.
        let env = try Self.make("thurstone", ["rewards": .array([0, 1, 3, 2.7].map { .number($0) }), "noise": .number(1)])
        let p = try env.groundTruth(contexts: 1, seed: 0).preferences[0]
        #expect(abs(p[1, 0] - 0.7602499389065233) < 1e-15)           // Φ(1/√2)
        let sharp = try Self.make("thurstone", ["rewards": .array([0, 2].map { .number($0) }), "noise": .number(0.5)])
        #expect(abs(try sharp.groundTruth(contexts: 1, seed: 0).preferences[0][1, 0] - 0.9976611325094764) < 1e-15) // Φ(2/(√2·½))
        let wide = try Self.make("thurstone", ["rewards": .array([0.3, 0].map { .number($0) }), "noise": .number(2)])
        #expect(abs(try wide.groundTruth(contexts: 1, seed: 0).preferences[0][1, 0] - 0.45776498668838594) < 1e-15) // Φ(−0.3/(2√2))
    }

    @Test func bradleyTerryIsTheLogistic() throws {
        let env = try Self.make("bradley-terry", ["rewards": .array([0, 1.5].map { .number($0) })])
        let gt = try env.groundTruth(contexts: 2, seed: 0)
        #expect(abs(gt.preferences[0][1, 0] - 1 / (1 + exp(-1.5))) < 1e-15)
        #expect(gt.trueReward == [[0, 1.5], [0, 1.5]])
        #expect(gt.isTransitive)
    }

    @Test func diceProbabilitiesFromFaces() throws {
        let p = try Self.make("intransitive-dice", [:]).groundTruth(contexts: 1, seed: 0).preferences[0]
        // {2,4,9} beats {1,6,8}, which beats {3,5,7}, which beats {2,4,9}: each 5/9 by counting.
        #expect(abs(p[0, 1] - 5.0 / 9) < 1e-15)
        #expect(abs(p[1, 2] - 5.0 / 9) < 1e-15)
        #expect(abs(p[2, 0] - 5.0 / 9) < 1e-15)
        // Ties count ½: {1, 2} vs {2, 3}: wins 0, ties 1 of 4 pairs → 1/8.
        #expect(IntransitiveDiceEnvironment.winProbability([1, 2], [2, 3]) == 0.125)
    }

    @Test func biasedRockPaperScissorsMatrix() throws {
        let p = try Self.make("cyclic", ["preset": .string("biased-rps")]).groundTruth(contexts: 1, seed: 0).preferences[0]
        // P = ½ + ½·A/50 for A = [[0,−25,50],[25,0,−5],[−50,5,0]].
        #expect(p.rows == [[0.5, 0.25, 1], [0.75, 0.5, 0.45], [0, 0.55, 0.5]])
    }

    @Test func threeRaterMatrix() throws {
        for eps in [-1.0 / 3, -0.1, 0, 0.25] {
            let p = try Self.make("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(eps)])
                .groundTruth(contexts: 1, seed: 0).preferences[0]
            // P(y₀ ≻ y₁) = 2/3 − ε/2, P(y₁ ≻ y₂) = P(y₂ ≻ y₀) = 2/3 + ε/4 (1e-15).
            #expect(abs(p[0, 1] - (2.0 / 3 - eps / 2)) < 1e-15)
            #expect(abs(p[1, 2] - (2.0 / 3 + eps / 4)) < 1e-15)
            #expect(abs(p[2, 0] - (2.0 / 3 + eps / 4)) < 1e-15)
        }
    }

    @Test func annotatorVerdictsWithTiesAverage() throws {
        // Two verdict annotators on 3 actions: one says 0 ≻ 1 ≻ 2, the other ties 0 and 1 and puts 2 first.
        let v1: [[Double]] = [[0.5, 1, 1], [0, 0.5, 1], [0, 0, 0.5]]
        let v2: [[Double]] = [[0.5, 0.5, 0], [0.5, 0.5, 0], [1, 1, 0.5]]
        let raw: ParameterValue = .array([v1, v2].map { m in .array(m.map { .array($0.map { .number($0) }) }) })
        let p = try Self.make("annotator-mixture", ["verdicts": raw, "weights": .array([.number(3), .number(1)])])
            .groundTruth(contexts: 1, seed: 0).preferences[0]
        // Weights ¾, ¼: P(0 ≻ 1) = ¾·1 + ¼·½ = 7/8; P(0 ≻ 2) = ¾; P(1 ≻ 2) = ¾.
        #expect(abs(p[0, 1] - 0.875) < 1e-15)
        #expect(abs(p[0, 2] - 0.75) < 1e-15)
        #expect(abs(p[1, 2] - 0.75) < 1e-15)
    }

    @Test func discGameWithGivenPoints() throws {
        // u₀ = (1, 0), u₁ = (0, 1): u₀ᵀΩu₁ = u₀,₂·u₁,₁ − u₀,₁·u₁,₂ = 0·0 − 1·1 = −1, so P(0 ≻ 1) = σ(−k).
        let points: ParameterValue = .array([[1, 0], [0, 1], [-0.6, 0]].map { .array($0.map { .number($0) }) })
        let p = try Self.make("disc-game", ["points": points, "strength": .number(2)]).groundTruth(contexts: 1, seed: 0).preferences[0]
        #expect(abs(p[0, 1] - 1 / (1 + exp(2.0))) < 1e-15)
        // u₁ᵀΩu₂ = 1·(−0.6) − 0·0 = −0.6 → σ(−1.2).
        #expect(abs(p[1, 2] - 1 / (1 + exp(1.2))) < 1e-15)
        // Collinear points (u₀, u₂) tie.
        #expect(abs(p[0, 2] - 0.5) < 1e-15)
    }

    @Test func invalidParametersAreRejected() throws {
        func rejects(_ kind: String, _ parameters: [String: ParameterValue], mentioning needle: String) {
            do {
                _ = try Self.make(kind, parameters)
                Issue.record("\(kind) accepted \(parameters)")
            } catch {
                #expect("\(error)".contains(needle), "\(error) should mention \(needle)")
            }
        }
        let rows = { (m: [[Double]]) -> ParameterValue in .array(m.map { .array($0.map { .number($0) }) }) }
        rejects("cyclic", ["payoffs": rows([[0, 1], [1, 0]])], mentioning: "payoffs[0][1]")
        rejects("cyclic", ["payoffs": rows([[0, 1, 2], [-1, 0]])], mentioning: "square")
        rejects("cyclic", ["payoffs": rows([[0, 1], [-1, 0]]), "preset": .string("biased-rps")], mentioning: "not both")
        rejects("cyclic", ["preset": .string("biassed-rps")], mentioning: "did you mean")
        rejects("intransitive-dice", ["dice": rows([[1, 2, 3]])], mentioning: "between 2 and 4096")
        rejects("annotator-mixture", [:], mentioning: "needs annotator types")
        rejects("annotator-mixture", ["epsilon": .number(0.1), "utilities": rows([[0, 1]])], mentioning: "three-rater")
        rejects("annotator-mixture", ["preset": .string("three-rater"), "epsilon": .number(0.5)], mentioning: "out of range")
        rejects("annotator-mixture", ["utilities": rows([[0, 1], [0, 1, 2]])], mentioning: "utilities[1]")
        rejects("annotator-mixture", ["utilities": rows([[0, 1]]), "weights": .array([.number(1), .number(2)])], mentioning: "2 entries")
        rejects("annotator-mixture", ["verdicts": .array([rows([[0.5, 1], [1, 0.5]])])], mentioning: "verdicts[0][0][1]")
        rejects("disc-game", ["points": rows([[0.9, 0.9], [0, 0]])], mentioning: "points[0]")
        rejects("thurstone", ["noise": .number(0)], mentioning: "noise")
    }
}
