import AlignmentCore
import BuildProvenance
import Foundation

/// The manifest members that outlive one invocation: the selection rule, the input files and
/// their copies, and the copies of the spec.
extension RecordedManifest {
    /// The name of the spec's copy inside a results directory.
    static let specCopyName = "spec.json"

    /// The selection rule recorded by `bench summarize --select-by` ("select_by" with source
    /// "bench summarize"), which later sweeps and summaries keep until another `--select-by`
    /// replaces it — or until the spec's own `select_by` changes (the latest explicit choice wins):
    /// nil when the rule the spec had then ("spec_rule") differs from `specRule`.
    func recordedSelection(specRule: ConfigurationSelection) -> ConfigurationSelection? {
        guard let s = self[.selectBy], s["source"]?.stringValue == "bench summarize",
              let metric = s["metric"]?.stringValue, let goal = s["goal"]?.stringValue.flatMap(ConfigurationSelection.Goal.init(rawValue:)),
              s["spec_rule"]?.stringValue == "\(specRule.metric):\(specRule.goal.rawValue)"
        else { return nil }
        return ConfigurationSelection(metric: metric, goal: goal)
    }

    /// The "select_by" member: the rule in effect, where it came from ("spec" or "bench summarize")
    /// and the spec's own rule at the time ("metric:goal").
    static func selectionJSON(_ s: ConfigurationSelection, source: String, specRule: ConfigurationSelection) -> JSONValue {
        .object([JSONMember("metric", .string(s.metric)), JSONMember("goal", .string(s.goal.rawValue)),
                 JSONMember("source", .string(source)),
                 JSONMember("spec_rule", .string("\(specRule.metric):\(specRule.goal.rawValue)"))])
    }

    /// The "inputs" member: every input file with its SHA-256 and the name of its copy.
    static func inputsJSON(_ spec: ExperimentSpec) -> JSONValue {
        .array(spec.inputFiles.map {
            .object([JSONMember("environment", .string($0.environment)), JSONMember("parameter", .string($0.parameter)),
                     JSONMember("path", .string($0.path)), JSONMember("sha256", .string($0.sha256)),
                     JSONMember("bytes", .integer($0.bytes)), JSONMember("copy", .string($0.copyName))])
        })
    }

    /// Writes the spec's text and every input file into the results directory (atomically; input
    /// copies are named by their SHA-256, so an existing copy is already right).
    /// - Throws: `SweepError.io`.
    static func writeCopies(of spec: ExperimentSpec, to directory: URL) throws {
        try ResultsLock.withCopiesLock(directory: directory, display: directory.path) { try writeCopiesLocked(of: spec, to: directory) }
    }

    /// `writeCopies` once `.copies.lock` is held.
    private static func writeCopiesLocked(of spec: ExperimentSpec, to directory: URL) throws {
        try ResultStore.writeAtomically(spec.sourceText, to: directory.appendingPathComponent(specCopyName))
        guard !spec.inputFiles.isEmpty else { return }
        let inputs = directory.appendingPathComponent("inputs")
        guard !FileIO.isSymbolicLink(inputs.path) else {
            throw SweepError.io(path: inputs.path, message: FileIO.symbolicLinkMessage)
        }
        try FileIO.createDirectory(inputs, display: directory.path + "/inputs", what: "inputs directory")
        for input in spec.inputFiles {
            let target = directory.appendingPathComponent(input.copyName)
            if let existing = FileManager.default.contents(atPath: target.path), CompiledSources.sha256Hex(existing) == input.sha256 { continue }
            let bytes = spec.environments.first { $0.id == input.environment }?.inputBytes[input.parameter] ?? []
            try ResultStore.writeAtomically(bytes, to: target)
        }
    }

    /// Checks that `spec`'s input files are byte for byte the ones a results directory's manifest
    /// records (SHA-256 per environment and parameter).
    /// - Returns: nil when they match (or there is no manifest); otherwise what differs, for a
    ///   one-line error.
    static func inputMismatch(_ spec: ExperimentSpec, manifest: RecordedManifest?) -> String? {
        guard let byKey = manifest?.inputDigests else {
            return spec.inputFiles.isEmpty ? nil : "the manifest records no input files, so \(spec.inputFiles.map(\.path).joined(separator: ", ")) cannot be checked"
        }
        for f in spec.inputFiles {
            let was = byKey[f.environment + "|" + f.parameter]
            if was != f.sha256 {
                return "input file \(f.path) of environment \(f.environment) has SHA-256 \(f.sha256.prefix(16))…, "
                    + "but the results were computed from \(was.map { String($0.prefix(16)) + "…" } ?? "no such file")"
            }
        }
        if byKey.count != spec.inputFiles.count { return "the manifest records \(byKey.count) input files, the spec has \(spec.inputFiles.count)" }
        return nil
    }

    /// An `InputLocator` that reads a moved results directory's copies in place of the paths its
    /// manifest records; paths without a copy are read as given.
    static func locator(directory: URL, manifest: RecordedManifest?) -> InputLocator {
        var copies: [String: String] = [:]
        for e in manifest?[.inputs]?.arrayElements ?? [] {
            guard let path = e["path"]?.stringValue, let copy = e["copy"]?.stringValue,
                  !copy.contains(".."), copy.hasPrefix("inputs/") else { continue }
            let url = directory.appendingPathComponent(copy)
            if FileManager.default.fileExists(atPath: url.path) { copies[path] = url.path }
        }
        return InputLocator(copies: copies)
    }
}
