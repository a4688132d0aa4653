import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Generator-based fuzzing of the spec parser and validator, the journal decoder and matrix files
/// (issue 6). Seeded and bounded by iteration counts, so it is deterministic and its CI time is
/// bounded; a trap or stack overflow would crash the test process, so "no crash" is checked by
/// finishing, and every refusal must be a one-line `SweepError` naming the file. Longer runs: the
/// libFuzzer target (scripts/fuzz.sh).
struct SpecFuzzTests {
    /// Valid specs the mutations start from.
    static var seeds: [String] {
        [
            SpecValidationTests.spec(),
            GridExpansionTests.text,
            SweepRunnerTests.text,
            SpecValidationTests.spec(top: #" "reference": {"kind": "given", "probabilities": [[0.2, 0.3, 0.5]]}, "tau": 0.1, "seeds": 2,"#,
                                     environments: #"[{"id": "bt", "kind": "bradley-terry", "actions": 3, "seed": "per-run", "contexts": 2, "label_noise": 0.1}]"#),
            SpecValidationTests.spec(top: #" "figures": [{"id": "f", "kind": "curves", "metric": "exploitability", "x": "queries", "log_y": true}, {"id": "g", "kind": "lines", "metric": "kl_to_reference", "x": "eta"}],"#),
            SpecValidationTests.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + BadSpecCorpus.matrix("good.csv") + #""}, {"id": "c", "kind": "cyclic", "preset": "biased-rps"}]"#,
                                     algorithms: #"[{"id": "dpo", "params": {"loss": "ipo", "dataset": [[0, 1]]}, "grid": {"beta": [0.1, 1]}}, {"id": "nash-md", "grid": {"eta": [0.1]}}]"#),
        ]
    }

    /// Parses and validates `text`; a valid spec is also planned. Records an issue when a refusal
    /// is not a one-line `SweepError` naming the file.
    /// - Returns: whether the spec was valid.
    @discardableResult
    static func check(_ text: String, file: String = "fuzz.json") -> Bool {
        do {
            let spec = try ExperimentSpec.parse(text, file: file, catalog: testCatalog)
            let plans = try GridExpansion.plan(spec)
            #expect(plans.count == Set(plans.map(\.runID)).count)
            return true
        } catch let error as SweepError {
            let message = "\(error)"
            #expect(!message.contains("\n"), "multi-line message: \(message)")
            #expect(message.hasPrefix(file), "message does not name the file: \(message)")
            #expect(error.exitCode == .invalidSpec || error.exitCode == .tooLarge, "\(message)")
        } catch {
            Issue.record("not a SweepError: \(error) for \(text.prefix(200))")
        }
        return false
    }

    /// Every seed is valid (so mutations start from the deepest validation paths).
    @Test func seedsAreValid() {
        for s in Self.seeds { #expect(Self.check(s)) }
    }

    /// 5,000 mutated specs per shard; four shards run in parallel. Some mutants stay valid (structured
    /// mutations that keep types) and are also planned.
    @Test(arguments: 0..<4)
    func mutatedSpecsFailCleanly(shard: Int) {
        var mutator = SpecMutator(seed: 0x5EED_0000 + UInt64(shard))
        let seeds = Self.seeds
        var valid = 0
        for i in 0..<5_000 {
            let text = mutator.mutate(seeds[i % seeds.count])
            if Self.check(text) { valid += 1 }
        }
        // Both outcomes occur, so the mutations reach the validator and the planner.
        #expect(valid > 0 && valid < 5_000)
    }

    /// Deep nesting anywhere stops at the parser's depth limit with a syntax error, far below any
    /// stack limit (also for 100,000 levels).
    @Test(arguments: [JSONParser.maximumDepth - 1, JSONParser.maximumDepth, JSONParser.maximumDepth + 1, 100_000])
    func deepNestingIsBounded(depth: Int) throws {
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        for doc in [arrays, objects] {
            if depth <= JSONParser.maximumDepth {
                let v = try JSONParser.parse(doc, file: "deep.json")
                #expect(v.canonicalText.utf8.count == doc.utf8.count)
            } else {
                #expect(throws: SweepError.syntax(file: "deep.json", line: 1, column: doc.hasPrefix("[") ? JSONParser.maximumDepth + 1 : 5 * JSONParser.maximumDepth + 1,
                                                  message: "nesting is deeper than \(JSONParser.maximumDepth) levels")) {
                    try JSONParser.parse(doc, file: "deep.json")
                }
            }
        }
        // Inside a spec value: refused with the file name, never a crash.
        let spec = SpecValidationTests.spec(top: #" "description": "# + arrays + ",")
        Self.check(spec)
    }

    /// The journal decoder never crashes on mutated journals, and a journal cut anywhere decodes to
    /// a prefix of its records (a partial line is never parsed as data).
    @Test func mutatedJournalsDecodeToValidPrefixes() throws {
        let spec = try testSpec(SweepRunnerTests.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 0))
        let journal = try [UInt8](bytes(dir.appendingPathComponent(ResultStore.journalName)))
        let full = Journal.decode(journal)
        #expect(full.records.count == 18 && full.goodEnd == journal.count && full.header != nil)
        var rng = SpecMutator.Generator(state: 42)
        for _ in 0..<300 {
            let cut = rng.below(journal.count + 1)
            let d = Journal.decode(Array(journal[..<cut]))
            #expect(d.goodEnd <= cut)
            #expect(d.records == Array(full.records.prefix(d.records.count)))
            // Every complete line before the cut was kept.
            let completeLines = journal[..<cut].filter { $0 == UInt8(ascii: "\n") }.count
            #expect(d.records.count == max(0, completeLines - 1))
        }
        var mutator = SpecMutator(seed: 7)
        for _ in 0..<300 {
            let text = mutator.mutateBytes(String(decoding: journal, as: UTF8.self))
            let d = Journal.decode(Array(text.utf8))
            #expect(d.goodEnd <= text.utf8.count)
        }
    }

    /// Mutated matrix files (CSV and JSON) are refused through the spec with its file and JSON path,
    /// or accepted; never a crash.
    @Test func mutatedMatrixFilesFailCleanly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let seeds = [("m.csv", "0.5,0.7,0.2\n0.3,0.5,0.9\n0.8,0.1,0.5\nreference,0.2,0.3,0.5\n"),
                     ("m.json", #"{"preference": [[[0.5, 0.6], [0.4, 0.5]], [[0.5, 0.1], [0.9, 0.5]]], "reference": [0.5, 0.5], "reward": [1, 0], "context_weights": [1, 3]}"#)]
        var mutator = SpecMutator(seed: 99)
        for i in 0..<400 {
            let (name, text) = seeds[i % 2]
            let url = dir.appendingPathComponent("\(i)-" + name)
            try mutator.mutateBytes(text).write(to: url, atomically: false, encoding: .utf8)
            let spec = SpecValidationTests.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + url.path + #""}]"#)
            do {
                _ = try ExperimentSpec.parse(spec, file: "fuzz.json", catalog: testCatalog)
            } catch let error as SweepError {
                let message = "\(error)"
                #expect(!message.contains("\n") && message.hasPrefix("fuzz.json: $.environments[0]"), "\(message)")
            }
        }
    }
}
