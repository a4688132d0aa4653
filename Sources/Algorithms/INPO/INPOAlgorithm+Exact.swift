import AlignmentCore
import Foundation
import PreferenceLearning

/// The iteration without allocation (issue 11, target 5): what `run` did with `Policy(logits:)`,
/// `PairwiseCounts.expected`, `LogSpace.geometricMixture` and `minimumNormSolution`, in the same
/// order, written into buffers a run allocates once, so the same bits (`INPOInPlaceTests` compares
/// them with the allocating forms on seeded inputs).
extension INPOAlgorithm {
    /// A run's buffers.
    struct Workspace {
        /// logsumexp of each context's row at the iteration's start (`Policy(logits:)`'s zₓ).
        var normalizers: [Double]
        /// ρ = π_t(· | x), the pair policy's probabilities (exact feedback).
        var pairProbabilities: [Double]
        /// W_x(a, b), the exact soft-label counts, row-major n × n (exact feedback).
        var wins: [Double]
        /// The prox centre π_t^{1−ητ} μ^{ητ} in log space.
        var centre: [Double]
        /// The least-squares offsets g.
        var offsets: [Double]
        /// The solver's own buffers.
        var leastSquares: LeastSquaresWorkspace

        /// Buffers for `contexts` contexts of n responses.
        init(contexts: Int, actions n: Int) {
            normalizers = [Double](repeating: 0, count: contexts)
            pairProbabilities = [Double](repeating: 0, count: n)
            wins = [Double](repeating: 0, count: n * n)
            (centre, offsets) = (pairProbabilities, pairProbabilities)
            leastSquares = LeastSquaresWorkspace(actions: n)
        }
    }

    /// One exact-feedback iteration, t → t + 1, of every context: the population counts of pairs
    /// from π_t = softmax(`logPi`), then `step` — bit for bit what `run` computed with the
    /// allocating forms.
    /// - Parameters:
    ///   - logPi: log π_t per context (n entries each), replaced by log π_{t+1}.
    ///   - logReference: log μ per context.
    ///   - preferences: P_x per context.
    ///   - iteration: t + 1, for the error.
    ///   - w: the run's buffers.
    /// - Throws: `invalidPolicy` as `Policy(logits:)` for a row with NaN, +∞ or no support;
    ///   `numericalFailure` when a least-squares system is singular.
    /// - Complexity: O(contexts · n³), no allocation.
    func exactIteration(_ logPi: inout [[Double]], logReference: [[Double]], preferences: [PreferenceMatrix],
                        iteration: Int, workspace w: inout Workspace) throws {
        // `Policy(logits:)`'s checks and normalisers, every row before any is updated; a failing
        // row goes to `Policy(logits:)` for its error.
        for x in logPi.indices {
            let z = logPi[x].withUnsafeBufferPointer { row -> Double in
                for v in row where v.isNaN || v == .infinity { return .nan }
                return LogSpace.logSumExp(row)
            }
            guard z.isFinite else {
                _ = try Policy(logits: logPi)
                preconditionFailure("Policy(logits:) accepted a row without a finite normaliser")
            }
            w.normalizers[x] = z
        }
        for x in logPi.indices {
            let z = w.normalizers[x]
            logPi[x].withUnsafeBufferPointer { row in
                for y in row.indices { w.pairProbabilities[y] = exp(row[y] - z) }
            }
            w.pairProbabilities.withUnsafeBufferPointer { rho in
                w.wins.withUnsafeMutableBufferPointer { PairwiseCounts.expectedWins(preferences: preferences[x], pairProbabilities: rho, into: $0) }
            }
            let wins = w.wins  // shared, not copied: `step` writes other buffers of `w`
            try wins.withUnsafeBufferPointer { try step(&logPi[x], logReference: logReference[x], wins: $0, iteration: iteration, workspace: &w) }
        }
    }

    /// One context's step from its label weights, in either feedback mode: the prox centre, the
    /// minimum-norm least-squares offsets g, and log π_{t+1} = normalize(centre + g) — the bits
    /// of `LogSpace.geometricMixture`, `minimumNormSolution` and `LogSpace.normalize`.
    /// - Parameters:
    ///   - logPi: log π_t of the context, replaced by log π_{t+1}.
    ///   - logReference: log μ of the context.
    ///   - wins: W(a, b), row-major n × n.
    ///   - iteration: t + 1, for the error.
    ///   - w: the run's buffers.
    /// - Throws: `numericalFailure` when the least-squares system is singular.
    /// - Complexity: O(n³), no allocation while the elimination is accepted.
    func step(_ logPi: inout [Double], logReference: [Double], wins: UnsafeBufferPointer<Double>, iteration: Int,
              workspace w: inout Workspace) throws {
        LogSpace.geometricMixture(logPi, logReference, weight: eta * tau, into: &w.centre)
        let solved = w.offsets.withUnsafeMutableBufferPointer { w.leastSquares.minimumNormSolution(wins: wins, margin: eta / 2, into: $0) }
        guard solved else {
            throw AlignmentCoreError.numericalFailure(iteration: iteration, reason: "INPO least-squares system is singular")
        }
        logPi.withUnsafeMutableBufferPointer { row in
            for y in row.indices { row[y] = w.centre[y] + w.offsets[y] }
            LogSpace.normalize(row)
        }
    }
}
