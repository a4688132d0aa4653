import Foundation

/// The benchmark's output: one table per section printed as soon as the section ends, and every
/// figure under a stable key for `--json` (read by scripts/bench-peers.sh).
final class Report {
    /// One printed row.
    struct Row {
        var label: String
        var value: String
        var note: String
    }

    private var rows: [Row] = []
    private var section = ""
    /// Every figure by key, in the order recorded.
    private(set) var figures: [(key: String, value: Double)] = []
    /// Facts about the run (machine, date, load), by key.
    private(set) var facts: [(key: String, value: String)] = []

    /// Starts a section (prints the previous one).
    func begin(_ title: String) {
        flush()
        section = title
        print("\n== \(title)")
        fflush(nil)
    }

    /// Records a figure: shown in the table as `value` with `unit`, stored under `key`.
    func figure(_ key: String, _ label: String, _ value: Double, unit: String, digits: Int = 3, note: String = "") {
        figures.append((key, value))
        rows.append(Row(label: label, value: Self.format(value, digits: digits) + (unit.isEmpty ? "" : " " + unit), note: note))
    }

    /// Records a fact (a line of text, also in the JSON).
    func fact(_ key: String, _ value: String) {
        facts.append((key, value))
        print("\(key): \(value)")
    }

    /// Prints a line of text inside the current section.
    func note(_ text: String) {
        flush()
        print("   \(text)")
        fflush(nil)
    }

    /// Prints the pending rows as an aligned table.
    func flush() {
        guard !rows.isEmpty else { return }
        let w0 = rows.map(\.label.count).max() ?? 0
        let w1 = rows.map(\.value.count).max() ?? 0
        for r in rows {
            let line = "   " + r.label.padding(toLength: w0, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: w1 - r.value.count) + r.value + (r.note.isEmpty ? "" : "   " + r.note)
            print(line)
        }
        rows.removeAll()
        fflush(nil)
    }

    /// `x` with `digits` significant digits (plain notation between 1e-3 and 1e7).
    static func format(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e-3 && a < 1e7 {
            let decimals = max(0, digits - 1 - Int(floor(log10(a))))
            return String(format: "%.\(decimals)f", x)
        }
        return String(format: "%.\(digits - 1)e", x)
    }

    /// The figures and facts as one JSON object {"facts": {…}, "figures": {…}}.
    func json() -> String {
        func quote(_ s: String) -> String {
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default:
                    if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
                }
            }
            return out + "\""
        }
        let f = facts.map { "    \(quote($0.key)): \(quote($0.value))" }.joined(separator: ",\n")
        let g = figures.map { "    \(quote($0.key)): \($0.value.isFinite ? "\($0.value)" : "null")" }.joined(separator: ",\n")
        return "{\n  \"facts\": {\n\(f)\n  },\n  \"figures\": {\n\(g)\n  }\n}\n"
    }
}
