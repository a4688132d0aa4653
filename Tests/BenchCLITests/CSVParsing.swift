import ResultFiles

/// Splits RFC 4180 text into records of fields (header first) with the result files' own reader
/// (`ResultFiles.CSVReader`) — what the paper-claim tests use on the committed result files.
/// A malformed file fails the calling test with the reader's one-line error.
func parseCSV(_ text: String) throws -> [[String]] {
    let reader = try CSVReader(text: text, path: "<committed result file>")
    var records = [reader.header]
    while let r = try reader.next() { records.append(r.fields) }
    return records
}
