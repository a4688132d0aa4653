import Foundation

/// A gnuplot script for one figure: a preamble that finds the script's own directory (from
/// `ARG0`, so it runs from any working directory) and loops over the requested output formats,
/// and a body of plotting commands run once per format.
struct GnuplotScript {
    /// Figure id: the file-name stem of the script, its data file and its outputs.
    var id: String
    /// One-line description for the header comment.
    var title: String
    /// Where the data came from (header comment), e.g. "Results/x/summary.csv (metric exploitability)".
    var source: String
    /// Canvas width in pixels (PNG/SVG); the PDF uses the same size at 72 px per inch.
    var width: Int
    /// Canvas height in pixels.
    var height: Int
    /// Plotting commands; they may use the variables `datafile` (path of <id>.dat) and `fmt`.
    var body: [String]

    /// Font used for all text.
    static let font = "Sans,12"

    /// The script text.
    var text: String {
        let pdfW = String(format: "%.2f", Double(width) / 72)
        let pdfH = String(format: "%.2f", Double(height) / 72)
        precondition(FigureWriter.isPlainFileName(id), "figure ids are checked by FigureWriter.write")
        var lines = [
            Self.comment(title),
            Self.comment("\(FigureWriter.generator) from \(source)."),
            "# Data: \(id).dat, next to this script (found through ARG0, so any working directory works).",
            "# Render all formats:  gnuplot \(id).gp          (writes \(id).png, \(id).svg, \(id).pdf here)",
            "# Only some formats:   gnuplot -e \"formats='png'\" \(id).gp   (png, svg, pdf; space or comma separated)",
            "",
            "if (!exists(\"formats\")) formats = \"png svg pdf\"",
            "_fmts = \"\"",
            "do for [_i = 1:strlen(formats)] { _c = formats[_i:_i]; _fmts = _fmts . ((_c eq \",\") ? \" \" : _c) }",
            "scriptdir = \".\"",
            "if (exists(\"ARG0\") && strlen(ARG0) > 0) {",
            "  _cut = 0",
            "  do for [_i = 1:strlen(ARG0)] { if (ARG0[_i:_i] eq \"/\") { _cut = _i } }",
            "  scriptdir = (_cut == 0) ? \".\" : ((_cut == 1) ? \"/\" : ARG0[1:_cut - 1])",
            "}",
            "# A directory named like a pipe ('|cmd', '<cmd') must stay a file name.",
            "if (scriptdir[1:1] eq \"|\" || scriptdir[1:1] eq \"<\") { scriptdir = \"./\" . scriptdir }",
            "datafile = scriptdir . \(Self.quote("/" + id + ".dat"))",
            "",
            "do for [fmt in _fmts] {",
            "  if (fmt ne \"png\" && fmt ne \"svg\" && fmt ne \"pdf\") {",
            "    print \(Self.quote(id + ".gp: skipping unknown format '")) . fmt . \(Self.quote("' (allowed: png, svg, pdf)"))",
            "  } else {",
            "    if (fmt eq \"png\") {",
            "      set terminal pngcairo size \(width),\(height) enhanced font \"\(Self.font)\" background rgb \"white\"",
            "    } else {",
            "      if (fmt eq \"svg\") {",
            "        set terminal svg size \(width),\(height) enhanced font \"\(Self.font)\" background rgb \"white\"",
            "      } else {",
            "        set terminal pdfcairo size \(pdfW)in,\(pdfH)in enhanced font \"\(Self.font)\"",
            "      }",
            "    }",
            "    set output scriptdir . \(Self.quote("/" + id + ".")) . fmt",
            "    reset",
        ]
        lines += body.map { "    " + $0 }
        lines += [
            "    unset output",
            "  }",
            "}",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// A gnuplot single-quoted string literal: the only quoting gnuplot never evaluates (no
    /// backquote command substitution, no `@macro` expansion, no backslash escapes). `'` is
    /// doubled; every character `FigureText.isUnsafe` flags (control characters, line and
    /// paragraph separators, bidirectional and other format characters) is shown as `\u{XXXX}`, so
    /// the literal stays on one line and shows what the input held.
    static func quote(_ s: String) -> String {
        "'" + FigureText.visible(s).replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A comment line `# text` that cannot end early or run on: unsafe characters are shown as
    /// `\u{XXXX}` (no line break), and a trailing backslash — which would make gnuplot read the
    /// next line as part of the comment — is shown as `\u{5C}`.
    static func comment(_ text: String) -> String {
        var visible = FigureText.visible(text)
        if visible.hasSuffix("\\") { visible = String(visible.dropLast()) + "\\u{5C}" }
        return "# " + visible
    }

    /// A number as gnuplot reads it (shortest round-trip form).
    static func number(_ v: Double) -> String {
        v.isFinite ? "\(v)" : "NaN"
    }
}
