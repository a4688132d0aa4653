import AlignmentCore
import StableFloor
import Foundation

extension ExperimentSpec {
    /// Keys allowed at the top level of a spec.
    public static let topLevelKeys = ["$schema", "name", "description", "environments", "reference", "feedback",
                                      "budget", "seeds", "seed", "record_every", "tau", "metrics", "select_by", "defaults",
                                      "algorithms", "figures"]

    /// Top-level keys that change no result file (excluded from `resultsHash`).
    public static let presentationKeys = ["$schema", "description", "figures"]

    /// Reads, parses and validates a spec file.
    /// - Parameters:
    ///   - url: the file.
    ///   - displayName: the name used in messages (default: the path as given by `url`).
    ///   - catalog: the plugins and environment kinds the spec may name.
    /// - Throws: `SweepError.specNotFound`/`.io` when missing or unreadable, `SweepError.syntax` for
    ///   malformed JSON, `SweepError.spec` for the first invalid value, `SweepError.tooLarge` above
    ///   `limits`.
    ///   - limits: the size limits (`.forced` with `--force`).
    ///   - inputs: where the spec's input files are read from (default: as given, relative to the
    ///     current directory; a results directory's copies for `bench summarize`).
    ///   - subset: the `--only` selection (`restricted(to:)`; the spec is validated whole first).
    public static func load(contentsOf url: URL, displayName: String? = nil,
                            catalog: PluginCatalog = .standard, limits: SpecLimits = .standard,
                            inputs: InputLocator = .currentDirectory, subset: RunSubset = RunSubset()) throws -> ExperimentSpec {
        let name = displayName ?? url.relativePath
        let text = try SpecFile.contents(url, displayName: name)
        var spec = try parse(text, file: name, catalog: catalog, limits: limits, inputs: inputs)
        spec.sourceText = text
        return try spec.restricted(to: subset)
    }

    /// Parses and validates a spec from text (docs/ARCHITECTURE.md, "The spec schema").
    ///
    /// Every environment is built once (ground truth and reference), every algorithm configuration is
    /// created through its plugin's `init(parameters:)`, so a spec that validates can run.
    /// - Parameters:
    ///   - text: the JSON text.
    ///   - file: the file name used in messages.
    ///   - catalog: the plugins and environment kinds the spec may name.
    ///   - limits: the size limits (runs, checkpoints) checked before any grid point is built.
    ///   - inputs: where the spec's input files (`.inputFile` parameters) are read from.
    /// - Throws: `SweepError.syntax` or `SweepError.spec` (one line: file, JSON path, what is wrong,
    ///   what is allowed); `SweepError.tooLarge` when the grid exceeds `limits`.
    public static func parse(_ text: String, file: String, catalog: PluginCatalog = .standard,
                             limits: SpecLimits = .standard, inputs: InputLocator = .currentDirectory) throws -> ExperimentSpec {
        let document = try JSONParser.parse(text, file: file)
        let reader = SpecReader(file: file)
        try SpecText.checkStrings(document, reader: reader)
        let root = JSONPath.root
        let members = try reader.object(document, at: root, allowed: topLevelKeys,
                                        required: ["name", "environments", "budget", "algorithms"])
        func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }

        if let s = value("$schema") { _ = try reader.string(s, at: root.key("$schema")) }
        let name = try reader.identifier(value("name")!, at: root.key("name"))
        let description = try value("description").map { try reader.string($0, at: root.key("description")) }

        let budgetPath = root.key("budget")
        let budget = try reader.object(value("budget")!, at: budgetPath, allowed: ["iterations", "queries"], required: ["iterations"])
        let iterations = try reader.integer(budget.first { $0.key == "iterations" }!.value,
                                            at: budgetPath.key("iterations"), in: 1...1_000_000_000)
        let queries = try budget.first { $0.key == "queries" }.map {
            try reader.integer($0.value, at: budgetPath.key("queries"), in: 1...Int.max)
        }
        let seeds = try value("seeds").map { try reader.integer($0, at: root.key("seeds"), in: 1...100_000) } ?? 1
        let seed = try value("seed").map { try reader.seed($0, at: root.key("seed")) } ?? 0
        let recordEvery = try value("record_every").map {
            try reader.integer($0, at: root.key("record_every"), in: 1...1_000_000_000)
        } ?? max(1, iterations / 50)
        let tau = try value("tau").map { v -> Double in
            let t = try reader.number(v, at: root.key("tau"), in: .nonNegative)
            guard EvaluationTau.isEvaluable(t) else {
                throw reader.fail(root.key("tau"), "\(CanonicalNumber.format(t)) is out of range",
                                  allowed: "0 (no regularization) or a number in [\(CanonicalNumber.format(EvaluationTau.supported.lowerBound)), \(CanonicalNumber.format(EvaluationTau.supported.upperBound))]")
            }
            return t
        }
        let feedback = try value("feedback").map {
            FeedbackMode(rawValue: try reader.choice($0, at: root.key("feedback"), among: FeedbackMode.allCases.map(\.rawValue)))!
        } ?? .exact
        let reference = try value("reference").map { try referenceSpec($0, at: root.key("reference"), reader: reader) } ?? .uniform
        let metricIDs = try value("metrics").map { try requestedMetrics($0, at: root.key("metrics"), reader: reader) } ?? Metric.ids
        let selectBy = try value("select_by").map {
            try ConfigurationSelection.parse($0, at: root.key("select_by"), reader: reader)
        } ?? .default

        let envPath = root.key("environments")
        let envValues = try reader.array(value("environments")!, at: envPath, allowed: "a non-empty array of environment objects")
        guard !envValues.isEmpty else {
            throw reader.fail(envPath, "no environments", allowed: "a non-empty array of environment objects")
        }
        // Duplicates through a dictionary and a running sum: validation stays O(n) in the entries.
        var environments: [EnvironmentSetup] = []
        var envIndex: [String: Int] = [:]
        var entries = 0
        for (i, v) in envValues.enumerated() {
            let env = try environment(v, at: envPath.index(i), reader: reader, specSeed: seed,
                                      defaultReference: reference, referencePath: root.key("reference"), catalog: catalog,
                                      inputs: inputs)
            if let j = envIndex[env.id] {
                throw reader.fail(envPath.index(i).key("id"), "duplicate environment id \"\(env.id)\" (also at \(envPath.index(j)))",
                                  allowed: "unique ids")
            }
            envIndex[env.id] = i
            environments.append(env)
            entries = SpecLimits.sum(entries, env.preferenceEntries)
            if entries > SpecLimits.maximumTotalPreferenceEntries {
                throw reader.fail(envPath.index(i), "the environments up to here hold \(entries) preference entries (contexts × actions² summed)",
                                  allowed: "at most \(SpecLimits.maximumTotalPreferenceEntries) entries over all environments")
            }
        }

        let algPath = root.key("algorithms")
        let algValues = try reader.array(value("algorithms")!, at: algPath, allowed: "a non-empty array of algorithm objects")
        guard !algValues.isEmpty else {
            throw reader.fail(algPath, "no algorithms", allowed: "a non-empty array of algorithm objects")
        }
        try checkSize(algorithmEntries: algValues, environments: environments.count, seeds: seeds, iterations: iterations,
                      recordEvery: recordEvery, recordEveryGiven: value("record_every") != nil, limits: limits, file: file)
        let defaultsPath = root.key("defaults")
        let defaults = try value("defaults").map { try hyperparameterDefaults($0, at: defaultsPath, reader: reader) } ?? []
        var algorithms: [AlgorithmSetup] = []
        var labelIndex: [String: Int] = [:]
        for (i, v) in algValues.enumerated() {
            let alg = try algorithm(v, at: algPath.index(i), reader: reader, defaultFeedback: feedback,
                                    feedbackPath: root.key("feedback"), catalog: catalog,
                                    defaults: defaults, defaultsPath: defaultsPath)
            if let j = labelIndex[alg.label] {
                let at = v["label"] == nil ? algPath.index(i) : algPath.index(i).key("label")
                throw reader.fail(at, "duplicate algorithm label \"\(alg.label)\" (also at \(algPath.index(j)))",
                                  allowed: "unique labels (set \"label\" to tell entries with the same id apart)")
            }
            labelIndex[alg.label] = i
            algorithms.append(alg)
        }
        try checkDefaultsAreDeclared(defaults, at: defaultsPath, by: algorithms, reader: reader)
        // A log-linear entry runs on every environment: each must supply features.
        for (i, alg) in algorithms.enumerated() where alg.policyClass == .logLinear {
            if let e = environments.firstIndex(where: { $0.features == nil }) {
                throw reader.fail(algPath.index(i).key("policy_class"),
                                  "the log-linear class needs features, and environment \"\(environments[e].id)\" (\(envPath.index(e))) has no \"features\" block",
                                  allowed: "\"tabular\", or a \"features\" block in every environment entry")
            }
        }
        // The results hash sees the defaults as if written in each entry, so moving a value into
        // `defaults` changes no hash, run id or fingerprint.
        let resultMembers = expandingDefaults(members, defaults: defaults, algorithms: algorithms)

        let shared = JSONValue.object([
            JSONMember("reference", value("reference") ?? .object([JSONMember("kind", .string("uniform"))])),
            JSONMember("feedback", .string(feedback.rawValue)),
            JSONMember("iterations", .integer(iterations)),
            JSONMember("queries", queries.map { .integer($0) } ?? .null),
            JSONMember("record_every", .integer(recordEvery)),
            JSONMember("tau", tau.map { .number($0) } ?? .null),
            JSONMember("seed", .number(Double(seed), literal: String(seed))),
        ] + (metricIDs == Metric.ids ? [] : [JSONMember("metrics", .array(metricIDs.map { .string($0) }))])).canonicalText

        var spec = ExperimentSpec(
            name: name, description: description, file: file,
            specHash: StableHash.hex(StableHash.fnv1a64(document.canonicalText)),
            resultsHash: StableHash.hex(StableHash.fnv1a64(JSONValue.object(resultMembers.filter {
                !presentationKeys.contains($0.key)
            }).canonicalText)),
            environments: environments, reference: reference, feedback: feedback, iterations: iterations,
            queryBudget: queries, seeds: seeds, seed: seed, recordEvery: recordEvery, tau: tau, selectBy: selectBy,
            algorithms: algorithms, figures: [], sharedSettings: shared, sourceText: text)
        spec.metricIDs = metricIDs
        if !metricIDs.contains(selectBy.metric) {
            let at = value("select_by") == nil ? root.key("metrics") : root.key("select_by").key("metric")
            throw reader.fail(at, "select_by uses metric \"\(selectBy.metric)\"\(value("select_by") == nil ? " (the default)" : ""), which \"metrics\" does not list",
                              allowed: "a select_by metric among the listed metrics: " + metricIDs.joined(separator: ", "))
        }
        if let conflict = EvaluationTau.selectionConflict(spec: spec, selection: selectBy) {
            throw reader.fail(root.key("select_by").key("metric"), conflict,
                              allowed: "a metric that does not depend on τ, or a top-level \"tau\" so that every configuration is measured at the same τ")
        }
        if let missing = ConfigurationSelection.availabilityConflict(spec: spec, selection: selectBy) {
            throw reader.fail(root.key("select_by").key("metric"), missing, allowed: ConfigurationSelection.availabilityAllowed)
        }
        if let f = value("figures") {
            spec.figures = try figures(f, at: root.key("figures"), reader: reader, spec: spec)
        }
        return spec
    }

    /// Parses the top-level `metrics` array: a non-empty list of distinct metric ids, returned in
    /// `Metric.all` order.
    /// - Throws: `SweepError.spec` naming the element's JSON path, with the allowed ids.
    static func requestedMetrics(_ v: JSONValue, at path: JSONPath, reader: SpecReader) throws -> [String] {
        let allowed = "a non-empty array of distinct metric ids among " + Metric.ids.joined(separator: ", ")
        let items = try reader.array(v, at: path, allowed: allowed)
        guard !items.isEmpty else { throw reader.fail(path, "an empty list computes no metric", allowed: allowed) }
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let id = try reader.choice(item, at: path.index(i), among: Metric.ids)
            if let j = seen[id] {
                throw reader.fail(path.index(i), "duplicate metric \"\(id)\" (also at \(path.index(j)))", allowed: allowed)
            }
            seen[id] = i
        }
        return Metric.ids.filter { seen[$0] != nil }
    }

    /// Parses a `reference` object.
    static func referenceSpec(_ v: JSONValue, at path: JSONPath, reader: SpecReader) throws -> ReferenceSpec {
        let kinds = ["uniform", "softmax-normal", "given"]
        guard v.objectMembers != nil else {
            throw reader.fail(path, "expected an object, got \(v.typeName)",
                              allowed: "{\"kind\": \"uniform\"}, {\"kind\": \"softmax-normal\", \"scale\": s, \"seed\": n} or {\"kind\": \"given\", \"probabilities\": [...]}")
        }
        guard let kindValue = v["kind"] else {
            throw reader.fail(path, "missing required key \"kind\"", allowed: kinds.joined(separator: ", "))
        }
        let kind = try reader.choice(kindValue, at: path.key("kind"), among: kinds)
        switch kind {
        case "uniform":
            _ = try reader.object(v, at: path, allowed: ["kind"])
            return .uniform
        case "softmax-normal":
            _ = try reader.object(v, at: path, allowed: ["kind", "scale", "seed"])
            let scale = try v["scale"].map { try reader.number($0, at: path.key("scale"), in: .positive) } ?? 1
            let seed = try v["seed"].map { try reader.seed($0, at: path.key("seed")) }
            return .softmaxNormal(scale: scale, seed: seed)
        default:
            _ = try reader.object(v, at: path, allowed: ["kind", "probabilities"], required: ["probabilities"])
            let allowed = "an array of non-negative numbers (one row for every context) or an array of such rows (one per context)"
            let pPath = path.key("probabilities")
            let raw = try reader.array(v["probabilities"]!, at: pPath, allowed: allowed)
            guard !raw.isEmpty else { throw reader.fail(pPath, "empty array", allowed: allowed) }
            let nested = raw.allSatisfy { $0.arrayElements != nil }
            let rows: [[JSONValue]] = nested ? raw.map { $0.arrayElements! } : [raw]
            var out: [[Double]] = []
            for (r, row) in rows.enumerated() {
                let rowPath = nested ? pPath.index(r) : pPath
                guard !row.isEmpty else { throw reader.fail(rowPath, "empty row", allowed: allowed) }
                out.append(try row.enumerated().map { j, e in
                    try reader.number(e, at: rowPath.index(j), in: .nonNegative)
                })
                guard out[r].reduce(0, +) > 0 else { throw reader.fail(rowPath, "the probabilities sum to 0", allowed: allowed) }
            }
            return .given(out)
        }
    }
}

/// The tool's version, recorded in manifests and run fingerprints.
public enum BenchVersion {
    /// Semantic version of `bench`.
    public static let current = "0.1.0"
}
