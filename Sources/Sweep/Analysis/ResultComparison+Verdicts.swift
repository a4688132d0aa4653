import AlignmentCore
import Foundation

extension ResultComparison {
    /// What an algorithm label's rows say together.
    public enum VerdictKind: String, Sendable, CaseIterable {
        /// Every run's status and every metric cell byte-identical.
        case identical
        /// Cells differ, but no row is better or worse, every differing row was tested and no run
        /// changed status.
        case sameWithinNoise = "same within noise"
        /// Some row better, none worse.
        case better
        /// Some row worse, none better.
        case worse
        /// Some row better and some worse.
        case mixed = "better and worse"
        /// No row better or worse, but some differing row could not be tested (fewer than 2
        /// pairs) or some run changed status.
        case undecided
    }

    /// The one-line verdict on an algorithm label.
    public struct Verdict: Sendable {
        /// The algorithm label.
        public var algorithm: String
        /// The kind.
        public var kind: VerdictKind
        /// Metrics with a better row, registry order.
        public var better: [String]
        /// Metrics with a worse row.
        public var worse: [String]
        /// Metrics whose cells differ in some run (better, worse and within noise alike).
        public var differing: [String]
        /// Runs of the label.
        public var runs: Int
        /// Runs ok in A and failed in B.
        public var failedInBOnly: Int
        /// Runs failed in A and ok in B.
        public var failedInAOnly: Int
        /// The line: "<label>: <verdict> — <details>".
        public var text: String
    }

    /// One verdict per label, in plan order.
    static func verdicts(rows: [Row], pairs: [(ComparedRun, ComparedRun)]) -> [Verdict] {
        var labels: [String] = []
        for (x, _) in pairs where !labels.contains(x.group.algorithm) { labels.append(x.group.algorithm) }
        return labels.map { label in
            let own = rows.filter { $0.algorithm == label }
            let runs = pairs.filter { $0.0.group.algorithm == label }
            return verdict(label, rows: own, runs: runs)
        }
    }

    private static func verdict(_ label: String, rows: [Row], runs: [(ComparedRun, ComparedRun)]) -> Verdict {
        let failedB = runs.filter { $0.0.status == "ok" && $0.1.status != "ok" }.count
        let failedA = runs.filter { $0.0.status != "ok" && $0.1.status == "ok" }.count
        let statusChanged = runs.filter { $0.0.status != $0.1.status }.count
        func metrics(_ outcomes: Set<Outcome>) -> [String] {
            Metric.ids.filter { id in rows.contains { $0.metric.id == id && outcomes.contains($0.outcome) } }
        }
        let better = metrics([.better]), worse = metrics([.worse])
        let differing = metrics([.better, .worse, .withinNoise, .untested])
        let untested = metrics([.untested])
        let kind: VerdictKind
        switch (better.isEmpty, worse.isEmpty) {
        case (false, true): kind = .better
        case (true, false): kind = .worse
        case (false, false): kind = .mixed
        case (true, true):
            kind = differing.isEmpty && statusChanged == 0 ? .identical
                : untested.isEmpty && statusChanged == 0 ? .sameWithinNoise : .undecided
        }
        var parts: [String] = []
        if kind == .identical {
            parts.append("\(runs.count) of \(runs.count) runs byte-identical on every metric and status")
        }
        for id in better { parts.append(detail(rows, id, .better)) }
        for id in worse { parts.append(detail(rows, id, .worse)) }
        for id in differing where !better.contains(id) && !worse.contains(id) {
            let differ = rows.filter { $0.metric.id == id }.reduce(0) { $0 + $1.runs - $1.identical }
            let note = untested.contains(id) ? "fewer than 2 paired seeds in some group: not tested" : "no significant paired difference"
            parts.append("\(id) differs in \(differ) of \(runs.count) run\(runs.count == 1 ? "" : "s") (\(note))")
        }
        if failedB > 0 { parts.append("\(failedB) run\(failedB == 1 ? "" : "s") ok in A failed in B") }
        if failedA > 0 { parts.append("\(failedA) run\(failedA == 1 ? "" : "s") failed in A ok in B") }
        if statusChanged > failedA + failedB {
            parts.append("\(statusChanged - failedA - failedB) run(s) with another status")
        }
        let head: String
        switch kind {
        case .better: head = "better on " + better.joined(separator: ", ")
        case .worse: head = "worse on " + worse.joined(separator: ", ")
        case .mixed: head = "better on " + better.joined(separator: ", ") + ", worse on " + worse.joined(separator: ", ")
        default: head = kind.rawValue
        }
        return Verdict(algorithm: label, kind: kind, better: better, worse: worse, differing: differing, runs: runs.count,
                       failedInBOnly: failedB, failedInAOnly: failedA,
                       text: "\(label): \(head) — " + parts.joined(separator: "; "))
    }

    /// "exploitability in rps default: B − A = 0.0123 [0.004, 0.02], Holm p = 0.003 (+1 more group)"
    /// for the row of `metric` with `outcome` and the smallest Holm-adjusted p.
    private static func detail(_ rows: [Row], _ metric: String, _ outcome: Outcome) -> String {
        let matching = rows.filter { $0.metric.id == metric && $0.outcome == outcome }
        let r = matching.min { ($0.pHolm ?? 1) < ($1.pHolm ?? 1) }!
        let t = r.test!
        var text = "\(metric) in \(r.environment) \(r.config): B − A = \(Self.short(t.meanDifference)) "
            + "[\(Self.short(t.ciLow)), \(Self.short(t.ciHigh))], Holm p = \(Self.short(r.pHolm!))"
        if matching.count > 1 { text += " (+\(matching.count - 1) more group\(matching.count == 2 ? "" : "s"))" }
        return text
    }

    /// A number for reading: 4 significant digits ("0.01235", "-3.1e-05", "0", "inf").
    public static func short(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        return String(format: "%.4g", x)
    }
}
