import AlignmentCore
import Foundation

/// COMAL, the Convergent Meta Alignment Algorithm (Liu, Oikonomou, Zheng, Cai & Cohan 2024, "COMAL:
/// A Convergent Meta-Algorithm for Aligning LLMs with General Preferences", arXiv 2410.23223): the
/// proximal point method on the original preference game.
///
/// Outer step k, from π^0 = μ: π^{k+1} is the Nash equilibrium of the game regularized toward the
/// previous outer iterate,
///
///     π^{k+1} = argmax_π min_π′ [ πᵀPπ′ − τ KL(π‖π^k) + τ KL(π′‖π^k) ],   i.e. π^{k+1} ∝ π^k exp(P π^{k+1} / τ),
///
/// the conceptual prox method of Nemirovski 2004 with a KL prox term. Each prox step is monotone in
/// KL to every Nash equilibrium, so the outer iterates — and, with accurate inner solutions, the last
/// iterate — converge to a Nash equilibrium of the original game, not to π*_τ (COMAL's convergence
/// theorem). τ is a proximal strength, not a bias toward μ: the plugin does not declare the
/// regularization role, and a run's τ-metrics are measured at the spec's top-level `tau` only.
///
/// Choices (the paper leaves the inner solver and its length open): each prox step is solved
/// approximately by K = `inner_steps` iterations of a last-iterate-convergent solver of the
/// regularized game, started at the reference r = π^k (per context, step η):
///
/// - `mirror-descent` (default; the paper instantiates the prox step with INPO, arXiv 2407.00617,
///   whose population update is this online-mirror-descent step): π ← π^{1−ητ} r^{ητ} exp(η P π);
/// - `mmd` (Sokota et al. 2023, eq. (4)): π ← [π r^{ητ} exp(η P π)]^{1/(1+ητ)} — COMAL with this
///   inner solver is MPO (`mpo` with `reset_every` = K), update for update;
/// - `extragradient` (mirror prox, Nemirovski 2004): π_½ ∝ c·exp(ηPπ), π ← c·exp(ηPπ_½) with
///   c = π^{1−ητ} r^{ητ} (two evaluations of P·π per iteration).
///
/// One iteration of the run is one inner step; the reference moves to the current iterate at
/// iterations 0, K, 2K, …, so iteration K·k ends outer step k. P·π is exact (exact feedback) or
/// estimated from `samples` labels per response and evaluation against opponents drawn from π
/// (sampled feedback; every label counts).
public struct COMALAlgorithm: Algorithm {
    /// The inner solver of the regularized game.
    public enum InnerSolver: String, Sendable, CaseIterable {
        /// Online mirror descent (INPO's population update).
        case mirrorDescent = "mirror-descent"
        /// Magnetic mirror descent.
        case mmd
        /// Entropic extragradient (mirror prox).
        case extragradient
    }

    /// The plugin's description: id, parameters with defaults and ranges, feedback modes, paper.
    public static let descriptor = AlgorithmDescriptor(
        id: "comal",
        summary: "proximal point on the original game: each outer step solves the game regularized toward the previous outer iterate (converges to the unregularized Nash equilibrium)",
        paper: "Liu et al. 2024, COMAL: A Convergent Meta-Algorithm for Aligning LLMs with General Preferences (arXiv 2410.23223); Nemirovski 2004 (conceptual prox method)",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(1),
                          doc: "inner step size η (η·τ ≤ 1 for mirror-descent and extragradient)"),
            ParameterSpec("tau", .real(.positive), default: .number(0.05),
                          doc: "proximal strength τ toward the previous outer iterate (not toward μ: the target is the unregularized Nash equilibrium)"),
            ParameterSpec("inner", .choice(InnerSolver.allCases.map(\.rawValue)), default: .string("mirror-descent"),
                          doc: "solver of each regularized game: mirror-descent (INPO's update), mmd (= mpo) or extragradient"),
            ParameterSpec("inner_steps", .integer(1...1_000_000), default: .number(100),
                          doc: "K: inner iterations per outer (prox) step; the reference moves to the current policy at iterations 0, K, 2K, …"),
            ParameterSpec("samples", .integer(1...100_000), default: .number(1),
                          doc: "sampled feedback: labels per response and evaluation estimating P(y ≻ π) (extragradient evaluates twice per iteration)"),
        ],
        feedbackModes: [.exact, .sampled],
        stochasticModes: [.sampled])

    /// η.
    public let eta: Double
    /// τ.
    public let tau: Double
    /// The inner solver.
    public let inner: InnerSolver
    /// K.
    public let innerSteps: Int
    /// Labels per response and evaluation in sampled feedback.
    public let samples: Int

    /// Creates the algorithm from validated hyperparameters.
    /// - Throws: `AlignmentCoreError.invalidParameter` when η·τ > 1 with the mirror-descent or
    ///   extragradient inner solver (negative exponent of π in the prox centre).
    public init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        inner = InnerSolver(rawValue: parameters.string("inner")) ?? .mirrorDescent
        innerSteps = parameters.int("inner_steps")
        samples = parameters.int("samples")
        if inner != .mmd && eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(
                name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 with inner \"\(inner.rawValue)\" (the exponent 1 − ητ of π); inner \"mmd\" allows any η")
        }
    }

    /// Runs COMAL from π^0 = μ, in buffers allocated once per run (`Scratch`): π^{t+1} overwrites
    /// π^t and a new reference copies π^t into its own rows, so an exact-feedback iteration
    /// allocates nothing.
    /// - Throws: `budgetExhausted` when labels run out; `numericalFailure` on NaN.
    /// - Complexity: O(n²) per context and iteration (twice for extragradient), plus O(n²·samples)
    ///   per evaluation in sampled feedback.
    public func run(_ run: RunContext) throws {
        var logPi = run.reference.logProbabilities
        var logRef = logPi
        var scratch = Scratch(actions: run.actions)
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            if t % innerSteps == 0 {
                // The reference's own rows take π_t's values (assigning a row would share its storage, and
                // the next step's write into π would copy it).
                for x in 0..<run.contexts {
                    logRef[x].withUnsafeMutableBufferPointer { to in
                        logPi[x].withUnsafeBufferPointer { from in
                            for y in 0..<to.count { to[y] = from[y] }
                        }
                    }
                }
            }
            for x in 0..<run.contexts {
                try innerStep(&logPi[x], reference: logRef[x], context: x, run: run, scratch: &scratch)
            }
            try run.report(iteration: t + 1, logits: logPi)
        }
    }

    /// The inner solver's buffers of n: π's probabilities, P π, the prox centre and the
    /// extragradient half step.
    struct Scratch {
        var pi, v, centre, half: [Double]

        init(actions n: Int) {
            pi = [Double](repeating: 0, count: n)
            v = pi
            centre = pi
            half = pi
        }
    }

    /// One step of the inner solver on the game regularized toward `reference`, in log space, in
    /// place.
    /// - Throws: `budgetExhausted` when labels run out.
    func innerStep(_ logPi: inout [Double], reference logRef: [Double], context x: Int, run: RunContext,
                   scratch s: inout Scratch) throws {
        let w = eta * tau
        try preference(against: logPi, context: x, run: run, scratch: &s)
        switch inner {
        case .mirrorDescent:
            LogSpace.geometricMixture(logPi, logRef, weight: w, into: &s.centre)
            LogSpace.step(from: s.centre, along: s.v, by: eta, into: &logPi)
        case .mmd:
            LogSpace.magneticStep(&logPi, magnet: logRef, along: s.v, by: eta, weight: w)
        case .extragradient:
            LogSpace.geometricMixture(logPi, logRef, weight: w, into: &s.centre)
            LogSpace.step(from: s.centre, along: s.v, by: eta, into: &s.half)
            try preference(against: s.half, context: x, run: run, scratch: &s)
            LogSpace.step(from: s.centre, along: s.v, by: eta, into: &logPi)
        }
    }

    /// P(y ≻ π) for every y, exact or from `samples` labels per response, into `s.v` (π's
    /// probabilities into `s.pi`).
    func preference(against logPi: [Double], context x: Int, run: RunContext, scratch s: inout Scratch) throws {
        LogSpace.exponentials(logPi, into: &s.pi)
        try run.oracle.preferenceVector(context: x, against: s.pi, labelsPerResponse: samples, rng: run.rng, into: &s.v)
    }
}
