import Foundation
import Testing
@testable import Sweep

/// `--shard K/N`: the partition rule, its balance and stability, parsing and journal names.
struct ShardPartitionTests {
    /// 2 environments × (3 grid points + 1) × 7 seeds = 56 runs.
    static let text = SweepRunnerTests.text
        .replacingOccurrences(of: #""seeds": 3"#, with: #""seeds": 7"#)
        .replacingOccurrences(of: #""eta": [0.1, 0.5]"#, with: #""eta": [0.1, 0.5, 0.9]"#)

    /// Every K/N partition covers the plan exactly once, in plan order, and deals each cell's
    /// S = 7 replicates so that every shard gets ⌊7/N⌋ or ⌈7/N⌉ of them.
    @Test(arguments: [1, 2, 3, 8])
    func everyPartitionCoversThePlanOnce(n: Int) throws {
        let plans = try GridExpansion.plan(testSpec(Self.text))
        #expect(plans.count == 56)
        var seen: [String: Int] = [:]
        for k in 1...n {
            let runs = Shard(index: k, count: n).runs(of: plans)
            #expect(runs.map(\.index) == runs.map(\.index).sorted())
            for r in runs { seen[r.runID, default: 0] += 1 }
            var perCell: [String: Int] = [:]
            for r in runs { perCell[Shard.cellKey(r.key), default: 0] += 1 }
            let cells = Set(plans.map { Shard.cellKey($0.key) })
            #expect(cells.count == 8)
            for c in cells {
                let count = perCell[c] ?? 0
                #expect(count == 7 / n || count == (7 + n - 1) / n, "shard \(k)/\(n) has \(count) runs of \(c)")
            }
        }
        #expect(seen.count == plans.count && seen.values.allSatisfy { $0 == 1 })
    }

    /// A run's shard depends only on its own key: growing the spec (more seeds, a new grid value,
    /// a new environment) moves no run of the smaller spec.
    @Test(arguments: [2, 3, 8])
    func extendingTheSpecMovesNoRun(n: Int) throws {
        let small = try GridExpansion.plan(testSpec(SweepRunnerTests.text))
        let grown = try GridExpansion.plan(testSpec(Self.text.replacingOccurrences(
            of: #"{"id": "rps", "kind": "cyclic"},"#, with: #"{"id": "rps", "kind": "cyclic"}, {"id": "rps2", "kind": "cyclic"},"#)))
        #expect(grown.count == 84)
        let byID = Dictionary(uniqueKeysWithValues: grown.map { ($0.runID, $0) })
        for plan in small {
            let other = try #require(byID[plan.runID])
            #expect(Shard.zeroBasedIndex(of: plan, count: n) == Shard.zeroBasedIndex(of: other, count: n))
        }
    }

    /// The documented rule on literal keys: (SplitMix64(FNV-1a 64("shard|" + cell)) + r) mod N.
    /// Expected values from an independent Python implementation of FNV-1a 64 and SplitMix64:
    /// "env=rps|alg=a|eta=0.5|seed=" starts at 0x8880fabf1d5f1351, giving r = 0…4 the shards
    /// (0-based) 1,0,1,0,1 of 2; 2,0,1,2,0 of 3; 1,2,3,4,5 of 8. The cell
    /// "env=r4|alg=nash-md|eta=0.1;tau=0.1|seed=" starts at 0x1a18f17ce282cbed: 5,6,7,0,1 of 8.
    @Test func ruleMatchesAnIndependentImplementation() {
        func index(_ cell: String, _ r: Int, _ n: Int) -> Int {
            let fp = RunFingerprint(definition: "", inputs: "", algorithm: "", harness: "", libraries: "")
            let plan = RunPlan(index: 0, key: cell + String(r), runID: "", rngSeed: 0, environment: 0, algorithm: 0, point: 0,
                               replicate: r, fingerprint: fp)
            return Shard.zeroBasedIndex(of: plan, count: n)
        }
        let a = "env=rps|alg=a|eta=0.5|seed="
        #expect((0..<5).map { index(a, $0, 2) } == [1, 0, 1, 0, 1])
        #expect((0..<5).map { index(a, $0, 3) } == [2, 0, 1, 2, 0])
        #expect((0..<5).map { index(a, $0, 8) } == [1, 2, 3, 4, 5])
        #expect((0..<5).map { index("env=r4|alg=nash-md|eta=0.1;tau=0.1|seed=", $0, 8) } == [5, 6, 7, 0, 1])
        #expect((0..<5).map { index(a, $0, 1) } == [0, 0, 0, 0, 0])
    }

    @Test(arguments: [("1/1", 1, 1), ("3/8", 3, 8), ("8/8", 8, 8), ("100000/100000", 100_000, 100_000)])
    func parsesValidShards(text: String, k: Int, n: Int) throws {
        #expect(try Shard.parse(text) == Shard(index: k, count: n))
    }

    @Test(arguments: [
        ("0/2", "K = 0 is not between 1 and N = 2"),
        ("3/2", "K = 3 is not between 1 and N = 2"),
        ("1/0", "N = 0 is out of range"),
        ("1/100001", "N = 100001 is out of range"),
        ("2", "not of the form K/N"), ("a/b", "not of the form K/N"), ("+1/2", "not of the form K/N"),
        ("-1/2", "not of the form K/N"), (" 1/2", "not of the form K/N"), ("1/2/3", "not of the form K/N"), ("/2", "not of the form K/N"),
    ])
    func refusesInvalidShards(text: String, problem: String) {
        #expect(throws: SweepError.usage("\(problem); allowed: K/N with whole numbers 1 ≤ K ≤ N ≤ 100000, e.g. 2/8")) {
            try Shard.parse(text)
        }
    }

    @Test func journalNamesRoundTrip() {
        #expect(Shard(index: 2, count: 8).journalName == "journal-2-of-8.jsonl")
        #expect(Shard(index: 2, count: 8).lockName == ".sweep-2-of-8.lock")
        #expect(Shard(journalName: "journal-2-of-8.jsonl") == Shard(index: 2, count: 8))
        for bad in ["journal.jsonl", "journal-02-of-8.jsonl", "journal-9-of-8.jsonl", "journal-0-of-8.jsonl", "journal-2-of-8.json",
                    "journal-2-of-8.jsonl.tmp", "journal--of-8.jsonl"] {
            #expect(Shard(journalName: bad) == nil, "\(bad)")
        }
    }
}
