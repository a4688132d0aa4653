import AlignmentCore
import BenchStatistics
import Foundation
import ResultFiles

/// The tables of `bench report`, each read from one result file through its schema.
extension ResultReport {
    /// "What was run": the manifest's members (name, spec file, hashes, tool version, run counts,
    /// bootstrap B, selection rule), the latest invocation's provenance flattened in file order
    /// ("code.algorithms.nash-md" for nested members), the input files, and every invocation of
    /// the history (oldest first).
    static func provenanceTables(_ manifest: RecordedManifest) -> [ReportTable] {
        var recorded: [(String, JSONValue?)] = [
            ("experiment", manifest[.name]), ("spec file", manifest[.specFile]), ("spec hash", manifest[.specHash]),
            ("results hash", manifest[.resultsHash]), ("tool version", manifest[.toolVersion]),
        ]
        for m in manifest[.runs]?.objectMembers ?? [] { recorded.append(("runs " + m.key.replacingOccurrences(of: "_", with: " "), m.value)) }
        recorded.append(("bootstrap samples", manifest[.bootstrapSamples]))
        if let s = manifest[.selectBy], let metric = s["metric"]?.stringValue, let goal = s["goal"]?.stringValue {
            let source = s["source"]?.stringValue.map { ", set by \($0)" } ?? ""
            recorded.append(("best configuration", .string("\(goal == "max" ? "highest" : "lowest") mean final \(metric)\(source)")))
        }
        var tables = [ReportTable(id: "provenance-manifest", caption: "Recorded in manifest.json", header: ["member", "value"],
                                  rows: recorded.compactMap { key, value in value.map { [ReportCell(key), ReportCell(Self.text($0))] } })]
        let latest = Self.flatten(manifest[.provenance] ?? .object([]), prefix: "")
        tables.append(ReportTable(id: "provenance-latest", caption: "Latest invocation (manifest.json, provenance)",
                                  header: ["member", "value"], rows: latest.map { [ReportCell($0.0), ReportCell($0.1)] }))
        let inputs = manifest[.inputs]?.arrayElements ?? []
        if !inputs.isEmpty {
            let columns = ["environment", "parameter", "path", "sha256", "bytes"]
            tables.append(ReportTable(id: "provenance-inputs", caption: "Input files (manifest.json, inputs)", header: columns,
                                      rows: inputs.map { e in columns.map { ReportCell(e[$0].map(Self.text) ?? "—", numeric: $0 == "bytes") } }))
        }
        let history = manifest.history.enumerated().map { k, h in
            [ReportCell(String(k + 1), numeric: true)] + ["action", "started", "ended", "command"].map { ReportCell(h[$0].map(Self.text) ?? "—") }
        }
        tables.append(ReportTable(id: "provenance-history", caption: "History (manifest.json, every invocation, oldest first)",
                                  header: ["#", "action", "started", "ended", "command"], rows: history))
        return tables
    }

    /// A manifest value as text: strings as themselves, numbers as written, an array of strings
    /// (a command line) quoted for a POSIX shell, other arrays and objects as compact JSON, null
    /// as an em dash.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "—"
        case let .bool(b): return b ? "true" : "false"
        case let .number(_, literal): return literal
        case let .string(s): return s
        case let .array(a):
            let strings = a.compactMap(\.stringValue)
            return strings.count == a.count ? ShellCommand.line(strings) : value.compactText
        case .object: return value.compactText
        }
    }

    /// The scalar members of an object, nested objects as "outer.inner", in file order.
    static func flatten(_ value: JSONValue, prefix: String) -> [(String, String)] {
        guard let members = value.objectMembers else { return [(prefix, text(value))] }
        return members.flatMap { m -> [(String, String)] in
            let key = prefix.isEmpty ? m.key : prefix + "." + m.key
            return m.value.objectMembers == nil ? [(key, text(m.value))] : flatten(m.value, prefix: key)
        }
    }

    /// The best configuration of every algorithm, one table per environment: the participants of
    /// pairwise.csv (the rows `reference` ≻ label, written by the sweep's `ConfigurationSelection`
    /// under the rule in force), each with summary.csv's statistics of the rule's metric over its ok
    /// runs (n, failed, mean, 95% t interval, IQM, bootstrap interval of the mean) and
    /// P(π ≻ μ) with its 95% t interval (pairwise.csv's row label ≻ reference). The best mean of the
    /// environment (under the rule's goal; means equal up to `ValueTolerance.standard` tie) is shown
    /// emphasised. A label with no ok run in the environment (summary.csv has its rows, n = 0) is
    /// listed after them with its failed count and "— (no ok run)".
    /// - Throws: `SweepError.store` for a missing or malformed file.
    static func headlineTables(directory: URL, display: String, selection: ConfigurationSelection,
                               referenceLabel: String) throws -> [ReportTable] {
        typealias S = SummaryFile.Column
        struct Stats { var n: String, failed: String, mean: Double?, ci: String, iqm: Double?, boot: String }
        var stats: [[String]: Stats] = [:]
        // Every (environment, label) summary.csv has for the rule's metric, in file order, with its
        // failed runs: a label none of whose runs is ok has no best configuration, but stays in the
        // table, so a reader of the headline learns it was in the comparison.
        var summaryEnvironments: [String] = []
        var summaryLabels: [String: [String]] = [:]
        var failedByLabel: [[String]: Int] = [:]
        let summary = try SweepError.mapping { try SummaryFile.reader(directory: directory, display: display) }
        while let row = try SweepError.mapping({ try summary.next() }) {
            guard row[.metric] == selection.metric else { continue }
            let (e, label) = (row[.environment], row[.algorithm])
            if summaryLabels[e] == nil { summaryEnvironments.append(e); summaryLabels[e] = [] }
            if !summaryLabels[e]!.contains(label) { summaryLabels[e]!.append(label) }
            failedByLabel[[e, label], default: 0] += Int(row[.failed]) ?? 0
            try SweepError.mapping {
                stats[[row[.environment], row[.algorithm], row[.config]]] = Stats(
                    n: row[.n], failed: row[.failed], mean: try row.number(.mean),
                    ci: ReportNumber.interval(try row.number(.ciLow), try row.number(.ciHigh)), iqm: try row.number(.iqm),
                    boot: ReportNumber.interval(try row.number(.bootLow), try row.number(.bootHigh)))
            }
        }
        var environments: [String] = []
        var participants: [String: [(label: String, config: String)]] = [:]
        var versusReference: [[String]: (mean: Double?, ci: String)] = [:]
        let pairwise = try SweepError.mapping { try PairwiseFile.reader(directory: directory, display: display) }
        while let row = try SweepError.mapping({ try pairwise.next() }) {
            let e = row[.environment]
            if participants[e] == nil { environments.append(e); participants[e] = [] }
            if row[.algorithmA] == referenceLabel && row[.algorithmB] != referenceLabel {
                participants[e]!.append((row[.algorithmB], row[.configB]))
            } else if row[.algorithmB] == referenceLabel && row[.algorithmA] != referenceLabel {
                versusReference[[e, row[.algorithmA], row[.configA]]] = try SweepError.mapping {
                    (try row.number(.mean), ReportNumber.interval(try row.number(.ciLow), try row.number(.ciHigh)))
                }
            }
        }
        for e in summaryEnvironments where participants[e] == nil { environments.append(e) }
        let m = selection.metric
        let header = ["algorithm", "best config", "n", "failed", "\(m) mean", "95% t interval", "IQM", "bootstrap interval",
                      "P(π ≻ μ)", "P(π ≻ μ) 95% t interval"]
        return environments.map { e in
            let list = participants[e] ?? []
            let withoutOK = (summaryLabels[e] ?? []).filter { label in !list.contains { $0.label == label } }
            let means = list.compactMap { stats[[e, $0.label, $0.config]]?.mean }.filter(\.isFinite)
            let best = selection.goal == .min ? means.min() : means.max()
            let rows = list.map { p -> [ReportCell] in
                let s = stats[[e, p.label, p.config]]
                let v = versusReference[[e, p.label, p.config]]
                let isBest = best != nil && s?.mean.map { $0.isFinite && ValueTolerance.standard.equal($0, best!) } == true
                return [ReportCell(p.label, emphasis: isBest), ReportCell(p.config), ReportCell(s?.n ?? "—", numeric: true),
                        ReportCell(s?.failed ?? "—", numeric: true),
                        ReportCell(ReportNumber.text(s?.mean), numeric: true, emphasis: isBest), ReportCell(s?.ci ?? "—", numeric: true),
                        ReportCell(ReportNumber.text(s?.iqm), numeric: true), ReportCell(s?.boot ?? "—", numeric: true),
                        ReportCell(ReportNumber.text(v?.mean), numeric: true), ReportCell(v?.ci ?? "—", numeric: true)]
            }
            let failedRows = withoutOK.map { label -> [ReportCell] in
                [ReportCell(label), ReportCell("— (no ok run)"), ReportCell("0", numeric: true),
                 ReportCell(String(failedByLabel[[e, label]] ?? 0), numeric: true)]
                    + Array(repeating: ReportCell("—", numeric: true), count: header.count - 4)
            }
            let caption = "\(e): best configuration of each algorithm by \(selection.goal == .min ? "lowest" : "highest") mean final \(m) "
                + "(summary.csv over ok runs; P(π ≻ μ) from pairwise.csv)" + (list.isEmpty ? " — no algorithm has an ok run" : "")
                + (withoutOK.isEmpty || list.isEmpty ? "" : "; \(withoutOK.count) algorithm\(withoutOK.count == 1 ? " has" : "s have") no ok run (see Failed runs)")
            return ReportTable(id: ReportHTML.identifier("headline", e), caption: caption, header: header, rows: rows + failedRows)
        }
    }

    /// tests.csv, one table per environment in file order: per metric and pair of best
    /// configurations, n, means, Welch's t and df, p, Holm-adjusted p (emphasised below 0.05),
    /// prob_improvement = P(A better than B) + ½P(equal) by the metric's direction, and which side the metric's direction
    /// favours when the Holm-adjusted p is below 0.05 (else "—").
    /// - Throws: `SweepError.store` for a missing or malformed tests.csv.
    static func significanceTables(directory: URL, display: String) throws -> [ReportTable] {
        let header = ["metric", "A", "config A", "B", "config B", "n A", "n B", "mean A", "mean B", "t", "df", "p", "Holm p",
                      "P(A better)", "better (Holm p < 0.05)"]
        var environments: [String] = []
        var rows: [String: [[ReportCell]]] = [:]
        let tests = try SweepError.mapping { try TestsFile.reader(directory: directory, display: display) }
        while let row = try SweepError.mapping({ try tests.next() }) {
            let e = row[.environment]
            if rows[e] == nil { environments.append(e); rows[e] = [] }
            let (meanA, meanB, holm) = try SweepError.mapping { (try row.number(.meanA), try row.number(.meanB), try row.number(.pHolm)) }
            let significant = holm.map { $0 < 0.05 } ?? false
            var better = "—"
            if significant, let a = meanA, let b = meanB, let direction = Metric.named(row[.metric])?.direction, a != b {
                let aBetter = direction == .lowerIsBetter ? a < b : a > b
                better = aBetter ? row[.algorithmA] : row[.algorithmB]
            }
            let numbers = try SweepError.mapping {
                [try row.number(.t), try row.number(.df), try row.number(.pValue)].map { ReportCell(ReportNumber.text($0), numeric: true) }
            }
            rows[e]!.append([ReportCell(row[.metric]), ReportCell(row[.algorithmA]), ReportCell(row[.configA]), ReportCell(row[.algorithmB]),
                             ReportCell(row[.configB]), ReportCell(row[.nA], numeric: true), ReportCell(row[.nB], numeric: true),
                             ReportCell(ReportNumber.text(meanA), numeric: true), ReportCell(ReportNumber.text(meanB), numeric: true)]
                            + numbers
                            + [ReportCell(ReportNumber.text(holm), numeric: true, emphasis: significant),
                               ReportCell(ReportNumber.text(try SweepError.mapping { try row.number(.probImprovement) }), numeric: true),
                               ReportCell(better)])
        }
        return environments.map { e in
            ReportTable(id: ReportHTML.identifier("tests", e),
                        caption: "\(e): Welch t-tests between best configurations (tests.csv; Holm family = one environment and metric)",
                        header: header, rows: rows[e]!)
        }
    }
}
