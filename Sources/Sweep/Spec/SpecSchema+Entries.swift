import AlignmentCore

/// Environment and algorithm entries of the schema: one definition per environment kind and
/// algorithm id, selected by `if`/`then` on the discriminating key (figures: `SpecSchema+Figures`).
extension SpecSchema {
    /// `{"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": {"$ref": target}}`.
    static func when(_ key: String, is value: String, then target: String) -> JSONValue {
        object([
            ("if", object([("properties", object([(key, object([("const", string(value))]))])), ("required", strings([key]))])),
            ("then", ref(target)),
        ])
    }

    /// An environment entry: `kind` one of the catalogue's kinds, then the kind's own definition.
    static func environmentSchema(_ catalog: PluginCatalog) -> JSONValue {
        let kinds = catalog.environments.map { $0.descriptor.kind }
        return object([
            ("type", string("object")), ("required", strings(["id", "kind"])),
            ("properties", object([("kind", object([("enum", strings(kinds)),
                                                    ("description", string("An environment kind (`bench list environments`)."))]))])),
            ("allOf", .array(kinds.map { when("kind", is: $0, then: "environment:" + $0) })),
        ])
    }

    /// The keys every environment entry may have (`ExperimentSpec.commonEnvironmentKeys`).
    static func commonEnvironmentProperties() -> [(String, JSONValue)] {
        [
            ("id", ref("keyName")),
            ("contexts", object([("type", string("integer")), ("minimum", .integer(1)), ("maximum", .integer(100_000)), ("default", .integer(1))])),
            ("seed", object([
                ("description", string("An integer, or \"per-run\": re-drawn for every replicate from (spec seed, id, replicate), the same instance for every algorithm. Default: derived from the spec seed and the id.")),
                ("anyOf", .array([ref("seed"), object([("const", string("per-run"))])])),
            ])),
            ("label_noise", object([("type", string("number")), ("minimum", .integer(0)), ("maximum", .number(0.5)), ("default", .integer(0)),
                                    ("description", string("Probability ε that a drawn label is flipped; with exact feedback the algorithm sees the noisy-label law ½ + (1 − 2ε)(P − ½)."))])),
            ("reference", object([("$ref", string("#/$defs/reference")), ("description", string("Overrides the spec's reference for this environment."))])),
            ("features", featuresSchema()),
        ]
    }

    /// An environment's `features` block (`FeatureSpec`): the features φ(x, y) of its log-linear runs.
    static func featuresSchema() -> JSONValue {
        let kindOnly = object([("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["kind"])),
                               ("properties", object([("kind", object([("const", string("indicator"))]))]))])
        let random = object([("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["kind", "dimension"])),
                             ("properties", object([
                                ("kind", object([("const", string("random"))])),
                                ("dimension", object([("type", string("integer")), ("minimum", .integer(1)), ("maximum", .integer(FeatureSpec.maximumDimension)),
                                                      ("description", string("d: φ(x, y) has d independent standard-normal entries."))])),
                                ("seed", object([("$ref", string("#/$defs/seed")),
                                                 ("description", string("Seed of the features; default: derived from the spec seed and the environment id (key \"features|<id>\")."))])),
                             ]))])
        let number = object([("type", string("number"))])
        let given = object([("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["kind", "values"])),
                            ("properties", object([
                                ("kind", object([("const", string("given"))])),
                                ("values", object([("type", string("array")), ("minItems", .integer(1)),
                                                   ("description", string("φ indexed [context][action][k]: one array per context, one φ of d numbers per action (the same d everywhere).")),
                                                   ("items", object([("type", string("array")), ("minItems", .integer(1)),
                                                                     ("items", object([("type", string("array")), ("minItems", .integer(1)), ("items", number)]))]))])),
                            ]))])
        let givenFile = object([("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["kind", "path"])),
                                ("properties", object([
                                    ("kind", object([("const", string("given"))])),
                                    ("path", object([("type", string("string")), ("minLength", .integer(1)),
                                                     ("description", string("A JSON file holding the values array (φ indexed [context][action][k]); relative to the current directory; fingerprinted and copied into the results directory."))])),
                                ]))])
        return object([
            ("description", string("Features φ(x, y) for algorithm entries with \"policy_class\": \"log-linear\" (π_θ ∝ μ·exp(θᵀφ)); tabular runs ignore them. indicator: φ = e_(x,y), d = contexts × actions; random: Gaussian of dimension d with a seed; given: the values, inline or in a JSON file.")),
            ("oneOf", .array([kindOnly, random, given, givenFile])),
        ])
    }

    /// One environment kind: the common keys, the kind's parameters, nothing else.
    static func environmentKindSchema(_ d: EnvironmentDescriptor) -> JSONValue {
        var properties = [("kind", object([("const", string(d.kind))]))] + commonEnvironmentProperties()
        properties += d.parameters.map { ($0.name, parameterSchema($0)) }
        var members: [(String, JSONValue)] = [
            ("description", string("\(d.kind): \(d.summary). Transitive: \(d.transitivity).")),
            ("properties", object(properties)),
            ("additionalProperties", .bool(false)),
        ]
        let required = d.parameters.filter(\.isRequired).map(\.name)
        if !required.isEmpty { members.append(("required", strings(required))) }
        return object(members)
    }

    /// An algorithm entry: `id` one of the catalogue's ids, then the id's own definition.
    static func algorithmSchema(_ catalog: PluginCatalog) -> JSONValue {
        let ids = catalog.algorithms.map { $0.descriptor.id }
        return object([
            ("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["id"])),
            ("properties", object([
                ("id", object([("enum", strings(ids)), ("description", string("An algorithm plugin id (`bench list algorithms`)."))])),
                ("label", object([("$ref", string("#/$defs/keyName")), ("description", string("Name in results and figures (default: the id)."))])),
                ("feedback", object([("$ref", string("#/$defs/feedback")), ("description", string("Overrides the spec's feedback mode."))])),
                ("params", object([("type", string("object")), ("description", string("Fixed hyperparameters (`bench describe <id>`)."))])),
                ("grid", object([("type", string("object")),
                                 ("description", string("Swept hyperparameters: the Cartesian product of the arrays (a key may not also be in params)."))])),
                ("policy_class", object([("enum", strings(PolicyClassKind.allCases.map(\.rawValue))), ("default", string(PolicyClassKind.tabular.rawValue)),
                                         ("description", string("The policy class: tabular (one logit per context and response), or log-linear π_θ ∝ μ·exp(θᵀφ) on every environment's `features` (each must have them). Only classes the plugin declares."))])),
            ])),
            ("allOf", .array(ids.map { when("id", is: $0, then: "algorithm:" + $0) })),
        ])
    }

    /// One algorithm id: its feedback modes, and its hyperparameters in `params` (values) and
    /// `grid` (non-empty arrays of distinct values), nothing else; required ones in either.
    static func algorithmIDSchema(_ d: AlgorithmDescriptor) -> JSONValue {
        let modes = FeedbackMode.allCases.filter { d.feedbackModes.contains($0) }.map(\.rawValue)
        let params = d.parameters.map { ($0.name, parameterSchema($0)) }
        let grid = d.parameters.map { p in
            (p.name, object([("type", string("array")), ("minItems", .integer(1)), ("uniqueItems", .bool(true)),
                             ("items", object(valueSchema(p.kind))), ("description", string("Values of \(p.name) to sweep."))]))
        }
        var members: [(String, JSONValue)] = [
            ("description", string("\(d.id): \(d.summary) (\(d.paper)).")),
            ("properties", object([
                ("feedback", object([("enum", strings(modes))])),
                ("policy_class", object([("enum", strings(d.policyClasses.sorted().map(\.rawValue)))])),
                ("params", object([("properties", object(params)), ("additionalProperties", .bool(false))])),
                ("grid", object([("properties", object(grid)), ("additionalProperties", .bool(false))])),
            ])),
        ]
        let required = d.parameters.filter(\.isRequired).map(\.name)
        if !required.isEmpty {
            members.append(("allOf", .array(required.map { name in
                object([("anyOf", .array([
                    object([("required", strings(["params"])), ("properties", object([("params", object([("required", strings([name]))]))]))]),
                    object([("required", strings(["grid"])), ("properties", object([("grid", object([("required", strings([name]))]))]))]),
                ]))])
            })))
        }
        return object(members)
    }
}
