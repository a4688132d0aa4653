import Foundation

/// The HTML pieces of `bench report`: escaping and tables. Every text that reaches the page —
/// from the spec, the manifest or a result file — goes through `ReportHTML.escape`, so no cell,
/// title or error message can open an element, close an attribute or start an entity.
public enum ReportHTML {
    /// `text` with the five characters that are special in HTML text and attribute values
    /// replaced by their character references (`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`,
    /// `"` → `&quot;`, `'` → `&#39;`), and every control character other than tab and line feed
    /// (C0, DEL, C1) and every Unicode format character (bidirectional overrides, zero-width
    /// characters) shown as the visible text `\u{XXXX}`, so what a file held is seen, not obeyed.
    /// - Complexity: O(length of `text`).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.properties.generalCategory == .format
                    || u.value == 0x2028 || u.value == 0x2029 {
                    out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// A fragment identifier made of `text`'s ASCII letters and digits, other characters as `-`
    /// (e.g. "env=rps|x" → "env-rps-x"), prefixed by `prefix`; used for `id` attributes, which
    /// are therefore always safe unquoted too.
    public static func identifier(_ prefix: String, _ text: String) -> String {
        prefix + "-" + String(text.unicodeScalars.map { u -> Character in
            (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u))) ? Character(u) : "-"
        })
    }
}

/// One cell of a report table: its text (escaped when written) and how it is shown.
public struct ReportCell: Sendable, Equatable {
    /// The cell's text, unescaped.
    public var text: String
    /// Right-aligned tabular figures (`class="num"`).
    public var numeric: Bool
    /// Shown emphasised (`<strong>`), e.g. a Holm-adjusted p below 0.05.
    public var emphasis: Bool

    /// Creates a cell.
    public init(_ text: String, numeric: Bool = false, emphasis: Bool = false) {
        self.text = text
        self.numeric = numeric
        self.emphasis = emphasis
    }
}

/// A table of the report: a caption, the header row and the body rows.
public struct ReportTable: Sendable, Equatable {
    /// The `id` attribute's value (made safe by `ReportHTML.identifier`).
    public var id: String
    /// The caption, unescaped.
    public var caption: String
    /// The header cells, unescaped.
    public var header: [String]
    /// The body rows; each row has as many cells as the header.
    public var rows: [[ReportCell]]

    /// Creates a table.
    /// - Precondition: every row has `header.count` cells.
    public init(id: String, caption: String, header: [String], rows: [[ReportCell]]) {
        precondition(rows.allSatisfy { $0.count == header.count }, "a report table row has as many cells as its header")
        self.id = id
        self.caption = caption
        self.header = header
        self.rows = rows
    }

    /// The table as HTML: `<table id=…>` with `<caption>`, a `<thead>` row of `<th scope="col">`
    /// and a `<tbody>` of `<td>` rows, one line per row; every text escaped.
    /// - Complexity: O(total text length).
    public var html: String {
        var lines = ["<table id=\"\(ReportHTML.escape(id))\">", "<caption>\(ReportHTML.escape(caption))</caption>"]
        lines.append("<thead><tr>" + header.map { "<th scope=\"col\">\(ReportHTML.escape($0))</th>" }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in rows {
            lines.append("<tr>" + row.map(Self.cell).joined() + "</tr>")
        }
        lines.append("</tbody>")
        lines.append("</table>")
        return lines.joined(separator: "\n")
    }

    /// One `<td>`: `class="num"` for numbers, the text in `<strong>` when emphasised.
    static func cell(_ c: ReportCell) -> String {
        let text = c.emphasis ? "<strong>\(ReportHTML.escape(c.text))</strong>" : ReportHTML.escape(c.text)
        return (c.numeric ? "<td class=\"num\">" : "<td>") + text + "</td>"
    }
}

/// How the report shows the numbers of the result files: 4 significant digits (`%.4g`), `inf`
/// and `-inf` as ∞ and −∞, `nan` as "nan", an empty cell (not applicable) as an em dash.
/// Display only: the files keep every digit.
public enum ReportNumber {
    /// The shown form of a number.
    public static func text(_ value: Double?) -> String {
        guard let v = value else { return "—" }
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "∞" : "−∞" }
        let s = String(format: "%.4g", v)
        return s == "-0" ? "0" : s
    }

    /// "[low, high]", or an em dash when either bound is missing.
    public static func interval(_ low: Double?, _ high: Double?) -> String {
        guard let low, let high else { return "—" }
        return "[\(text(low)), \(text(high))]"
    }
}
