import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a sweep does with results written under a different version of its spec.
public enum ExistingResults: String, Sendable, CaseIterable {
    /// Resume when the spec is unchanged (or nothing was written yet); refuse with
    /// `SweepError.specChanged` when it changed.
    case resume
    /// Keep every existing run whose definition is unchanged (same run id and fingerprint), run the
    /// runs the spec now adds or changes, and drop runs the spec no longer plans (`--extend`).
    case extend
    /// Delete the experiment's result files and journal, then start over (`--fresh`).
    case fresh
}

/// An opened results directory: its lock, the journal ready for appends, and the records kept
/// from earlier invocations.
struct StoreSession {
    /// The directory's lock (held until `close`).
    let lock: ResultsLock
    /// The journal, ready for appends.
    let journal: Journal
    /// Records reused from the journal, by run id (each matches the plan's fingerprint).
    let kept: [String: RunRecord]
    /// Earlier runs removed from the journal (no longer planned, changed, or deleted by `fresh`).
    let dropped: Int
    /// Bytes of a partial or corrupt journal tail that were discarded.
    let discardedBytes: Int
    /// The pid of an earlier sweep on this directory that was killed or crashed.
    let interruptedPID: Int32?

    /// Closes the journal and releases the lock.
    func close() {
        journal.close()
        lock.release()
    }

    /// Names of the files a sweep owns in its results directory (deleted by `fresh`), besides those
    /// listed in an existing manifest.
    static var ownedFileNames: [String] {
        ResultStore.fileNames + [ResultStore.journalName]
    }

    /// Creates and locks the results directory, reads its journal and manifest, decides what to keep
    /// under `policy`, and leaves a journal whose header names this spec.
    /// - Throws: `SweepError.io` (directory not creatable, unreadable or unwritable files),
    ///   `SweepError.locked` (another sweep holds the lock), `SweepError.specChanged` (the spec
    ///   changed and `policy` is `resume`). Nothing in the directory is changed before the lock is
    ///   held and the spec check has passed.
    static func open(spec: ExperimentSpec, plans: [RunPlan], directory: URL, display: String,
                     policy: ExistingResults) throws -> StoreSession {
        try FileIO.createDirectory(directory, display: display, what: "results directory")
        let lock = try ResultsLock(directory: directory, display: display)
        let journalURL = directory.appendingPathComponent(ResultStore.journalName)
        let contents = try Journal.read(journalURL)
        let manifest = readManifest(directory.appendingPathComponent("manifest.json"))

        let wanted = Dictionary(uniqueKeysWithValues: plans.map { ($0.runID, $0.fingerprint) })
        var matching: [String: RunRecord] = [:]
        for r in contents.records where wanted[r.runID] == r.fingerprint { matching[r.runID] = r }
        let done = Set(contents.records.map(\.runID)).count

        let storedHash: String?
        let changed: Bool
        if let h = contents.header {
            storedHash = h.resultsHash
            changed = h.resultsHash != spec.resultsHash
        } else if let r = manifest?["results_hash"]?.stringValue {
            storedHash = r
            changed = r != spec.resultsHash
        } else if let s = manifest?["spec_hash"]?.stringValue {
            storedHash = nil
            changed = s != spec.specHash
        } else {
            storedHash = nil
            changed = matching.count != done
        }
        let hasResults = done > 0 || FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs.csv").path)
        if changed, hasResults, policy == .resume {
            let stale = done - matching.count
            throw SweepError.specChanged(directory: display, message:
                "the spec \(spec.file) changed since these results were written (results hash \(storedHash ?? "unknown") → \(spec.resultsHash)); "
                + "of the \(done) runs done, \(matching.count) are unchanged: rerun with --extend to keep them"
                + (stale > 0 ? ", run the \(plans.count - matching.count) new or changed runs and drop the \(stale) stale ones"
                                : " and run the \(plans.count - matching.count) new ones")
                + ", or with --fresh to delete these results and start over")
        }

        // From here on the directory may change.
        removeTemporaryFiles(in: directory)
        var kept = matching
        if policy == .fresh {
            try removeResults(in: directory, display: display, manifest: manifest)
            kept = [:]
        }
        let header = JournalHeader(experiment: spec.name, specHash: spec.specHash, resultsHash: spec.resultsHash)
        let journal: Journal
        if policy == .fresh || contents.header != header || kept.count != contents.records.count {
            let ordered = plans.compactMap { kept[$0.runID] }
            journal = try Journal.rewrite(journalURL, header: header, records: ordered)
        } else {
            journal = try Journal(appendingTo: journalURL, goodEnd: contents.goodEnd)
        }
        return StoreSession(lock: lock, journal: journal, kept: kept, dropped: done - kept.count,
                            discardedBytes: contents.discardedBytes, interruptedPID: lock.previousHolder)
    }

    /// The parsed manifest.json, or nil when absent or unreadable.
    private static func readManifest(_ url: URL) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: url.path), data.count < 1 << 20,
              let text = String(data: data, encoding: .utf8) else { return nil }
        return try? JSONParser.parse(text, file: url.path)
    }

    /// Removes temporary files (".<name>.tmp") left by a sweep that was killed while writing.
    private static func removeTemporaryFiles(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for n in names where n.hasPrefix(".") && n.hasSuffix(".tmp") {
            unlink(directory.appendingPathComponent(n).path)
        }
    }

    /// Deletes the result files and the journal (`--fresh`): the sweep's own names and the files an
    /// existing manifest lists; other files in the directory are left alone.
    private static func removeResults(in directory: URL, display: String, manifest: JSONValue?) throws {
        var names = ownedFileNames
        for v in manifest?["files"]?.arrayElements ?? [] {
            if let n = v.stringValue, !n.isEmpty, !n.hasPrefix("."), !n.contains("/"), !names.contains(n) { names.append(n) }
        }
        for n in names where unlink(directory.appendingPathComponent(n).path) != 0 && errno != ENOENT {
            throw SweepError.io(path: "\(display)/\(n)", message: "cannot delete: \(FileIO.reason(errno))")
        }
        FileIO.syncDirectory(directory)
    }
}

extension SweepRunner {
    /// Runs `body`, rewriting the absolute directory prefix of an I/O error's path to `display`.
    static func relabel<T>(_ directory: URL, as display: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let SweepError.io(path, message) where path.hasPrefix(directory.path + "/") {
            throw SweepError.io(path: display + path.dropFirst(directory.path.count), message: message)
        }
    }
}
