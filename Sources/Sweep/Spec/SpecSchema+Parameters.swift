import AlignmentCore
import Figures

/// The JSON Schema of one parameter, and small builders shared by the schema's parts.
extension SpecSchema {
    /// An object node from (key, value) pairs in order.
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { JSONMember($0.0, $0.1) })
    }

    /// A string node.
    static func string(_ s: String) -> JSONValue { .string(s) }

    /// An array of string nodes.
    static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }

    /// `{"$ref": "#/$defs/<name>"}`.
    static func ref(_ name: String) -> JSONValue { object([("$ref", .string("#/$defs/" + name))]) }

    /// A JSON number node for a finite bound; nil for ±∞ (no bound).
    static func bound(_ x: Double) -> JSONValue? { x.isFinite ? .number(x) : nil }

    /// The number constraints of an interval: minimum/exclusiveMinimum, maximum/exclusiveMaximum.
    static func intervalMembers(_ i: Interval) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        if let lo = bound(i.lower) { out.append((i.lowerOpen ? "exclusiveMinimum" : "minimum", lo)) }
        if let hi = bound(i.upper) { out.append((i.upperOpen ? "exclusiveMaximum" : "maximum", hi)) }
        return out
    }

    /// The schema of a value of `kind`, as `ParameterSpec.validate` and the spec reader accept it.
    ///
    /// `.structured` values are checked by their owner (an environment's or plugin's `init`), so
    /// the schema only says they are a parameter value (number, string, boolean or array of these).
    static func valueSchema(_ kind: ParameterKind) -> [(String, JSONValue)] {
        switch kind {
        case let .real(interval):
            return [("type", string("number"))] + intervalMembers(interval)
        case let .integer(range):
            return [("type", string("integer")), ("minimum", .integer(range.lowerBound)), ("maximum", .integer(range.upperBound))]
        case let .choice(options):
            return [("enum", strings(options))]
        case .flag:
            return [("type", string("boolean"))]
        case let .reals(count, element):
            var out: [(String, JSONValue)] = [("type", string("array")), ("minItems", .integer(count.lowerBound))]
            if count.upperBound != Int.max { out.append(("maxItems", .integer(count.upperBound))) }
            out.append(("items", object([("type", string("number"))] + intervalMembers(element))))
            return out
        case .text, .inputFile:
            return [("$ref", .string("#/$defs/text"))]
        case .structured:
            return [("$ref", .string("#/$defs/parameterValue"))]
        }
    }

    /// The full schema of a parameter: its value schema, its doc, kind and default as the
    /// description, and its default.
    static func parameterSchema(_ p: ParameterSpec) -> JSONValue {
        var members = valueSchema(p.kind)
        let requirement = p.isRequired ? "required" : p.defaultValue.map { "default \($0)" } ?? "optional"
        let role = p.role.map { "; \($0.summary)" } ?? ""
        members.append(("description", string("\(p.doc) (\(p.kind); \(requirement)\(role))")))
        if let d = p.defaultValue { members.append(("default", json(d))) }
        return object(members)
    }

    /// A parameter value as JSON.
    static func json(_ v: ParameterValue) -> JSONValue {
        switch v {
        case let .number(x): return .number(x)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .array(a): return .array(a.map(json))
        }
    }

    /// The regular expression (ECMA-262 and Python `re` alike) of text without the characters
    /// `FigureText.isUnsafe` refuses, as `\uXXXX` ranges of the Basic Multilingual Plane, computed
    /// from the Unicode tables of the toolchain. (Unsafe characters above U+FFFF — a few format
    /// characters such as the tag characters U+E0001… — are refused by bench only: a pattern with
    /// astral ranges needs ECMA-262's `u` flag, which validators do not all set.)
    static let safeTextPattern: String = {
        var ranges: [(UInt32, UInt32)] = []
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v), FigureText.isUnsafe(u) else { continue }
            if let last = ranges.last, last.1 + 1 == v { ranges[ranges.count - 1].1 = v } else { ranges.append((v, v)) }
        }
        func hex(_ v: UInt32) -> String {
            let h = String(v, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - h.count) + h
        }
        let classes = ranges.map { $0.0 == $0.1 ? hex($0.0) : hex($0.0) + "-" + hex($0.1) }.joined()
        return "^[^" + classes + "]*$"
    }()
}
