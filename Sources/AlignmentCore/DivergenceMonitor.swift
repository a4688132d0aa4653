import Foundation

/// Detects a diverging run from the policies it reports, long before a logit overflows.
///
/// A step size above the stability limit of a gradient method (for SGD on a quadratic loss with
/// largest curvature λ, any η > 2/λ) multiplies the unstable error component by |1 − ηλ| > 1 at
/// every step: the logits grow geometrically, the policy becomes pure within a few dozen steps and
/// then stays pure while the logits climb towards 1e308. Such a run must be reported as failed,
/// not as a converged pure policy. The monitor watches the **log-ratio spread**
///
///     D(π) = max_x [ max_y ρ_x(y) − min_y ρ_x(y) ],   ρ_x(y) = log π(y|x) − log μ(y|x),
///
/// over the responses where both log-probabilities are finite (a response outside μ's or π's
/// support is ignored), and declares divergence at the first report where either
///
/// - **geometric growth**: D ≥ `spreadFloor` (10⁴ nats), D at least doubled (`growthFactor`)
///   over the last `window` (10) reports — an average growth of at least 2^{1/10} ≈ 7.2 % per
///   report — and it accelerated: its increase was positive and grew by at least 1 %
///   (`acceleration`) from each report to the next. A geometric sequence A·rᵗ has increases that
///   grow by the factor r; a linear ramp has constant increases and never qualifies; or
/// - **beyond representation**: D > `spreadCeiling` = 2⁵² ≈ 4.5·10¹⁵ nats, where a logit's unit in
///   the last place is ≥ 1, so a step of less than one nat no longer changes the iterate.
///
/// Why these do not flag a well-behaved run: every KL-regularised optimum π ∝ μ·exp(f/τ) with f in
/// [0, 1] has D ≤ 1/τ, and a method whose per-iteration logit change is bounded (a bounded
/// gradient times a fixed step: Hedge, mirror descent, SPPO, Adam) grows D at most linearly: a
/// steady ramp never accelerates, and doubling over 10 reports past 10⁴ nats needs a step of at
/// least 500 nats per iteration anyway. (Huge steps on a cycling game — SPPO with η = 10⁶ — can
/// still mimic 10 reports of accelerating growth; such a run is pure in double precision.) A
/// policy with D ≥ 10⁴ assigns its least likely supported response a probability e^{−10⁴} times
/// smaller than its most likely one, 13 times below the smallest positive double, so nothing
/// measurable is lost by stopping there.
///
/// Used by `RunContext.report` for every plugin, so every current and future plugin is covered.
public struct DivergenceMonitor: Sendable {
    /// Spread (nats) above which sustained growth counts as divergence: 10⁴.
    public static let spreadFloor = 1e4
    /// Reports over which growth must be sustained: 10.
    public static let window = 10
    /// Minimum growth factor of the spread over `window` reports: 2.
    public static let growthFactor = 2.0
    /// Minimum growth of the spread's increase from one report to the next: 1.01 (1 %, far above
    /// the relative rounding noise of a linear ramp, far below the factor r ≥ 2^{1/10} of a
    /// geometric sequence that doubles in 10 reports).
    public static let acceleration = 1.01
    /// Spread (nats) beyond which the iterate no longer represents the algorithm: 2⁵².
    public static let spreadCeiling = 0x1p52

    /// Spreads of the last `window + 1` distinct reported iterations, oldest first.
    private var history: [Double] = []
    private var lastIteration: Int?

    /// Creates a monitor with no history.
    public init() {}

    /// The log-ratio spread D(π) = max_x [max_y ρ_x(y) − min_y ρ_x(y)] with ρ = log π − log μ over
    /// responses where both are finite (0 when a context has fewer than two such responses).
    /// - Precondition: `policy` and `reference` have the same shape.
    /// - Complexity: O(contexts · actions).
    public static func logRatioSpread(_ policy: Policy, reference: Policy) -> Double {
        precondition(policy.contexts == reference.contexts && policy.actions == reference.actions, "shapes differ")
        var spread = 0.0
        for x in 0..<policy.contexts {
            var lo = Double.infinity, hi = -Double.infinity
            for (p, m) in zip(policy.logProbabilities[x], reference.logProbabilities[x]) where p.isFinite && m.isFinite {
                let r = p - m
                lo = min(lo, r)
                hi = max(hi, r)
            }
            if hi >= lo { spread = max(spread, hi - lo) }
        }
        return spread
    }

    /// Records the policy reported after `iteration` iterations and checks for divergence. A
    /// repeated iteration replaces the previous observation of that iteration.
    /// - Parameters:
    ///   - iteration: the reported iteration (non-decreasing).
    ///   - policy: the reported policy (a distribution).
    ///   - reference: μ.
    /// - Throws: `AlignmentCoreError.numericalFailure` at `iteration` with a reason starting
    ///   "diverging:" when one of the two rules above fires.
    public mutating func observe(iteration: Int, policy: Policy, reference: Policy) throws {
        let d = Self.logRatioSpread(policy, reference: reference)
        if lastIteration == iteration, !history.isEmpty { history.removeLast() }
        lastIteration = iteration
        history.append(d)
        if history.count > Self.window + 1 { history.removeFirst(history.count - Self.window - 1) }
        if d > Self.spreadCeiling {
            throw AlignmentCoreError.numericalFailure(
                iteration: iteration,
                reason: "diverging: log π/μ spans \(Self.format(d)) nats, beyond 2^52 where a logit step below one nat is lost to rounding")
        }
        guard d >= Self.spreadFloor, history.count == Self.window + 1, let first = history.first,
              d >= Self.growthFactor * first else { return }
        let increases = zip(history, history.dropFirst()).map { $0.1 - $0.0 }
        guard increases[0] > 0,
              zip(increases, increases.dropFirst()).allSatisfy({ $0.1 >= Self.acceleration * $0.0 }) else { return }
        throw AlignmentCoreError.numericalFailure(
            iteration: iteration,
            reason: "diverging: log π/μ spans \(Self.format(d)) nats after growing from \(Self.format(first)) with accelerating "
                + "increases over the last \(Self.window) reports (geometric blow-up; the step size is too large for the loss's curvature)")
    }

    private static func format(_ v: Double) -> String { String(format: "%.3g", v) }
}
