/// Splits RFC 4180 text (quoted fields, doubled quotes, "\n" or "\r\n" line ends) into records of
/// fields — the reader the paper-claim tests use on the committed result files.
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = [], record: [String] = [], field = ""
    var quoted = false, afterQuote = false
    for c in text {
        if quoted {
            if c == "\"" { quoted = false; afterQuote = true } else { field.append(c) }
            continue
        }
        switch c {
        case "\"":
            if afterQuote { field.append("\"") }  // a doubled quote inside a quoted field
            quoted = true
        case ",":
            record.append(field); field = ""
        case "\n", "\r\n":
            record.append(field); field = ""
            records.append(record); record = []
        default:
            field.append(c)
        }
        afterQuote = false
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}
