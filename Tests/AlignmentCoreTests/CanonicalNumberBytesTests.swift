import AlignmentCore
import Testing

/// `CanonicalNumber.append` writes exactly the bytes of `CanonicalNumber.format` (integers below
/// 1e15 as digits, everything else as Swift's shortest round-trip `description`), without a String.
struct CanonicalNumberBytesTests {
    static func appended(_ x: Double) -> String {
        var out: [UInt8] = [0x41]  // a byte already in the buffer must be kept
        CanonicalNumber.append(x, to: &out)
        #expect(out.first == 0x41)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    /// Values whose text is written here by hand (Swift's `description` rules: exponent form below
    /// 1e-4 and from 1e16 up, two-digit exponents padded; integers below 1e15 as digits, larger
    /// integral values with ".0").
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-3.0, "-3"), (0.1, "0.1"), (-2.5, "-2.5"), (1e-5, "1e-05"),
        (1e-4, "0.0001"), (0.30000000000000004, "0.30000000000000004"), (1e15, "1000000000000000.0"), (9007199254740992.0, "9007199254740992.0"), (999_999_999_999_999.0, "999999999999999"),
        (123456789012345.6, "123456789012345.6"), (1e16, "1e+16"), (-1e16, "-1e+16"), (Double.leastNonzeroMagnitude, "5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.nan, "nan"), (Double.infinity, "inf"), (-Double.infinity, "-inf"), (0.5, "0.5"), (1.0 / 3.0, "0.3333333333333333"),
    ] as [(Double, String)])
    func handWritten(_ x: Double, _ text: String) {
        #expect(Self.appended(x) == text)
        #expect(CanonicalNumber.format(x) == text)
    }

    /// Random bit patterns (every exponent, subnormals included), random values in [0, 1) and
    /// around the integer and exponent-form thresholds: the bytes equal `format`, which for
    /// non-integers is `Double.description`.
    @Test func randomValuesMatchFormat() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var checked = 0
        for k in 0..<200_000 {
            let bits = next()
            let x: Double
            switch k % 5 {
            case 0: x = Double(bitPattern: bits)
            case 1: x = Double(bitPattern: bits & 0x800F_FFFF_FFFF_FFFF)  // subnormal or ±0
            case 2: x = Double(bits >> 11) * 0x1p-53
            case 3: x = (Double(bits >> 11) * 0x1p-53 - 0.5) * 4e15  // around the integer threshold
            default: x = Double(bits >> 11) * 0x1p-53 * 1e-3  // around the exponent-form threshold
            }
            let text = Self.appended(x)
            if text != CanonicalNumber.format(x) {
                Issue.record("\(x.bitPattern): \(text) ≠ \(CanonicalNumber.format(x))")
                return
            }
            if !x.isNaN, x != x.rounded() || abs(x) >= 1e15 {
                #expect(text == x.description)
            }
            checked += 1
        }
        #expect(checked == 200_000)
    }

    /// Edge cases of the shortest round-trip path (`append` calls the runtime's formatter
    /// directly, without `description`'s `String`), texts written by hand: sums that do not
    /// round-trip as their decimal operands, tiny and huge magnitudes, the subnormal range and its
    /// boundaries, negative values, and values just off the integer threshold.
    @Test(arguments: [
        (0.1 + 0.2, "0.30000000000000004"), (1e-300, "1e-300"), (-1e-300, "-1e-300"), (-5e-324, "-5e-324"),
        (2.225073858507201e-308, "2.225073858507201e-308"), (1e-7, "1e-07"), (-1.5e300, "-1.5e+300"), (123.456, "123.456"),
        (1e15 + 0.5, "1000000000000000.5"), (999_999_999_999_999.5, "999999999999999.5"), (-0.5, "-0.5"),
        (Double.ulpOfOne, "2.220446049250313e-16"), (1 - Double.ulpOfOne / 2, "0.9999999999999999"), (0.001, "0.001"),
        (9.999999999999999e-5, "9.999999999999999e-05"), (5e-5, "5e-05"), (1.0e23, "1e+23"), (2.5e-10, "2.5e-10"),
    ] as [(Double, String)])
    func shortestEdgeCases(_ x: Double, _ text: String) {
        #expect(Self.appended(x) == text)
        #expect(x.description == text)
    }

    /// A million non-integral finite values (random bit patterns over every exponent, random
    /// fractions, products of random values) written by `append` equal `description`.
    @Test func nonIntegralValuesMatchDescription() {
        var state: UInt64 = 0x0123_4567_89AB_CDEF
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var checked = 0
        for k in 0..<1_000_000 {
            let bits = next()
            let x: Double
            switch k % 3 {
            case 0: x = Double(bitPattern: bits)
            case 1: x = Double(bits >> 11) * 0x1p-53
            default: x = (Double(bits >> 32) + 0.5) * Double(bits & 0xFFFF) * 0x1p-40
            }
            guard x.isFinite, x != x.rounded() || abs(x) >= 1e15 else { continue }
            var out: [UInt8] = []
            CanonicalNumber.append(x, to: &out)
            if out != Array(x.description.utf8) {
                Issue.record("\(x.bitPattern): \(String(decoding: out, as: UTF8.self)) ≠ \(x.description)")
                return
            }
            checked += 1
        }
        #expect(checked > 900_000)
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, Int.max, Int.min, -1_000_000_007])
    func integers(_ i: Int) {
        var out: [UInt8] = []
        CanonicalNumber.appendInteger(i, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(i))
    }
}
