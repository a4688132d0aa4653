import Foundation
import Testing
@testable import ResultFiles

/// The one CSV reader and writer of the result files: RFC 4180 §2 (quoted fields with commas,
/// doubled quotes and line breaks; CRLF or LF record ends) plus a UTF-8 byte-order mark.
/// Expected values are written by hand from RFC 4180.
struct CSVRoundTripTests {
    /// Cells that need quoting, and their encoding (RFC 4180 §2 rules 5–7).
    @Test(arguments: [
        ("", ""), ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""), ("crlf\r\nx", "\"crlf\r\nx\""), ("cr\ronly", "\"cr\ronly\""), ("[0,0.7,0.8]", "\"[0,0.7,0.8]\""),
    ])
    func escape(_ cell: String, _ expected: String) {
        #expect(CSVWriter.escape(cell) == expected)
    }

    /// Every hostile cell survives writer → reader, in memory and through a file.
    @Test(arguments: ["", "plain", "a,b", "\"", "say \"hi\", twice", "two\nlines", "crlf\r\nline", "cr\ronly", ",", "ü→∞", " lead"])
    func roundTrip(_ cell: String) throws {
        let writer = CSVWriter(header: ["a", "b", "c"])
        writer.append([cell, "x", cell])
        writer.append(["", cell, ""])
        let reader = try CSVReader(text: writer.text, path: "t.csv")
        #expect(reader.header == ["a", "b", "c"])
        #expect(try reader.next()?.fields == [cell, "x", cell])
        #expect(try reader.next()?.fields == ["", cell, ""])
        #expect(try reader.next() == nil)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.csv")
        let fileWriter = try CSVWriter(url: url, header: ["a", "b", "c"])
        fileWriter.append([cell, "x", cell])
        fileWriter.append(["", cell, ""])
        try fileWriter.finish()
        #expect(try Data(contentsOf: url) == Data(writer.bytes))
        let fromFile = try CSVReader(url: url)
        #expect(try fromFile.next()?.fields == [cell, "x", cell])
        #expect(try fromFile.next()?.fields == ["", cell, ""])
        #expect(try fromFile.next() == nil)
    }

    /// Texts as other tools write them: BOM, CRLF, quoted line breaks, blank lines, no final newline.
    @Test(arguments: [
        ("\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n1,\"two\nlines\",3\n\n", [["x, y", "say \"hi\"", ""], ["1", "two\nlines", "3"]]),
        ("a,b\n1,2", [["1", "2"]]),
        ("a,b\r1,2\r", [["1", "2"]]),
        ("a,b\n,\n\"\",\"\"\n", [["", ""], ["", ""]]),
    ])
    func reads(_ text: String, _ expected: [[String]]) throws {
        let reader = try CSVReader(text: text, path: "t.csv")
        var rows: [[String]] = []
        while let r = try reader.next() { rows.append(r.fields) }
        #expect(rows == expected)
    }

    /// Malformed input is an error naming the file and the record's line.
    @Test(arguments: [
        ("a,b,c\n1,2,3\n4,5\n", ResultFilesError.malformed(path: "t.csv", line: 3, reason: "2 fields, but the header has 3")),
        ("a,b\n\"1,2\n", ResultFilesError.malformed(path: "t.csv", line: 2, reason: "unterminated quoted field")),
        ("a,b\n1x\"y,2\n", ResultFilesError.malformed(path: "t.csv", line: 2, reason: "quote inside an unquoted field")),
        ("a,b\n\"1\"x,2\n", ResultFilesError.malformed(path: "t.csv", line: 2, reason: "text after a closing quote")),
        ("", ResultFilesError.malformed(path: "t.csv", line: 1, reason: "empty file (a header row is required)")),
    ])
    func malformed(_ text: String, _ error: ResultFilesError) {
        #expect(throws: error) {
            let reader = try CSVReader(text: text, path: "t.csv")
            while try reader.next() != nil {}
        }
    }

    /// A file larger than the 64 KiB read block is read record by record with the right lines,
    /// including a quoted line break that straddles a block boundary.
    @Test func streamsAcrossBlocks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("big.csv")
        let writer = try CSVWriter(url: url, header: ["i", "text"])
        for i in 0..<20_000 { writer.append([String(i), "row \(i),\nsecond \"line\""]) }
        try writer.finish()
        let reader = try CSVReader(url: url)
        var i = 0
        while let r = try reader.next() {
            #expect(r.fields == [String(i), "row \(i),\nsecond \"line\""])
            #expect(r.line == 2 + 2 * i)
            i += 1
        }
        #expect(i == 20_000)
    }
    /// Rows appended as a block (`init(columns:)`, `append(rowsOf:)`) give the same bytes as the
    /// same rows appended one by one, in memory and through a file, also when the blocks cross
    /// the writer's 256 KiB flush threshold (30,000 rows of about 20 bytes = about 600 kB).
    @Test(arguments: [2, 30_000])
    func blocksOfRowsGiveTheSameBytes(rows: Int) throws {
        let direct = CSVWriter(header: ["k", "v"])
        let blocked = CSVWriter(header: ["k", "v"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("b.csv")
        let file = try CSVWriter(url: url, header: ["k", "v"])
        for start in stride(from: 0, to: rows, by: 1000) {
            let block = CSVWriter(columns: 2)
            for r in start..<min(rows, start + 1000) {
                let row = ["row \(r)", r % 3 == 0 ? "a,\"b\"" : "\(r * 7)"]
                direct.append(row)
                block.append(row)
            }
            blocked.append(rowsOf: block)
            file.append(rowsOf: block)
        }
        try file.finish()
        #expect(blocked.bytes == direct.bytes)
        #expect(try Data(contentsOf: url) == Data(direct.bytes))
        #expect(direct.text.hasPrefix("k,v\nrow 0,\"a,\"\"b\"\"\"\nrow 1,7\n"))
    }
}
