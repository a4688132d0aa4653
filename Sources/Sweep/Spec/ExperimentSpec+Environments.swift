import AlignmentCore
import StableFloor
import BuildProvenance
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExperimentSpec {
    /// Keys every environment entry may have besides its kind's parameters.
    public static let commonEnvironmentKeys = ["id", "kind", "contexts", "seed", "label_noise", "reference", "features"]

    /// Validates one environment entry, builds it once, and checks that the reference fits.
    static func environment(_ v: JSONValue, at path: JSONPath, reader: SpecReader, specSeed: UInt64,
                            defaultReference: ReferenceSpec, referencePath: JSONPath,
                            catalog: PluginCatalog, inputs locator: InputLocator = .currentDirectory) throws -> EnvironmentSetup {
        guard v.objectMembers != nil else {
            throw reader.fail(path, "expected an object, got \(v.typeName)", allowed: "an environment object with \"id\" and \"kind\"")
        }
        let kinds = catalog.environmentKinds
        guard let kindValue = v["kind"] else {
            throw reader.fail(path, "missing required key \"kind\"", allowed: "kind one of " + kinds.joined(separator: ", "))
        }
        let kind = try reader.string(kindValue, at: path.key("kind"), allowed: kinds.joined(separator: ", "))
        guard let type = catalog.environment(kind: kind) else {
            let hint = Suggestion.closest(to: kind, among: kinds).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw reader.fail(path.key("kind"), "unknown environment kind \(SpecText.quoted(kind))\(hint)", allowed: kinds.joined(separator: ", "))
        }
        let descriptor = type.descriptor
        let members = try reader.object(v, at: path, allowed: commonEnvironmentKeys + descriptor.parameters.map(\.name),
                                        required: ["id", "kind"])
        let id = try reader.keyIdentifier(v["id"]!, at: path.key("id"))
        let contexts = try v["contexts"].map { try reader.integer($0, at: path.key("contexts"), in: 1...100_000) } ?? 1
        let seedAllowed = "an integer in [0, 18446744073709551615] or \"per-run\""
        let seed: EnvironmentSeed
        switch v["seed"] {
        case nil: seed = .fixed(SeedDerivation.environment(specSeed: specSeed, id: id))
        case let .string(s)?:
            guard s == "per-run" else {
                throw reader.fail(path.key("seed"), "unknown value \(SpecText.quoted(s))", allowed: seedAllowed)
            }
            seed = .perRun
        case let s?: seed = .fixed(try reader.seed(s, at: path.key("seed"), allowed: seedAllowed))
        }
        let labelNoise = try v["label_noise"].map { try reader.number($0, at: path.key("label_noise"), in: Interval(0, 0.5)) } ?? 0
        let ownReference = try v["reference"].map { try referenceSpec($0, at: path.key("reference"), reader: reader) }
        let featureBlock = try v["features"].map {
            try featureSpec($0, at: path.key("features"), reader: reader, specSeed: specSeed, environment: id, locator: locator)
        }
        let features = featureBlock?.0

        // Kind parameters: type and range per value, then required ones, then the kind's own checks.
        var given: [String: ParameterValue] = [:]
        for m in members where !commonEnvironmentKeys.contains(m.key) {
            let spec = descriptor.parameters.first { $0.name == m.key }!
            let pv = try reader.parameterValue(m.value, at: path.key(m.key), allowed: spec.kind.description)
            do { try spec.validate(pv) } catch {
                throw reader.parameterError(error, at: path.key(m.key), fallbackAllowed: spec.kind.description)
            }
            given[m.key] = pv
        }
        for spec in descriptor.parameters where spec.isRequired && given[spec.name] == nil {
            throw reader.fail(path, "missing required key \"\(spec.name)\" of environment kind \"\(kind)\"", allowed: spec.kind.description)
        }
        let describeHint = "values accepted by environment kind \"\(kind)\" (see `bench describe \(kind)`)"
        // Input files: read once, fingerprinted, handed to the environment as bytes.
        var inputs: [ResolvedInput] = []
        var inputFiles: [String: InputFile] = [:]
        for p in descriptor.parameters where p.kind == .inputFile {
            guard case let .string(file)? = given[p.name] else { continue }
            let (resolved, input) = try readInput(file, parameter: p.name, environment: id, at: path.key(p.name),
                                                  reader: reader, locator: locator, allowed: describeHint)
            inputFiles[p.name] = input
            inputs.append(resolved)
        }
        let environment: any Environment
        do {
            var values = try ParameterValues(given, specs: descriptor.parameters, owner: "environment '\(kind)'")
            values.inputFiles = inputFiles
            environment = try type.init(parameters: values)
        } catch let AlignmentCoreError.invalidParameter(name, reason) {
            let at = given[name] != nil ? path.key(name) : path
            // A free-text parameter (a file path) failing in init means the file is wrong: point at the kind's docs.
            let parameterKind = descriptor.parameters.first { $0.name == name }?.kind
            let allowed = parameterKind.map { if $0 == .text || $0 == .inputFile { return describeHint } else { return $0.description } } ?? describeHint
            // A long input path is shown bounded, like every user string in a message.
            let shown = inputs.reduce(reason) { $0.replacingOccurrences(of: $1.path, with: SpecText.bounded($1.path)) }
            throw reader.parameterError(AlignmentCoreError.invalidParameter(name: name, reason: shown), at: at, fallbackAllowed: allowed)
        } catch {
            throw reader.fail(path, "cannot create the environment: \(error)", allowed: describeHint)
        }

        // A given-features file is an input of the environment entry too (fingerprinted, copied).
        if let (resolved, file) = featureBlock?.1 {
            inputFiles[resolved.parameter] = file
            inputs.append(resolved)
        }
        var setup = EnvironmentSetup(id: id, kind: kind, contexts: contexts, seed: seed, labelNoise: labelNoise,
                                     reference: ownReference, environment: environment, fixedGroundTruth: nil,
                                     canonical: v.canonicalText, inputs: inputs,
                                     inputBytes: inputFiles.mapValues(\.contents))
        // Refuse an absurd size (contexts × actions²) before allocating it: probe one context first.
        if contexts > 1, let probe = try? environment.groundTruth(contexts: 1, seed: 0), let n = probe.preferences.first?.size {
            let entries = SpecLimits.product(max(contexts, probe.preferences.count), SpecLimits.product(n, n))
            if entries > SpecLimits.maximumPreferenceEntries {
                throw reader.fail(path.key("contexts"), "\(contexts) contexts × \(n)² actions = \(entries) preference entries",
                                  allowed: "at most \(SpecLimits.maximumPreferenceEntries) entries per environment (at most \(max(1, SpecLimits.maximumPreferenceEntries / (n * n))) contexts of \(n) actions)")
            }
        }
        // Build once: the fixed instance is kept; a per-run kind is checked with replicate 0.
        let gt: GroundTruth
        do {
            gt = try ProblemFactory.groundTruth(setup, specSeed: specSeed, replicate: 0)
        } catch {
            throw reader.fail(path, "cannot build the environment: \(error)", allowed: describeHint)
        }
        // A game of one response has no pair to compare: every preference-data method would have
        // nothing to draw (refused here, for every kind, rather than failing inside a plugin).
        if let n = gt.preferences.first?.size, n < 2 {
            throw reader.fail(path, "environment \"\(id)\" has \(n) response\(n == 1 ? "" : "s")",
                              allowed: "at least 2 responses (a preference is between two)")
        }
        if case .fixed = seed { setup.fixedGroundTruth = gt }
        if let f = features {
            try checkFeatures(f, contexts: gt.preferences.count, actions: gt.preferences.first?.size ?? 0,
                              at: path.key("features"), reader: reader, environment: id)
            setup.features = f
        }
        setup.preferenceEntries = SpecLimits.product(gt.preferences.count, SpecLimits.product(gt.preferences.first?.size ?? 0, gt.preferences.first?.size ?? 0))
        // Contexts that come from the environment itself (a matrix file's) are bounded here; every
        // kind bounds its actions (`EnvironmentCatalog.maximumActions`) before it builds anything.
        if setup.preferenceEntries > SpecLimits.maximumPreferenceEntries {
            let n = gt.preferences.first?.size ?? 0
            throw reader.fail(path, "\(gt.preferences.count) contexts × \(n)² actions = \(setup.preferenceEntries) preference entries",
                              allowed: "at most \(SpecLimits.maximumPreferenceEntries) entries per environment")
        }
        do {
            _ = try ProblemFactory.problem(setup, groundTruth: gt, defaultReference: defaultReference, specSeed: specSeed)
        } catch {
            let at = ownReference != nil ? path.key("reference") : gt.reference != nil ? path : referencePath
            let actions = gt.preferences.first?.size ?? 0
            throw reader.fail(at, "reference does not fit environment \"\(id)\" (\(gt.preferences.count) context(s) × \(actions) actions): \(error)",
                              allowed: "probabilities with \(actions) entries per row, one row or \(gt.preferences.count) rows")
        }
        return setup
    }

    /// Largest input file an environment may read through a `path` parameter (64 MiB).
    static let maximumInputFileBytes = 64 << 20

    /// Checks an environment's `path` parameter before the environment reads it: an existing file
    /// that is not a directory, FIFO or device (reading those would block or never end) and at most
    /// `maximumInputFileBytes` long. A missing file is left to the environment's own message.
    /// Reads an input file named at `path` (through `locator`), once: its bytes and its
    /// `ResolvedInput` (SHA-256, size) for the fingerprint, the copy and the staleness check.
    /// - Throws: `SweepError.spec` at `path` when the file is missing, not a regular file, too
    ///   large or unreadable.
    static func readInput(_ file: String, parameter: String, environment id: String, at path: JSONPath, reader: SpecReader,
                          locator: InputLocator, allowed: String) throws -> (ResolvedInput, InputFile) {
        let actual = locator.location(of: file)
        try checkInputFile(actual, at: path, reader: reader, allowed: allowed)
        let input: InputFile
        do {
            input = try InputFile.read(path: file, location: actual, parameter: parameter)
        } catch let AlignmentCoreError.invalidParameter(_, reason) {
            throw reader.fail(path, reason.replacingOccurrences(of: file, with: SpecText.bounded(file)), allowed: allowed)
        }
        let resolved = ResolvedInput(environment: id, parameter: parameter, path: file,
                                     sha256: CompiledSources.sha256Hex(Data(input.contents)), bytes: input.contents.count)
        return (resolved, input)
    }

    static func checkInputFile(_ file: String, at path: JSONPath, reader: SpecReader, allowed: String) throws {
        var info = stat()
        guard stat(file, &info) == 0 else { return }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw reader.fail(path, "\(SpecText.bounded(file)) is \(type == S_IFDIR ? "a directory" : "not a regular file")", allowed: allowed)
        }
        guard Int(info.st_size) <= maximumInputFileBytes else {
            throw reader.fail(path, "\(SpecText.bounded(file)) has \(info.st_size) bytes, more than \(maximumInputFileBytes)", allowed: allowed)
        }
    }
}
