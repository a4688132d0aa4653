/// JSON string literals (RFC 8259 §7): the one escaper of the project, used by the spec writer
/// (canonical and pretty JSON, so spec hashes depend on it) and by parameter values printed as JSON
/// lists (result files, configuration keys, `bench describe`).
public enum JSONString {
    /// `s` as a JSON string literal: quoted, with `"` and `\` escaped, the short escapes `\n`, `\r`,
    /// `\t`, `\b`, `\f`, and every other control character below U+0020 as `\u00XX` (lowercase
    /// hex). Everything else, non-ASCII included, is written as itself (UTF-8).
    ///
    /// - Complexity: O(n) in the number of Unicode scalars.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
