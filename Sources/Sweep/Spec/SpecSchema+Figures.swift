import AlignmentCore
import Figures

/// Figure entries of the schema, generated from the figure kinds' declared options
/// (`FigureKind.catalogue`, `FigureOption`): the entry lists every key, and one definition per
/// kind, selected by `if`/`then` on `kind`, gives the values, defaults and docs of the options it
/// takes, the ones it requires, and forbids the options of other kinds.
extension SpecSchema {
    /// The figure entry and one definition per figure kind.
    /// - Parameter catalog: the algorithms (their diagnostics and hyperparameters).
    /// - Returns: `("figure", …)` followed by `("figure:<kind>", …)` in catalogue order.
    static func figureDefinitions(_ catalog: PluginCatalog) -> [(String, JSONValue)] {
        var diagnostics: [String] = []
        for a in catalog.algorithms { for d in a.descriptor.diagnostics where !diagnostics.contains(d) { diagnostics.append(d) } }
        var hyperparameters: [String] = []
        for a in catalog.algorithms { for p in a.descriptor.parameters where !hyperparameters.contains(p.name) { hyperparameters.append(p.name) } }
        let metrics = Metric.ids + diagnostics
        let kinds = FigureKind.catalogue

        // Every option name with its declarations, in first-declaration order.
        var names: [String] = []
        var declarations: [String: [(kind: String, option: FigureOption)]] = [:]
        for kind in kinds {
            for o in kind.options {
                if declarations[o.name] == nil { names.append(o.name) }
                declarations[o.name, default: []].append((kind.id, o))
            }
        }
        func jsonType(_ value: FigureOption.Value) -> String {
            switch value {
            case .boolean: return "boolean"
            case .choice, .metric, .hyperparameter, .environmentParameter: return "string"
            case .participants, .groupings, .guides: return "array"
            }
        }
        func valueSchema(_ value: FigureOption.Value) -> [(String, JSONValue)] {
            switch value {
            case .boolean: return [("type", string("boolean"))]
            case let .choice(values): return [("enum", strings(values))]
            case .metric: return [("enum", strings(metrics))]
            case .hyperparameter: return [("enum", strings(hyperparameters))]
            case .environmentParameter: return [("type", string("string"))]
            case .participants:
                return [("type", string("array")), ("minItems", .integer(1)), ("uniqueItems", .bool(true)), ("items", ref("name"))]
            case let .groupings(values):
                return [("type", string("array")), ("uniqueItems", .bool(true)), ("items", object([("enum", strings(values))]))]
            case .guides:
                return [("type", string("array")), ("items", object([
                    ("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["label", "scale"])),
                    ("properties", object([
                        ("label", ref("text")), ("scale", object([("type", string("number"))])),
                        ("shift", object([("type", string("number")), ("default", .integer(0))])),
                        ("power", object([("type", string("number")), ("default", .integer(1))])),
                    ])),
                ]))]
            }
        }
        func optionSchema(_ o: FigureOption) -> JSONValue {
            var members = valueSchema(o.value)
            if let d = o.defaultValue, let value = try? JSONParser.parse(d, file: "default") { members.append(("default", value)) }
            members.append(("description", string(o.doc + (o.isRequired ? " Required." : ""))))
            return object(members)
        }

        var properties: [(String, JSONValue)] = [
            ("id", object([("$ref", string("#/$defs/name")), ("description", string("File stem of Plots/<name>/<id>.gp; unique."))])),
            ("kind", object([("enum", strings(kinds.map(\.id))),
                             ("description", string(kinds.map { "\($0.id): \($0.summary)." }.joined(separator: " ")))])),
            ("metric", object([("enum", strings(metrics)),
                               ("description", string("A metric (`bench list metrics`) or a diagnostic declared by one of the spec's algorithms."))])),
        ]
        for name in names {
            let list = declarations[name]!
            var members: [(String, JSONValue)] = []
            let types = Set(list.map { jsonType($0.option.value) })
            if types.count == 1 { members.append(("type", string(types.first!))) }
            members.append(("description", string(list.map { "\($0.kind): \($0.option.doc)" }.joined(separator: " ")
                                                  + " Only for " + FigureValidation.list(list.map(\.kind)) + " figures.")))
            properties.append((name, object(members)))
        }
        properties += [
            ("environments", object([("type", string("array")), ("items", ref("name")), ("minItems", .integer(1)), ("uniqueItems", .bool(true)),
                                     ("description", string("Restrict to these environment ids."))])),
            ("algorithms", object([("type", string("array")), ("items", ref("name")), ("minItems", .integer(1)), ("uniqueItems", .bool(true)),
                                   ("description", string("Restrict to these algorithm labels; series are drawn in this order."))])),
            ("title", ref("text")),
        ]
        let figure = object([
            ("type", string("object")), ("additionalProperties", .bool(false)), ("required", strings(["id", "kind", "metric"])),
            ("properties", object(properties)),
            ("allOf", .array(kinds.map { when("kind", is: $0.id, then: "figure:" + $0.id) })),
        ])
        func kindRule(_ kind: FigureKind) -> JSONValue {
            var members: [(String, JSONValue)] = []
            if !kind.options.isEmpty { members.append(("properties", object(kind.options.map { ($0.name, optionSchema($0)) }))) }
            let required = kind.options.filter(\.isRequired).map(\.name)
            if !required.isEmpty { members.append(("required", strings(required))) }
            let forbidden = names.filter { kind.option($0) == nil } + (kind.poolsEnvironments ? ["environments"] : [])
            if !forbidden.isEmpty {
                members.append(("not", object([("anyOf", .array(forbidden.map { object([("required", strings([$0]))]) }))])))
            }
            return object(members)
        }
        return [("figure", figure)] + kinds.map { ("figure:" + $0.id, kindRule($0)) }
    }
}
