/// The performance profile's bootstrap bands by counting. At threshold τ_k a resample's fraction
/// depends only on its *count vector* (c_1, …, c_E), c_e = the resampled runs of environment e at
/// or below τ_k, through the value form's arithmetic (Σ_e share_e(c_e), summed in environment
/// order, then ÷ E). Each count vector gets a code (mixed radix n_e + 1) and its fraction once. A
/// resample's count vector, as a function of k, is a step function that changes only at the
/// positions of its runs (at most N steps), so each resample adds its O(N) steps to a difference
/// table over (threshold, code) instead of offering T fractions to T pairs of tails. A prefix sum
/// over the thresholds then gives, at every τ_k, how many of the B resamples have each code, and
/// the order statistics are read from the codes sorted by fraction. The draws are
/// `StratifiedBootstrap.forEachResample`'s and the quantile arithmetic is
/// `StratifiedBootstrap.interpolatedQuantile`'s, so the bands equal the streamed form's bit for bit
/// (tested against the value form). Agarwal et al. 2021, §4.2 (performance profiles) and App. A.1.
extension AggregatePerformance {
    /// The largest number of count vectors (Π_e (n_e + 1)) the counting form tabulates; above it
    /// `profileIntervals` streams every fraction through `StratifiedBootstrap`'s tails.
    public static let profileCountLimit = 4096

    /// The pointwise percentile bands of `profileIntervals`, by counting count vectors.
    /// - Parameters:
    ///   - positions: `positions[e][i]` = the first threshold index k with run i of environment e
    ///     at or below τ_k (`thresholds` when none).
    ///   - shares: `shares[e][c]` = environment e's share of the fraction when c of its runs are at
    ///     or below the threshold (c = 0…n_e).
    ///   - thresholds: T ≥ 1, the number of thresholds.
    ///   - confidence: c ∈ (0, 1).
    ///   - resamples: B ≥ 1, below 2³¹.
    ///   - seed: the generator's seed.
    /// - Returns: one band per threshold; nil when there are more than `profileCountLimit` count
    ///   vectors or B ≥ 2³¹ (the caller streams instead).
    /// - Throws: `StatisticsError.invalidArgument` for B < 1 or c outside (0, 1).
    /// - Complexity: O(N log N + B·N + T·V) time and O(T·V) memory for N runs and V ≤
    ///   `profileCountLimit` count vectors.
    static func countedProfileIntervals(positions: [[Int]], shares: [[Double]], thresholds count: Int, confidence: Double,
                                        resamples: Int, seed: UInt64) throws -> [(low: Double, high: Double)]? {
        try StratifiedBootstrap.validate(resamples: resamples, confidence: confidence)
        guard resamples < Int(Int32.max) else { return nil }
        // radix[e] = Π_{e' < e} (n_e' + 1); codes = Π_e (n_e + 1), or nil past the limit.
        var radix: [Int] = [], codes = 1
        for stratum in positions {
            radix.append(codes)
            let (product, overflow) = codes.multipliedReportingOverflow(by: stratum.count + 1)
            guard !overflow, product <= profileCountLimit else { return nil }
            codes = product
        }
        // Every run, flattened as (environment e, run i) → offset[e] + i, in ascending position.
        var offset: [Int] = [], runs = 0
        for stratum in positions { offset.append(runs); runs += stratum.count }
        let byPosition = positions.indices.flatMap { e in positions[e].indices.map { i in (run: offset[e] + i, e: e, position: positions[e][i]) } }
            .sorted { ($0.position, $0.run) < ($1.position, $1.run) }
        // difference[k·codes + v]: the resamples whose count vector becomes v at threshold k, minus
        // those whose vector stops being v there; rows k = 0…T.
        let difference = UnsafeMutableBufferPointer<Int32>.allocate(capacity: (count + 1) * codes)
        defer { difference.deallocate() }
        difference.initialize(repeating: 0)
        let multiplicity = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(runs, 1))
        defer { multiplicity.deallocate() }
        multiplicity.initialize(repeating: 0)
        StratifiedBootstrap.forEachResample(sizes: [positions.map(\.count)], resamples: resamples, seed: seed) { _, indices in
            for e in positions.indices {
                let base = offset[e]
                for i in indices[0][e] { multiplicity[base + i] += 1 }
            }
            var code = 0, start = 0
            for entry in byPosition {
                let m = Int(multiplicity[entry.run])
                guard m > 0 else { continue }
                multiplicity[entry.run] = 0
                let p = min(entry.position, count)
                if p > start {  // the vector `code` holds on thresholds start..<p
                    difference[start * codes + code] += 1
                    difference[p * codes + code] -= 1
                    start = p
                }
                code += m * radix[entry.e]
            }
            if start < count {
                difference[start * codes + code] += 1
                difference[count * codes + code] -= 1
            }
        }
        // The fraction of each count vector, as the value form computes it, and the codes in
        // ascending order of fraction (equal fractions are equal values: their order is immaterial).
        let environments = Double(positions.count)
        let fraction = (0..<codes).map { v -> Double in
            var sum = 0.0
            for e in positions.indices { sum += shares[e][(v / radix[e]) % (positions[e].count + 1)] }
            return sum / environments
        }
        let ascending = (0..<codes).sorted { fraction[$0] < fraction[$1] }
        let alpha = (1 - confidence) / 2
        var held = [Int](repeating: 0, count: codes)  // resamples holding each vector at threshold k
        return (0..<count).map { k in
            for v in 0..<codes { held[v] += Int(difference[k * codes + v]) }
            // x₍ᵣ₎: the fraction of the code whose cumulative count first exceeds r.
            func orderStatistic(_ r: Int) -> Double {
                var below = 0
                for v in ascending {
                    below += held[v]
                    if below > r { return fraction[v] }
                }
                preconditionFailure("rank \(r) beyond the \(resamples) resamples")
            }
            return (StratifiedBootstrap.interpolatedQuantile(resamples: resamples, alpha, orderStatistic: orderStatistic),
                    StratifiedBootstrap.interpolatedQuantile(resamples: resamples, 1 - alpha, orderStatistic: orderStatistic))
        }
    }
}
