import AlignmentCore
import Testing

/// The run lifecycle the sweep and the plugin test harness share: an exhausted query budget ends
/// the run normally with its last policy recorded; any other error propagates with the context
/// still telling how far the run got; the oracle's labels come from the run seed's "oracle" stream.
struct RunDriverTests {
    /// Draws one label (0 vs 1, context 0) per iteration and reports μ after each.
    struct OneLabelPerIteration: Algorithm {
        static let descriptor = AlgorithmDescriptor(id: "one-label", summary: "test", paper: "test", parameters: [],
                                                    feedbackModes: [.sampled], stochasticModes: [.sampled])
        init(parameters: ParameterValues) throws {}
        func run(_ run: RunContext) throws {
            try run.report(iteration: 0, policy: run.reference)
            for t in 0..<run.iterations {
                _ = try run.oracle.compare(context: 0, 0, 1)
                try run.report(iteration: t + 1, policy: run.reference)
            }
        }
    }

    /// Reports μ at 0 and 1, then fails.
    struct FailsAtTwo: Algorithm {
        static let descriptor = AlgorithmDescriptor(id: "fails", summary: "test", paper: "test", parameters: [],
                                                    feedbackModes: [.sampled], stochasticModes: [])
        init(parameters: ParameterValues) throws {}
        func run(_ run: RunContext) throws {
            try run.report(iteration: 0, policy: run.reference)
            _ = try run.oracle.compare(context: 0, 0, 1)
            try run.report(iteration: 1, policy: run.reference)
            throw AlignmentCoreError.numericalFailure(iteration: 2, reason: "on purpose")
        }
    }

    static func problem() throws -> Problem {
        try Problem(preferences: [PreferenceMatrix(rows: [[0.5, 0.7], [0.3, 0.5]])],
                    reference: .uniform(contexts: 1, actions: 2), isTransitive: true)
    }

    /// Budget 3, 10 iterations, record every 4: iterations 1–3 draw a label each, the 4th draw is
    /// refused; recorded are 0 (first) and 3 (flushed last policy), not 4 or 8.
    @Test func anExhaustedBudgetEndsTheRunWithItsLastPolicyRecorded() throws {
        var recorded: [Int] = []
        let context = RunDriver.context(problem: try Self.problem(), mode: .sampled, queryBudget: 3, labelNoise: 0,
                                        seed: 11, iterations: 10, recordEvery: 4) { recorded.append($0.iteration) }
        let endedByBudget = try RunDriver.run(OneLabelPerIteration(parameters: ParameterValues([:])), in: context)
        #expect(endedByBudget)
        #expect(recorded == [0, 3])
        #expect(context.last?.iteration == 3 && context.oracle.queries == 3)
    }

    @Test func withoutABudgetTheRunEndsNormally() throws {
        var recorded: [Int] = []
        let context = RunDriver.context(problem: try Self.problem(), mode: .sampled, queryBudget: nil, labelNoise: 0,
                                        seed: 11, iterations: 10, recordEvery: 4) { recorded.append($0.iteration) }
        #expect(try RunDriver.run(OneLabelPerIteration(parameters: ParameterValues([:])), in: context) == false)
        #expect(recorded == [0, 4, 8, 10])
        #expect(context.oracle.queries == 10)
    }

    @Test func otherErrorsPropagateAndTheContextKeepsTheProgress() throws {
        let context = RunDriver.context(problem: try Self.problem(), mode: .sampled, queryBudget: nil, labelNoise: 0,
                                        seed: 11, iterations: 10, recordEvery: 4) { _ in }
        #expect(throws: AlignmentCoreError.self) { try RunDriver.run(FailsAtTwo(parameters: ParameterValues([:])), in: context) }
        #expect(context.last?.iteration == 1 && context.oracle.queries == 1)
    }

    /// The oracle draws from the run seed's "oracle" child: its first labels equal those of an
    /// oracle built on `RandomSource(seed: 11).child("oracle")` directly.
    @Test func theOracleUsesTheRunSeedsOracleStream() throws {
        let problem = try Self.problem()
        let context = RunDriver.context(problem: problem, mode: .sampled, queryBudget: nil, labelNoise: 0,
                                        seed: 11, iterations: 1, recordEvery: 1) { _ in }
        let direct = FeedbackOracle(problem: problem, mode: .sampled, queryBudget: nil, labelNoise: 0,
                                    rng: RandomSource(seed: 11).child("oracle"))
        let a = try (0..<64).map { _ in try context.oracle.compare(context: 0, 0, 1) }
        let b = try (0..<64).map { _ in try direct.compare(context: 0, 0, 1) }
        #expect(a == b)
        #expect(context.rng.seed == RandomSource(seed: 11).child("algorithm").seed)
    }
}
