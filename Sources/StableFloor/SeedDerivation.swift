/// Every seed the benchmark derives, named in one place. Each stream is
/// SplitMix64(base ⊕ FNV-1a 64(key)) (`StableHash.derivedSeed`) with a key that says what the seed
/// is for, so two streams never share a key and no seed depends on the order runs execute in.
/// The keys are part of the results: changing one changes run seeds or bootstrap intervals.
public enum SeedDerivation {
    /// A run's generator seed: SplitMix64(spec seed ⊕ FNV-1a 64(run key)), the run key being
    /// "env=<id>|alg=<label>|<k=v;… sorted>|seed=<replicate>".
    /// - Parameters:
    ///   - specSeed: the spec's top-level `seed`.
    ///   - runKeyHash: FNV-1a 64 of the run key (the planner hashes the key once for the run id too).
    public static func run(specSeed: UInt64, runKeyHash: UInt64) -> UInt64 {
        StableHash.splitMix64(specSeed ^ runKeyHash)
    }

    /// The ground-truth seed of a fixed environment whose entry gives no `seed`: key
    /// "environment|<id>".
    public static func environment(specSeed: UInt64, id: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "environment|" + id)
    }

    /// The ground-truth seed of replicate `replicate` of a `"seed": "per-run"` environment (shared
    /// by every algorithm, so comparisons are paired): key "environment|<id>|replicate=<r>".
    public static func perRunEnvironment(specSeed: UInt64, id: String, replicate: Int) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "environment|\(id)|replicate=\(replicate)")
    }

    /// The seed of a softmax-normal reference μ that gives none: key "reference|<environment id>".
    public static func reference(specSeed: UInt64, environment id: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "reference|" + id)
    }

    /// The seed of an environment's `random` features that give none: key "features|<environment id>".
    public static func features(specSeed: UInt64, environment id: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "features|" + id)
    }

    /// The bootstrap seed of one summary.csv cell: key "bootstrap|<group>|<metric>", the group being
    /// "<environment>|<algorithm label>|<seed label>" (the seed label is the configuration's key in
    /// the text the seeds always used: lists as `[a;b]`, empty without a grid).
    public static func summaryBootstrap(specSeed: UInt64, group: String, metric: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "bootstrap|\(group)|\(metric)")
    }

    /// The bootstrap seed of one pairwise.csv cell: key
    /// "pairwise|<environment>|<algorithm a>|<seed label a>|<algorithm b>|<seed label b>" (seed labels
    /// as in `summaryBootstrap`; "" for μ).
    public static func pairwiseBootstrap(specSeed: UInt64, environment: String, a: (algorithm: String, seedLabel: String),
                                         b: (algorithm: String, seedLabel: String)) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "pairwise|\(environment)|\(a.algorithm)|\(a.seedLabel)|\(b.algorithm)|\(b.seedLabel)")
    }

    /// The stratified-bootstrap seed of the IQM and mean of one algorithm in aggregates.csv: key
    /// "aggregate|<metric>|<normalization>|<algorithm label>" (both statistics use the same resamples).
    public static func aggregateBootstrap(specSeed: UInt64, metric: String, normalization: String, algorithm: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "aggregate|\(metric)|\(normalization)|\(algorithm)")
    }

    /// The stratified-bootstrap seed of one algorithm's performance profile in aggregates.csv (one
    /// set of resamples for every threshold): key "profile|<metric>|<normalization>|<algorithm label>".
    public static func profileBootstrap(specSeed: UInt64, metric: String, normalization: String, algorithm: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "profile|\(metric)|\(normalization)|\(algorithm)")
    }

    /// The stratified-bootstrap seed of the probability of improvement of algorithm a over b in
    /// aggregates.csv: key "improvement|<metric>|<label a>|<label b>".
    public static func improvementBootstrap(specSeed: UInt64, metric: String, a: String, b: String) -> UInt64 {
        StableHash.derivedSeed(base: specSeed, key: "improvement|\(metric)|\(a)|\(b)")
    }

    /// A child generator's seed (the run's "oracle" and "algorithm" streams, a plugin's own
    /// sub-streams): key `stream`, independent of how many numbers the parent has drawn.
    public static func child(of parent: UInt64, stream: String) -> UInt64 {
        StableHash.derivedSeed(base: parent, key: stream)
    }
}
