import AlignmentCore
import Figures

/// Reads the options a figure kind declares (`FigureKind.options`) from a figure entry: one
/// rule per kind of value (`FigureOption.Value`), resolved against the spec (its metrics,
/// labels, hyperparameters and environment entries). Used by `ExperimentSpec.figures`; a new
/// figure kind whose options use these values adds nothing here.
struct FigureValidation {
    /// The reader producing the one-line errors.
    var reader: SpecReader
    /// The spec being validated (environments, file name).
    var spec: ExperimentSpec
    /// Metric ids and the spec's diagnostics.
    var metrics: [String]
    /// The hyperparameters of the spec's algorithms.
    var hyperparameters: [String]
    /// "reference" and the spec's algorithm labels.
    var participants: [String]
    /// The id of the figure being read (named in the error for a metric the spec does not compute).
    var figureID = ""

    /// "a", "a and b", "a, b and c".
    static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// A metric id or one of the spec's diagnostics; a metric must be one the spec computes
    /// (`metrics`).
    /// - Throws: `SweepError.spec` for anything else, with a "did you mean", or naming the figure
    ///   when the metric exists but the spec's `metrics` does not list it.
    func metric(_ value: JSONValue, at path: JSONPath) throws -> String {
        let m = try reader.string(value, at: path, allowed: metrics.joined(separator: ", "))
        guard metrics.contains(m) else {
            let hint = Suggestion.closest(to: m, among: metrics).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw reader.fail(path, "unknown metric \(SpecText.quoted(m))\(hint)", allowed: metrics.joined(separator: ", "))
        }
        if Metric.ids.contains(m), !spec.metricIDs.contains(m) {
            throw reader.fail(path, "figure \"\(figureID)\" needs metric \"\(m)\", which the spec's \"metrics\" does not list (it is not computed)",
                              allowed: "a metric listed in $.metrics (" + spec.metricIDs.joined(separator: ", ") + ") or a diagnostic, or add \"\(m)\" to $.metrics")
        }
        return m
    }

    /// What an option of this value allows, as said in its errors.
    func allowed(_ value: FigureOption.Value, missing: Bool = false) -> String {
        switch value {
        case .boolean: return "true or false"
        case let .choice(values): return values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .metric: return metrics.joined(separator: ", ")
        case .hyperparameter: return hyperparameters.joined(separator: ", ")
        case .environmentParameter:
            return "the name of a numeric parameter given in every environment entry the figure draws (e.g. \"epsilon\")"
        case .participants:
            return (missing ? "an array" : "a non-empty array") + " of algorithm labels or \"reference\" (μ): " + participants.joined(separator: ", ")
        case let .groupings(values): return "an array of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .guides: return "an array of {\"label\": text, \"scale\": a, \"shift\": b, \"power\": p} (the curve a·(x + b)^p)"
        }
    }

    /// The validated value of `option` in figure entry `e` (its default when absent; nil when
    /// absent without a default).
    /// - Parameters:
    ///   - option: the option, declared by the figure's kind.
    ///   - e: the figure entry.
    ///   - p: the entry's JSON path.
    ///   - figure: the figure with its common keys read (its `environments` filter decides which
    ///     entries an environment parameter must be given in).
    /// - Throws: `SweepError.spec` naming the JSON path of the first invalid value, or the entry
    ///   when a required option is missing.
    func value(of option: FigureOption, in e: JSONValue, at p: JSONPath, figure: FigureSpec) throws -> FigureOptionValue? {
        let path = p.key(option.name)
        guard let v = try e[option.name] ?? option.defaultValue.map({ try JSONParser.parse($0, file: spec.file) }) else {
            guard option.isRequired else { return nil }
            throw reader.fail(p, "missing required key \"\(option.name)\"" + (option.role.map { " (\($0))" } ?? ""),
                              allowed: allowed(option.value, missing: true))
        }
        switch option.value {
        case .boolean:
            return .boolean(try reader.bool(v, at: path))
        case let .choice(values):
            return .string(try reader.choice(v, at: path, among: values))
        case .metric:
            return .string(try metric(v, at: path))
        case .hyperparameter:
            return .string(try reader.choice(v, at: path, among: hyperparameters))
        case .environmentParameter:
            return try environmentParameter(v, at: path, figure: figure)
        case .participants:
            return .strings(try participants(v, at: path))
        case let .groupings(values):
            let allowedText = allowed(option.value)
            var out: [String] = []
            for (j, g) in try reader.array(v, at: path, allowed: allowedText).enumerated() {
                let s = try reader.choice(g, at: path.index(j), among: values)
                guard !out.contains(s) else { throw reader.fail(path.index(j), "duplicate \"\(s)\"", allowed: allowedText) }
                out.append(s)
            }
            return .strings(out)
        case .guides:
            var out: [FigureSpec.Guide] = []
            for (j, entry) in try reader.array(v, at: path, allowed: allowed(option.value)).enumerated() {
                let gp = path.index(j)
                _ = try reader.object(entry, at: gp, allowed: ["label", "scale", "shift", "power"], required: ["label", "scale"])
                out.append(FigureSpec.Guide(
                    label: try reader.string(entry["label"]!, at: gp.key("label")),
                    scale: try reader.number(entry["scale"]!, at: gp.key("scale"), in: .all),
                    shift: try entry["shift"].map { try reader.number($0, at: gp.key("shift"), in: .all) } ?? 0,
                    power: try entry["power"].map { try reader.number($0, at: gp.key("power"), in: .all) } ?? 1))
            }
            return .guides(out)
        }
    }

    /// A numeric parameter given in every environment entry the figure draws, with its values.
    private func environmentParameter(_ v: JSONValue, at path: JSONPath, figure: FigureSpec) throws -> FigureOptionValue {
        let name = try reader.string(v, at: path, allowed: allowed(.environmentParameter))
        let drawn = figure.environments.map(Set.init)
        var values: [String: Double] = [:]
        for env in spec.environments where drawn?.contains(env.id) ?? true {
            let entry = try JSONParser.parse(env.canonical, file: spec.file)
            guard let value = entry[name], let number = value.numberValue else {
                throw reader.fail(path, "environment \"\(env.id)\" has no numeric parameter \(SpecText.quoted(name))",
                                  allowed: "a numeric parameter given in every environment entry the figure draws (restrict them with \"environments\")")
            }
            values[env.id] = number
        }
        return .parameter(name: name, values: values)
    }

    /// A non-empty array of distinct participants ("reference" or the spec's labels).
    private func participants(_ v: JSONValue, at path: JSONPath) throws -> [String] {
        let allowedText = allowed(.participants)
        let list = try reader.array(v, at: path, allowed: allowedText)
        guard !list.isEmpty else { throw reader.fail(path, "empty array", allowed: allowedText) }
        let known = Set(participants)
        var out: [String] = []
        var seen = Set<String>()
        for (j, value) in list.enumerated() {
            let name: String
            if let s = value.stringValue, known.contains(s) { name = s } else {
                name = try reader.choice(value, at: path.index(j), among: participants)  // throws the message
            }
            guard seen.insert(name).inserted else { throw reader.fail(path.index(j), "duplicate \"\(name)\"", allowed: allowedText) }
            out.append(name)
        }
        return out
    }
}
