import AlgorithmCatalog
import AlgorithmTestSupport
import AlignmentCore
import Environments
import Foundation

/// A catalogue plugin run driven the way the harness does — one oracle and one generator per run,
/// both derived from the run seed; an exhausted query budget ends the run normally; the last
/// reported policy is always recorded (AlgorithmTestSupport's `Harness.drive`).
typealias ConformanceRun = DrivenRun

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
        return try Harness.drive(algorithm, on: problem, mode: mode, labelNoise: labelNoise, iterations: iterations,
                                 recordEvery: recordEvery, budget: budget, seed: seed)
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
