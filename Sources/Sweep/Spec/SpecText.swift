import Figures

/// The rules for text that comes from a spec (or a file it names) — a spec is data, never code:
///
/// - every string and key of a spec is refused at validation when it holds a character that
///   could split, hide or reorder a line of a file or message the tool writes (`FigureText.isUnsafe`:
///   control characters, U+2028/U+2029, bidirectional and other format characters); and
/// - an error message quotes user text only through `quoted(_:)`: JSON-escaped, those characters
///   shown as `\uXXXX`, and cut to its first `quotedLimit` characters followed by `…(N bytes)`.
public enum SpecText {
    /// Characters of a user string shown in an error message.
    public static let quotedLimit = 60

    /// `s` in double quotes for an error message: `\`, `"` and unsafe characters escaped, at most
    /// `quotedLimit` characters, then `…(N bytes)` giving the full UTF-8 length when cut.
    /// - Complexity: O(min(|s|, quotedLimit)) plus O(|s|) for the byte count of a long string.
    public static func quoted(_ s: String) -> String {
        let (text, cut) = escapedPrefix(s, escapingQuotes: true)
        return "\"" + text + "\"" + cut
    }

    /// Text that is already formatted (e.g. a parameter value) cut like `quoted(_:)`, with unsafe
    /// characters escaped but without quotes around it.
    public static func bounded(_ s: String) -> String {
        let (text, cut) = escapedPrefix(s, escapingQuotes: false)
        return text + cut
    }

    /// The escaped first `quotedLimit` characters of `s`, and `…(N bytes)` when `s` is longer.
    private static func escapedPrefix(_ s: String, escapingQuotes: Bool) -> (String, String) {
        var out = ""
        var count = 0
        for u in s.unicodeScalars {
            if count == quotedLimit { return (out, "…(\(s.utf8.count) bytes)") }
            count += 1
            switch u {
            case "\"" where escapingQuotes: out += "\\\""
            case "\\" where escapingQuotes: out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where FigureText.isUnsafe(u): out += escaped(u)
            default: out.unicodeScalars.append(u)
            }
        }
        return (out, "")
    }

    /// `\uXXXX` (lowercase hex, as in JSON; `\u{XXXXX}` above the BMP).
    static func escaped(_ u: Unicode.Scalar) -> String {
        let h = String(u.value, radix: 16)
        return u.value > 0xFFFF ? "\\u{\(h)}" : "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }

    /// What `checkStrings` allows, for messages.
    static let allowedText = "text without control characters (U+0000–U+001F, U+007F–U+009F), line or paragraph separators (U+2028, U+2029) or format characters such as bidirectional overrides (U+202A–U+202E, U+2066–U+2069)"

    /// Refuses the first key or string value of `document` that holds an unsafe character.
    /// - Throws: `SweepError.spec` at the value's JSON path, naming the character (U+XXXX).
    /// - Complexity: O(size of the document).
    static func checkStrings(_ document: JSONValue, reader: SpecReader) throws {
        func firstUnsafe(_ s: String) -> Unicode.Scalar? { s.unicodeScalars.first(where: FigureText.isUnsafe) }
        func describe(_ u: Unicode.Scalar) -> String {
            let h = String(u.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h
        }
        func walk(_ v: JSONValue, _ path: JSONPath) throws {
            switch v {
            case let .string(s):
                if let u = firstUnsafe(s) {
                    throw reader.fail(path, "the text \(quoted(s)) contains the character \(describe(u))", allowed: allowedText)
                }
            case let .array(a):
                for (i, e) in a.enumerated() { try walk(e, path.index(i)) }
            case .object:
                for m in v.objectMembers ?? [] {
                    if let u = firstUnsafe(m.key) {
                        throw reader.fail(path, "the key \(quoted(m.key)) contains the character \(describe(u))", allowed: allowedText)
                    }
                    try walk(m.value, path.key(m.key))
                }
            default: return
            }
        }
        try walk(document, .root)
    }
}
