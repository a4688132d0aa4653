import Foundation

/// The data file `<id>.dat` a script reads: numeric blocks separated by two blank lines, so
/// gnuplot's `index k` selects block k. Each block starts with a comment naming it
/// (`GnuplotScript.comment`: user text cannot start a new line).
struct GnuplotData {
    private(set) var blocks: [(comment: String, rows: [[Double?]])] = []
    /// Column names written as a comment at the top.
    var columns: [String]

    /// Appends a block and returns its gnuplot index.
    mutating func add(_ comment: String, rows: [[Double?]]) -> Int {
        blocks.append((comment, rows))
        return blocks.count - 1
    }

    /// The file's text (missing values as NaN).
    var text: String {
        var out = GnuplotScript.comment("columns: " + columns.joined(separator: " ")) + "\n"
        for (k, block) in blocks.enumerated() {
            if k > 0 { out += "\n\n" }
            out += GnuplotScript.comment("index \(k): " + block.comment) + "\n"
            for row in block.rows {
                out += row.map { $0.map(GnuplotScript.number) ?? "NaN" }.joined(separator: " ") + "\n"
            }
        }
        return out
    }
}
