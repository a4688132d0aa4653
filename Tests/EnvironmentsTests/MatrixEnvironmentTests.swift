import AlignmentCore
@testable import Environments
import Foundation
import Testing

/// The `matrix` environment: JSON and CSV files, contexts, μ and reward, and errors that name the
/// file and the offending entry.
struct MatrixEnvironmentTests {
    /// Writes `text` to a fresh file with the given extension in this process's scratch directory
    /// (`TestScratch`) and returns its path.
    static func write(_ text: String, ext: String) throws -> String {
        let dir = TestScratch.directory.appendingPathComponent("matrix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("p.\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func load(_ path: String, format: String? = nil) throws -> MatrixEnvironment {
        var raw: [String: ParameterValue] = ["path": .string(path)]
        if let format { raw["format"] = .string(format) }
        return try MatrixEnvironment.make(raw)
    }

    @Test func jsonWithReferenceRewardAndContexts() throws {
        let path = try Self.write("""
        {"preference": [[[0.5, 0.7], [0.3, 0.5]], [[0.5, 0.1], [0.9, 0.5]]],
         "reference": [0.25, 0.75], "reward": [[1, 0], [0, 1]], "context_weights": [1, 3]}
        """, ext: "json")
        let gt = try Self.load(path).groundTruth(contexts: 1, seed: 0)
        #expect(gt.preferences.count == 2)
        #expect(gt.preferences[1][1, 0] == 0.9)
        let mu = try #require(gt.reference)
        #expect(abs(mu.probabilities(context: 1)[1] - 0.75) < 1e-15)
        #expect(gt.trueReward == [[1, 0], [0, 1]])
        #expect(gt.contextWeights == [1, 3])
        #expect(gt.isTransitive)
        // The spec's context count must agree with the file (1 means "the file's").
        #expect(throws: AlignmentCoreError.self) { try Self.load(path).groundTruth(contexts: 3, seed: 0) }
    }

    @Test func csvBlocksWithLabelledRows() throws {
        let path = try Self.write("""
        # rock, paper, scissors
        0.5,1,0
        0,0.5,1
        1,0,0.5
        reference,0.2,0.3,0.5
        """, ext: "csv")
        let gt = try Self.load(path).groundTruth(contexts: 2, seed: 0)
        #expect(gt.preferences.count == 2)
        #expect(gt.preferences[1].rows == [[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])
        #expect(!gt.isTransitive)
        #expect(abs(try #require(gt.reference).probabilities(context: 1)[2] - 0.5) < 1e-15)
        #expect(gt.trueReward == nil)
        // Nash equilibrium of the loaded RPS is uniform.
        for v in try NashEquilibriumLP.solve(gt.preferences[0]) { #expect(abs(v - 1.0 / 3) < 1e-12) }
    }

    @Test func smallAsymmetryIsRepaired() throws {
        // |P_ij + P_ji − 1| ≤ 1e-9 is accepted and the lower triangle becomes 1 − the upper one.
        let path = try Self.write("0.5,0.3333333333\n0.6666666667,0.5\n", ext: "csv")
        let p = try Self.load(path).groundTruth(contexts: 1, seed: 0).preferences[0]
        #expect(p[1, 0] == 1 - 0.3333333333)
    }

    /// Each bad file must fail with a message naming the file and the entry.
    @Test(arguments: [
        ("0.5,1,0\n0,0.5\n1,0,0.5\n", "csv", ["row 1 has 2 entries", "square"]),
        ("0.5,1.2\n-0.2,0.5\n", "csv", ["row 0, column 1", "value 1.2", "outside [0, 1]"]),
        ("0.5,0.6\n0.6,0.5\n", "csv", ["row 0, column 1", "0.6 + 0.6", "expected 1"]),
        ("0.5,0.4\n0.6,0.7\n", "csv", ["row 1, column 1", "diagonal value 0.7"]),
        ("0.5,x\n0.5,0.5\n", "csv", ["line 1, field 1: a field of 1 byte is not a finite number"]),
        ("0.5,1e999\n0.5,0.5\n", "csv", ["line 1, field 1: \"1e999\" is not a finite number"]),
        ("0.5,NaN\n0.5,0.5\n", "csv", ["line 1, field 1: \"NaN\" is not a finite number"]),
        ("{\"preference\": [[0.5, 0.2, 0.1], [0.8, 0.5]]}", "json", ["row 0 has 3 entries", "square"]),
        ("{\"preference\": [[0.5, true], [0.5, 0.5]]}", "json", ["preference[0][1] is a boolean, not a number"]),
        ("{\"preference\": [[[0.5, 0.2], [0.8, 0.5]], [[0.5, 2], [-1, 0.5]]]}", "json", ["context 1, row 0, column 1", "value 2.0"]),
        ("{\"preference\": [[0.5, 0.2], [0.7, 0.5]]}", "json", ["row 0, column 1", "0.2 + 0.7"]),
        ("{\"preferences\": [[0.5]]}", "json", ["unknown key \"preferences\"", "did you mean \"preference\""]),
        ("{\"preference\": [[0.5, 0.5], [0.5, 0.5]], \"reference\": [0.5, -0.5]}", "json", ["reference row 0, column 1"]),
        ("{\"preference\": [[0.5, 0.5], [0.5, \"a\"]]}", "json", ["preference[1][1] is a string, not a number"]),
    ])
    func badFilesNameTheEntry(text: String, ext: String, needles: [String]) throws {
        let path = try Self.write(text, ext: ext)
        do {
            _ = try Self.load(path)
            Issue.record("accepted a bad file: \(text)")
        } catch let AlignmentCoreError.invalidParameter(name, reason) {
            #expect(name == "path")
            #expect(reason.contains(path), "\(reason) should name the file")
            for needle in needles { #expect(reason.contains(needle), "\(reason) should contain \(needle)") }
        }
    }

    @Test func missingFileIsReported() throws {
        do {
            _ = try Self.load("/nonexistent/dir/p.json")
            Issue.record("accepted a missing file")
        } catch {
            #expect("\(error)".contains("/nonexistent/dir/p.json"))
            #expect("\(error)".contains("no such file"))
        }
    }
}

/// The size of a matrix file is bounded before it is parsed (issue 9 §4).
struct MatrixFileSizeTests {
    @Test(arguments: [
        // (text, json, max actions, max numbers, expected problem or nil)
        ("0.5,0.5\n0.5,0.5\n", false, 2, 4, nil as String?),
        ("0.5,0.5\n0.5,0.5\n", false, 2, 3, "holds 4 numbers; allowed: at most 3 (at most 2²⁴ preference entries, contexts × actions², plus μ, reward and weight rows)"),
        ("# comment, with, commas\n\n0.5,0.5,0.5\n", false, 2, 100, "row 0 has 3 entries; allowed: at most 2 actions"),
        ("reference,1,2\n", false, 2, 100, nil),
        ("1e-5,-2.5E+3,0x1\n", false, 3, 3, nil),
        ("-0,-0,.5,+1\n", false, 4, 3, "holds 4 numbers; allowed: at most 3 (at most 2²⁴ preference entries, contexts × actions², plus μ, reward and weight rows)"),
        (#"{"actions": 2, "preference": [ [ 0.5, 0.5 ], [0.5, 0.5]]}"#, true, 2, 100, nil),
        (#"{"preference": [[[0.5, 0.5, 0.5]]], "id": "x"}"#, true, 2, 100, "row 0 has 3 entries; allowed: at most 2 actions"),
    ])
    func sizeIsBoundedFromTheText(_ text: String, _ json: Bool, _ actions: Int, _ numbers: Int, _ expected: String?) {
        #expect(MatrixFile.sizeProblem(text, json: json, maximumActions: actions, maximumNumbers: numbers) == expected)
    }

    @Test func defaultLimits() {
        #expect(MatrixFile.maximumActions == 4096)
        #expect(MatrixFile.maximumNumbers == 18_000_000)
    }
}

/// Intransitive dice: the merge count equals the definition's double loop (issue 9 §4 made it
/// O(n log n)); expected values by hand.
struct DiceWinProbabilityTests {
    static let cases: [([Double], [Double], Double)] = [
        ([2, 4, 9], [1, 6, 8], 5.0 / 9),  // Efron-style cycle: 5 of 9 face pairs won
        ([1, 6, 8], [3, 5, 7], 5.0 / 9),
        ([3, 5, 7], [2, 4, 9], 5.0 / 9),
        ([1, 1, 2], [1, 2], 2.5 / 6),      // ties count ½: ½ + 0 + ½ + 0 + 1 + ½ over 6 pairs
        ([9, 1, 5], [5], 1.5 / 3),         // unsorted input: 1 + 0 + ½ over 3 pairs
    ]

    @Test(arguments: cases)
    func mergeCountsWinsAndTies(_ c: ([Double], [Double], Double)) {
        #expect(abs(IntransitiveDiceEnvironment.winProbability(c.0, c.1) - c.2) <= 1e-15)
    }
}
