import AlignmentCore

/// Size limits that protect a sweep from absurd specs: a grid that would take months or memory the
/// machine does not have is refused at validation, before anything is built or written.
///
/// The standard limits apply unless the user passes `--force` (`SpecLimits.forced`); the forced
/// limits are what one process can hold in memory (plans, journal records and curves).
public struct SpecLimits: Sendable, Equatable {
    /// Most runs (configurations × environments × seeds) a spec may expand to.
    public var maximumRuns: Int
    /// Most recorded checkpoints (runs × checkpoints per run) a spec may produce.
    public var maximumCheckpoints: Int

    /// Creates limits.
    public init(maximumRuns: Int, maximumCheckpoints: Int) {
        self.maximumRuns = maximumRuns
        self.maximumCheckpoints = maximumCheckpoints
    }

    /// The default limits: 100,000 runs and 2,000,000 recorded checkpoints.
    public static let standard = SpecLimits(maximumRuns: 100_000, maximumCheckpoints: 2_000_000)
    /// The limits with `--force`: 10,000,000 runs and 100,000,000 checkpoints.
    public static let forced = SpecLimits(maximumRuns: 10_000_000, maximumCheckpoints: 100_000_000)

    /// Most checkpoints one run may record (not raised by `--force`): one million iterations
    /// recorded every iteration. A sweep streams each run's checkpoints to disk as they are
    /// measured (memory does not grow with them, README "Performance"), so what bounds a run is
    /// its share of the result files, about 0.5 kB per checkpoint (journal, curves.csv, its part of
    /// curve_summary.csv): 0.5 GB for a run at the limit; the spec's total is bounded by
    /// `maximumCheckpoints`.
    public static let maximumCheckpointsPerRun = 1_000_001
    /// Most preference entries (contexts × actions²) of one environment instance (not raised by
    /// `--force`): 2²⁴ doubles (one context of 4096 actions, `EnvironmentCatalog.maximumActions`)
    /// are 128 MiB.
    public static let maximumPreferenceEntries = 1 << 24
    /// Most preference entries over all environments of a spec (400 MB of doubles).
    public static let maximumTotalPreferenceEntries = 50_000_000

    /// Whether these are below the forced limits (so `--force` would help).
    var canBeForced: Bool { maximumRuns < Self.forced.maximumRuns || maximumCheckpoints < Self.forced.maximumCheckpoints }

    /// a × b, saturating at `Int.max`.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : p
    }

    /// a + b, saturating at `Int.max`.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : s
    }

    /// Checkpoints a run of `iterations` records every `recordEvery`: iteration 0, every multiple
    /// of `recordEvery`, and the last iteration.
    static func checkpointsPerRun(iterations: Int, recordEvery: Int) -> Int {
        iterations / recordEvery + 1 + (iterations % recordEvery == 0 ? 0 : 1)
    }

    /// The number of configurations an algorithm entry's grid would expand to, counted from the raw
    /// JSON before anything is validated or built (non-array axes count as one value).
    static func configurations(ofAlgorithmEntry v: JSONValue) -> Int {
        guard let grid = v["grid"]?.objectMembers else { return 1 }
        return grid.reduce(1) { product($0, max(1, $1.value.arrayElements?.count ?? 1)) }
    }
}

extension ExperimentSpec {
    /// Refuses a spec whose run count or checkpoint count exceeds `limits`, before any grid point
    /// is configured (so an absurd grid cannot exhaust memory).
    /// - Throws: `SweepError.tooLarge` naming the counts and the limit.
    static func checkSize(algorithmEntries: [JSONValue], environments: Int, seeds: Int, iterations: Int,
                          recordEvery: Int, recordEveryGiven: Bool, limits: SpecLimits, file: String) throws {
        let configurations = algorithmEntries.reduce(0) { SpecLimits.sum($0, SpecLimits.configurations(ofAlgorithmEntry: $1)) }
        let runs = SpecLimits.product(SpecLimits.product(configurations, environments), seeds)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let count = runs == Int.max ? "more than \(Int.max)" : String(runs)
        if runs > limits.maximumRuns {
            let breakdown = "\(plural(configurations, "configuration")) × \(plural(environments, "environment")) × \(plural(seeds, "seed"))"
            let allowed = limits.canBeForced
                ? "at most \(limits.maximumRuns) runs (check the grid, or pass --force to allow up to \(SpecLimits.forced.maximumRuns))"
                : "at most \(limits.maximumRuns) runs, the most one sweep can hold (split the experiment into several specs)"
            throw SweepError.tooLarge(file: file, path: "$.algorithms",
                                      message: "the spec expands to \(count) runs (\(breakdown)), more than the limit of \(limits.maximumRuns)",
                                      allowed: allowed)
        }
        let perRun = SpecLimits.checkpointsPerRun(iterations: iterations, recordEvery: recordEvery)
        let path = recordEveryGiven ? "$.record_every" : "$.budget.iterations"
        if perRun > SpecLimits.maximumCheckpointsPerRun {
            var minimum = max(1, iterations / SpecLimits.maximumCheckpointsPerRun)
            while SpecLimits.checkpointsPerRun(iterations: iterations, recordEvery: minimum) > SpecLimits.maximumCheckpointsPerRun { minimum += 1 }
            throw SweepError.spec(file: file, path: path,
                                  message: "each run would record \(perRun) checkpoints (\(iterations) iterations, record_every \(recordEvery))",
                                  allowed: "at most \(SpecLimits.maximumCheckpointsPerRun) checkpoints per run (record_every ≥ \(minimum))")
        }
        let total = SpecLimits.product(runs, perRun)
        if total > limits.maximumCheckpoints {
            let allowed = limits.canBeForced
                ? "at most \(limits.maximumCheckpoints) checkpoints (raise record_every, or pass --force to allow up to \(SpecLimits.forced.maximumCheckpoints))"
                : "at most \(limits.maximumCheckpoints) checkpoints, the most one sweep can hold (raise record_every)"
            throw SweepError.tooLarge(file: file, path: path,
                                      message: "the spec records \(total) checkpoints (\(plural(runs, "run")) × \(perRun) per run), more than the limit of \(limits.maximumCheckpoints)",
                                      allowed: allowed)
        }
    }
}
