extension CanonicalNumber {
    /// Appends the UTF-8 bytes of `format(x)` to `out` (a result file's or journal's buffer),
    /// without the string interpolation `format` goes through: integral values with |x| < 1e15
    /// as `Int64` digits (±0 as "0"), NaN and ±∞ as "nan", "inf", "-inf", every other value as
    /// `x.description` (Swift's shortest round-trip form), so the text is that of `format` by
    /// construction.
    /// - Complexity: O(1) (at most 24 bytes).
    public static func append(_ x: Double, to out: inout [UInt8]) {
        if x.isNaN {
            out.append(contentsOf: [0x6E, 0x61, 0x6E])  // "nan"
        } else if x.isInfinite {
            if x < 0 { out.append(0x2D) }
            out.append(contentsOf: [0x69, 0x6E, 0x66])  // "inf"
        } else if x == x.rounded(), abs(x) < 1e15 {
            appendInteger(x == 0 ? 0 : Int(Int64(x)), to: &out)
        } else {
            out.append(contentsOf: x.description.utf8)
        }
    }

    /// Appends the decimal digits of `i` (with a leading "-" when negative) to `out`: the bytes
    /// of `String(i)`.
    /// - Complexity: O(number of digits).
    public static func appendInteger(_ i: Int, to out: inout [UInt8]) {
        if i < 0 { out.append(0x2D) }
        var magnitude = i.magnitude
        let start = out.count
        repeat {
            out.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }
}
