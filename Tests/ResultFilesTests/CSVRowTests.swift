import Testing
@testable import ResultFiles

/// `CSVWriter.appendRow` writes the bytes `append` writes for the same cells (RFC 4180 quoting,
/// integers as `String(i)`), so result files do not change with the writer's fast path.
struct CSVRowTests {
    @Test(arguments: ["", "plain", "a,b", "\"", "say \"hi\", twice", "two\nlines", "crlf\r\nline", "cr\ronly", ",", "ü→∞", " lead"])
    func textFieldsMatchAppend(_ cell: String) {
        let cells = CSVWriter(header: ["a", "b", "c", "d"])
        cells.append([cell, "x", cell, ""])
        let rows = CSVWriter(header: ["a", "b", "c", "d"])
        rows.appendRow { row in
            row.field(cell)
            row.field("x")
            row.field(cell)
            row.unquotedField { _ in }
        }
        #expect(rows.bytes == cells.bytes)
    }

    @Test(arguments: [0, 1, 9, 10, -1, -10, 1_000_000, Int.max, Int.min])
    func integerFieldsMatchString(_ i: Int) {
        let rows = CSVWriter(header: ["i", "j"])
        rows.appendRow { row in
            row.field(i)
            row.unquotedField { $0.append(contentsOf: Array("1.5".utf8)) }
        }
        #expect(rows.text == "i,j\n\(String(i)),1.5\n")
    }

    /// Rows appended both ways, interleaved, through a file: one valid table with every row.
    @Test func rowsThroughAFileInterleaveWithAppend() throws {
        let writer = CSVWriter(header: ["n", "s"])
        for k in 0..<5 {
            writer.append([String(k), "a,\(k)"])
            writer.appendRow { row in
                row.field(-k)
                row.field("b\"\(k)")
            }
        }
        let reader = try CSVReader(text: writer.text, path: "t.csv")
        for k in 0..<5 {
            #expect(try reader.next()?.fields == [String(k), "a,\(k)"])
            #expect(try reader.next()?.fields == [String(-k), "b\"\(k)"])
        }
        #expect(try reader.next() == nil)
    }
}
