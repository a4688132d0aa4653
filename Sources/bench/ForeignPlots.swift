import Figures
import Foundation
import Sweep

/// Refuses, before anything is written, a figures directory where bench would overwrite or remove
/// files it did not write (`PlotsDirectory.refuseForeignFiles`): a user's `<id>.png` without
/// bench's script, a script without bench's generator line, a `report.html` without the report's
/// note (`ResultReport.generatorNote`). The one check of every command that draws figures or
/// writes a report (`sweep`, `merge`, `summarize`, `figures`, `report`, `paper`); it writes nothing.
/// - Parameters:
///   - plots: the figures directory (or, for `bench report --output FILE`, the file's directory).
///   - figures: the ids of the figures drawn there.
///   - reports: the file names of the reports written there (empty with `--no-report`).
///   - option: the option that chooses another destination, named in the message.
/// - Throws: `SweepError.store` (exit 9, like a results directory holding a user's result files),
///   one line naming the directory, the first few foreign files and how many more.
/// - Complexity: one `lstat` per file name bench would write, and reading the head of each
///   existing script and report.
func refuseForeignPlots(_ plots: URL, figures: [String], reports: [String], option: String = "--plots") throws {
    do {
        try PlotsDirectory.refuseForeignFiles(in: plots, display: displayPath(plots), figureIDs: figures, reports: reports,
                                              reportMarker: ResultReport.generatorNote, option: option)
    } catch let error as FiguresError {
        throw SweepError.store(error.description)
    }
}
