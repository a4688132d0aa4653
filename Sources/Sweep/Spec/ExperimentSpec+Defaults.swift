import AlignmentCore

/// Spec-level hyperparameter defaults: `"defaults": {"tau": 0.1}` says a value shared by several
/// algorithm entries once. Each entry whose plugin declares the hyperparameter and that sets it in
/// neither `params` nor `grid` uses the default as if it were written in its `params`; an entry's
/// own value wins. A default that no algorithm of the spec declares is refused.
extension ExperimentSpec {
    /// What `defaults` may hold, for messages.
    static let defaultsAllowed = "an object mapping hyperparameter names to single values, e.g. {\"tau\": 0.1}"

    /// Reads the `defaults` object: its members in file order. The values are validated later,
    /// against each plugin that uses them.
    /// - Throws: `SweepError.spec` for a non-object or a `grid`/`params` key (a grid in defaults is
    ///   not supported: its interplay with entry grids and labels would be a second grid language).
    static func hyperparameterDefaults(_ v: JSONValue, at path: JSONPath, reader: SpecReader) throws -> [JSONMember] {
        guard let members = v.objectMembers else {
            throw reader.fail(path, "expected an object, got \(v.typeName)", allowed: defaultsAllowed)
        }
        for m in members where m.key == "grid" || m.key == "params" {
            throw reader.fail(path.key(m.key), "\"\(m.key)\" is not allowed in defaults: defaults hold single hyperparameter values, not grids",
                              allowed: defaultsAllowed + "; give a grid in each algorithm entry's \"grid\"")
        }
        for m in members where m.value.objectMembers != nil {
            throw reader.fail(path.key(m.key), "expected a single value, got an object", allowed: defaultsAllowed)
        }
        return members
    }

    /// Checks that every default is declared by at least one algorithm of the spec.
    /// - Throws: `SweepError.spec` at `defaults.<name>` naming the hyperparameters the spec's
    ///   algorithms declare.
    static func checkDefaultsAreDeclared(_ defaults: [JSONMember], at path: JSONPath, by algorithms: [AlgorithmSetup],
                                         reader: SpecReader) throws {
        var declared: [String] = []
        for a in algorithms { for p in a.descriptor.parameters where !declared.contains(p.name) { declared.append(p.name) } }
        for m in defaults where !declared.contains(m.key) {
            let hint = Suggestion.closest(to: m.key, among: declared).map { " (did you mean \"\($0)\"?)" } ?? ""
            let ids = algorithms.map(\.id).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            throw reader.fail(path.key(m.key), "no algorithm of this spec (\(ids.joined(separator: ", "))) declares hyperparameter \(SpecText.quoted(m.key))\(hint)",
                              allowed: declared.sorted().joined(separator: ", "))
        }
    }

    /// The top-level members with `defaults` removed and each default written into the `params`
    /// of every entry that uses it (the document `resultsHash` is computed from).
    /// - Precondition: `algorithms` are the validated entries of `members`' `algorithms` array.
    static func expandingDefaults(_ members: [JSONMember], defaults: [JSONMember], algorithms: [AlgorithmSetup]) -> [JSONMember] {
        guard !defaults.isEmpty else { return members.filter { $0.key != "defaults" } }
        return members.compactMap { m -> JSONMember? in
            if m.key == "defaults" { return nil }
            guard m.key == "algorithms", case let .array(entries) = m.value else { return m }
            let expanded = zip(entries, algorithms).map { entry, setup -> JSONValue in
                guard var fields = entry.objectMembers else { return entry }
                let params = entry["params"]?.objectMembers ?? []
                let grid = entry["grid"]?.objectMembers ?? []
                var added = params
                for d in defaults where setup.descriptor.parameters.contains(where: { $0.name == d.key })
                    && !params.contains(where: { $0.key == d.key }) && !grid.contains(where: { $0.key == d.key }) {
                    added.append(d)
                }
                guard added.count > params.count else { return entry }
                fields.removeAll { $0.key == "params" }
                fields.append(JSONMember("params", .object(added)))
                return .object(fields)
            }
            return JSONMember("algorithms", .array(expanded))
        }
    }
}
