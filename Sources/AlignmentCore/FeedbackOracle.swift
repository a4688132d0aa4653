import Foundation

/// How an algorithm may access the preference.
public enum FeedbackMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// The algorithm may ask for exact quantities such as P·π (and may also draw labels).
    case exact
    /// The algorithm only draws Bernoulli preference labels for pairs it chooses.
    case sampled
}

/// The run's access to the environment's preference: counts every query and enforces the budget.
///
/// In `sampled` mode only `compare` is available; every label counts against `queryBudget`.
/// In `exact` mode the exact accessors are also available; they are counted in
/// `exactEvaluations` (labels drawn in exact mode still count as queries).
///
/// Label noise ε applies in both modes: a drawn label is flipped with probability ε, and the exact
/// accessors return the law of those noisy labels, P̃ = (1 − ε)P + εPᵀ = ½ + (1 − 2ε)(P − ½)
/// (`PreferenceMatrix.withLabelNoise`), so that exact feedback is the infinite-sample limit of
/// sampled feedback with the same environment. The harness's metrics always use the true P.
/// Not `Sendable`: one oracle per run.
public final class FeedbackOracle {
    /// The feedback mode of the run.
    public let mode: FeedbackMode
    /// Maximum number of labels, or nil for unlimited.
    public let queryBudget: Int?
    /// Probability ε that a drawn label is flipped.
    public let labelNoise: Double
    // @exclusivity(unchecked): an oracle belongs to one run on one thread, and no access to
    // these counters overlaps another; the runtime's
    // exclusivity check on every access cost about 4% of a sweep recording every iteration (perf).
    /// Labels drawn so far.
    @exclusivity(unchecked) public private(set) var queries = 0
    /// Exact evaluations (P·π products or single P entries) made so far.
    @exclusivity(unchecked) public private(set) var exactEvaluations = 0

    private let preferences: [PreferenceMatrix]
    /// P̃ per context: the preferences with label noise applied (`preferences` itself when ε = 0);
    /// built on the first exact query, so sampled runs never pay for the copy.
    private lazy var noisyPreferences: [PreferenceMatrix] = preferences.map { $0.withLabelNoise(labelNoise) }
    private let rng: RandomSource

    /// Number of contexts.
    public var contexts: Int { preferences.count }
    /// Number of responses per context.
    public var actions: Int { preferences.first?.size ?? 0 }
    /// Labels still allowed, or nil for unlimited.
    public var remainingQueries: Int? { queryBudget.map { max(0, $0 - queries) } }

    /// Creates an oracle over a problem's preferences.
    /// - Parameters:
    ///   - problem: the ground truth.
    ///   - mode: the feedback mode.
    ///   - queryBudget: maximum number of labels (nil = unlimited).
    ///   - labelNoise: flip probability ε ∈ [0, 1/2].
    ///   - rng: the generator for labels (owned by this run).
    public init(problem: Problem, mode: FeedbackMode, queryBudget: Int?, labelNoise: Double = 0, rng: RandomSource) {
        precondition(labelNoise >= 0 && labelNoise <= 0.5, "label noise must be in [0, 1/2]")
        self.preferences = problem.preferences
        self.mode = mode
        self.queryBudget = queryBudget
        self.labelNoise = labelNoise
        self.rng = rng
    }

    /// Draws one preference label: true when `a` is preferred to `b` in context `x`.
    ///
    /// The label is Bernoulli((1 − ε)·P_x(a ≻ b) + ε·P_x(b ≻ a)).
    /// - Throws: `AlignmentCoreError.budgetExhausted` when the budget is used up (the label is not drawn).
    public func compare(context x: Int, _ a: Int, _ b: Int) throws -> Bool {
        if let budget = queryBudget, queries >= budget {
            throw AlignmentCoreError.budgetExhausted(queries: budget)
        }
        queries += 1
        let p = preferences[x][a, b]
        let noisy = (1 - labelNoise) * p + labelNoise * (1 - p)
        return rng.bernoulli(noisy)
    }

    /// Whether `count` more labels fit in the budget.
    public func canQuery(_ count: Int = 1) -> Bool {
        guard let r = remainingQueries else { return true }
        return r >= count
    }

    private func requireExact(_ what: String) throws {
        guard mode == .exact else {
            throw AlignmentCoreError.unsupportedFeedback("\(what) needs exact feedback, but the run is sampled")
        }
        exactEvaluations += 1
    }

    /// The exact probability that a label says a ≻ b in context x: P̃_x(a ≻ b), which is P_x(a ≻ b)
    /// without label noise (exact mode only).
    /// - Throws: `AlignmentCoreError.unsupportedFeedback` in sampled mode.
    public func preference(context x: Int, _ a: Int, _ b: Int) throws -> Double {
        try requireExact("preference(context:_:_:)")
        return noisyPreferences[x][a, b]
    }

    /// The exact vector P̃_x q, i.e. the probability that a label says y ≻ y′ with y′ ∼ q, for every
    /// y (P_x q without label noise; exact mode only).
    /// - Throws: `AlignmentCoreError.unsupportedFeedback` in sampled mode.
    /// - Complexity: O(n²).
    public func preferenceAgainst(context x: Int, _ q: [Double]) throws -> [Double] {
        try requireExact("preferenceAgainst(context:_:)")
        return noisyPreferences[x].times(q)
    }

    /// `preferenceAgainst(context:_:)` written into `y` without allocating (the same `dgemv`, so
    /// the same bits; counted the same way).
    /// - Parameters:
    ///   - x: the context.
    ///   - q: the opponent distribution (length n).
    ///   - y: receives P̃_x q (length n; must not overlap `q`).
    /// - Throws: `AlignmentCoreError.unsupportedFeedback` in sampled mode.
    /// - Complexity: O(n²), no allocation.
    public func preferenceAgainst(context x: Int, _ q: UnsafeBufferPointer<Double>,
                                  into y: UnsafeMutableBufferPointer<Double>) throws {
        try requireExact("preferenceAgainst(context:_:)")
        noisyPreferences[x].times(q, into: y)
    }

    /// The exact matrix P̃_x of label probabilities (P_x without label noise; exact mode only).
    /// - Throws: `AlignmentCoreError.unsupportedFeedback` in sampled mode.
    public func preferenceMatrix(context x: Int) throws -> PreferenceMatrix {
        try requireExact("preferenceMatrix(context:)")
        return noisyPreferences[x]
    }
}
