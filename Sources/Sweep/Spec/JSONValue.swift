import AlignmentCore

/// A JSON document node that keeps object keys in their written order and numbers as written.
///
/// Numbers keep their literal text so that large integers (seeds) and doubles round-trip exactly;
/// `Double(literal)` recovers the value that Swift's shortest representation printed.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number with its literal text (e.g. "1e-3").
    case number(Double, literal: String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; members keep the order in which they were written.
    case object([JSONMember])

    /// A number node whose literal is Swift's shortest round-trip form of `x` (finite `x` only).
    public static func number(_ x: Double) -> JSONValue {
        precondition(x.isFinite, "JSON numbers must be finite")
        return .number(x, literal: CanonicalNumber.format(x))
    }

    /// An integer node.
    public static func integer(_ i: Int) -> JSONValue { .number(Double(i), literal: String(i)) }

    /// The JSON type name used in error messages ("object", "array", "string", "number", "boolean", "null").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The members, if this is an object.
    public var objectMembers: [JSONMember]? { if case let .object(m) = self { return m } else { return nil } }
    /// The elements, if this is an array.
    public var arrayElements: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    /// The string, if this is one.
    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    /// The number, if this is one.
    public var numberValue: Double? { if case let .number(x, _) = self { return x } else { return nil } }
    /// The boolean, if this is one.
    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }

    /// The number as an `Int` when its literal is an integer (no fraction or exponent) that fits.
    public var integerValue: Int? {
        guard case let .number(_, literal) = self else { return nil }
        return Int(literal)
    }

    /// The number as a `UInt64` when its literal is a non-negative integer that fits.
    public var unsignedValue: UInt64? {
        guard case let .number(_, literal) = self else { return nil }
        return UInt64(literal)
    }

    /// The value of member `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectMembers?.first { $0.key == key }?.value
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The value.
    public var value: JSONValue

    /// Creates a member.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
