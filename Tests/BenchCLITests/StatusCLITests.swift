import Foundation
import Testing

/// `bench status` end to end: which spec it judges the journals against, and a directory whose
/// sweep was interrupted before writing any result file.
@Suite(.serialized)
struct StatusCLITests {
    /// A sweep killed mid-run has recorded its spec (spec.json is written when the sweep starts,
    /// as a shard's is), so `bench status <dir>` reports the journal instead of "no sweep has
    /// started"; the resumed sweep completes it.
    @Test func anInterruptedSweepHasAStatus() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchReliabilityTests.long, name: "small", in: dir)
        let journal = dir.appendingPathComponent("Results/small/journal.jsonl")
        let (process, out, err) = try BenchProcess.start(["sweep", "small", "--jobs", "1", "--bootstrap", "0"], in: dir)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        BenchReliabilityTests.waitForLines(journal, atLeast: 3, while: process)
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the sweep finished before it could be killed")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Results/small/runs.csv").path))
        let (done, _) = try BenchReliabilityTests.journalRuns(journal)
        let status = try BenchProcess.run(["status", "Results/small"], in: dir)
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("small: ") == true && lines.first?.contains(" runs planned, \(done.count) done (Results/small/)") == true, "\(status.stdout)")
        #expect(lines.contains { $0.hasPrefix("  the unsharded sweep (journal.jsonl): \(done.count)/") }, "\(status.stdout)")
        // The last line says what to run, and running it as printed completes the directory.
        let left = try #require(lines.last)
        #expect(left.hasPrefix("incomplete: ") && left.hasSuffix(": `bench sweep Results/small/spec.json` runs them"), "\(status.stdout)")
        let resumed = try BenchProcess.run(["sweep", "Results/small/spec.json", "--bootstrap", "0"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try BenchProcess.run(["status", "Results/small"], in: dir)
        #expect(after.stdout.hasSuffix("complete: the result files in Results/small/ are written from these journals\n"), "\(after.stdout)")
    }

    /// For an experiment name, status reads the current spec file (as `bench sweep <name>` does):
    /// after the spec gains seeds, `status small` is incomplete while `status Results/small`
    /// (the copy the sweep recorded) is complete; `--spec` overrides.
    @Test func aNameIsJudgedByTheCurrentSpec() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let sweep = try BenchProcess.run(["sweep", "small", "--bootstrap", "0"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let before = try BenchProcess.run(["status", "small"], in: dir)
        #expect(before.stdout.hasSuffix("complete: the result files in Results/small/ are written from these journals\n"), "\(before.stdout)")
        try writeSpec(BenchCLITests.small.replacingOccurrences(of: #""seeds": 3"#, with: #""seeds": 4"#), name: "small", in: dir)
        let byName = try BenchProcess.run(["status", "small"], in: dir)
        #expect(byName.status == 0, "\(byName.stderr)")
        #expect(byName.stdout.contains("incomplete: "), "\(byName.stdout)")
        // A spec file is read as the name is (before, it was taken for a results directory).
        let byFile = try BenchProcess.run(["status", "Experiments/small.json"], in: dir)
        #expect(byFile.status == 0 && byFile.stdout == byName.stdout, "\(byFile.stdout)\(byFile.stderr)")
        let byDirectory = try BenchProcess.run(["status", "Results/small"], in: dir)
        #expect(byDirectory.stdout.hasSuffix("complete: the result files in Results/small/ are written from these journals\n"), "\(byDirectory.stdout)")
        let overridden = try BenchProcess.run(["status", "Results/small", "--spec", "small"], in: dir)
        #expect(overridden.stdout == byName.stdout)
    }

    /// Every run journaled but the journal newer than the result files (a sweep killed after its
    /// last run, before its files): status says the files are not written from the journals and
    /// gives the command that writes them, which then makes status say they are.
    @Test func aJournalNewerThanTheFilesIsNotCalledDone() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        #expect(try BenchProcess.run(["sweep", "small", "--bootstrap", "0", "--out", "R"], in: dir).status == 0)
        // The manifest (written last, after the files) an hour older than the journal.
        let manifest = dir.appendingPathComponent("R/manifest.json")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: manifest.path)
        let stale = try BenchProcess.run(["status", "R"], in: dir)
        #expect(stale.stdout.hasSuffix("\ncomplete, but the result files in R/ are not written from these journals yet: "
            + "`bench sweep R/spec.json --out R` writes them\n"), "\(stale.stdout)")
        #expect(try BenchProcess.run(["sweep", "R/spec.json", "--out", "R"], in: dir).status == 0)
        let written = try BenchProcess.run(["status", "R"], in: dir)
        #expect(written.stdout.hasSuffix("\ncomplete: the result files in R/ are written from these journals\n"), "\(written.stdout)")
    }
}

/// `bench figures` draws a spec's figures only from results of that spec.
@Suite(.serialized)
struct FiguresSpecCheckTests {
    /// A spec that changed in a way that changes runs (here the number of seeds) is refused with
    /// status 6 and nothing drawn; a change to a figure's title alone is drawn. With no names, a
    /// spec that does not match its results is skipped with a note.
    @Test func figuresRefuseResultsOfAnotherSpec() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let sweep = try BenchProcess.run(["sweep", "small", "--bootstrap", "0"], in: dir)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("Plots/small"))
        try writeSpec(BenchCLITests.small.replacingOccurrences(of: #""seeds": 3"#, with: #""seeds": 4"#), name: "small", in: dir)
        let changed = try BenchProcess.run(["figures", "small"], in: dir)
        #expect(changed.status == 6, "\(changed.stderr)")
        #expect(changed.stderr.hasPrefix("error: Results/small: Experiments/small.json changed since these results were written (hash "), "\(changed.stderr)")
        #expect(changed.stderr.hasSuffix("; run `bench sweep small` first (--extend or --fresh), or draw with the spec these results were written from\n"), "\(changed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/small").path))
        let all = try BenchProcess.run(["figures"], in: dir)
        #expect(all.stderr.contains("note: Experiments/small.json: skipped, Experiments/small.json changed since these results were written"), "\(all.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/small").path))
        // Presentation only: drawn.
        let retitled = BenchCLITests.small.replacingOccurrences(of: #""name": "small","#, with: #""name": "small", "description": "retitled","#)
        #expect(retitled != BenchCLITests.small)
        try writeSpec(retitled, name: "small", in: dir)
        let drawn = try BenchProcess.run(["figures", "small"], in: dir)
        #expect(drawn.status == 0, "\(drawn.stderr)")
    }
}

/// Where figures go when results are sent elsewhere.
@Suite(.serialized)
struct DefaultPlotsCLITests {
    /// `--out local` without `--plots` draws into Plots/local/, never over the default results'
    /// Plots/<name>/ (found by a new-user test); `bench figures --out local` and `bench merge local`
    /// follow the same rule; `--plots` still wins.
    @Test func resultsElsewhereDrawElsewhere() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(BenchCLITests.small, name: "small", in: dir)
        let main = try BenchProcess.run(["sweep", "small", "--bootstrap", "0"], in: dir)
        #expect(main.status == 0, "\(main.stderr)")
        let report = dir.appendingPathComponent("Plots/small/report.html")
        let before = try Data(contentsOf: report)
        let other = try BenchProcess.run(["sweep", "small", "--out", "local", "--bootstrap", "0", "--jobs", "2"], in: dir)
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stdout.contains("figures: Plots/local/"), "\(other.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Plots/local/report.html").path))
        #expect(try Data(contentsOf: report) == before)
        let figures = try BenchProcess.run(["figures", "small", "--out", "local"], in: dir)
        #expect(figures.status == 0, "\(figures.stderr)")
        #expect(figures.stdout.contains("Plots/local/"), "\(figures.stdout)")
        let explicit = try BenchProcess.run(["figures", "small", "--out", "local", "--plots", "P2"], in: dir)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("P2").path))
        let rendered = try BenchProcess.run(["report", "local"], in: dir)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try Data(contentsOf: report) == before)
    }
}
