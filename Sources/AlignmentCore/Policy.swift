import Foundation

/// A tabular policy π(y | x) over `actions` responses in each of `contexts` contexts,
/// stored as normalised log-probabilities.
///
/// Every row satisfies logsumexp(row) = 0 up to rounding. Probabilities are obtained with
/// `exp`, so they never underflow to an exact 0 unless a log-probability is −∞ (an algorithm that
/// deliberately removes an action from the support).
public struct Policy: Sendable, Equatable, Hashable {
    /// Log-probabilities, indexed `[context][action]`.
    public private(set) var logProbabilities: [[Double]]

    /// Number of contexts x.
    public var contexts: Int { logProbabilities.count }
    /// Number of responses y per context.
    public var actions: Int { logProbabilities.first?.count ?? 0 }

    /// Creates a policy from unnormalised log-weights (logits); each row is log-softmax-normalised.
    /// - Parameter logits: `[context][action]` log-weights; rows must be equally long, non-empty
    ///   and contain no NaN or +∞, and at least one finite entry each.
    /// - Throws: `AlignmentCoreError.invalidPolicy` when the shape or values are invalid.
    public init(logits: [[Double]]) throws {
        guard let n = logits.first?.count, n > 0 else {
            throw AlignmentCoreError.invalidPolicy("a policy needs at least one context and one action")
        }
        var rows: [[Double]] = []
        rows.reserveCapacity(logits.count)
        for (x, row) in logits.enumerated() {
            guard row.count == n else {
                throw AlignmentCoreError.invalidPolicy("context \(x) has \(row.count) actions, expected \(n)")
            }
            if let bad = row.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
                throw AlignmentCoreError.invalidPolicy("context \(x), action \(bad): logit is \(row[bad])")
            }
            let z = LogSpace.logSumExp(row)
            guard z.isFinite else {
                throw AlignmentCoreError.invalidPolicy("context \(x) has no support")
            }
            rows.append(row.map { $0 - z })
        }
        self.logProbabilities = rows
    }

    /// Creates a policy from rows that are already normalised log-probabilities, keeping every bit
    /// (`init(logits:)` would subtract logsumexp(row), a few ulps away from 0, and move them): how
    /// an exported μ (`bench env export`, `log_reference`) loads back exactly.
    /// - Parameters:
    ///   - rows: `[context][action]` log π (−∞ for actions outside the support).
    ///   - tolerance: the largest accepted |log Σ_y exp(row_y)| (default 1e-12).
    /// - Throws: `AlignmentCoreError.invalidPolicy` for a bad shape, NaN/+∞, or a row that is not
    ///   normalised within `tolerance`.
    public init(normalizedLogProbabilities rows: [[Double]], tolerance: Double = 1e-12) throws {
        let checked = try Policy(logits: rows)
        for (x, row) in rows.enumerated() {
            let z = LogSpace.logSumExp(row)
            guard abs(z) <= tolerance else {
                throw AlignmentCoreError.invalidPolicy("context \(x): log-probabilities sum to exp(\(z)), not 1 (within \(tolerance))")
            }
        }
        _ = checked
        self.init(normalized: rows)
    }

    /// Creates a policy from probabilities (each row is renormalised to sum to 1).
    /// - Throws: `AlignmentCoreError.invalidPolicy` for negative, NaN or all-zero rows.
    public init(probabilities: [[Double]]) throws {
        for (x, row) in probabilities.enumerated() {
            if let bad = row.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw AlignmentCoreError.invalidPolicy("context \(x), action \(bad): probability \(row[bad]) is not a finite non-negative number")
            }
        }
        try self.init(logits: probabilities.map { $0.map { log($0) } })
    }

    /// The uniform policy.
    public static func uniform(contexts: Int, actions: Int) -> Policy {
        precondition(contexts > 0 && actions > 0, "uniform policy needs positive sizes")
        let lp = -log(Double(actions))
        return Policy(normalized: Array(repeating: Array(repeating: lp, count: actions), count: contexts))
    }

    /// Wraps rows that are already normalised log-probabilities (no validation): for callers in
    /// this module that hold rows `init(logits:)` has already accepted (`RunContext.last`).
    init(normalized rows: [[Double]]) {
        self.logProbabilities = rows
    }

    /// π(· | x) as probabilities.
    public func probabilities(context x: Int) -> [Double] {
        logProbabilities[x].map { exp($0) }
    }

    /// π(· | x) as probabilities for every context.
    public var probabilities: [[Double]] {
        logProbabilities.map { $0.map { exp($0) } }
    }

    /// Whether every log-probability is finite or −∞ and every row sums to 1 within `tolerance`.
    public func isDistribution(tolerance: Double = 1e-12) -> Bool {
        for row in logProbabilities {
            if row.contains(where: { $0.isNaN || $0 == .infinity }) { return false }
            let s = row.reduce(0) { $0 + exp($1) }
            if abs(s - 1) > tolerance { return false }
        }
        return true
    }
}
