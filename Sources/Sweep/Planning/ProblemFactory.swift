import AlignmentCore
import StableFloor

/// Builds the `Problem` a run is measured against: the environment's ground truth plus the
/// reference μ (environment override, else the environment's own μ, else the spec's default).
public enum ProblemFactory {
    /// The ground truth of an environment for a replicate.
    /// - Throws: whatever the environment throws.
    static func groundTruth(_ env: EnvironmentSetup, specSeed: UInt64, replicate: Int) throws -> GroundTruth {
        switch env.seed {
        case let .fixed(s):
            if let gt = env.fixedGroundTruth { return gt }
            return try env.environment.groundTruth(contexts: env.contexts, seed: s)
        case .perRun:
            return try env.environment.groundTruth(
                contexts: env.contexts, seed: SeedDerivation.perRunEnvironment(specSeed: specSeed, id: env.id, replicate: replicate))
        }
    }

    /// The problem for a ground truth.
    /// - Throws: `AlignmentCoreError.invalidPolicy`/`.invalidProblem` when μ does not fit.
    static func problem(_ env: EnvironmentSetup, groundTruth gt: GroundTruth, defaultReference: ReferenceSpec,
                        specSeed: UInt64) throws -> Problem {
        let contexts = gt.preferences.count
        let actions = gt.preferences.first?.size ?? 0
        let mu: Policy
        if let own = env.reference {
            mu = try own.policy(defaultSeed: SeedDerivation.reference(specSeed: specSeed, environment: env.id)).make(contexts: contexts, actions: actions)
        } else if let prescribed = gt.reference {
            mu = prescribed
        } else {
            mu = try defaultReference.policy(defaultSeed: SeedDerivation.reference(specSeed: specSeed, environment: env.id))
                .make(contexts: contexts, actions: actions)
        }
        return try Problem(preferences: gt.preferences, reference: mu, trueReward: gt.trueReward,
                           isTransitive: gt.isTransitive, contextWeights: gt.contextWeights)
    }

    /// The problem of an environment for a replicate, exactly as the sweep measures that replicate's
    /// runs (`bench env` and the analysis tables use it too).
    /// - Throws: environment or reference errors.
    public static func problem(_ env: EnvironmentSetup, spec: ExperimentSpec, replicate: Int) throws -> Problem {
        try problem(env, groundTruth: groundTruth(env, specSeed: spec.seed, replicate: replicate),
                    defaultReference: spec.reference, specSeed: spec.seed)
    }
}
