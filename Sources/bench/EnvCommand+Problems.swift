import AlignmentCore
import Foundation
import Sweep

/// The problems of a spec's environments, as the sweep measures runs against them.
///
/// Mirrors the sweep's problem construction (Sweep's internal `ProblemFactory`): a `.fixed`
/// environment uses its ground truth built at validation; a `.perRun` one is drawn for replicate 0
/// with seed SplitMix64(spec seed ⊕ FNV-1a("environment|<id>|replicate=0")); μ is the environment's
/// own `reference`, else the one the environment prescribes (a `matrix` file's μ), else the spec's,
/// with the default softmax-normal seed SplitMix64(spec seed ⊕ FNV-1a("reference|<id>")).
enum EnvProblems {
    /// The environment entries to show: all, or the one with `id`.
    /// - Throws: `ValidationError`-style message naming the known ids (with a did-you-mean hint).
    static func select(_ spec: ExperimentSpec, id: String?) throws -> [EnvironmentSetup] {
        guard let id else { return spec.environments }
        if let e = spec.environments.first(where: { $0.id == id }) { return [e] }
        let ids = spec.environments.map(\.id)
        let hint = Suggestion.closest(to: id, among: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw EnvCommandError("--env: \(spec.file) has no environment \"\(id)\"\(hint); its environments: \(ids.joined(separator: ", "))")
    }

    /// The problem of one environment entry (replicate 0 for per-run environments).
    /// - Throws: environment or reference errors.
    static func problem(_ spec: ExperimentSpec, _ env: EnvironmentSetup) throws -> Problem {
        let gt: GroundTruth
        switch env.seed {
        case let .fixed(s):
            gt = try env.fixedGroundTruth ?? env.environment.groundTruth(contexts: env.contexts, seed: s)
        case .perRun:
            let s = StableHash.derivedSeed(base: spec.seed, key: "environment|\(env.id)|replicate=0")
            gt = try env.environment.groundTruth(contexts: env.contexts, seed: s)
        }
        let contexts = gt.preferences.count
        let actions = gt.preferences.first?.size ?? 0
        let referenceSeed = StableHash.derivedSeed(base: spec.seed, key: "reference|" + env.id)
        let mu: Policy
        if let own = env.reference {
            mu = try own.policy(defaultSeed: referenceSeed).make(contexts: contexts, actions: actions)
        } else if let prescribed = gt.reference {
            mu = prescribed
        } else {
            mu = try spec.reference.policy(defaultSeed: referenceSeed).make(contexts: contexts, actions: actions)
        }
        return try Problem(preferences: gt.preferences, reference: mu, trueReward: gt.trueReward,
                           isTransitive: gt.isTransitive, contextWeights: gt.contextWeights)
    }
}

/// A one-line user error of `bench env`.
struct EnvCommandError: Error, CustomStringConvertible {
    /// The message.
    let description: String
    init(_ message: String) { description = message }
}
