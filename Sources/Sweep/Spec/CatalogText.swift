import AlgorithmCatalog
import AlignmentCore
import Environments
import Figures

/// The text of `bench list` and `bench describe`, built from the catalogues.
public enum CatalogText {
    /// The sections `bench list` accepts.
    public static let sections = ["algorithms", "environments", "metrics", "diagnostics", "figures"]

    /// Every diagnostic an algorithm declares (its own column, reported at each checkpoint), with
    /// the algorithms that declare it, in catalogue order.
    public static var diagnostics: [(id: String, algorithms: [String])] {
        var out: [(id: String, algorithms: [String])] = []
        for a in AlgorithmCatalog.all {
            for d in a.descriptor.diagnostics {
                if let i = out.firstIndex(where: { $0.id == d }) { out[i].algorithms.append(a.descriptor.id) } else { out.append((d, [a.descriptor.id])) }
            }
        }
        return out
    }

    /// What `bench list diagnostics` and `bench describe <diagnostic>` say a diagnostic is.
    static let diagnosticMeaning = "reported by the algorithm itself at each checkpoint (a column of curves.csv and runs.csv, blank for other algorithms' runs); summarised per configuration in summary.csv and usable as a figure metric; not a harness metric: no declared direction, so not in tests.csv, aggregates.csv or select_by"

    /// `bench list [section]`: one line per entry (id, then summary); every section when nil.
    /// - Throws: `SweepError.usage` (one line, with "did you mean") for an unknown section.
    public static func list(_ section: String?) throws -> String {
        guard section == nil || sections.contains(section!) else {
            let hint = Suggestion.closest(to: section!, among: sections).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw SweepError.usage("unknown list \"\(section!)\"\(hint); allowed: " + sections.joined(separator: ", "))
        }
        var blocks: [String] = []
        func table(_ title: String, _ rows: [(String, String)]) -> String {
            let width = rows.map(\.0.count).max() ?? 0
            let lines = rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }
            return section == nil ? ([title + ":"] + lines.map { "  " + $0 }).joined(separator: "\n") : lines.joined(separator: "\n")
        }
        if section == nil || section == "algorithms" {
            blocks.append(table("algorithms", AlgorithmCatalog.all.map { ($0.descriptor.id, $0.descriptor.summary) }))
        }
        if section == nil || section == "environments" {
            blocks.append(table("environments", EnvironmentCatalog.all.map { ($0.descriptor.kind, $0.descriptor.summary) }))
        }
        if section == nil || section == "metrics" {
            blocks.append(table("metrics", Metric.all.map { ($0.id, "\($0.doc) [\($0.unit.rawValue); \($0.direction.rawValue) is better]") }))
        }
        if section == nil || section == "diagnostics" {
            blocks.append(table("diagnostics", diagnostics.map { ($0.id, "diagnostic of " + $0.algorithms.joined(separator: ", ")) }))
        }
        if section == nil || section == "figures" {
            blocks.append(table("figures", FigureKind.catalogue.map { ($0.id, $0.summary) }))
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// `bench describe <id>`: an algorithm's or environment kind's summary, paper, parameters
    /// (kind/range, default, doc), feedback modes and (algorithms) policy classes; a metric's formula; or a figure kind's
    /// summary, the result files it reads and its options (values, default, doc).
    /// - Throws: `SweepError.usage` (one line, with "did you mean") for an unknown id.
    public static func describe(_ id: String) throws -> String {
        if let a = AlgorithmCatalog.algorithm(id: id) {
            let d = a.descriptor
            var lines = ["algorithm \(d.id)", "  \(d.summary)", "  paper: \(d.paper)",
                         "  feedback: " + FeedbackMode.allCases.filter { d.feedbackModes.contains($0) }.map(\.rawValue).joined(separator: ", ")]
            if !d.stochasticModes.isEmpty {
                lines.append("  stochastic in: " + FeedbackMode.allCases.filter { d.stochasticModes.contains($0) }.map(\.rawValue).joined(separator: ", "))
            }
            if !d.diagnostics.isEmpty { lines.append("  diagnostics: " + d.diagnostics.joined(separator: ", ")) }
            lines.append("  policy classes: " + d.policyClasses.sorted().map(\.rawValue).joined(separator: ", "))
            lines += parameterLines(d.parameters)
            return lines.joined(separator: "\n") + "\n"
        }
        if let e = EnvironmentCatalog.environment(kind: id) {
            let d = e.descriptor
            var lines = ["environment \(d.kind)", "  \(d.summary)", "  transitive: \(d.transitivity)",
                         "  true reward: \(d.hasTrueReward ? "yes" : "no")", "  random: \(d.isRandom ? "yes (seeded)" : "no")",
                         "  common keys: " + ExperimentSpec.commonEnvironmentKeys.joined(separator: ", ")]
            lines += parameterLines(d.parameters)
            return lines.joined(separator: "\n") + "\n"
        }
        if let m = Metric.named(id) { return metricDescription(m) }
        if let k = FigureKind.kind(id: id) {
            return figureText(k)
        }
        if let d = diagnostics.first(where: { $0.id == id }) {
            return "diagnostic \(d.id)\n  declared by: \(d.algorithms.joined(separator: ", "))\n  \(diagnosticMeaning)\n"
        }
        let known = describable
        let hint = Suggestion.closest(to: id, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw SweepError.usage("unknown algorithm, environment, metric, figure kind or diagnostic \"\(id)\"\(hint); allowed: " + known.joined(separator: ", "))
    }

    /// Every id `bench describe` knows: algorithm ids, environment kinds, metric ids, figure
    /// kinds and diagnostics (an id used by several is described as the first).
    public static var describable: [String] {
        var out: [String] = []
        for id in AlgorithmCatalog.ids + EnvironmentCatalog.kinds + Metric.ids + FigureKind.ids + diagnostics.map(\.id) where !out.contains(id) { out.append(id) }
        return out
    }

    /// `bench describe <figure kind>`.
    static func figureText(_ k: FigureKind) -> String {
        var lines = ["figure \(k.id)", "  \(k.summary)", "  reads: " + k.reads.joined(separator: ", "),
                     "  common keys: " + FigureKind.commonKeys.joined(separator: ", ")]
        if k.options.isEmpty { lines.append("  options: none") } else { lines.append("  options:") }
        for o in k.options {
            let def = o.isRequired ? "required" : o.defaultValue.map { "default \($0)" } ?? "optional"
            lines.append("    \(o.name): \(valueText(o.value)); \(def)")
            lines.append("      \(o.doc)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The values of an option, as `bench describe` shows them.
    static func valueText(_ v: FigureOption.Value) -> String {
        switch v {
        case .boolean: return "true or false"
        case let .choice(values): return "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .metric: return "a metric or a diagnostic of the spec's algorithms"
        case .hyperparameter: return "a hyperparameter of the spec's algorithms"
        case .environmentParameter: return "a numeric parameter of every environment entry drawn"
        case .participants: return "non-empty array of algorithm labels or \"reference\""
        case let .groupings(values): return "array of distinct " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .guides: return "array of {label, scale, shift, power}"
        }
    }

    /// `bench describe <metric>`: formula, label, unit, direction, requirements and paper of a
    /// registry entry.
    static func metricDescription(_ m: Metric) -> String {
        var lines = ["metric \(m.id)", "  \(m.doc)", "  label: \(m.axisLabel)", "  unit: \(m.unit.rawValue)",
                     "  better: \(m.direction.rawValue) (default select_by goal: \(ConfigurationSelection.Goal(m.direction).rawValue))",
                     "  needs: " + (m.requirements.isEmpty ? "nothing beyond the policy and P" : m.requirements.sorted().map(\.rawValue).joined(separator: ", "))]
        if m.needsTau { lines.append("  needs the evaluation τ (spec \"tau\" or the run's declared regularization τ)") }
        lines.append("  paper: \(m.paper)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The metrics table of README.md and docs/ARCHITECTURE.md, generated from `Metric.all`
    /// (`MetricDocsTests` checks that both files contain it verbatim): one Markdown row per metric
    /// with id, meaning, unit, direction, requirements and paper.
    public static func metricsTable() -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["| metric | meaning | unit | better | needs | paper |", "| --- | --- | --- | --- | --- | --- |"]
        for m in Metric.all {
            let needs = m.requirements.isEmpty ? "—" : m.requirements.sorted().map(\.rawValue).joined(separator: ", ")
            lines.append("| `\(m.id)` | \(cell(m.doc)) | \(m.unit.rawValue) | \(m.direction.rawValue) | \(needs) | \(cell(m.paper)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func parameterLines(_ specs: [ParameterSpec]) -> [String] {
        guard !specs.isEmpty else { return ["  parameters: none"] }
        var lines = ["  parameters:"]
        for p in specs {
            let def = p.isRequired ? "required" : p.defaultValue.map { "default \($0)" } ?? "optional"
            lines.append("    \(p.name): \(p.kind); \(def)")
            lines.append("      \(p.doc)")
            if let role = p.role { lines.append("      role: \(role.summary)") }
        }
        return lines
    }
}
