/// When two observations count as equal: the rule every statistic of this module applies before
/// it can divide by a spread, so that samples equal up to rounding carry no evidence of a
/// difference (no t = ±∞ for means one ulp apart, no zero-width CI from rounding noise, no
/// "certain" improvement between values that differ in the last bit).
///
/// x ≈ y  ⇔  |x − y| ≤ ε · max(|x|, |y|, 1),   ε = `relative` (default 1e-12).
///
/// Why ε = 1e-12 with the floor 1: the benchmark's metrics are probabilities, win rates, KL
/// divergences and duality gaps built from O(1) quantities (P, π, μ ∈ [0, 1]); their rounding
/// error is absolute, about k·2⁻⁵³ ≈ 1e-16·k for sums of k terms, i.e. ≤ 1e-12 for the ≤ 10⁴ terms
/// of any metric, and the harness's reference solutions (π*_τ, Nash) are only accepted to a gap of
/// 1e-12. Differences below 1e-12 relative to the values (or absolute below 1e-12 for values
/// smaller than 1) are below what the harness can measure.
public struct ValueTolerance: Sendable, Equatable {
    /// ε, the relative tolerance (applied to max(|x|, |y|, 1)).
    public var relative: Double

    /// Creates a tolerance.
    /// - Precondition: `relative` ≥ 0 and finite.
    public init(relative: Double) {
        precondition(relative >= 0 && relative.isFinite, "the tolerance must be a finite number ≥ 0")
        self.relative = relative
    }

    /// ε = 1e-12 (see the type's documentation).
    public static let standard = ValueTolerance(relative: 1e-12)
    /// ε = 0: exact comparison (the behaviour of the textbook formulas).
    public static let exact = ValueTolerance(relative: 0)

    /// Whether x ≈ y: |x − y| ≤ ε · max(|x|, |y|, 1).
    public func equal(_ x: Double, _ y: Double) -> Bool {
        abs(x - y) <= relative * Swift.max(abs(x), abs(y), 1)
    }

    /// Whether x ≈ y when both stand for changes of quantities of size up to `magnitude` (e.g. two
    /// differences bᵢ − aᵢ of observations): |x − y| ≤ ε · max(magnitude, 1). A difference is
    /// rounded on the scale of the values it was taken from, not on its own scale.
    public func equal(_ x: Double, _ y: Double, magnitude: Double) -> Bool {
        abs(x - y) <= relative * Swift.max(magnitude, 1)
    }

    /// Whether every value of a non-empty sample is ≈ every other: max − min ≤ ε · max(max|v|, 1).
    /// - Complexity: O(n).
    public func isConstant(_ values: [Double]) -> Bool {
        guard let lo = values.min(), let hi = values.max() else { return true }
        return equal(lo, hi)
    }
}
