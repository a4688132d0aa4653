import Foundation
import Testing
@testable import Sweep

/// A journal whose header names another format (a later bench wrote it) is refused by the sweep —
/// resume, --extend and --fresh alike — and by `bench status`'s progress, with one error naming
/// the file and both formats; the journal is left byte for byte as it was. Before, its header was
/// taken for a corrupt line: status said the next sweep discards every line, and the sweep did.
struct JournalFormatTests {
    /// The header's `"bench_journal"` value as another version might write it.
    @Test(arguments: ["9", "2", "\"2\"", "1.5"])
    func aJournalOfAnotherFormatIsRefusedNotDiscarded(format: String) throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: ShardMergeTests.options(dir))
        let journal = dir.appendingPathComponent("journal.jsonl")
        let text = try String(contentsOf: journal, encoding: .utf8)
        #expect(text.hasPrefix(#"{"bench_journal":1,"#))
        try (#"{"bench_journal":"# + format + "," + text.dropFirst(#"{"bench_journal":1,"#.count)).write(to: journal, atomically: true, encoding: .utf8)
        let before = try bytes(journal)
        let expected = SweepError.store("\(journal.path): journal format \(format) is not one this bench reads (format 1): "
                                        + "another version of bench wrote it; use that version, or move the results directory away to start over")
        for policy in ExistingResults.allCases {
            var options = ShardMergeTests.options(dir)
            options.existingResults = policy
            #expect(throws: expected, "\(policy)") { try SweepRunner.run(spec, options: options) }
            #expect(try bytes(journal) == before, "\(policy) changed the journal")
        }
        #expect(throws: expected) { try ResultsProgress.read(spec: spec, directory: dir) }
    }

    @Test func aCorruptHeaderOfThisFormatIsStillACorruptLine() throws {
        // "bench_journal": 1 without the other members is this format's header, damaged: the
        // journal is read as before (no header, the line discarded), not refused.
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: ShardMergeTests.options(dir))
        let journal = dir.appendingPathComponent("journal.jsonl")
        var lines = try String(contentsOf: journal, encoding: .utf8).components(separatedBy: "\n")
        lines[0] = #"{"bench_journal":1}"#
        try lines.joined(separator: "\n").write(to: journal, atomically: true, encoding: .utf8)
        let contents = try Journal.read(journal, curves: .skip)
        #expect(contents.header == nil && contents.records.isEmpty && contents.discardedBytes > 0)
    }
}
