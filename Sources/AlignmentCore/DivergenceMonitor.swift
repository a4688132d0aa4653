import Foundation

/// Detects a diverging run from the policies it reports, long before a logit overflows.
///
/// A step size above the stability limit of a gradient method (for SGD on a quadratic loss with
/// largest curvature λ, any η > 2/λ) multiplies the unstable error component by |1 − ηλ| > 1 at
/// every step: the logits grow geometrically — by as little as 0.3 % per step just above the
/// limit — the policy becomes pure and then stays pure while the logits climb towards 1e308. Such
/// a run must be reported as failed, not as a converged pure policy. The monitor watches the
/// **log-ratio spread**
///
///     D(π) = max_x [ max_y ρ_x(y) − min_y ρ_x(y) ],   ρ_x(y) = log π(y|x) − log μ(y|x),
///
/// over the responses where both log-probabilities are finite (a response outside μ's or π's
/// support is ignored), and declares divergence at the first report where either
///
/// - **geometric growth**: the **doubling times** of D are constant. From `spreadFloor` (8 nats)
///   on, the monitor records, at each report where D first reaches a new level 2ᵏ·8, the time the
///   level was crossed (log-linear interpolation between this report and the previous one:
///   t* = t₀ + (t₁ − t₀)·(k − L₀)/(L₁ − L₀) with L = log₂(D/8)), and the time per doubling
///   between consecutive such records, Δt*/Δk. It fires when each of the last `ratioChecks` (3)
///   times per doubling is at most `maximumRatio` (1.15) times the one before. A geometric
///   sequence A·rᵗ has the constant doubling time ln 2/ln r (ratio 1); a power c·tᵖ has
///   doubling times growing by 2^{1/p} (2 for a linear ramp, 1.41 quadratic, 1.26 cubic, 1.19 for
///   t⁴), and a converging sequence has doubling times growing without bound. Only one record is
///   made per report, so every time per doubling compares two different reports: a single jump
///   across many levels is one record, not evidence of a constant rate; or
/// - **beyond representation**: D > `spreadCeiling` = 2⁵² ≈ 4.5·10¹⁵ nats, where a logit's unit in
///   the last place is ≥ 1, so a step of less than one nat no longer changes the iterate.
///
/// A D below the floor discards the records. Geometric growth is caught after 5 records, at
/// D ≈ 2⁴·8 = 128 nats for growth of less than one doubling per report (π's least likely
/// response e^{−128} ≈ 10⁻⁵⁶ times its most likely one, still far from pure in double
/// precision, where e^{−745} underflows).
///
/// Why it does not flag a well-behaved run: every KL-regularised optimum π ∝ μ·exp(f/τ) with f
/// in [0, 1] has D ≤ 1/τ, approached like D*(1 − qᵗ) (doubling times growing, then infinite); a
/// method whose per-iteration logit change is bounded (a bounded gradient times a fixed step:
/// Hedge, mirror descent, SPPO, Adam) grows D at most linearly; DPO on deterministic preferences
/// grows it like log t.
///
/// Used by `RunContext.report` for every plugin, so every current and future plugin is covered.
/// - Complexity: O(contexts · actions) per report for D, O(1) for the rule.
public struct DivergenceMonitor: Sendable {
    /// Spread (nats) from which doubling times are recorded: 8.
    public static let spreadFloor = 8.0
    /// Number of consecutive ratios of times per doubling that must be small: 3 (5 records).
    public static let ratioChecks = 3
    /// Largest ratio of consecutive times per doubling that counts as constant: 1.15 (geometric
    /// growth has 1; a power tᵖ has 2^{1/p} > 1.15 for every p < 4.9).
    public static let maximumRatio = 1.15
    /// Spread (nats) beyond which the iterate no longer represents the algorithm: 2⁵².
    public static let spreadCeiling = 0x1p52

    /// The rule's state after a report (a value, so a repeated iteration can restore the state
    /// before its first observation).
    private struct State: Sendable {
        /// log₂(D/floor) and iteration of the previous report (nil before the first).
        var previous: (level: Double, iteration: Int)?
        /// Highest whole level reached since D last was below the floor (nil: below the floor).
        var highest: Int?
        /// The last `ratioChecks + 2` records (interpolated crossing time, level), oldest first.
        var records: [(time: Double, level: Int)] = []
    }

    private var state = State()
    private var stateBeforeLast = State()
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
    /// - Complexity: O(contexts · actions).
    public mutating func observe(iteration: Int, policy: Policy, reference: Policy) throws {
        try observe(iteration: iteration, spread: Self.logRatioSpread(policy, reference: reference))
    }

    /// Records the log-ratio spread `d` of the policy reported after `iteration` iterations and
    /// checks for divergence (see `observe(iteration:policy:reference:)`).
    /// - Throws: `AlignmentCoreError.numericalFailure` when a rule fires.
    /// - Complexity: O(1).
    public mutating func observe(iteration: Int, spread d: Double) throws {
        if lastIteration == iteration { state = stateBeforeLast }
        stateBeforeLast = state
        lastIteration = iteration
        if d > Self.spreadCeiling {
            throw AlignmentCoreError.numericalFailure(
                iteration: iteration,
                reason: "diverging: log π/μ spans \(Self.format(d)) nats, beyond 2^52 where a logit step below one nat is lost to rounding")
        }
        let level = d > 0 ? log2(d / Self.spreadFloor) : -Double.infinity
        defer { state.previous = (level, iteration) }
        guard level >= 0 else {
            state.highest = nil
            state.records.removeAll()
            return
        }
        let k = Int(level.rounded(.down))
        if let highest = state.highest, k <= highest { return }
        state.highest = k
        var time = Double(iteration)
        if let previous = state.previous, previous.level.isFinite, previous.level < Double(k), previous.iteration < iteration {
            time = Double(previous.iteration)
                + Double(iteration - previous.iteration) * (Double(k) - previous.level) / (level - previous.level)
        }
        state.records.append((time, k))
        if state.records.count > Self.ratioChecks + 2 { state.records.removeFirst() }
        guard state.records.count == Self.ratioChecks + 2 else { return }
        let doublingTimes = zip(state.records, state.records.dropFirst()).map { ($0.1.time - $0.0.time) / Double($0.1.level - $0.0.level) }
        guard zip(doublingTimes, doublingTimes.dropFirst()).allSatisfy({ $0.1 <= Self.maximumRatio * $0.0 }) else { return }
        let last = doublingTimes[doublingTimes.count - 1]
        throw AlignmentCoreError.numericalFailure(
            iteration: iteration,
            reason: "diverging: log π/μ spans \(Self.format(d)) nats and has doubled every \(Self.format(last)) iterations "
                + "since \(Self.format(Self.spreadFloor * pow(2, Double(state.records[0].level)))) nats (geometric blow-up; "
                + "the step size is too large for the loss's curvature)")
    }

    private static func format(_ v: Double) -> String { String(format: "%.3g", v) }
}
