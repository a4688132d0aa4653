import AlignmentCore
import Figures

extension ExperimentSpec {
    /// Keys of a figure entry: the keys every figure takes and every option of the figure kinds
    /// (`FigureKind.allKeys`).
    public static var figureKeys: [String] { FigureKind.allKeys }

    /// Validates the `figures` array against the spec's metrics, environments, labels and
    /// hyperparameters. The keys every figure has are read here; the others are the options its
    /// kind declares (`FigureKind.options`), read by `figureOption`, and a key the kind does not
    /// declare is refused.
    /// - Throws: `SweepError.spec`, one line naming the file, the JSON path, what is wrong and what is allowed.
    static func figures(_ v: JSONValue, at path: JSONPath, reader: SpecReader, spec: ExperimentSpec) throws -> [FigureSpec] {
        let entries = try reader.array(v, at: path, allowed: "an array of figure objects")
        let metrics = Metric.ids + spec.diagnosticColumns
        let envIDs = spec.environments.map(\.id)
        let labels = spec.algorithms.map(\.label)
        // Sets, dictionaries and messages built once: validation stays O(n) in the spec's size.
        let known = ["environments": (Set(envIDs), "an array of environment ids: " + envIDs.joined(separator: ", ")),
                     "algorithms": (Set(labels), "an array of algorithm labels: " + labels.joined(separator: ", "))]
        var context = FigureValidation(reader: reader, spec: spec, metrics: metrics, hyperparameters: spec.hyperparameterColumns,
                                       participants: ["reference"] + labels)
        let keys = figureKeys
        var out: [FigureSpec] = []
        var idIndex: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            let p = path.index(i)
            _ = try reader.object(e, at: p, allowed: keys, required: ["id", "kind", "metric"])
            let id = try reader.identifier(e["id"]!, at: p.key("id"))
            if let j = idIndex[id] {
                throw reader.fail(p.key("id"), "duplicate figure id \"\(id)\" (also at \(path.index(j)))", allowed: "unique ids")
            }
            idIndex[id] = i
            context.figureID = id
            let kind = FigureKind.kind(id: try reader.choice(e["kind"]!, at: p.key("kind"), among: FigureKind.ids))!
            let yMetric = try context.metric(e["metric"]!, at: p.key("metric"))
            for key in keys where e[key] != nil && !FigureKind.commonKeys.contains(key) && kind.option(key) == nil {
                throw reader.fail(p.key(key), "\(kind.id) figures have no \(key)",
                                  allowed: "\(key) only for \(FigureValidation.list(FigureKind.kinds(taking: key))) figures")
            }
            if kind.poolsEnvironments, e["environments"] != nil {
                let taking = FigureKind.catalogue.filter { !$0.poolsEnvironments }.map(\.id)
                throw reader.fail(p.key("environments"), "\(kind.id) figures pool every environment of the sweep (aggregates.csv) and take no environments filter",
                                  allowed: "environments only for \(FigureValidation.list(taking)) figures")
            }
            // A filter names each of the spec's ids at most once, and at least one: an empty
            // filter would select nothing and the figure would only ever be skipped.
            func subset(_ key: String, among names: [String]) throws -> [String]? {
                guard let value = e[key], let (set, allowed) = known[key] else { return nil }
                let items = try reader.array(value, at: p.key(key), allowed: allowed)
                guard !items.isEmpty else {
                    throw reader.fail(p.key(key), "an empty filter selects nothing", allowed: "a non-empty " + String(allowed.dropFirst(3)) + " (or no \"\(key)\" key for all)")
                }
                var out: [String] = []
                for (j, s) in items.enumerated() {
                    let name = try s.stringValue.flatMap { set.contains($0) ? $0 : nil }
                        ?? reader.choice(s, at: p.key(key).index(j), among: names)  // throws the message
                    guard !out.contains(name) else { throw reader.fail(p.key(key).index(j), "duplicate \"\(name)\"", allowed: allowed + ", each once") }
                    out.append(name)
                }
                return out
            }
            var figure = FigureSpec(
                id: id, kind: kind, metric: yMetric,
                environments: try subset("environments", among: envIDs),
                algorithms: try subset("algorithms", among: labels),
                title: try e["title"].map { try reader.string($0, at: p.key("title")) })
            for option in kind.options {
                if let value = try context.value(of: option, in: e, at: p, figure: figure) {
                    figure.set(option.name, value)
                }
            }
            out.append(figure)
        }
        return out
    }
}
