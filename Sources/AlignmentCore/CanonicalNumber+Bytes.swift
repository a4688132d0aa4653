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
            appendShortest(x, to: &out)
        }
    }

    /// Appends the bytes of `x.description` for a finite `x` — Swift's shortest round-trip
    /// form (Steele & White 1990, Grisu/Errol-style digit generation as implemented by the Swift
    /// runtime's `swift_float64ToString`) — by calling the runtime function `description` itself
    /// calls, writing into a stack buffer instead of allocating a `String`.
    /// - Precondition: `x` is finite (NaN and ±∞ are handled by `append`).
    /// - Complexity: O(1) (at most 24 bytes), no heap allocation beyond `out`'s growth.
    @inline(__always)
    static func appendShortest(_ x: Double, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            // The runtime's digit generation (Swift 6.2 and later) expects a buffer filled with
            // ASCII "0" (later runtimes fill it in this entry point themselves): without it the
            // leading "0" of "0.x" is left unwritten in Swift 6.3 (found comparing with
            // `description`; `CanonicalNumberBytesTests` compares a million values).
            buffer.initialize(repeating: 0x30)
            let n = Int(_swiftFloat64ToString(buffer.baseAddress!, 32, x, false))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
    }

    /// Appends the decimal digits of `i` (with a leading "-" when negative) to `out`: the bytes
    /// of `String(i)`.
    /// - Complexity: O(number of digits); the digits are made right to left in a stack buffer
    ///   and appended once (reversing them in `out` through a range subscript copied the slice:
    ///   an allocation per integer).
    public static func appendInteger(_ i: Int, to out: inout [UInt8]) {
        if i < 0 { out.append(0x2D) }
        var magnitude = i.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // UInt64.max has 20
            var k = digits.count
            repeat {
                k -= 1
                digits[k] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k...]))
        }
    }
}

/// The Swift runtime's shortest round-trip formatter (the standard library's
/// `_float64ToStringImpl`, `@usableFromInline`, hence an ABI-stable entry point): writes the text
/// of `value.description` (`debug` false) for a finite value into `buffer` and returns its length.
@_silgen_name("swift_float64ToString")
private func _swiftFloat64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ bufferLength: UInt, _ value: Double,
                                   _ debug: Bool) -> UInt64
