import AlignmentCore

extension ExperimentSpec {
    /// Keys of an algorithm entry.
    public static let algorithmKeys = ["id", "label", "feedback", "params", "grid", "policy_class"]

    /// Validates one algorithm entry and configures every point of its grid through the plugin.
    /// - Parameters:
    ///   - defaults: the spec's `defaults` members (hyperparameter name → value); each one whose
    ///     name the plugin declares and that the entry sets in neither `params` nor `grid` is used
    ///     as if written in `params` (errors name its path under `defaultsPath`).
    ///   - defaultsPath: the JSON path of the spec's `defaults` object.
    static func algorithm(_ v: JSONValue, at path: JSONPath, reader: SpecReader, defaultFeedback: FeedbackMode,
                          feedbackPath: JSONPath, catalog: PluginCatalog, defaults: [JSONMember] = [],
                          defaultsPath: JSONPath = JSONPath.root.key("defaults")) throws -> AlgorithmSetup {
        _ = try reader.object(v, at: path, allowed: algorithmKeys, required: ["id"])
        let ids = catalog.algorithmIDs
        let id = try reader.string(v["id"]!, at: path.key("id"), allowed: ids.joined(separator: ", "))
        guard let plugin = catalog.algorithm(id: id) else {
            let hint = Suggestion.closest(to: id, among: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw reader.fail(path.key("id"), "unknown algorithm \(SpecText.quoted(id))\(hint)", allowed: ids.joined(separator: ", "))
        }
        let descriptor = plugin.descriptor
        let label = try v["label"].map { try reader.keyIdentifier($0, at: path.key("label")) } ?? id
        let feedback = try v["feedback"].map {
            FeedbackMode(rawValue: try reader.choice($0, at: path.key("feedback"), among: FeedbackMode.allCases.map(\.rawValue)))!
        } ?? defaultFeedback
        guard descriptor.feedbackModes.contains(feedback) else {
            let supported = FeedbackMode.allCases.filter { descriptor.feedbackModes.contains($0) }.map { "\"\($0.rawValue)\"" }
            throw reader.fail(v["feedback"] != nil ? path.key("feedback") : feedbackPath,
                              "algorithm \"\(id)\" does not support \(feedback.rawValue) feedback",
                              allowed: supported.joined(separator: ", "))
        }
        let classes = PolicyClassKind.allCases.map(\.rawValue)
        let policyClass = try v["policy_class"].map {
            PolicyClassKind(rawValue: try reader.choice($0, at: path.key("policy_class"), among: classes))!
        } ?? .tabular
        guard descriptor.policyClasses.contains(policyClass) else {
            let supported = descriptor.policyClasses.sorted().map { "\"\($0.rawValue)\"" }
            throw reader.fail(path.key("policy_class"), "algorithm \"\(id)\" does not support the \(policyClass.rawValue) policy class",
                              allowed: supported.joined(separator: ", "))
        }
        let names = descriptor.parameters.map(\.name)
        func spec(_ name: String, at p: JSONPath) throws -> ParameterSpec {
            guard let s = descriptor.parameters.first(where: { $0.name == name }) else {
                let hint = Suggestion.closest(to: name, among: names).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw reader.fail(p, "unknown hyperparameter \(SpecText.quoted(name)) of algorithm \"\(id)\"\(hint)",
                                  allowed: names.isEmpty ? "none" : names.joined(separator: ", "))
            }
            return s
        }
        func checked(_ value: JSONValue, _ s: ParameterSpec, at p: JSONPath) throws -> ParameterValue {
            let pv = try reader.parameterValue(value, at: p, allowed: s.kind.description)
            do { try s.validate(pv) } catch { throw reader.parameterError(error, at: p, fallbackAllowed: s.kind.description) }
            return pv
        }

        var fixed: [String: ParameterValue] = [:]
        if let params = v["params"] {
            let pPath = path.key("params")
            guard let members = params.objectMembers else {
                throw reader.fail(pPath, "expected an object, got \(params.typeName)", allowed: "an object of hyperparameter values")
            }
            for m in members { fixed[m.key] = try checked(m.value, try spec(m.key, at: pPath.key(m.key)), at: pPath.key(m.key)) }
        }
        var axes: [GridAxis] = []
        if let grid = v["grid"] {
            let gPath = path.key("grid")
            guard let members = grid.objectMembers else {
                throw reader.fail(gPath, "expected an object, got \(grid.typeName)", allowed: "an object mapping hyperparameters to arrays of values")
            }
            for m in members.sorted(by: { $0.key < $1.key }) {
                let axisPath = gPath.key(m.key)
                let s = try spec(m.key, at: axisPath)
                if fixed[m.key] != nil {
                    throw reader.fail(axisPath, "hyperparameter \"\(m.key)\" is given in both params and grid",
                                      allowed: "each hyperparameter in params or in grid, not both")
                }
                let allowed = "a non-empty array of values, each \(s.kind)"
                let values = try reader.array(m.value, at: axisPath, allowed: allowed)
                guard !values.isEmpty else { throw reader.fail(axisPath, "empty grid", allowed: allowed) }
                // Duplicates through a dictionary: O(n) for an axis of n values (a list scan was O(n²)).
                var out: [ParameterValue] = []
                var firstIndex: [ParameterValue: Int] = [:]
                for (i, e) in values.enumerated() {
                    let pv = try checked(e, s, at: axisPath.index(i))
                    if let j = firstIndex[pv] {
                        throw reader.fail(axisPath.index(i), "duplicate value \(SpecText.bounded(pv.description)) (also at index \(j))", allowed: "distinct values")
                    }
                    firstIndex[pv] = i
                    out.append(pv)
                }
                axes.append(GridAxis(name: m.key, values: out))
            }
        }
        // Spec-level defaults: an entry's own params or grid win.
        var defaulted: Set<String> = []
        for m in defaults where fixed[m.key] == nil && !axes.contains(where: { $0.name == m.key }) {
            guard let s = descriptor.parameters.first(where: { $0.name == m.key }) else { continue }
            let at = defaultsPath.key(m.key)
            do {
                fixed[m.key] = try checked(m.value, s, at: at)
            } catch let SweepError.spec(file, p, message, allowed) {
                throw SweepError.spec(file: file, path: p, message: "\(message) for algorithm \"\(id)\" (\(path))", allowed: allowed)
            }
            defaulted.insert(m.key)
        }
        for s in descriptor.parameters where s.isRequired && fixed[s.name] == nil && !axes.contains(where: { $0.name == s.name }) {
            throw reader.fail(path.key("params"), "missing required hyperparameter \"\(s.name)\" of algorithm \"\(id)\"",
                              allowed: s.kind.description)
        }

        var points: [GridPoint] = []
        for assignment in GridExpansion.product(axes) {
            var raw = fixed
            for (name, value) in assignment { raw[name] = value }
            let varying = assignment.filter { name, _ in axes.first { $0.name == name }!.values.count > 1 }
                .map { (name: $0.0, value: $0.1) }
            let values: ParameterValues
            let algorithm: any Algorithm
            do {
                values = try ParameterValues(raw, specs: descriptor.parameters, owner: "algorithm '\(id)'")
                algorithm = try plugin.init(parameters: values)
            } catch let AlignmentCoreError.invalidParameter(name, reason) {
                let point = assignment.isEmpty ? "" : "grid point " + assignment.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ": "
                let at = assignment.contains { $0.0 == name } ? path.key("grid").key(name)
                    : defaulted.contains(name) ? defaultsPath.key(name)
                    : fixed[name] != nil ? path.key("params").key(name) : path
                throw reader.fail(at, "\(point)\(reason)",
                                  allowed: "hyperparameters that algorithm \"\(id)\" accepts together (see `bench describe \(id)`)")
            } catch {
                throw reader.fail(path, "cannot create algorithm \"\(id)\": \(error)",
                                  allowed: "hyperparameters that algorithm \"\(id)\" accepts together (see `bench describe \(id)`)")
            }
            if let why = algorithm.refusal(feedback: feedback) {
                let point = assignment.isEmpty ? "" : "grid point " + assignment.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + ": "
                throw reader.fail(path, "\(point)\(why)",
                                  allowed: "hyperparameters that algorithm \"\(id)\" accepts in \(feedback.rawValue) feedback (see `bench describe \(id)`)")
            }
            points.append(GridPoint(parameters: values, algorithm: algorithm, configuration: varying))
        }
        return AlgorithmSetup(id: id, label: label, feedback: feedback, descriptor: descriptor, fixed: fixed,
                              grid: axes, points: points, policyClass: policyClass)
    }
}
