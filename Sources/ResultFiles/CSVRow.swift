/// One row being written by `CSVWriter.appendRow(_:)`: each field is encoded straight into the
/// writer's buffer, with the escaping of `CSVWriter.append(_:)` (RFC 4180 §2.6–2.7).
public struct CSVRow {
    /// The writer's pending bytes, moved in for the row's duration (not copied).
    var bytes: [UInt8]
    /// Fields written so far.
    public private(set) var fields = 0

    /// A row writing after `bytes`.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The separator before every field but the first.
    private mutating func separate() {
        if fields > 0 { bytes.append(UInt8(ascii: ",")) }
        fields += 1
    }

    /// Appends a text field, quoted when it contains a comma, a quote, CR or LF (`CSVWriter.escape`).
    /// - Complexity: O(length of `text`).
    public mutating func field(_ text: String) {
        separate()
        let utf8 = text.utf8
        if utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            bytes.append(contentsOf: CSVWriter.escape(text).utf8)
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends an integer field (the text of `String(i)`): the digits are made right to left in
    /// a stack buffer and appended once (reversing them in place through a range subscript
    /// copied the slice, an allocation per field).
    /// - Complexity: O(number of digits).
    public mutating func field(_ i: Int) {
        separate()
        var magnitude = i.magnitude
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // UInt64.max has 20
            var k = digits.count
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k...]))
        }
    }

    /// Appends `count` fields whose escaped, comma-separated bytes are `escaped` (made once by
    /// `CSVRow.escapedFields`, for cells repeated on many rows such as a run id): the bytes
    /// `field(_:)` writes for the same texts, without scanning them again.
    /// - Precondition: `escaped` holds `count` ≥ 1 fields (a programmer error otherwise; not checked).
    /// - Complexity: O(length of `escaped`).
    public mutating func fields(escaped: [UInt8], count: Int) {
        separate()
        fields += count - 1
        bytes.append(contentsOf: escaped)
    }

    /// The escaped, comma-separated bytes of `texts` (each as `field(_:)` writes it), for
    /// `fields(escaped:count:)`.
    /// - Precondition: `texts` is not empty.
    /// - Complexity: O(total length).
    public static func escapedFields(_ texts: [String]) -> [UInt8] {
        precondition(!texts.isEmpty, "escapedFields needs at least one field")
        var row = CSVRow(bytes: [])
        for t in texts { row.field(t) }
        return row.bytes
    }

    /// Appends a field whose bytes `write` appends to the buffer unchanged — for cells that never
    /// need quoting, such as numbers.
    /// - Precondition: `write` appends no comma, quote, CR or LF (not checked).
    public mutating func unquotedField(_ write: (inout [UInt8]) -> Void) {
        separate()
        write(&bytes)
    }
}
