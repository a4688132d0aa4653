import AlignmentCore
import ResultFiles
import Foundation

/// frontier.csv: the exact reward–KL frontier of every environment with a true reward
/// (the paper's figure F8; Rafailov et al. 2023, Fig. 2).
///
/// For β > 0 the KL-regularised reward maximiser is π_β(y|x) = μ(y|x)·exp(r_x(y)/β)/Z_x(β)
/// (computed in log space). By the Gibbs variational principle it maximises E_π r − β·KL(π‖μ), so
/// no policy has a higher expected reward at the same KL: the points (KL(π_β‖μ), E_{π_β} r) trace
/// the upper boundary of what any policy can reach, and the slope of the curve at π_β is β.
/// Both coordinates are averaged over contexts with the problem's weights, like the metrics
/// kl_to_reference and true_reward.
///
/// For a "per-run" environment the curve is that of replicate 0's problem (each replicate has its
/// own reward and its own frontier; the runs' means mix replicates).
public enum RewardFrontier {
    /// frontier.csv columns.
    static let header = FrontierFile.header()

    /// The β grid: `count` points log-spaced from 10^lowerExponent to 10^upperExponent,
    /// β_k = 10^(lo + (hi − lo)·k/(count − 1)); default 200 points from 1e-3 to 1e3.
    /// - Precondition: count ≥ 2 and lo < hi.
    public static func betaGrid(count: Int = 200, lowerExponent: Double = -3, upperExponent: Double = 3) -> [Double] {
        precondition(count >= 2 && lowerExponent < upperExponent, "the β grid needs ≥ 2 points and lo < hi")
        return (0..<count).map { k in pow(10, lowerExponent + (upperExponent - lowerExponent) * Double(k) / Double(count - 1)) }
    }

    /// The policy π_β ∝ μ·exp(r/β) of a problem with a true reward.
    /// - Precondition: β > 0 and the problem has a true reward.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when r/β overflows to +∞.
    public static func policy(_ problem: Problem, beta: Double) throws -> Policy {
        precondition(beta > 0, "β must be positive")
        guard let r = problem.trueReward else { preconditionFailure("the problem has no true reward") }
        let logits = (0..<problem.contexts).map { x in
            zip(problem.reference.logProbabilities[x], r[x]).map { $0 + $1 / beta }
        }
        return try Policy(logits: logits)
    }

    /// The frontier points (β, KL(π_β‖μ), E_{π_β} r) for each β, or nil without a true reward.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when r/β overflows for some β.
    public static func points(_ problem: Problem, betas: [Double] = betaGrid()) throws -> [(beta: Double, kl: Double, reward: Double)]? {
        guard problem.trueReward != nil else { return nil }
        return try betas.map { beta in
            let pi = try policy(problem, beta: beta)
            return (beta, GameMetrics.kl(problem, pi, problem.reference), GameMetrics.trueReward(problem, pi)!)
        }
    }

    /// frontier.csv text: the frontier of each environment with a true reward, in spec order
    /// (replicate 0's problem for "per-run" environments); only the header when none has one.
    /// - Throws: environment or reference errors (not expected: the spec validated).
    static func csv(_ spec: ExperimentSpec, betas: [Double] = betaGrid()) throws -> String {
        let csv = CSVWriter(header: header)
        try write(spec, betas: betas, to: csv)
        return csv.text
    }

    /// Streams frontier.csv's rows (see `csv(_:betas:)`) to `csv`.
    /// - Throws: as `csv(_:betas:)`.
    static func write(_ spec: ExperimentSpec, betas: [Double] = betaGrid(), to csv: CSVWriter) throws {
        for env in spec.environments {
            let problem = try ProblemFactory.problem(env, spec: spec, replicate: 0)
            for p in try points(problem, betas: betas) ?? [] {
                csv.append([env.id] + [p.beta, p.kl, p.reward].map(CSVWriter.cell))
            }
        }
    }
}
