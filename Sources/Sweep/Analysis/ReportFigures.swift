import Figures
import Foundation

/// The figures of `bench report`: the spec's figures drawn from the results directory by the
/// same `FigureWriter` scripts as `bench figures`, rendered by gnuplot's `svg` terminal into a
/// temporary directory (the figures directory is not touched), and inlined in the page.
public enum ReportFigures {
    /// Draws every figure of `spec` from `directory` as inline SVG.
    ///
    /// A figure with nothing to draw (`FigureWriter.writeAvailable`'s skips), one gnuplot fails on,
    /// and every figure when gnuplot is not installed are returned as missing with the reason, so
    /// the rest of the page is still written.
    /// Up to `jobs` gnuplot processes run at once, each on its own figure's files; the outcomes
    /// are assembled in spec order, so the page does not depend on `jobs`.
    /// - Parameters:
    ///   - spec: the spec whose figures are drawn.
    ///   - directory: the results directory.
    ///   - jobs: the most gnuplot processes at once (`--jobs`; default 1).
    /// - Returns: the drawn figures in spec order, and the missing ones with their reasons.
    /// - Throws: `SweepError.figures` when a script cannot be written (an invalid figure or a
    ///   malformed result file), `SweepError.io` when no temporary directory can be made.
    public static func render(spec: ExperimentSpec, directory: URL, jobs: Int = 1) throws -> ([ResultReport.Figure], [ResultReport.MissingFigure]) {
        guard !spec.figures.isEmpty else { return ([], []) }
        guard Gnuplot.isAvailable else {
            return ([], spec.figures.map {
                ResultReport.MissingFigure(id: $0.id, reason: "gnuplot is not installed (sudo apt-get install gnuplot-nox, or brew install gnuplot); run `bench report` again")
            })
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("bench-report-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw SweepError.io(path: temporary.path, message: "cannot create a temporary directory for the figures: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let batch: FigureBatch
        do {
            batch = try FigureWriter.writeAvailable(figures: spec.figures, experiment: spec.name, resultsDirectory: directory,
                                                    plotsDirectory: temporary)
        } catch {
            throw SweepError.figures("\(error)")
        }
        let scripts = Dictionary(uniqueKeysWithValues: batch.scripts.map { ($0.deletingPathExtension().lastPathComponent, $0) })
        let skipped = Dictionary(uniqueKeysWithValues: batch.skipped.map { ($0.figure, $0.reason) })
        let figures = spec.figures
        var drawn: [ResultReport.Figure] = []
        var missing: [ResultReport.MissingFigure] = []
        // Rendered on up to `jobs` gnuplot processes, consumed in spec order.
        try ParallelWork.orderedStream(count: figures.count, jobs: jobs, compute: { k -> Outcome in
            let figure = figures[k]
            guard let script = scripts[figure.id] else { return .missing(.init(id: figure.id, reason: skipped[figure.id] ?? "not drawn")) }
            do {
                try Gnuplot.render(script: script, formats: ["svg"])
                let text = try String(contentsOf: script.deletingPathExtension().appendingPathExtension("svg"), encoding: .utf8)
                return .drawn(.init(id: figure.id, caption: caption(figure), svg: try inline(text, prefix: "figure\(k + 1)-")))
            } catch {
                return .missing(.init(id: figure.id, reason: "\(error)"))
            }
        }, consume: { outcome in
            switch outcome {
            case let .drawn(f): drawn.append(f)
            case let .missing(m): missing.append(m)
            }
        })
        return (drawn, missing)
    }

    /// One figure's outcome: drawn, or missing with the reason.
    private enum Outcome {
        case drawn(ResultReport.Figure)
        case missing(ResultReport.MissingFigure)
    }

    /// "<id>: <kind> of <metric>", followed by " — <title>" when the spec gives one.
    static func caption(_ figure: FigureSpec) -> String {
        "\(figure.id): \(figure.kind.id) of \(figure.metric)" + (figure.title.map { " — \($0)" } ?? "")
    }

    /// Errors of `inline`.
    struct UnsafeSVG: Error, CustomStringConvertible {
        /// What was found.
        var found: String
        var description: String { "the SVG holds \(found), which a self-contained report does not inline" }
    }

    /// A standalone SVG document made into an element to inline in HTML: the XML declaration and
    /// anything before `<svg` dropped; the SVG and XLink namespace declarations removed (the HTML
    /// parser gives inline `<svg>` and `xlink:href` their namespaces, and the page then names no
    /// URL at all); every `id` and every reference to one (`href='#…'`, `url(#…)`) prefixed
    /// with `prefix`, so the marker definitions of several figures on one page never collide.
    /// - Throws: `UnsafeSVG` when the SVG holds a script, a `foreignObject`, an event attribute or
    ///   a reference that is not to an element of the figure itself (gnuplot writes none; the
    ///   check keeps the page free of code and network access whatever a gnuplot version does).
    /// - Complexity: O(length of `svg`).
    static func inline(_ svg: String, prefix: String) throws -> String {
        guard let start = svg.range(of: "<svg") else { throw UnsafeSVG(found: "no <svg> element") }
        var text = String(svg[start.lowerBound...])
        for declaration in [" xmlns=\"http://www.w3.org/2000/svg\"", " xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
                            "\n xmlns=\"http://www.w3.org/2000/svg\"", "\n xmlns:xlink=\"http://www.w3.org/1999/xlink\""] {
            text = text.replacingOccurrences(of: declaration, with: "")
        }
        for q in ["'", "\""] {
            text = text.replacingOccurrences(of: " id=\(q)", with: " id=\(q)\(prefix)")
            text = text.replacingOccurrences(of: "href=\(q)#", with: "href=\(q)#\(prefix)")
        }
        text = text.replacingOccurrences(of: "url(#", with: "url(#\(prefix)")
        // Inside tags only: text content cannot hold a tag (gnuplot writes '<' in text as "&lt;").
        for tag in text.lowercased().split(separator: "<").map({ $0.prefix { $0 != ">" } }) {
            for element in ["script", "foreignobject", "image", "style", "iframe", "object", "embed"] where tag.hasPrefix(element) {
                throw UnsafeSVG(found: "a <\(element)> element")
            }
            if tag.contains("javascript:") || tag.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) != nil {
                throw UnsafeSVG(found: "an event attribute or script reference in <\(tag.prefix(40))>")
            }
            for q in ["'", "\""] where tag.components(separatedBy: "href=\(q)").dropFirst().contains(where: { !$0.hasPrefix("#") }) {
                throw UnsafeSVG(found: "a reference outside the figure in <\(tag.prefix(40))>")
            }
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
