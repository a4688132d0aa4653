import Foundation
import StableFloor

/// A hyperparameter or environment parameter value as it appears in a spec (a JSON scalar or array).
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([ParameterValue])

    /// The text of the value in result files, configuration keys and `bench describe`: integral
    /// numbers print without a fraction ("5"), others in Swift's shortest round-trip form ("0.1",
    /// "1e-05"); a string prints as itself, a boolean as true/false; an array prints as JSON
    /// (`[0,0.7,0.8]`, strings inside it quoted), the syntax a spec takes.
    public var description: String {
        switch self {
        case let .number(x): return CanonicalNumber.format(x)
        case let .string(s): return s
        case let .bool(b): return b ? "true" : "false"
        case let .array(a): return "[" + a.map(\.jsonElement).joined(separator: ",") + "]"
        }
    }

    /// The value as a JSON element (a string quoted and escaped by `JSONString.quoted`).
    private var jsonElement: String {
        guard case let .string(s) = self else { return description }
        return JSONString.quoted(s)
    }

    /// The value's text in run keys (and so in run ids and fingerprints): as `description`, except
    /// that arrays keep the separator ";" (`[a;b;c]`) run keys have always used, so the ids of
    /// existing results stay valid.
    public var keyText: String {
        if case let .array(a) = self { return "[" + a.map(\.keyText).joined(separator: ";") + "]" }
        return description
    }

    /// The JSON type name, for error messages.
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "boolean"
        case .array: return "array"
        }
    }

    /// The number, if this is one.
    public var number: Double? { if case let .number(x) = self { return x } else { return nil } }
    /// The string, if this is one.
    public var string: String? { if case let .string(s) = self { return s } else { return nil } }
    /// The boolean, if this is one.
    public var bool: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    /// The array, if this is one.
    public var array: [ParameterValue]? { if case let .array(a) = self { return a } else { return nil } }
}

/// Deterministic text for numbers in CSV files and run keys.
public enum CanonicalNumber {
    /// Integral values with |x| < 1e15 print as integers; others use Swift's shortest
    /// round-trip representation; NaN prints as "nan" and infinities as "inf"/"-inf".
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 {
            return x == 0 ? "0" : String(Int64(x))
        }
        return "\(x)"
    }
}

/// An interval of allowed real values, open or closed at each end.
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var lowerOpen: Bool
    public var upperOpen: Bool

    /// Creates an interval; use ±∞ for unbounded ends (which are always open).
    public init(_ lower: Double, _ upper: Double, lowerOpen: Bool = false, upperOpen: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerOpen = lowerOpen || lower == -.infinity
        self.upperOpen = upperOpen || upper == .infinity
    }

    /// (0, ∞).
    public static let positive = Interval(0, .infinity, lowerOpen: true)
    /// [0, ∞).
    public static let nonNegative = Interval(0, .infinity)
    /// [0, 1].
    public static let unit = Interval(0, 1)
    /// (−∞, ∞).
    public static let all = Interval(-.infinity, .infinity)

    /// Whether x is finite and inside the interval.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        if lowerOpen ? !(x > lower) : !(x >= lower) { return false }
        if upperOpen ? !(x < upper) : !(x <= upper) { return false }
        return true
    }

    public var description: String {
        func f(_ v: Double) -> String { v == .infinity ? "∞" : v == -.infinity ? "−∞" : CanonicalNumber.format(v) }
        return (lowerOpen ? "(" : "[") + f(lower) + ", " + f(upper) + (upperOpen ? ")" : "]")
    }
}
