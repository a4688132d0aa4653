import AlignmentCore
import Foundation

/// Nash Mirror Descent (Munos et al. 2023, "Nash Learning from Human Feedback", §5).
///
/// Geometric mixture π^μ_t ∝ π_t^{1−ητ} μ^{ητ}, then π_{t+1} ∝ π^μ_t · exp(η P(· ≻ π^μ_t)).
/// With η_t = 2/(τ(t+2)), KL(π*_τ‖π_T) ≤ 8/(τ²(T+1)) (Theorem 1).
public struct NashMDAlgorithm: Algorithm {
    public static let descriptor = AlgorithmDescriptor(
        id: "nash-md",
        summary: "Nash mirror descent against the geometric mixture of π and μ",
        paper: "Munos et al. 2023, Nash Learning from Human Feedback, §5 (Nash-MD) and Theorem 1",
        parameters: [
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), doc: "KL regularization τ toward μ"),
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "constant step size η (schedule = constant)"),
            ParameterSpec("schedule", .choice(["constant", "theory"]), default: .string("constant"),
                          doc: "constant η, or η_t = 2/(τ(t+2)) of Theorem 1"),
        ],
        feedbackModes: [.exact],
        stochasticModes: [])

    /// τ.
    public let tau: Double
    /// Constant η.
    public let eta: Double
    /// Whether η_t = 2/(τ(t+2)).
    public let theorySchedule: Bool

    public init(parameters: ParameterValues) throws {
        tau = parameters.double("tau")
        eta = parameters.double("eta")
        theorySchedule = parameters.string("schedule") == "theory"
        if theorySchedule && tau == 0 {
            throw AlignmentCoreError.invalidParameter(name: "schedule", reason: "\"theory\" needs tau > 0")
        }
        if !theorySchedule && eta * tau > 1 {
            throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ = \(eta * tau) must be ≤ 1 for the geometric mixture")
        }
    }

    /// Step size at iteration t (0-based).
    public func stepSize(at t: Int) -> Double {
        theorySchedule ? 2 / (tau * Double(t + 2)) : eta
    }

    public func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var logPi = logMu
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            let eta = stepSize(at: t)
            let w = eta * tau
            for x in 0..<run.contexts {
                let mixture = LogSpace.normalize(zip(logPi[x], logMu[x]).map { (1 - w) * $0 + w * $1 })
                let v = try run.oracle.preferenceAgainst(context: x, mixture.map { exp($0) })
                logPi[x] = LogSpace.normalize(zip(mixture, v).map { $0 + eta * $1 })
            }
            try run.report(iteration: t + 1, policy: Policy(logits: logPi))
        }
    }
}
