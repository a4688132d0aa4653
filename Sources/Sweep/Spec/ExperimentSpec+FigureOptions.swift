import AlignmentCore
import Figures

/// Validation of the figure keys that only some kinds take: the `x` of `policy` and `versus`
/// figures, `opponents` (versus) and `guides` (curves). Called from `ExperimentSpec.figures`.
extension ExperimentSpec {
    /// The `x` of a `policy` figure (a numeric parameter present in every environment entry the
    /// figure draws) or of a `versus` figure (a hyperparameter of the spec's algorithms).
    /// - Throws: `SweepError.spec` naming the JSON path.
    static func figureX(_ kind: FigureSpec.Kind, _ e: JSONValue, at p: JSONPath, reader: SpecReader,
                        spec: ExperimentSpec) throws -> String {
        switch kind {
        case .versus:
            let hyper = spec.hyperparameterColumns
            guard let xv = e["x"] else {
                throw reader.fail(p, "missing required key \"x\" (the hyperparameter on the x axis)", allowed: hyper.joined(separator: ", "))
            }
            return try reader.choice(xv, at: p.key("x"), among: hyper)
        default:
            let allowed = "the name of a numeric parameter given in every environment entry the figure draws (e.g. \"epsilon\")"
            guard let xv = e["x"] else {
                throw reader.fail(p, "missing required key \"x\" (the environment parameter on the x axis)", allowed: allowed)
            }
            return try reader.string(xv, at: p.key("x"), allowed: allowed)
        }
    }

    /// The figure with its kind-specific options set: `guides` (curves only), `opponents`
    /// (versus only, required) and, for `policy`, the value of `x` in each environment entry.
    /// - Throws: `SweepError.spec` naming the JSON path of the first invalid value.
    static func figureOptions(_ figure: FigureSpec, _ e: JSONValue, at p: JSONPath, reader: SpecReader,
                              spec: ExperimentSpec) throws -> FigureSpec {
        var out = figure
        if let g = e["guides"] {
            guard figure.kind == .curves else {
                throw reader.fail(p.key("guides"), "\(figure.kind.rawValue) figures have no guides", allowed: "guides only for curves figures")
            }
            let allowed = "an array of {\"label\": text, \"scale\": a, \"shift\": b, \"power\": p} (the curve a·(x + b)^p)"
            for (j, entry) in try reader.array(g, at: p.key("guides"), allowed: allowed).enumerated() {
                let gp = p.key("guides").index(j)
                _ = try reader.object(entry, at: gp, allowed: ["label", "scale", "shift", "power"], required: ["label", "scale"])
                out.guides.append(FigureSpec.Guide(
                    label: try reader.string(entry["label"]!, at: gp.key("label")),
                    scale: try reader.number(entry["scale"]!, at: gp.key("scale"), in: .all),
                    shift: try entry["shift"].map { try reader.number($0, at: gp.key("shift"), in: .all) } ?? 0,
                    power: try entry["power"].map { try reader.number($0, at: gp.key("power"), in: .all) } ?? 1))
            }
        }
        let participants = ["reference"] + spec.algorithms.map(\.label)
        if let o = e["opponents"] {
            guard figure.kind == .versus else {
                throw reader.fail(p.key("opponents"), "\(figure.kind.rawValue) figures have no opponents", allowed: "opponents only for versus figures")
            }
            let allowed = "a non-empty array of algorithm labels or \"reference\" (μ): " + participants.joined(separator: ", ")
            let list = try reader.array(o, at: p.key("opponents"), allowed: allowed)
            guard !list.isEmpty else { throw reader.fail(p.key("opponents"), "empty array", allowed: allowed) }
            let known = Set(participants)
            var seen = Set<String>()
            for (j, v) in list.enumerated() {
                let name: String
                if let s = v.stringValue, known.contains(s) { name = s } else {
                    name = try reader.choice(v, at: p.key("opponents").index(j), among: participants)  // throws the message
                }
                guard seen.insert(name).inserted else {
                    throw reader.fail(p.key("opponents").index(j), "duplicate \"\(name)\"", allowed: allowed)
                }
                out.opponents.append(name)
            }
        } else if figure.kind == .versus {
            throw reader.fail(p, "missing required key \"opponents\"",
                              allowed: "an array of algorithm labels or \"reference\" (μ): " + participants.joined(separator: ", "))
        }
        if figure.kind == .policy, let name = figure.x {
            let drawn = figure.environments.map(Set.init)
            for env in spec.environments where drawn?.contains(env.id) ?? true {
                let entry = try JSONParser.parse(env.canonical, file: spec.file)
                guard let value = entry[name], let number = value.numberValue else {
                    throw reader.fail(p.key("x"), "environment \"\(env.id)\" has no numeric parameter \(SpecText.quoted(name))",
                                      allowed: "a numeric parameter given in every environment entry the figure draws (restrict them with \"environments\")")
                }
                out.parameterValues[env.id] = number
            }
        }
        return out
    }
}
