import AlignmentCore
import Foundation

/// A results directory's manifest.json — the one type and the one reader of it.
///
/// `bench sweep` writes it last (after every other result file) with the members of `Key`, in
/// that order; `bench summarize` rewrites it with "select_by", "bootstrap_samples" and "history"
/// replaced. The reader keeps every member as written (`json`), so a rewrite never drops a key,
/// and exposes the members later invocations use as typed values.
public struct RecordedManifest: Sendable, Equatable {
    /// The file's name in a results directory.
    public static let fileName = "manifest.json"
    /// Manifests larger than this are refused (a real one is a few KiB; the history grows by
    /// about 2 KiB per invocation).
    static let maximumBytes = 64 << 20

    /// The members a sweep writes, in file order.
    public enum Key: String, CaseIterable, Sendable {
        /// The experiment's name (string).
        case name
        /// The spec file as the sweep named it (string).
        case specFile = "spec_file"
        /// FNV-1a of the spec's canonical JSON, `ExperimentSpec.specHash` (string).
        case specHash = "spec_hash"
        /// The hash of the result-relevant part of the spec, `ExperimentSpec.resultsHash` (string).
        case resultsHash = "results_hash"
        /// The subset of the spec's runs chosen with `--only` (`RunSubset`): null for the whole
        /// spec, else an object mapping "algorithm"/"environment" to arrays of strings.
        case only
        /// The `bench` version (string).
        case toolVersion = "tool_version"
        /// Run counts: planned, completed, failed, resumed, dropped, stale_rerun (object).
        case runs
        /// The bootstrap B of the statistics files (integer).
        case bootstrapSamples = "bootstrap_samples"
        /// The best-configuration rule in force: metric, goal, source, spec_rule (object).
        case selectBy = "select_by"
        /// The name of the spec's copy in the directory (string).
        case specCopy = "spec_copy"
        /// Input files: environment, parameter, path, sha256, bytes, copy (array of objects).
        case inputs
        /// The result files, in the order written (array of strings).
        case files
        /// The latest invocation's provenance (object, `Invocation.json`).
        case provenance
        /// Every invocation's provenance, oldest first (array).
        case history
    }

    /// Every member, in file order, as read (or as made by `init(name:…)`).
    public private(set) var json: JSONValue
    /// The experiment's name.
    public var name: String
    /// The spec file as the sweep named it (relative to the directory the sweep ran in).
    public var specFile: String
    /// FNV-1a of the spec's canonical JSON (`ExperimentSpec.specHash`).
    public var specHash: String
    /// The hash of the result-relevant part of the spec (`ExperimentSpec.resultsHash`), when recorded.
    public var resultsHash: String?
    /// The bootstrap B the sweep (or the last summarize) used, when recorded and within
    /// `SweepOptions.bootstrapSampleRange`.
    public var bootstrapSamples: Int?

    /// Creates a manifest holding only the identifying members (tests, comparisons).
    public init(name: String, specFile: String, specHash: String, resultsHash: String?, bootstrapSamples: Int?) {
        var members = [JSONMember(Key.name.rawValue, .string(name)), JSONMember(Key.specFile.rawValue, .string(specFile)),
                       JSONMember(Key.specHash.rawValue, .string(specHash))]
        if let resultsHash { members.append(JSONMember(Key.resultsHash.rawValue, .string(resultsHash))) }
        if let bootstrapSamples { members.append(JSONMember(Key.bootstrapSamples.rawValue, .integer(bootstrapSamples))) }
        self.init(json: .object(members), name: name, specFile: specFile, specHash: specHash, resultsHash: resultsHash,
                  bootstrapSamples: bootstrapSamples)
    }

    private init(json: JSONValue, name: String, specFile: String, specHash: String, resultsHash: String?, bootstrapSamples: Int?) {
        self.json = json
        self.name = name
        self.specFile = specFile
        self.specHash = specHash
        self.resultsHash = resultsHash
        self.bootstrapSamples = bootstrapSamples
    }

    /// The manifest described by a JSON object, or nil when it lacks name, spec_file or spec_hash
    /// (then it was not written by `bench sweep`).
    init?(json: JSONValue) {
        guard json.objectMembers != nil, let name = json[Key.name.rawValue]?.stringValue,
              let file = json[Key.specFile.rawValue]?.stringValue, let hash = json[Key.specHash.rawValue]?.stringValue else { return nil }
        self.init(json: json, name: name, specFile: file, specHash: hash, resultsHash: json[Key.resultsHash.rawValue]?.stringValue,
                  bootstrapSamples: Self.bootstrapSamples(in: json))
    }

    /// The recorded B, when it is one the commands accept (`SweepOptions.bootstrapSampleRange`): a
    /// hand-edited value outside it is not reused.
    private static func bootstrapSamples(in json: JSONValue) -> Int? {
        json[Key.bootstrapSamples.rawValue]?.integerValue.flatMap { SweepOptions.bootstrapSampleRange.contains($0) ? $0 : nil }
    }

    /// Reads `<directory>/manifest.json`.
    /// - Parameter display: the directory as shown in messages (default: its path).
    /// - Throws: `SweepError.store` when it is missing or unreadable, larger than 64 MiB, not JSON,
    ///   or lacks name, spec_file or spec_hash.
    /// - Complexity: O(file size).
    public static func read(directory: URL, display: String? = nil) throws -> RecordedManifest {
        let url = directory.appendingPathComponent(fileName)
        let shown = (display ?? directory.path) + "/" + fileName
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw SweepError.store("\(shown): cannot read the manifest; is this a results directory written by `bench sweep`?")
        }
        guard data.count <= maximumBytes else {
            throw SweepError.store("\(shown): \(data.count) bytes; a manifest written by `bench sweep` is at most \(maximumBytes) bytes")
        }
        guard let v = try? JSONParser.parse(text, file: shown), let manifest = RecordedManifest(json: v) else {
            throw SweepError.store("\(shown): not a manifest written by `bench sweep` (needs name, spec_file and spec_hash)")
        }
        return manifest
    }

    /// The manifest of a directory that a sweep or summary is about to rewrite, or nil when there
    /// is none or it is not one `bench sweep` wrote (a new history then starts): `read`, with its
    /// errors meaning "no previous manifest".
    static func previous(in directory: URL) -> RecordedManifest? {
        try? read(directory: directory)
    }

    /// The member `key` (nil when absent).
    public subscript(_ key: Key) -> JSONValue? { json[key.rawValue] }

    /// Every invocation recorded so far, oldest first (empty when none).
    public var history: [JSONValue] { self[.history]?.arrayElements ?? [] }

    /// The recorded input files: "environment|parameter" → SHA-256, or nil when the manifest has
    /// no "inputs" member (written before input files were recorded).
    var inputDigests: [String: String]? {
        guard let recorded = self[.inputs]?.arrayElements else { return nil }
        var byKey: [String: String] = [:]
        for e in recorded {
            if let env = e["environment"]?.stringValue, let p = e["parameter"]?.stringValue, let h = e["sha256"]?.stringValue {
                byKey[env + "|" + p] = h
            }
        }
        return byKey
    }

    /// The manifest with the members of `changes` replaced (or appended, in order); every other
    /// member is kept as it was.
    func updating(with changes: [JSONMember]) -> RecordedManifest {
        var members = json.objectMembers ?? []
        for c in changes {
            if let i = members.firstIndex(where: { $0.key == c.key }) { members[i] = c } else { members.append(c) }
        }
        var out = self
        out.json = .object(members)
        if let b = Self.bootstrapSamples(in: out.json) { out.bootstrapSamples = b }
        return out
    }
}

extension JSONMember {
    /// A manifest member.
    init(_ key: RecordedManifest.Key, _ value: JSONValue) { self.init(key.rawValue, value) }
}
