import Foundation
import Testing
@testable import Sweep

/// The committed paper results are what the current build produces (issue 9 §1): every committed
/// journal under Results/paper/ holds exactly the planned runs of its spec, each with the fingerprint
/// the current build gives it (spec, inputs, algorithm and harness source, libraries), and the first
/// run of each spec, executed again now, gives the journaled record bit for bit. When this fails, run
/// `bench paper --extend` (release build) and commit the regenerated results with the change.
struct PaperJournalTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Experiments/paper").path)) ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    @Test func thePaperHasSpecs() {
        #expect(Self.names.count >= 9)
    }

    @Test(arguments: names)
    func committedJournalMatchesTheCurrentBuild(name: String) throws {
        let spec = try ExperimentSpec.load(contentsOf: Self.root.appendingPathComponent("Experiments/paper/\(name).json"),
                                           displayName: "Experiments/paper/\(name).json")
        let plans = try GridExpansion.plan(spec)
        let contents = try Journal.read(Self.root.appendingPathComponent("Results/paper/\(name)/journal.jsonl"), curves: .memory)
        #expect(contents.discardedBytes == 0)
        #expect(contents.header?.resultsHash == spec.resultsHash, "the spec changed since \(name)'s results were written")
        let records = Dictionary(contents.records.map { ($0.runID, $0) }, uniquingKeysWith: { _, last in last })
        #expect(records.count == plans.count && contents.records.count == plans.count)
        var stale: [String: Int] = [:]
        for p in plans {
            guard let r = records[p.runID] else {
                Issue.record("\(name): planned run \(p.key) has no record")
                continue
            }
            if let why = r.fingerprint.staleness(against: p.fingerprint) { stale[why.rawValue, default: 0] += 1 }
        }
        let kernel = stale[RunFingerprint.Staleness.libraries.rawValue] == nil ? ""
            : " (libraries: this machine's OpenBLAS may use another kernel than the committed results;"
            + " test with OPENBLAS_CORETYPE set to what scripts/paper-openblas-core.sh prints, README \"The paper\")"
        #expect(stale.isEmpty, "\(name): stale committed runs by reason \(stale)\(kernel); regenerate with `bench paper --extend`")

        // Re-execute the first run: the same record (the wall-clock seconds aside).
        let first = try #require(plans.first)
        var again = RunExecutor.execute(first, spec: spec, cache: EvaluationCache(spec: spec))
        let journaled = try #require(records[first.runID])
        again.seconds = journaled.seconds
        let reproduced = again.json.compactText == journaled.json.compactText
        #expect(reproduced, "\(name): run \(first.key) no longer reproduces its journal record")
    }
}
