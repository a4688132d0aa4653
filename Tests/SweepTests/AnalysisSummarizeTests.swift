import AlignmentCore
import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// `bench summarize` at the library level: the statistics files recomputed from runs.csv,
/// curves.csv and policies.csv are byte-identical to the sweep's; inconsistent inputs are refused.
struct AnalysisSummarizeTests {
    /// Fixed and per-run environments, one with a true reward, a grid, failed runs, diagnostics.
    static let text = """
    {
      "name": "summ",
      "environments": [
        {"id": "rps", "kind": "cyclic"},
        {"id": "r4", "kind": "random", "actions": 4, "contexts": 2, "seed": "per-run"},
        {"id": "bt", "kind": "bradley-terry", "actions": 3}
      ],
      "reference": {"kind": "softmax-normal", "scale": 1},
      "budget": {"iterations": 20},
      "record_every": 5,
      "seeds": 3,
      "tau": 0.1,
      "algorithms": [
        {"id": "exact-only", "params": {"tau": 0.1}, "grid": {"eta": [0.1, 0.5]}},
        {"id": "label-spender", "feedback": "sampled", "params": {"per_iteration": 3}},
        {"id": "failing", "params": {"fail_at": 2}}
      ]
    }
    """

    @Test func recomputedFilesAreByteIdentical() throws {
        let spec = try testSpec(Self.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 300))
        var original: [String: Data] = [:]
        for f in ResultSummarizer.fileNames {
            original[f] = try bytes(dir.appendingPathComponent(f))
            try FileManager.default.removeItem(at: dir.appendingPathComponent(f))
        }
        // The journal is not used: summarize reads the CSVs only.
        try FileManager.default.removeItem(at: dir.appendingPathComponent(ResultStore.journalName))
        let manifest = try RecordedManifest.read(directory: dir)
        #expect(manifest.name == "summ" && manifest.specHash == spec.specHash && manifest.bootstrapSamples == 300)
        #expect(manifest.resultsHash == spec.resultsHash)
        try ResultSummarizer.check(spec, against: manifest, directory: "d")
        let urls = try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 300)
        #expect(urls.map(\.lastPathComponent) == ResultSummarizer.fileNames)
        for f in ResultSummarizer.fileNames {
            #expect(try bytes(dir.appendingPathComponent(f)) == original[f], "\(f) differs")
        }
        // Sanity of content: failed runs are absent from the pairwise table (no ok run to select),
        // the frontier covers bt only, and another B changes only the bootstrap columns.
        let pairwise = try AnalysisFixtures.rows(String(contentsOf: dir.appendingPathComponent("pairwise.csv"), encoding: .utf8))
        #expect(Set(pairwise.dropFirst().map { $0[1] }) == ["reference", "exact-only", "label-spender"])
        #expect(pairwise.count == 1 + 3 * 9)
        let frontier = try AnalysisFixtures.rows(String(contentsOf: dir.appendingPathComponent("frontier.csv"), encoding: .utf8))
        #expect(Set(frontier.dropFirst().map { $0[0] }) == ["bt"])
        try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 0)
        #expect(try bytes(dir.appendingPathComponent("tests.csv")) == original["tests.csv"])
        #expect(try bytes(dir.appendingPathComponent("pairwise.csv")) != original["pairwise.csv"])
    }

    @Test func refusesAnotherSpec() throws {
        let spec = try testSpec(Self.text)
        func manifest(_ name: String, spec specHash: String, results: String?) -> RecordedManifest {
            RecordedManifest(name: name, specFile: "spec.json", specHash: specHash, resultsHash: results, bootstrapSamples: nil)
        }
        // The results hash decides when recorded (a changed description or figure list is fine).
        try ResultSummarizer.check(spec, against: manifest("summ", spec: "0", results: spec.resultsHash), directory: "d")
        #expect(throws: SweepError.self) {
            try ResultSummarizer.check(spec, against: manifest("summ", spec: spec.specHash, results: "0000000000000000"), directory: "d")
        }
        // Without it, the spec hash.
        try ResultSummarizer.check(spec, against: manifest("summ", spec: spec.specHash, results: nil), directory: "d")
        #expect(throws: SweepError.self) {
            try ResultSummarizer.check(spec, against: manifest("summ", spec: "0000000000000000", results: nil), directory: "d")
        }
        #expect(throws: SweepError.self) {
            try ResultSummarizer.check(spec, against: manifest("other", spec: spec.specHash, results: spec.resultsHash), directory: "d")
        }
        do {
            try ResultSummarizer.check(spec, against: manifest("summ", spec: "1", results: "1"), directory: "Results/summ")
            Issue.record("expected an error")
        } catch let e as SweepError {
            #expect(e.exitCode == .specChanged)
            #expect("\(e)".hasPrefix("Results/summ: spec.json changed since these results were written (hash "))
        }
    }

    /// runs.csv rows must be exactly the plan's runs.
    @Test func refusesRunsOutsideThePlanOrMissingRuns() throws {
        let spec = try testSpec(Self.text)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 2, resultsDirectory: dir, bootstrapSamples: 0))
        let runsURL = dir.appendingPathComponent("runs.csv")
        let runs = try String(contentsOf: runsURL, encoding: .utf8)
        var lines = runs.split(separator: "\n").map(String.init)
        // Drop one run.
        try (lines.dropLast().joined(separator: "\n") + "\n").write(to: runsURL, atomically: true, encoding: .utf8)
        #expect(throws: SweepError.self) { try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 0) }
        // A run id that is not planned.
        lines[1] = "ffffffffffff" + lines[1].drop { $0 != "," }
        try (lines.joined(separator: "\n") + "\n").write(to: runsURL, atomically: true, encoding: .utf8)
        #expect(throws: SweepError.self) { try ResultSummarizer.summarize(spec: spec, directory: dir, bootstrapSamples: 0) }
    }

    /// A malformed results file is a one-line `SweepError.store` naming the file and line.
    @Test func malformedFileIsAStoreError() throws {
        #expect(SweepError(ResultFilesError.malformed(path: "f.csv", line: 2, reason: "2 fields, but the header has 3"))
                == SweepError.store("f.csv:2: 2 fields, but the header has 3"))
        #expect(throws: SweepError.store("f.csv:2: 2 fields, but the header has 3")) {
            try SweepError.mapping { _ = try CSVReader(text: "a,b,c\n1,2\n", path: "f.csv").next() }
        }
    }

    @Test func selectionParsing() throws {
        #expect(try ConfigurationSelection.parse("exploitability") == .default)
        #expect(try ConfigurationSelection.parse("true_reward") == ConfigurationSelection(metric: "true_reward", goal: .max))
        #expect(try ConfigurationSelection.parse("true_reward:min").goal == .min)
        #expect(throws: SweepError.self) { try ConfigurationSelection.parse("exploitabilty") }
        #expect(throws: SweepError.self) { try ConfigurationSelection.parse("exploitability:up") }
        let reader = SpecReader(file: "s.json")
        let v = try JSONParser.parse(#"{"metric": "win_rate_vs_reference"}"#, file: "s.json")
        #expect(try ConfigurationSelection.parse(v, at: .root.key("select_by"), reader: reader)
                == ConfigurationSelection(metric: "win_rate_vs_reference", goal: .max))
        let bad = try JSONParser.parse(#"{"metric": "exploitability", "goal": "lowest"}"#, file: "s.json")
        #expect(throws: SweepError.self) { try ConfigurationSelection.parse(bad, at: .root.key("select_by"), reader: reader) }
        // The best of several candidates: lowest / highest mean, ties to the first, empty ignored.
        #expect(try ConfigurationSelection.default.best([[0.75, 0.25], [], [0.25, 0.75], [0.5, 0.625]]) == 0)
        #expect(try ConfigurationSelection(metric: "true_reward", goal: .max).best([[], [1, 2], [3]]) == 2)
        #expect(try ConfigurationSelection.default.best([[], []]) == nil)
    }

    /// The spec key `select_by`: parsed into `selectBy`, part of the results hash, used by
    /// `ResultAnalysis.selection(for:)`. On every environment, pairwise.csv's exact-only config is
    /// the one summary.csv shows with the lowest (default) or highest (goal max) mean exploitability.
    @Test func specSelectByChoosesTheConfiguration() throws {
        let plain = try testSpec(Self.text)
        let maxText = Self.text.replacingOccurrences(of: #""tau": 0.1,"#,
                                                     with: #""tau": 0.1, "select_by": {"metric": "exploitability", "goal": "max"},"#)
        let spec = try testSpec(maxText)
        #expect(plain.selectBy == .default && ResultAnalysis.selection(for: plain) == .default)
        #expect(spec.selectBy == ConfigurationSelection(metric: "exploitability", goal: .max))
        #expect(ResultAnalysis.selection(for: spec) == spec.selectBy)
        #expect(spec.resultsHash != plain.resultsHash)
        // Without a goal, the metric's natural direction (true_reward is not measured on rps and r4,
        // so such a rule is refused: SelectionAvailabilityTests).
        let natural = try testSpec(Self.text.replacingOccurrences(of: #""tau": 0.1,"#,
                                                                  with: #""tau": 0.1, "select_by": {"metric": "win_rate_vs_reference"},"#))
        #expect(natural.selectBy == ConfigurationSelection(metric: "win_rate_vs_reference", goal: .max))

        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SweepRunner.run(spec, options: SweepOptions(jobs: 1, resultsDirectory: dir, bootstrapSamples: 0))
        let summary = try readCSV(dir.appendingPathComponent("summary.csv"))
        let pairwise = try readCSV(dir.appendingPathComponent("pairwise.csv"))
        var differs = false
        for env in ["rps", "r4", "bt"] {
            let means = summary.filter { $0[0] == env && $0[1] == "exact-only" && $0[3] == "exploitability" }
                .map { ($0[2], Double($0[6])!) }
            #expect(means.map(\.0) == ["eta=0.1", "eta=0.5"])
            // Ties go to the earlier configuration.
            let lowest = means[1].1 < means[0].1 ? means[1].0 : means[0].0
            let highest = means[1].1 > means[0].1 ? means[1].0 : means[0].0
            let chosen = Set(pairwise.filter { $0[0] == env && $0[1] == "exact-only" }.map { $0[2] })
            #expect(chosen == [highest])
            let plans = try GridExpansion.plan(spec)
            let records = try RecordedResults.records(spec: spec, plans: plans, directory: dir)
            let defaultPairwise = try ResultAnalysis.files(spec: spec, plans: plans, records: records, bootstrapSamples: 0,
                                                           selection: .default)[0].1
            let defaultRows: [[String]] = defaultPairwise.split(separator: "\n").map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let defaultChosen = Set(defaultRows.filter { $0[0] == env && $0[1] == "exact-only" }.map { $0[2] })
            #expect(defaultChosen == [lowest])
            if lowest != highest { differs = true }
        }
        #expect(differs)
    }
}
