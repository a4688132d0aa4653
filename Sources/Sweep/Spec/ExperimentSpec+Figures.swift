import AlignmentCore
import Figures

extension ExperimentSpec {
    /// Keys of a figure entry.
    public static let figureKeys = ["id", "kind", "metric", "x", "by", "log_x", "log_y", "environments", "algorithms", "title",
                                     "guides", "opponents"]
    /// Values allowed in a figure's `by`.
    public static let figureGroupings = ["environment", "algorithm", "config"]

    /// Validates the `figures` array against the spec's metrics, environments, labels and hyperparameters.
    static func figures(_ v: JSONValue, at path: JSONPath, reader: SpecReader, spec: ExperimentSpec) throws -> [FigureSpec] {
        let entries = try reader.array(v, at: path, allowed: "an array of figure objects")
        let metrics = Metric.ids + spec.diagnosticColumns
        let envIDs = spec.environments.map(\.id)
        let labels = spec.algorithms.map(\.label)
        let hyper = spec.hyperparameterColumns
        // Sets, dictionaries and messages built once: validation stays O(n) in the spec's size.
        let known = ["environments": (Set(envIDs), "an array of environment ids: " + envIDs.joined(separator: ", ")),
                     "algorithms": (Set(labels), "an array of algorithm labels: " + labels.joined(separator: ", "))]
        var out: [FigureSpec] = []
        var idIndex: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            let p = path.index(i)
            _ = try reader.object(e, at: p, allowed: figureKeys, required: ["id", "kind", "metric"])
            let id = try reader.identifier(e["id"]!, at: p.key("id"))
            if let j = idIndex[id] {
                throw reader.fail(p.key("id"), "duplicate figure id \"\(id)\" (also at \(path.index(j)))", allowed: "unique ids")
            }
            idIndex[id] = i
            let kind = FigureSpec.Kind(rawValue: try reader.choice(e["kind"]!, at: p.key("kind"),
                                                                   among: FigureSpec.Kind.allCases.map(\.rawValue)))!
            func metric(_ value: JSONValue, at mp: JSONPath) throws -> String {
                let m = try reader.string(value, at: mp, allowed: metrics.joined(separator: ", "))
                guard metrics.contains(m) else {
                    let hint = Suggestion.closest(to: m, among: metrics).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw reader.fail(mp, "unknown metric \(SpecText.quoted(m))\(hint)", allowed: metrics.joined(separator: ", "))
                }
                return m
            }
            let yMetric = try metric(e["metric"]!, at: p.key("metric"))
            var x: String?
            switch kind {
            case .curves:
                x = try e["x"].map { try reader.choice($0, at: p.key("x"), among: ["iteration", "queries"]) } ?? "iteration"
            case .frontier:
                guard let xv = e["x"] else { throw reader.fail(p, "missing required key \"x\" (the x-axis metric)", allowed: metrics.joined(separator: ", ")) }
                x = try metric(xv, at: p.key("x"))
            case .lines:
                guard let xv = e["x"] else { throw reader.fail(p, "missing required key \"x\" (the swept hyperparameter)", allowed: hyper.joined(separator: ", ")) }
                x = try reader.choice(xv, at: p.key("x"), among: hyper)
            case .policy, .versus:
                x = try figureX(kind, e, at: p, reader: reader, spec: spec)
            case .bars, .heatmap:
                if e["x"] != nil {
                    throw reader.fail(p.key("x"), "\(kind.rawValue) figures have no x", allowed: "x only for curves, frontier and lines figures")
                }
            }
            var by: [String] = []
            if let b = e["by"] {
                let allowed = "an array of " + figureGroupings.map { "\"\($0)\"" }.joined(separator: ", ")
                for (j, g) in try reader.array(b, at: p.key("by"), allowed: allowed).enumerated() {
                    let s = try reader.choice(g, at: p.key("by").index(j), among: figureGroupings)
                    guard !by.contains(s) else { throw reader.fail(p.key("by").index(j), "duplicate \"\(s)\"", allowed: allowed) }
                    by.append(s)
                }
            }
            func subset(_ key: String, among names: [String], what: String) throws -> [String]? {
                guard let value = e[key], let (set, allowed) = known[key] else { return nil }
                return try reader.array(value, at: p.key(key), allowed: allowed).enumerated().map { j, s in
                    if let name = s.stringValue, set.contains(name) { return name }
                    return try reader.choice(s, at: p.key(key).index(j), among: names)  // throws the message
                }
            }
            out.append(try figureOptions(FigureSpec(
                id: id, kind: kind, metric: yMetric, x: x, by: by,
                logX: try e["log_x"].map { try reader.bool($0, at: p.key("log_x")) } ?? false,
                logY: try e["log_y"].map { try reader.bool($0, at: p.key("log_y")) } ?? false,
                environments: try subset("environments", among: envIDs, what: "environment ids"),
                algorithms: try subset("algorithms", among: labels, what: "algorithm labels"),
                title: try e["title"].map { try reader.string($0, at: p.key("title")) }), e, at: p, reader: reader, spec: spec))
        }
        return out
    }
}
