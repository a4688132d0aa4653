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

    /// Cells escaped once (`CSVRow.escapedFields`) and written with `fields(escaped:count:)` give
    /// the bytes of writing each with `field(_:)`, and count as that many fields.
    @Test(arguments: ["", "plain", "a,b", "\"", "say \"hi\", twice", "two\nlines", "crlf\r\nline", ",", "ü→∞"])
    func escapedFieldsMatchField(_ cell: String) {
        let expected = CSVWriter(header: ["a", "b", "c", "d", "e", "f"])
        expected.append(["x", cell, "y,z", "", cell, "1"])
        let pair = CSVRow.escapedFields([cell, "y,z"]), single = CSVRow.escapedFields([cell])
        #expect(single == Array(CSVWriter.escape(cell).utf8))
        let rows = CSVWriter(header: ["a", "b", "c", "d", "e", "f"])
        rows.appendRow { row in
            row.field("x")
            row.fields(escaped: pair, count: 2)
            row.field("")
            row.fields(escaped: single, count: 1)
            row.field(1)
            #expect(row.fields == 6)
        }
        #expect(rows.bytes == expected.bytes)
        // First in a row: no leading separator.
        let first = CSVWriter(header: ["a", "b"])
        first.appendRow { row in
            row.fields(escaped: pair, count: 2)
        }
        let firstExpected = CSVWriter(header: ["a", "b"])
        firstExpected.append([cell, "y,z"])
        #expect(first.bytes == firstExpected.bytes)
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
