import AlignmentCore
import Environments

extension Harness {
    /// A problem from an environment's ground truth with a reference policy μ; keeps only the
    /// preferences and transitivity (no true reward, uniform context weights).
    /// - Parameters:
    ///   - environment: the environment.
    ///   - contexts: number of contexts.
    ///   - seed: the ground-truth seed.
    ///   - reference: how μ is built.
    /// - Throws: environment or problem validation errors.
    public static func problem(_ environment: some Environment, contexts: Int = 1, seed: UInt64 = 7,
                               reference: ReferencePolicy) throws -> Problem {
        let truth = try environment.groundTruth(contexts: contexts, seed: seed)
        let n = truth.preferences[0].size
        return try Problem(preferences: truth.preferences, reference: reference.make(contexts: contexts, actions: n),
                           isTransitive: truth.isTransitive)
    }

    /// Rock–paper–scissors (the `cyclic` environment, strength 1) with the given μ.
    /// - Parameter mu: the reference probabilities (three entries).
    /// - Throws: problem validation errors.
    public static func rps(mu: [Double]) throws -> Problem {
        try problem(CyclicEnvironment.make([:]), reference: .given([mu]))
    }

    /// A `random` game with `n` actions and a softmax-normal μ (scale 1, seed `seed + 1`).
    /// - Parameters:
    ///   - n: number of actions.
    ///   - seed: the ground-truth seed.
    ///   - contexts: number of contexts.
    /// - Throws: environment or problem validation errors.
    public static func random(actions n: Int, seed: UInt64 = 7, contexts: Int = 1) throws -> Problem {
        try problem(RandomEnvironment.make(["actions": .number(Double(n))]), contexts: contexts, seed: seed,
                    reference: .softmaxNormal(scale: 1, seed: seed &+ 1))
    }

    /// A Bradley–Terry problem with the given rewards and μ, P(y ≻ y′) = σ(r(y) − r(y′)), with its
    /// true reward kept (ground-truth seed 1).
    /// - Parameters:
    ///   - rewards: the reward of each action (the same in every context).
    ///   - mu: the reference probabilities (one row, used for every context).
    ///   - contexts: number of contexts.
    /// - Throws: environment or problem validation errors.
    public static func bradleyTerry(rewards: [Double], mu: [Double], contexts: Int = 1) throws -> Problem {
        let env = try BradleyTerryEnvironment.make(["rewards": .array(rewards.map { .number($0) })])
        let truth = try env.groundTruth(contexts: contexts, seed: 1)
        return try Problem(preferences: truth.preferences,
                           reference: ReferencePolicy.given([mu]).make(contexts: contexts, actions: rewards.count),
                           trueReward: truth.trueReward, isTransitive: true)
    }

    /// A Bradley–Terry problem with rewards drawn per context (N(0, 1)), a softmax-normal μ (scale 1,
    /// seed `seed + 1`) and unequal context weights w_x ∝ x + 1.
    /// - Parameters:
    ///   - contexts: number of contexts.
    ///   - actions: number of actions.
    ///   - seed: the ground-truth seed.
    /// - Throws: environment or problem validation errors.
    public static func multiContext(contexts: Int, actions: Int, seed: UInt64) throws -> Problem {
        let env = try BradleyTerryEnvironment.make(["actions": .number(Double(actions))])
        let truth = try env.groundTruth(contexts: contexts, seed: seed)
        let weights = (0..<contexts).map { Double($0 + 1) }
        return try Problem(preferences: truth.preferences,
                           reference: ReferencePolicy.softmaxNormal(scale: 1, seed: seed &+ 1)
                               .make(contexts: contexts, actions: actions),
                           trueReward: truth.trueReward, isTransitive: true, contextWeights: weights)
    }

    /// The KL-regularised optimum π*(y|x) = μ(y|x)·exp(r(x, y)/β)/Z(x) of every context
    /// (Rafailov et al., "Direct Preference Optimization", 2023, eq. 4).
    /// - Parameters:
    ///   - problem: a problem with a true reward.
    ///   - beta: the KL coefficient β > 0.
    /// - Precondition: `problem.trueReward` is not nil.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when the logits are not finite.
    public static func regularisedOptimum(_ problem: Problem, beta: Double) throws -> Policy {
        guard let reward = problem.trueReward else { preconditionFailure("the problem has no true reward") }
        return try Policy(logits: (0..<problem.contexts).map { x in
            zip(problem.reference.logProbabilities[x], reward[x]).map { $0 + $1 / beta }
        })
    }
}
