import AlignmentCore
import Foundation
import Testing

/// `RunContext.report(iteration:logits:diagnostics:)` is `report(iteration:policy:diagnostics:)`
/// with `Policy(logits:)`, without building the policy at unrecorded iterations: for every sequence
/// of reports below, two contexts fed the same sequence — one through each path — agree report by
/// report (both accept, or both throw the same error) and end with the same last checkpoint (every
/// bit of its policy) and the same recorded checkpoints.
struct RunContextLogitsTests {
    /// One report: its iteration, logits and diagnostics.
    typealias Report = (iteration: Int, logits: [[Double]], diagnostics: [String: Double])

    static let inf = Double.infinity

    /// (name, record every, reports).
    static let cases: [(String, Int, [Report])] = [
        ("ordinary rows, unrecorded", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[5, 1, -2], [-1, -1, 3]], [:]),
        ]),
        ("recorded and unrecorded mixed, a repeated iteration", 2, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[5, 1, -2], [-1, -1, 3]], [:]),
            (3, [[0.5, 0.25, -7], [1, 2, 3]], [:]),
            (3, [[0.5, 0.5, -7], [1, 2, 4]], [:]),
            (5, [[-0.5, 0.25, 7], [3, 2, 1]], [:]),
        ]),
        ("responses outside the support", 1000, [
            (1, [[-inf, 0, 1], [2, -inf, -inf]], [:]),
            (2, [[-inf, -inf, 1], [2, 3, -inf]], [:]),
        ]),
        ("NaN in context 1 after an accepted report", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[0.1, -0.3, 2], [0, .nan, 0]], [:]),
        ]),
        ("+∞ logit", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[inf, -0.3, 2], [0, 0, 0]], [:]),
        ]),
        ("a row without support", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[0.1, -0.3, 2], [-inf, -inf, -inf]], [:]),
        ]),
        ("a row of the wrong length", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[0.1, -0.3, 2], [0, 0]], [:]),
        ]),
        // logsumexp of (1e17, 1e17, 1e17) rounds to 1e17: the policy is (1, 1, 1), mass 3.
        ("logits too large to normalise: not a distribution", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], [:]),
            (2, [[1e17, 1e17, 1e17], [0, 0, 0]], [:]),
        ]),
        ("finite and non-finite diagnostics", 1000, [
            (1, [[0.1, -0.3, 2], [0, 0, 0]], ["d": 0.25]),
            (2, [[0.2, -0.3, 2], [0, 0, 1]], ["d": .infinity]),
        ]),
        // The spread 1.25ᵗ grows geometrically: the divergence monitor fires on both paths alike.
        ("geometric blow-up", 1000, (1...60).map { t in
            (t, [[0, pow(1.25, Double(t)), 0], [0, 0, 0]], [:])
        }),
    ]

    /// μ with a response outside its support in context 1.
    static func problem() throws -> Problem {
        let p = try PreferenceMatrix(rows: [[0.5, 0.7, 0.2], [0.3, 0.5, 0.9], [0.8, 0.1, 0.5]])
        return try Problem(preferences: [p, p], reference: Policy(probabilities: [[0.2, 0.3, 0.5], [0.6, 0.4, 0]]),
                           isTransitive: false)
    }

    /// Each case with its own `record_every`, and again with every iteration recorded (the
    /// recorded path of the logits report, errors included).
    @Test(arguments: 0..<cases.count, [false, true])
    func logitsReportsAgreeWithPolicyReports(_ index: Int, recordingEvery: Bool) throws {
        let (name, ownEvery, reports) = Self.cases[index]
        let recordEvery = recordingEvery ? 1 : ownEvery
        var recordedA: [Checkpoint] = [], recordedB: [Checkpoint] = []
        let a = RunDriver.context(problem: try Self.problem(), mode: .exact, queryBudget: nil, labelNoise: 0, seed: 1,
                                  iterations: 1000, recordEvery: recordEvery) { recordedA.append($0) }
        let b = RunDriver.context(problem: try Self.problem(), mode: .exact, queryBudget: nil, labelNoise: 0, seed: 1,
                                  iterations: 1000, recordEvery: recordEvery) { recordedB.append($0) }
        try a.report(iteration: 0, policy: a.reference)
        try b.report(iteration: 0, policy: b.reference)
        var failures = 0
        var accepted: [Int] = []  // distinct iterations of the accepted reports
        for r in reports {
            var errorA: String?, errorB: String?
            do { try a.report(iteration: r.iteration, policy: Policy(logits: r.logits), diagnostics: r.diagnostics) } catch { errorA = "\(error)" }
            do { try b.report(iteration: r.iteration, logits: r.logits, diagnostics: r.diagnostics) } catch { errorB = "\(error)" }
            #expect(errorA == errorB, "\(name), iteration \(r.iteration)")
            if errorA != nil { failures += 1; break }
            if accepted.last != r.iteration { accepted.append(r.iteration) }
        }
        try a.flushFinal()
        try b.flushFinal()
        // Every case but the first three ends on an error (the last report or the blow-up).
        #expect((failures == 1) == (index >= 3), "\(name)")
        let lastA = try #require(a.last), lastB = try #require(b.last)
        #expect(lastA.iteration == lastB.iteration && lastA.queries == lastB.queries && lastA.diagnostics == lastB.diagnostics)
        #expect(Self.bits(lastA.policy) == Self.bits(lastB.policy), "\(name)")
        #expect(recordedA.map(\.iteration) == recordedB.map(\.iteration))
        // Recording every iteration: iteration 0 and every accepted report's iteration, once each.
        if recordingEvery { #expect(recordedB.map(\.iteration) == [0] + accepted, "\(name)") }
        for (x, y) in zip(recordedA, recordedB) {
            #expect(Self.bits(x.policy) == Self.bits(y.policy) && x.diagnostics == y.diagnostics, "\(name)")
        }
    }

    /// Every log-probability's bit pattern.
    static func bits(_ p: Policy) -> [[UInt64]] { p.logProbabilities.map { $0.map(\.bitPattern) } }
}
