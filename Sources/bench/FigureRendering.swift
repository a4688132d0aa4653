import Figures
import Foundation
import Sweep

/// Writes the gnuplot scripts of a spec's figures and renders them when gnuplot is installed;
/// otherwise prints one line on how to install it.
/// - Throws: `SweepError.figures` (one line) when a script cannot be written or rendered.
func renderFigures(_ spec: ExperimentSpec, results: URL, plots: URL, formats: [String]) throws {
    guard !spec.figures.isEmpty else { return }
    let scripts: [URL]
    do {
        scripts = try FigureWriter.write(figures: spec.figures, experiment: spec.name, resultsDirectory: results,
                                         plotsDirectory: plots)
    } catch {
        throw SweepError.figures(oneLine("\(error)"))
    }
    guard Gnuplot.isAvailable else {
        print("figures: wrote \(scripts.count) gnuplot script(s) to \(displayPath(plots))/; gnuplot is not installed — "
            + "install it (sudo apt-get install gnuplot-nox, or brew install gnuplot) and run `bench figures \(spec.name)`")
        return
    }
    for script in scripts {
        do { try Gnuplot.render(script: script, formats: formats) } catch { throw SweepError.figures(oneLine("\(error)")) }
    }
    let names = scripts.flatMap { s in formats.map { s.deletingPathExtension().appendingPathExtension($0).lastPathComponent } }
    print("figures: \(displayPath(plots))/{\(names.joined(separator: ","))}")
}

/// Joins the lines of a multi-line message with "; ".
func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        .joined(separator: "; ")
}
