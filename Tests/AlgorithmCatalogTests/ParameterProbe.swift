import AlignmentCore
import Foundation

/// Values derived from a `ParameterKind` for the conformance checks: values just outside the
/// allowed set (or of the wrong type), and one valid value.
enum ParameterProbe {
    /// Values the kind must reject, each with a label for failure messages. `.structured` kinds
    /// are validated by their owner and yield none.
    static func invalidValues(for kind: ParameterKind) -> [(value: ParameterValue, why: String)] {
        switch kind {
        case let .real(interval):
            return realProbes(interval) + [(.string("0.5"), "a string"), (.bool(true), "a boolean")]
        case let .integer(range):
            var out: [(ParameterValue, String)] = [
                (.number(Double(range.lowerBound) + 0.5), "not an integer"),
                (.string("\(range.lowerBound)"), "a string"),
            ]
            if range.lowerBound > Int.min { out.append((.number(Double(range.lowerBound) - 1), "below the range")) }
            if range.upperBound < Int.max { out.append((.number(Double(range.upperBound) + 1), "above the range")) }
            return out
        case let .choice(options):
            return [(.string((options.first ?? "") + "-not-an-option"), "an unknown choice"), (.number(1), "a number")]
        case .flag:
            return [(.number(1), "a number"), (.string("true"), "a string")]
        case let .reals(count, element):
            var out: [(ParameterValue, String)] = [(.number(1), "a number, not an array")]
            let inside = validReal(element) ?? 0
            if count.lowerBound > 0 {
                out.append((.array(Array(repeating: .number(inside), count: count.lowerBound - 1)), "too few elements"))
            }
            let n = max(count.lowerBound, 1)
            out.append((.array([.string("x")] + Array(repeating: .number(inside), count: n - 1)), "a string element"))
            for (bad, why) in realProbes(element) where bad.number?.isFinite == true {
                out.append((.array([bad] + Array(repeating: .number(inside), count: n - 1)), "an element \(why)"))
            }
            return out
        case .text, .inputFile:
            return [(.number(1), "a number")]
        case .structured:
            return []
        }
    }

    /// Reals just outside an interval (the bound itself when open, the next representable value
    /// outside when closed), and non-finite values.
    static func realProbes(_ i: Interval) -> [(value: ParameterValue, why: String)] {
        var out: [(ParameterValue, String)] = [(.number(.nan), "NaN"), (.number(.infinity), "+∞"), (.number(-.infinity), "−∞")]
        if i.lower.isFinite { out.append((.number(i.lowerOpen ? i.lower : i.lower.nextDown), "below the interval")) }
        if i.upper.isFinite { out.append((.number(i.upperOpen ? i.upper : i.upper.nextUp), "above the interval")) }
        return out
    }

    /// A finite real inside the interval, if one is easy to name.
    static func validReal(_ i: Interval) -> Double? {
        let candidates: [Double] = [
            i.lower.isFinite && i.upper.isFinite ? (i.lower + i.upper) / 2 : .nan,
            i.lower.isFinite ? i.lower + 1 : .nan,
            i.upper.isFinite ? i.upper - 1 : .nan,
            0, 1,
        ]
        return candidates.first { i.contains($0) }
    }

    /// One valid value of the kind (nil for owner-validated kinds).
    static func validValue(for kind: ParameterKind) -> ParameterValue? {
        switch kind {
        case let .real(i): return validReal(i).map { .number($0) }
        case let .integer(r): return .number(Double(r.lowerBound))
        case let .choice(options): return options.first.map { .string($0) }
        case .flag: return .bool(false)
        case let .reals(count, element):
            return validReal(element).map { .array(Array(repeating: .number($0), count: count.lowerBound)) }
        case .text, .inputFile, .structured: return nil
        }
    }

    /// Admissible values at the low edge of the kind — the closed lower bound, or just above an
    /// open one — and every choice option; none for kinds without a cheap extreme.
    static func admittedExtremes(for kind: ParameterKind) -> [ParameterValue] {
        switch kind {
        case let .real(i):
            guard i.lower.isFinite else { return [] }
            let low = i.lowerOpen ? i.lower + max(1e-6, abs(i.lower) * 1e-6) : i.lower
            return i.contains(low) ? [.number(low)] : []
        case let .integer(r):
            return r.lowerBound > Int.min ? [.number(Double(r.lowerBound))] : []
        case let .choice(options):
            return options.map { .string($0) }
        case .flag:
            return [.bool(false), .bool(true)]
        case .reals, .text, .inputFile, .structured:
            return []
        }
    }
}
