import Foundation

/// The page of `bench report`.
extension ResultReport {
    /// The style sheet, inline: the page loads nothing.
    static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1400px;padding:1rem 2rem;color:#1b1f24;line-height:1.4}
    h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
    nav a{margin-right:1rem}p.note{color:#57606a;font-size:.9rem}
    table{border-collapse:collapse;margin:.8rem 0 1.2rem;font-size:.85rem}
    caption{text-align:left;font-weight:600;padding:.3rem 0;caption-side:top}
    th,td{border:1px solid #d0d7de;padding:.2rem .5rem;vertical-align:top;text-align:left}
    th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    tbody tr:nth-child(even){background:#fbfcfd}td{overflow-wrap:anywhere}
    details{margin:.4rem 0}summary{cursor:pointer;font-weight:600;font-size:.85rem}
    figure{margin:1rem 0 2rem}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:.9rem;color:#57606a}
    """

    /// The start of the note every page carries under its title, by which `PlotsDirectory` tells a
    /// report bench wrote (and may overwrite) from a user's file of the same name. Changing it makes
    /// the reports written before the change look foreign to the commands that rewrite them.
    public static let generatorNote = "<p class=\"note\">AlignmentBench report written by <code>bench report</code>"

    /// The page: one HTML5 document with its style sheet inline, every figure as inline SVG, and
    /// no script, link, image or URL, so it shows the same with or without a network. Sections:
    /// "What was run" (`provenance`; all but the first table folded in `<details>`), "Best configurations" (`headline`), "Significance"
    /// (`significance`), "Figures", "Failed runs". Every text is escaped (`ReportHTML.escape`);
    /// the bytes depend only on the report's content.
    /// - Complexity: O(size of the tables and figures).
    public var html: String {
        let e = ReportHTML.escape
        var out = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(e(name)) — AlignmentBench report</title>",
            "<style>", Self.style, "</style>",
            "</head>",
            "<body>",
            "<h1>\(e(name))</h1>",
        ]
        if let description { out.append("<p>\(e(description))</p>") }
        out.append(Self.generatorNote + " from the result files of this "
            + "experiment (\(runCount) runs); it reads them and recomputes nothing. Intervals are 95% Student t intervals over seeds "
            + "unless marked bootstrap.</p>")
        out.append("<nav><a href=\"#provenance\">What was run</a><a href=\"#headline\">Best configurations</a>"
            + "<a href=\"#significance\">Significance</a><a href=\"#figures\">Figures</a><a href=\"#failures\">Failed runs</a></nav>")

        out.append("<section id=\"provenance\">")
        out.append("<h2>What was run</h2>")
        // The manifest's members open; the invocation's details, inputs and history folded (still in the DOM).
        for (k, table) in provenance.enumerated() {
            out.append(k == 0 ? table.html : "<details>\n<summary>\(e(table.caption))</summary>\n\(table.html)\n</details>")
        }
        out.append("</section>")

        out.append("<section id=\"headline\">")
        out.append("<h2>Best configurations</h2>")
        out.append("<p class=\"note\">Per environment, the configuration of each algorithm chosen by the rule in force "
            + "(\(e(selection))), as in pairwise.csv and tests.csv. Emphasised: the best mean of the environment.</p>")
        out += headline.isEmpty ? ["<p>No environment in pairwise.csv.</p>"] : headline.map(\.html)
        out.append("</section>")

        out.append("<section id=\"significance\">")
        out.append("<h2>Significance</h2>")
        out.append("<p class=\"note\">Welch's t-test between the best configurations of two algorithms, per environment and "
            + "metric; Holm's adjustment over the pairs of one environment and one metric (emphasised below 0.05). "
            + "P(A &gt; B) = P(X<sub>A</sub> &gt; X<sub>B</sub>) + ½P(X<sub>A</sub> = X<sub>B</sub>) over the final values, "
            + "&quot;A larger&quot; whatever the metric's direction; &quot;better&quot; follows the direction.</p>")
        out += significance.isEmpty ? ["<p>No test (tests.csv has no row: fewer than two algorithms have ok runs).</p>"] : significance.map(\.html)
        out.append("</section>")

        out.append("<section id=\"figures\">")
        out.append("<h2>Figures</h2>")
        if figures.isEmpty && missingFigures.isEmpty { out.append("<p>The spec declares no figure.</p>") }
        for f in figures {
            out.append("<figure id=\"\(e(ReportHTML.identifier("figure", f.id)))\">")
            out.append(f.svg)
            out.append("<figcaption>\(e(f.caption))</figcaption>")
            out.append("</figure>")
        }
        if !missingFigures.isEmpty {
            out.append("<p>Not drawn:</p>")
            out.append("<ul id=\"missing-figures\">")
            out += missingFigures.map { "<li><code>\(e($0.id))</code>: \(e($0.reason))</li>" }
            out.append("</ul>")
        }
        out.append("</section>")

        out.append("<section id=\"failures\">")
        out.append("<h2>Failed runs</h2>")
        out.append(failures.rows.isEmpty ? "<p>No run failed.</p>" : failures.html)
        out.append("</section>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The number of `<table>` elements of `html` (the tests count them in the browser's DOM).
    public var tableCount: Int {
        provenance.count + headline.count + significance.count + (failures.rows.isEmpty ? 0 : 1)
    }
}
