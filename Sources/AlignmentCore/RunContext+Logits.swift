import Foundation

extension RunContext {
    /// Reports the policy softmax(`logits`) after `iteration` iterations: exactly
    /// `report(iteration:policy:diagnostics:)` with `Policy(logits: logits)` — the same checks in
    /// the same order, the same errors, the same recorded checkpoints bit for bit — without
    /// building the policy at iterations that are not recorded (issue 11, target 5), and at a
    /// recorded one computing each exponential and the normalisers once rather than three times.
    ///
    /// The rows are checked in place: each row's log-normaliser zₓ = logsumexp(rowₓ) as
    /// `Policy(logits:)` computes it, the policy rowₓ − zₓ summing to 1
    /// (`Policy.isDistribution(tolerance: 1e-9)`, the same sum in the same order), the diagnostics
    /// finite, and the divergence monitor fed the log-ratio spread of rowₓ − zₓ against μ
    /// (`DivergenceMonitor.logRatioSpread`'s loop); the log-probabilities rowₓ − zₓ are written into
    /// a buffer the context keeps, from which `last` builds the policy when it is asked for — at a
    /// recorded iteration at once, for the recorder. A row that fails a check of `Policy(logits:)`
    /// is handed to it, so the error is its error.
    /// - Parameters:
    ///   - iteration: the iteration (non-decreasing, ≤ `iterations`).
    ///   - logits: `[context][action]` log-weights (rows need not be normalised).
    ///   - diagnostics: the plugin's diagnostics for this iteration.
    /// - Throws: as `Policy(logits:)`, then as `report(iteration:policy:diagnostics:)`.
    /// - Complexity: O(contexts · actions), 2 exponentials per entry; no allocation at an
    ///   unrecorded iteration once the first has been reported (the diagnostics are copied into
    ///   storage the context keeps, so a plugin that updates one dictionary in place keeps it
    ///   unique); a recorded one allocates the policy's rows.
    public func report(iteration: Int, logits: [[Double]], diagnostics: [String: Double] = [:]) throws {
        let n = actions
        guard logits.count == contexts, logits.allSatisfy({ $0.count == n }) else {
            return try report(iteration: iteration, policy: Policy(logits: logits), diagnostics: diagnostics)
        }
        precondition(iteration >= 0 && iteration <= iterations,
                     "reported iteration \(iteration) is outside the budget 0...\(iterations)")
        precondition(iteration >= (lastIteration ?? 0), "reported iterations must not decrease")
        if spareLogProbabilities.count != contexts * n {
            spareLogProbabilities = [Double](repeating: 0, count: contexts * n)
            normalizers = [Double](repeating: 0, count: contexts)
        }
        // Pass 1, `Policy(logits:)`'s checks: no NaN or +∞, some support (a failing row goes to
        // `Policy(logits:)` for its error), and the normalisers zₓ.
        for x in 0..<contexts {
            let z = logits[x].withUnsafeBufferPointer { row -> Double in
                for v in row where v.isNaN || v == .infinity { return .nan }
                return LogSpace.logSumExp(row)
            }
            guard z.isFinite else {
                return try report(iteration: iteration, policy: Policy(logits: logits), diagnostics: diagnostics)
            }
            normalizers[x] = z
        }
        // Pass 2: the policy rowₓ − zₓ, its mass (`isDistribution`) and log-ratio spread
        // (`DivergenceMonitor.logRatioSpread`), and the log-probabilities into the spare buffer
        // (the one behind `last` is kept until this report is accepted).
        var distribution = true
        var spread = 0.0
        spareLogProbabilities.withUnsafeMutableBufferPointer { copy in
            for x in 0..<contexts {
                let z = normalizers[x]
                logits[x].withUnsafeBufferPointer { row in
                    reference.logProbabilities[x].withUnsafeBufferPointer { mu in
                        var mass = 0.0
                        var lo = Double.infinity, hi = -Double.infinity
                        for y in 0..<n {
                            let p = row[y] - z
                            if p.isNaN || p == .infinity { distribution = false }
                            mass = mass + exp(p)
                            let m = mu[y]
                            if p.isFinite && m.isFinite {
                                let r = p - m
                                lo = min(lo, r)
                                hi = max(hi, r)
                            }
                            copy[x * n + y] = p
                        }
                        if abs(mass - 1) > 1e-9 { distribution = false }
                        if hi >= lo { spread = max(spread, hi - lo) }
                    }
                }
            }
        }
        guard distribution else {
            throw AlignmentCoreError.numericalFailure(iteration: iteration, reason: "policy is not a distribution (NaN, ∞ or mass ≠ 1)")
        }
        if let bad = diagnostics.first(where: { !$0.value.isFinite }) {
            throw AlignmentCoreError.numericalFailure(iteration: iteration, reason: "diagnostic \(bad.key) is \(bad.value)")
        }
        try divergence.observe(iteration: iteration, spread: spread)
        swap(&pendingLogProbabilities, &spareLogProbabilities)
        materializedLast = nil
        pendingLast = (iteration, oracle.queries)
        // A copy into storage the context keeps (allocation-free while no checkpoint shares it).
        pendingDiagnostics.removeAll(keepingCapacity: true)
        for (name, value) in diagnostics { pendingDiagnostics[name] = value }
        // What `report(iteration:policy:diagnostics:)` does once its checks pass.
        if isRecorded(iteration), recordedIterations.last != iteration, let checkpoint = last {
            recordedIterations.append(iteration)
            try recorder(checkpoint)
        }
    }
}
