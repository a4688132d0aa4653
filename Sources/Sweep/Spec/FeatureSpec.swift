import AlignmentCore
import StableFloor

/// An environment's `features` block: the features φ(x, y) its log-linear runs use
/// (`"policy_class": "log-linear"` on an algorithm entry). Tabular runs ignore it.
///
/// - `{"kind": "indicator"}`: φ(x, y) = e_{(x,y)}, d = contexts × actions (the log-linear class is
///   then the tabular class).
/// - `{"kind": "random", "dimension": d, "seed": s}`: independent standard normals (GSL MT19937,
///   ziggurat); without `seed`, s = `SeedDerivation.features` (key "features|<environment id>").
/// - `{"kind": "given", "values": [[[…]]]}`: φ indexed `[context][action][k]`; or
///   `{"kind": "given", "path": "features.json"}`: the same nested array in a JSON file, read once,
///   fingerprinted (SHA-256) and copied into the results directory like any input file, so that
///   runs go stale when its bytes change.
public enum FeatureSpec: Sendable, Equatable {
    /// Indicator features.
    case indicator
    /// Random Gaussian features of `dimension` from `seed` (given or derived).
    case random(dimension: Int, seed: UInt64)
    /// Given values `[x][y][k]`.
    case given([[[Double]]])

    /// The keys of a `features` block.
    public static let kinds = ["indicator", "random", "given"]
    /// Largest contexts × actions × d of stored features (dense; indicator features are not stored).
    public static let maximumEntries = 1 << 24
    /// Largest dimension of random features.
    public static let maximumDimension = 100_000

    /// The features for a problem of `contexts` × `actions`.
    /// - Throws: `AlignmentCoreError.invalidProblem` when given values do not fit the shape.
    public func featureMap(contexts: Int, actions: Int) throws -> FeatureMap {
        switch self {
        case .indicator:
            return FeatureMap(indicatorContexts: contexts, actions: actions)
        case let .random(d, seed):
            return FeatureMap(randomContexts: contexts, actions: actions, dimension: d, seed: seed)
        case let .given(rows):
            let map = try FeatureMap(given: rows)
            guard map.contexts == contexts, map.actions == actions else {
                throw AlignmentCoreError.invalidProblem("features are given for \(map.contexts) context(s) × \(map.actions) actions, the environment has \(contexts) × \(actions)")
            }
            return map
        }
    }

    /// The dimension d for a problem of `contexts` × `actions`.
    public func dimension(contexts: Int, actions: Int) -> Int {
        switch self {
        case .indicator: return contexts * actions
        case let .random(d, _): return d
        case let .given(rows): return rows.first?.first?.count ?? 0
        }
    }
}

extension ExperimentSpec {
    /// The `ResolvedInput.parameter` of a features file (`features.path`): not a kind parameter, so
    /// it can never collide with one.
    static let featuresFileParameter = "features.path"

    /// Parses an environment's `features` block (shape checks against the environment come after
    /// it is built), reading a `given` file through `locator`.
    /// - Returns: the features, and the input file they were read from (nil for inline blocks).
    /// - Throws: `SweepError.spec` naming the spec's JSON path, or the features file and the JSON
    ///   path inside it.
    static func featureSpec(_ v: JSONValue, at path: JSONPath, reader: SpecReader, specSeed: UInt64,
                            environment id: String, locator: InputLocator) throws -> (FeatureSpec, (ResolvedInput, InputFile)?) {
        let shape = "an object {\"kind\": \"indicator\"}, {\"kind\": \"random\", \"dimension\": d, \"seed\": s}, {\"kind\": \"given\", \"values\": [[[φ(x, y) for each action] for each context]]} or {\"kind\": \"given\", \"path\": \"<JSON file of that array>\"}"
        guard v.objectMembers != nil else { throw reader.fail(path, "expected an object, got \(v.typeName)", allowed: shape) }
        guard let kindValue = v["kind"] else { throw reader.fail(path, "missing required key \"kind\"", allowed: shape) }
        switch try reader.choice(kindValue, at: path.key("kind"), among: FeatureSpec.kinds) {
        case "indicator":
            _ = try reader.object(v, at: path, allowed: ["kind"])
            return (.indicator, nil)
        case "random":
            _ = try reader.object(v, at: path, allowed: ["kind", "dimension", "seed"], required: ["dimension"])
            let d = try reader.integer(v["dimension"]!, at: path.key("dimension"), in: 1...maximumFeatureDimension)
            let seed = try v["seed"].map { try reader.seed($0, at: path.key("seed")) }
                ?? SeedDerivation.features(specSeed: specSeed, environment: id)
            return (.random(dimension: d, seed: seed), nil)
        default:
            _ = try reader.object(v, at: path, allowed: ["kind", "values", "path"])
            switch (v["values"], v["path"]) {
            case let (values?, nil):
                return (.given(try givenFeatureValues(values, at: path.key("values"), reader: reader)), nil)
            case let (nil, file?):
                let at = path.key("path")
                let allowedFile = "a JSON file holding [[[φ(x, y) for each action] for each context]] (d numbers per action)"
                let name = try reader.string(file, at: at, allowed: allowedFile)
                let (resolved, input) = try readInput(name, parameter: featuresFileParameter, environment: id, at: at,
                                                      reader: reader, locator: locator, allowed: allowedFile)
                guard let text = input.text else {
                    throw reader.fail(at, "\(SpecText.bounded(name)) is not UTF-8 text", allowed: allowedFile)
                }
                let json = try JSONParser.parse(text, file: name)
                let rows = try givenFeatureValues(json, at: .root, reader: SpecReader(file: name))
                return (.given(rows), (resolved, input))
            default:
                throw reader.fail(path, "a \"given\" block needs exactly one of \"values\" and \"path\"", allowed: shape)
            }
        }
    }

    /// Given features `[[[φ(x, y)_k]]]`: every action the same d ≥ 1 finite numbers, at most
    /// `FeatureSpec.maximumEntries` in all.
    static func givenFeatureValues(_ v: JSONValue, at vp: JSONPath, reader: SpecReader) throws -> [[[Double]]] {
        let allowed = "an array of contexts, each an array of actions, each an array of d finite numbers (the same d everywhere)"
        var rows: [[[Double]]] = []
        var d: Int?
        var entries = 0
        for (x, cv) in try reader.array(v, at: vp, allowed: allowed).enumerated() {
            var row: [[Double]] = []
            for (y, av) in try reader.array(cv, at: vp.index(x), allowed: allowed).enumerated() {
                let phi = try reader.array(av, at: vp.index(x).index(y), allowed: allowed).enumerated().map { k, e in
                    try reader.number(e, at: vp.index(x).index(y).index(k), in: .all)
                }
                if d == nil { d = phi.count }
                guard phi.count == d, !phi.isEmpty else {
                    throw reader.fail(vp.index(x).index(y), "\(phi.count) features, φ(0, 0) has \(d ?? 0)", allowed: allowed)
                }
                entries += phi.count
                guard entries <= FeatureSpec.maximumEntries else {
                    throw reader.fail(vp, "more than \(FeatureSpec.maximumEntries) feature entries", allowed: "at most \(FeatureSpec.maximumEntries) numbers")
                }
                row.append(phi)
            }
            rows.append(row)
        }
        guard !rows.isEmpty, !rows[0].isEmpty else { throw reader.fail(vp, "no features", allowed: allowed) }
        return rows
    }

    /// Largest `dimension` of random features.
    static var maximumFeatureDimension: Int { FeatureSpec.maximumDimension }

    /// Checks a `features` block against the built environment's shape (given values must match
    /// contexts × actions; random features must stay within `FeatureSpec.maximumEntries`).
    static func checkFeatures(_ f: FeatureSpec, contexts: Int, actions: Int, at path: JSONPath, reader: SpecReader,
                              environment id: String) throws {
        switch f {
        case .indicator: return
        case let .random(d, _):
            let entries = SpecLimits.product(contexts, SpecLimits.product(actions, d))
            guard entries <= FeatureSpec.maximumEntries else {
                throw reader.fail(path.key("dimension"), "\(contexts) contexts × \(actions) actions × \(d) = \(entries) feature entries",
                                  allowed: "at most \(FeatureSpec.maximumEntries) entries")
            }
        case let .given(rows):
            guard rows.count == contexts else {
                throw reader.fail(path.key("values"), "features for \(rows.count) context(s), environment \"\(id)\" has \(contexts)",
                                  allowed: "one array per context (\(contexts)), each with one φ per action (\(actions))")
            }
            if let x = rows.firstIndex(where: { $0.count != actions }) {
                throw reader.fail(path.key("values").index(x), "features for \(rows[x].count) actions, environment \"\(id)\" has \(actions)",
                                  allowed: "one φ per action (\(actions))")
            }
        }
    }
}
