import Foundation
import Sweep

/// Where a spec's results and figures go when `--out` and `--plots` are not given — the one place
/// these defaults are declared (`sweep`, `figures`, `merge`, `slurm` and `paper` read them).
///
/// A spec in `Experiments/paper/` is one of the paper's: its results are where `bench paper`
/// writes them, `Results/paper/<name>/`, and its figures go to `Plots/paper/`, so `bench figures
/// f1-last-iterate` finds and redraws the committed paper results. Any other spec writes to
/// `Results/<folder>/` and `Plots/<folder>/`, where the folder is the name, with the `--only`
/// suffix for a subset (`ExperimentSpec.folderName`). Results sent elsewhere (`--out local`) draw
/// their figures into `Plots/local/` unless `--plots` says otherwise.
enum DefaultLocations {
    /// The paper's specs, results root and figures directory (`bench paper`'s defaults).
    static let paperSpecs = "Experiments/paper"
    static let paperResults = "Results/paper"
    static let paperPlots = "Plots/paper"

    /// Whether the spec file lies directly in `Experiments/paper/` of the current directory and
    /// is run whole (a subset of a paper spec goes to its own folders).
    static func isPaperSpec(_ s: ExperimentSpec) -> Bool {
        let file = URL(fileURLWithPath: s.file, relativeTo: currentDirectory).standardizedFileURL
        let paper = currentDirectory.appendingPathComponent(paperSpecs).standardizedFileURL
        return s.subset.isEmpty && file.deletingLastPathComponent().path == paper.path
    }

    /// The results directory: `option` (relative to the current directory), else the default.
    static func results(_ option: String?, for s: ExperimentSpec) -> URL {
        directory(option, base: isPaperSpec(s) ? paperResults : "Results", name: s.folderName)
    }

    /// The figures directory: `option`; else, when the results go to a directory other than the
    /// default (`--out`, or a results directory given to `merge`), `Plots/<that directory's last
    /// component>`, so figures of `--out local` never overwrite those of the default results;
    /// else `Plots/paper` for a paper spec and `Plots/<folder>` otherwise.
    /// - Parameters:
    ///   - option: `--plots`, as given.
    ///   - results: the results directory in use (nil: the default).
    ///   - s: the spec.
    static func plots(_ option: String?, results: URL? = nil, for s: ExperimentSpec) -> URL {
        if option == nil, let name = nonDefaultResultsName(results, for: s) {
            return currentDirectory.appendingPathComponent("Plots").appendingPathComponent(name)
        }
        if option == nil, isPaperSpec(s) { return currentDirectory.appendingPathComponent(paperPlots) }
        return directory(option, base: "Plots", name: s.folderName)
    }

    /// The HTML report's file: `<plots>/report.html`, or for a paper spec drawn into the shared
    /// `Plots/paper/` (no `--plots`, default results), `report-<name>.html` there, as `bench paper`
    /// names it.
    static func report(_ plotsOption: String?, results: URL? = nil, for s: ExperimentSpec) -> URL {
        let shared = plotsOption == nil && isPaperSpec(s) && nonDefaultResultsName(results, for: s) == nil
        return plots(plotsOption, results: results, for: s).appendingPathComponent(shared ? paperReportName(s.name) : ResultReport.fileName)
    }

    /// The last path component of `results` when it is not `s`'s default results directory.
    private static func nonDefaultResultsName(_ results: URL?, for s: ExperimentSpec) -> String? {
        guard let results else { return nil }
        let given = results.standardizedFileURL
        return given.path == self.results(nil, for: s).standardizedFileURL.path ? nil : given.lastPathComponent
    }

    /// The report of paper spec `name` in the shared figures directory.
    static func paperReportName(_ name: String) -> String { "report-\(name).html" }
}
