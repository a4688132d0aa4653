import AlignmentCore
import PreferenceLearning

/// Where each iteration's minibatch comes from.
struct PairBatchSource {
    enum Kind {
        /// `items` visited in reshuffled epochs (sampled mode); weights are relative.
        case epochs
        /// `batch_size` items drawn uniformly with replacement every step (sampled mode); weights
        /// are relative.
        case replacement
        /// `items` as one full batch every step (exact mode); weights are absolute.
        case fullBatch
        /// Fresh labelled pairs from the current policy every step.
        case onlineSampled
        /// The exact population loss under the current policy every step.
        case onlineExact([PreferenceMatrix])
    }

    let kind: Kind
    let algorithm: DirectPreferenceOptimization
    let run: RunContext
    private var items: [WeightedPair] = []
    private var order: [Int] = []
    private var position = 0
    /// Completed passes over `items`.
    private(set) var epochsDone = 0
    /// Items drawn so far with replacement.
    private var drawn = 0

    init(_ algorithm: DirectPreferenceOptimization, run: RunContext) throws {
        self.algorithm = algorithm
        self.run = run
        let n = run.actions
        if let explicit = algorithm.dataset {
            if let bad = explicit.first(where: { $0.chosen >= n || $0.rejected >= n }) {
                throw AlignmentCoreError.invalidParameter(
                    name: "dataset", reason: "pair [\(bad.chosen), \(bad.rejected)] is out of range for \(n) responses (indices 0…\(n - 1))")
            }
            // The margin log π(y)/μ(y) is undefined where μ(y) = 0 (π stays 0 there): refuse such pairs.
            for x in 0..<run.contexts {
                let logMu = run.reference.logProbabilities[x]
                if let bad = explicit.first(where: { logMu[$0.chosen] == -.infinity || logMu[$0.rejected] == -.infinity }) {
                    let y = logMu[bad.chosen] == -.infinity ? bad.chosen : bad.rejected
                    throw AlignmentCoreError.invalidParameter(
                        name: "dataset",
                        reason: "pair [\(bad.chosen), \(bad.rejected)] uses response \(y), which μ gives probability 0 in context \(x); the margin log π/μ is undefined there (use responses in μ's support)")
                }
            }
            let m = Double(explicit.count)
            items = (0..<run.contexts).flatMap { x in
                explicit.map { WeightedPair(context: x, chosen: $0.chosen, rejected: $0.rejected, weight: run.contextWeights[x]) }
            }
            if run.mode == .exact {
                kind = .fullBatch
                for i in items.indices { items[i].weight /= m }
            } else {
                kind = algorithm.samplesWithReplacement ? .replacement : .epochs
            }
        } else if algorithm.online {
            kind = run.mode == .exact
                ? .onlineExact(try (0..<run.contexts).map { try run.oracle.preferenceMatrix(context: $0) })
                : .onlineSampled
        } else if run.mode == .exact {
            let prefs = try (0..<run.contexts).map { try run.oracle.preferenceMatrix(context: $0) }
            items = DirectPreferenceOptimization.populationPairs(
                preferences: prefs, pairPolicy: run.reference, contextWeights: run.contextWeights)
            kind = .fullBatch
        } else {
            let m = try PreferenceSampling.affordable(algorithm.datasetSize, oracle: run.oracle)
            let data = try PreferenceSampling.labelledPairs(count: m, from: run.reference, contextWeights: run.contextWeights,
                                                            oracle: run.oracle, rng: run.rng)
            // Pairs were drawn with x ∼ w already, so each item has relative weight 1.
            items = data.map { WeightedPair(context: $0.context, chosen: $0.chosen, rejected: $0.rejected, weight: 1) }
            kind = algorithm.samplesWithReplacement ? .replacement : .epochs
        }
        order = Array(items.indices)
        position = items.count
    }

    /// The next minibatch with absolute weights, or nil when `epochs` passes are done.
    /// - Throws: `AlignmentCoreError.budgetExhausted` when an online batch cannot be paid for.
    mutating func nextBatch(policy: () throws -> Policy) throws -> [WeightedPair]? {
        switch kind {
        case .epochs:
            if position >= items.count {
                if let e = algorithm.epochs, epochsDone >= e { return nil }
                shuffle(&order)
                position = 0
            }
            let end = min(items.count, position + algorithm.batchSize)
            var batch = order[position..<end].map { items[$0] }
            position = end
            if position >= items.count { epochsDone += 1 }
            let total = batch.reduce(0) { $0 + $1.weight }
            for i in batch.indices { batch[i].weight /= total }
            return batch
        case .replacement:
            if let e = algorithm.epochs, drawn >= e * items.count { return nil }
            var batch = (0..<algorithm.batchSize).map { _ in items[run.rng.integer(below: items.count)] }
            drawn += batch.count
            let total = batch.reduce(0) { $0 + $1.weight }
            for i in batch.indices { batch[i].weight /= total }
            return batch
        case .fullBatch:
            if let e = algorithm.epochs, epochsDone >= e { return nil }
            epochsDone += 1
            return items
        case .onlineSampled:
            let data = try PreferenceSampling.labelledPairs(count: algorithm.batchSize, from: pairPolicy(policy()),
                                                            contextWeights: run.contextWeights, oracle: run.oracle, rng: run.rng)
            let w = 1 / Double(data.count)
            return data.map { WeightedPair(context: $0.context, chosen: $0.chosen, rejected: $0.rejected, weight: w) }
        case let .onlineExact(prefs):
            return DirectPreferenceOptimization.populationPairs(preferences: prefs, pairPolicy: try pairPolicy(policy()),
                                                                contextWeights: run.contextWeights)
        }
    }

    /// The online pair law: π itself, or the normalised geometric mixture π^{1−β}μ^β (IPO-MD) when
    /// `online_mixture` = β > 0.
    /// - Throws: `AlignmentCoreError.invalidPolicy` if the mixture is not finite.
    func pairPolicy(_ pi: Policy) throws -> Policy {
        let beta = algorithm.onlineMixture
        guard beta > 0 else { return pi }
        return try Policy(logits: (0..<pi.contexts).map { x in
            LogSpace.geometricMixture(pi.logProbabilities[x], run.reference.logProbabilities[x], weight: beta)
        })
    }

    /// Fisher–Yates shuffle with the run's generator.
    func shuffle(_ a: inout [Int]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, run.rng.integer(below: i + 1)) }
    }
}
