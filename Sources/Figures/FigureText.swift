/// The rule for user text (titles, labels, environment ids, configuration strings read from the
/// results CSVs) that the figure writer puts into a gnuplot script or data file: such text is
/// data, never code. Strings reach a script only as single-quoted literals (`GnuplotScript.quote`)
/// or in comments (`GnuplotScript.comment`), and the characters below are shown as `\u{XXXX}`
/// instead of being written, so no line can be split, hidden or reordered.
public enum FigureText {
    /// Whether a scalar may not be written raw: C0 and C1 control characters and DEL (a line
    /// feed or carriage return would start a new gnuplot command), U+2028/U+2029 (line and
    /// paragraph separators), and every format character (Unicode category Cf: the bidirectional
    /// embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, zero-width characters,
    /// the byte order mark), which can make a line display differently from what it holds.
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
            || u.properties.generalCategory == .format
    }

    /// `s` with every unsafe scalar written as `\u{XXXX}` (uppercase hex, at least 4 digits).
    /// - Complexity: O(|s|).
    public static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if isUnsafe(u) {
                let hex = String(u.value, radix: 16, uppercase: true)
                out.append(contentsOf: "\\u{\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }
}
