import Foundation
import StableFloor

/// One part K of N of a plan (`bench sweep <spec> --shard K/N`, 1 ≤ K ≤ N): the runs a process
/// executes with its own journal (`journal-K-of-N.jsonl`) and lock (`.sweep-K-of-N.lock`), so the
/// N shards of one spec run at once in one results directory (docs/ARCHITECTURE.md, "Shards").
///
/// **The rule.** A run's *cell* is its key without the replicate — "env=<id>|alg=<label>|<k=v;…>|seed=" —,
/// i.e. everything that decides its expected cost (game size, iterations, algorithm,
/// hyperparameters); only the seed differs between the runs of a cell. The run of replicate r goes
/// to the shard with 0-based index
///
///     (SplitMix64(FNV-1a 64("shard|" + cell)) + r) mod N
///
/// so the replicates of every cell are dealt round-robin over the shards from a start drawn from
/// the cell: each shard gets ⌊S/N⌋ or ⌈S/N⌉ of the S runs of every cell (balance by expected cost
/// without a cost model, exact up to one run per cell), and a run's shard depends only on its own
/// key and N — never on the other runs — so extending a spec (more seeds, grid points, algorithms
/// or environments) never moves a run that is already journaled to another shard.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// K, 1-based.
    public let index: Int
    /// N ≥ 1.
    public let count: Int

    /// The most shards allowed (a Slurm array rarely exceeds a few thousand tasks).
    public static let maximumCount = 100_000

    /// Creates shard `index` of `count`.
    /// - Precondition: 1 ≤ index ≤ count ≤ `maximumCount` (callers validate user input with `parse`).
    public init(index: Int, count: Int) {
        precondition(count >= 1 && count <= Self.maximumCount && index >= 1 && index <= count, "shard \(index)/\(count) out of range")
        self.index = index
        self.count = count
    }

    /// "K/N".
    public var description: String { "\(index)/\(count)" }

    /// Parses "K/N" (decimal integers, 1 ≤ K ≤ N ≤ `maximumCount`).
    /// - Throws: `SweepError.usage` with what is wrong and what is allowed (the caller names the option).
    public static func parse(_ text: String) throws -> Shard {
        let allowed = "K/N with whole numbers 1 ≤ K ≤ N ≤ \(maximumCount), e.g. 2/8"
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw SweepError.usage("not of the form K/N; allowed: \(allowed)")
        }
        guard n >= 1, n <= maximumCount else {
            throw SweepError.usage("N = \(n) is out of range; allowed: \(allowed)")
        }
        guard k >= 1, k <= n else {
            throw SweepError.usage("K = \(k) is not between 1 and N = \(n); allowed: \(allowed)")
        }
        return Shard(index: k, count: n)
    }

    /// The journal of this shard: "journal-K-of-N.jsonl".
    public var journalName: String { "journal-\(index)-of-\(count).jsonl" }

    /// The lock file of this shard: ".sweep-K-of-N.lock".
    public var lockName: String { ".sweep-\(index)-of-\(count).lock" }

    /// The shard a journal file name belongs to ("journal-K-of-N.jsonl" with K, N written without
    /// leading zeros), or nil for any other name (the unsharded "journal.jsonl" included).
    public init?(journalName name: String) {
        guard name.hasPrefix("journal-"), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst("journal-".count).dropLast(".jsonl".count)
        let parts = middle.components(separatedBy: "-of-")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), "\(k)" == parts[0], "\(n)" == parts[1],
              n >= 1, n <= Self.maximumCount, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    /// The 0-based shard index of `plan` among `count` shards (see the rule above).
    /// - Complexity: O(length of the run key).
    public static func zeroBasedIndex(of plan: RunPlan, count: Int) -> Int {
        let cell = cellKey(plan.key)
        let start = StableHash.splitMix64(StableHash.fnv1a64("shard|" + cell))
        return Int((start % UInt64(count) + UInt64(plan.replicate) % UInt64(count)) % UInt64(count))
    }

    /// The run key without its replicate: everything up to and including the last "|seed=".
    static func cellKey(_ key: String) -> String {
        guard let r = key.range(of: "|seed=", options: .backwards) else { return key }
        return String(key[..<r.upperBound])
    }

    /// Whether `plan` belongs to this shard.
    public func contains(_ plan: RunPlan) -> Bool {
        Self.zeroBasedIndex(of: plan, count: count) == index - 1
    }

    /// The runs of this shard, in plan order.
    /// - Complexity: O(plans.count).
    public func runs(of plans: [RunPlan]) -> [RunPlan] {
        plans.filter(contains)
    }
}
