import AlgorithmCatalog
import AlignmentCore
import Environments
import Foundation

/// Drives catalogue plugins the way the harness does — one oracle and one generator per run,
/// both derived from the run seed; an exhausted query budget ends the run normally; the last
/// reported policy is always recorded — and keeps everything the conformance checks need.
struct ConformanceRun {
    /// Recorded checkpoints, in order.
    var checkpoints: [Checkpoint]
    /// The run's context.
    var context: RunContext
    /// Whether the run ended on `budgetExhausted`.
    var endedByBudget: Bool
    /// Labels drawn.
    var queries: Int { context.oracle.queries }
}

enum ConformanceDriver {
    /// The plugin registered under `id`.
    static func plugin(_ id: String) throws -> any Algorithm.Type {
        guard let type = AlgorithmCatalog.algorithm(id: id) else {
            throw AlignmentCoreError.invalidParameter(name: "algorithm", reason: "no plugin \(id)")
        }
        return type
    }

    /// Small environments covering one and several contexts, an intransitive and a transitive
    /// preference, a non-uniform μ, and label noise.
    static func environments() throws -> [(name: String, problem: Problem, labelNoise: Double)] {
        func make(_ env: some Environment, contexts: Int, seed: UInt64) throws -> Problem {
            let truth = try env.groundTruth(contexts: contexts, seed: seed)
            let mu = try ReferencePolicy.softmaxNormal(scale: 1, seed: seed &+ 100)
                .make(contexts: contexts, actions: truth.preferences[0].size)
            return try Problem(preferences: truth.preferences, reference: mu, trueReward: truth.trueReward,
                               isTransitive: truth.isTransitive, contextWeights: truth.contextWeights)
        }
        return [
            ("cyclic", try make(CyclicEnvironment.make([:]), contexts: 1, seed: 1), 0),
            ("random", try make(RandomEnvironment.make(["actions": .number(4)]), contexts: 2, seed: 2), 0.1),
            ("bradley-terry", try make(BradleyTerryEnvironment.make(["actions": .number(4)]), contexts: 1, seed: 3), 0),
        ]
    }

    /// Runs `type` with default parameters (plus `overrides`).
    /// - Throws: any error other than `budgetExhausted` (a failed run).
    static func run(_ type: any Algorithm.Type, on problem: Problem, mode: FeedbackMode, labelNoise: Double = 0,
                    iterations: Int, recordEvery: Int, budget: Int?, seed: UInt64,
                    overrides: [String: ParameterValue] = [:]) throws -> ConformanceRun {
        let algorithm = try type.make(requiredValues(type).merging(overrides) { $1 })
        let root = RandomSource(seed: seed)
        let oracle = FeedbackOracle(problem: problem, mode: mode, queryBudget: budget, labelNoise: labelNoise,
                                    rng: root.child("oracle"))
        var checkpoints: [Checkpoint] = []
        let context = RunContext(reference: problem.reference, contextWeights: problem.contextWeights, oracle: oracle,
                                 rng: root.child("algorithm"), iterations: iterations, recordEvery: recordEvery) {
            checkpoints.append($0)
        }
        var endedByBudget = false
        do {
            try algorithm.run(context)
        } catch AlignmentCoreError.budgetExhausted {
            endedByBudget = true
        }
        // A run may end before `iterations` (on the budget, or by design); its last policy is recorded.
        try context.flushFinal()
        return ConformanceRun(checkpoints: checkpoints, context: context, endedByBudget: endedByBudget)
    }

    /// Valid values for parameters a spec must give (required, without a default).
    static func requiredValues(_ type: any Algorithm.Type) -> [String: ParameterValue] {
        var out: [String: ParameterValue] = [:]
        for spec in type.descriptor.parameters where spec.isRequired && spec.defaultValue == nil {
            if let v = ParameterProbe.validValue(for: spec.kind) { out[spec.name] = v }
        }
        return out
    }

    /// The iterations a run that reported up to `last` must have recorded: 0, every multiple of
    /// `recordEvery`, and `last`.
    static func expectedRecorded(last: Int, recordEvery: Int) -> [Int] {
        var out = Array(stride(from: 0, through: last, by: recordEvery))
        if out.last != last { out.append(last) }
        return out
    }
}
