import Foundation
import ResultFiles
import Testing
@testable import Sweep

/// RFC 4180 quoting of every cell the sweep writes (issue 9 §4): a cell holding a comma, a quote,
/// a CR or an LF is quoted with its quotes doubled; others are written as they are. Expected
/// cells written by hand from RFC 4180 §2 (rules 5–7).
struct CSVQuotingTests {
    @Test(arguments: [
        ("", ""),
        ("nash-md", "nash-md"),
        ("a,b", "\"a,b\""),
        ("\"", "\"\"\"\""),
        ("say \"hi\", twice", "\"say \"\"hi\"\", twice\""),
        ("cr\ronly", "\"cr\ronly\""),
        ("crlf\r\nline", "\"crlf\r\nline\""),
        ("lf\n", "\"lf\n\""),
    ])
    func cellIsQuotedWhenNeeded(_ cell: String, _ expected: String) {
        #expect(CSVWriter.escape(cell) == expected)
    }

    /// Hostile cells survive a round trip through a written table and the tests' CSV reader.
    @Test func hostileCellsRoundTrip() throws {
        let cells = ["id,with,commas", "quote\"inside", "new\nline", "cr\rreturn", "\"", ",", "plain"]
        let writer = CSVWriter(header: ["a", "b"])
        for c in cells { writer.append([c, "x"]) }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.csv")
        try writer.text.write(to: url, atomically: true, encoding: .utf8)
        let rows = try readCSV(url)
        #expect(rows.count == cells.count + 1)
        #expect(rows.dropFirst().map { $0[0] } == cells)
        #expect(rows.dropFirst().allSatisfy { $0.count == 2 && $0[1] == "x" })
    }
}
