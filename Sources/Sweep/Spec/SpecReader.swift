import AlignmentCore

/// A location inside a JSON document, printed as `$.algorithms[1].grid.eta[0]`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step: an object key or an array index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root.
    public var components: [Component] = []

    /// The root `$`.
    public static let root = JSONPath()

    /// The path of member `key` of this object.
    public func key(_ key: String) -> JSONPath { JSONPath(components: components + [.key(key)]) }
    /// The path of element `i` of this array.
    public func index(_ i: Int) -> JSONPath { JSONPath(components: components + [.index(i)]) }

    public var description: String {
        var out = "$"
        for c in components {
            switch c {
            case let .key(k):
                let plain = !k.isEmpty && k.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
                out += plain && k.count <= SpecText.quotedLimit ? "." + k : "[" + SpecText.quoted(k) + "]"
            case let .index(i):
                out += "[\(i)]"
            }
        }
        return out
    }
}

/// Typed access to a parsed spec that turns every mismatch into a one-line `SweepError.spec`
/// naming the file and the JSON path.
struct SpecReader {
    /// The file name used in messages.
    let file: String

    /// A spec error at `path`.
    func fail(_ path: JSONPath, _ message: String, allowed: String) -> SweepError {
        .spec(file: file, path: path.description, message: message, allowed: allowed)
    }

    /// The members of an object after checking that every key is known and required keys exist.
    /// - Throws: `SweepError.spec` for a non-object, an unknown key (with "did you mean"), or a
    ///   missing required key.
    func object(_ value: JSONValue, at path: JSONPath, allowed: [String], required: [String] = [],
                what: String = "object") throws -> [JSONMember] {
        guard let members = value.objectMembers else {
            throw fail(path, "expected an \(what), got \(value.typeName)", allowed: "an object with keys " + allowed.joined(separator: ", "))
        }
        for m in members where !allowed.contains(m.key) {
            let hint = Suggestion.closest(to: m.key, among: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw fail(path.key(m.key), "unknown key \(SpecText.quoted(m.key))\(hint)", allowed: allowed.joined(separator: ", "))
        }
        for key in required where !members.contains(where: { $0.key == key }) {
            throw fail(path, "missing required key \"\(key)\"", allowed: allowed.joined(separator: ", "))
        }
        return members
    }

    /// A string.
    func string(_ value: JSONValue, at path: JSONPath, allowed: String = "a string") throws -> String {
        guard let s = value.stringValue else { throw fail(path, "expected a string, got \(value.typeName)", allowed: allowed) }
        return s
    }

    /// An identifier (a file-name-safe name): 1–200 letters, digits, '.', '_', '-' and '+', not
    /// starting with '.'.
    func identifier(_ value: JSONValue, at path: JSONPath) throws -> String {
        let allowed = "a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.'"
        let s = try string(value, at: path, allowed: allowed)
        let ok = !s.isEmpty && s.utf8.count <= 200 && !s.hasPrefix(".") && s.unicodeScalars.allSatisfy {
            ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || ".-_+".unicodeScalars.contains($0)
        }
        guard ok else { throw fail(path, "invalid name \(SpecText.quoted(s))", allowed: allowed) }
        return s
    }

    /// The identifiers that pandas (`read_csv`'s default `na_values`) or R (`read.csv`'s
    /// `na.strings`) read as a missing value: of those lists, the ones `identifier` accepts.
    static let missingValueNames = ["NA", "NULL", "null", "NaN", "-NaN", "nan", "-nan", "None"]

    /// An identifier that is written into a key cell of the result files (an environment id, an
    /// algorithm label): `identifier`, and not a name pandas or R would load as a missing value
    /// (`missingValueNames`), which a default groupby then drops with its rows.
    func keyIdentifier(_ value: JSONValue, at path: JSONPath) throws -> String {
        let s = try identifier(value, at: path)
        guard !Self.missingValueNames.contains(s) else {
            throw fail(path, "the name \(SpecText.quoted(s)) reads as a missing value in pandas and R, so a groupby on the result files would drop its rows",
                       allowed: "a name of 1 to 200 letters, digits, '.', '_', '-' or '+', not starting with '.', other than "
                           + Self.missingValueNames.joined(separator: ", "))
        }
        return s
    }

    /// One of a fixed set of strings.
    func choice(_ value: JSONValue, at path: JSONPath, among options: [String]) throws -> String {
        let allowed = options.map { "\"\($0)\"" }.joined(separator: ", ")
        let s = try string(value, at: path, allowed: allowed)
        guard options.contains(s) else {
            let hint = Suggestion.closest(to: s, among: options).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw fail(path, "unknown value \(SpecText.quoted(s))\(hint)", allowed: allowed)
        }
        return s
    }

    /// An integer in a closed range.
    func integer(_ value: JSONValue, at path: JSONPath, in range: ClosedRange<Int>) throws -> Int {
        let allowed = range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)" : "an integer in [\(range.lowerBound), \(range.upperBound)]"
        guard case let .number(x, literal) = value else {
            throw fail(path, "expected an integer, got \(value.typeName)", allowed: allowed)
        }
        guard let i = Int(literal) ?? (x == x.rounded() && abs(x) < 9e15 ? Int(x) : nil) else {
            throw fail(path, "\(literal) is not an integer", allowed: allowed)
        }
        guard range.contains(i) else { throw fail(path, "\(literal) is out of range", allowed: allowed) }
        return i
    }

    /// A non-negative 64-bit integer (seeds), written without fraction or exponent.
    func seed(_ value: JSONValue, at path: JSONPath, allowed: String = "an integer in [0, 18446744073709551615]") throws -> UInt64 {
        guard case let .number(_, literal) = value else {
            throw fail(path, "expected an integer, got \(value.typeName)", allowed: allowed)
        }
        guard let s = UInt64(literal) else { throw fail(path, "\(literal) is not a non-negative integer", allowed: allowed) }
        return s
    }

    /// A number in an interval.
    func number(_ value: JSONValue, at path: JSONPath, in interval: Interval) throws -> Double {
        let allowed = "a number in \(interval)"
        guard let x = value.numberValue else { throw fail(path, "expected a number, got \(value.typeName)", allowed: allowed) }
        guard interval.contains(x) else { throw fail(path, "\(CanonicalNumber.format(x)) is out of range", allowed: allowed) }
        return x
    }

    /// A boolean.
    func bool(_ value: JSONValue, at path: JSONPath) throws -> Bool {
        guard let b = value.boolValue else { throw fail(path, "expected a boolean, got \(value.typeName)", allowed: "true or false") }
        return b
    }

    /// An array.
    func array(_ value: JSONValue, at path: JSONPath, allowed: String) throws -> [JSONValue] {
        guard let a = value.arrayElements else { throw fail(path, "expected an array, got \(value.typeName)", allowed: allowed) }
        return a
    }

    /// A JSON value as a parameter value (numbers, strings, booleans and arrays of them).
    func parameterValue(_ value: JSONValue, at path: JSONPath, allowed: String) throws -> ParameterValue {
        switch value {
        case let .number(x, _): return .number(x)
        case let .string(s): return .string(s)
        case let .bool(b): return .bool(b)
        case let .array(a):
            return .array(try a.enumerated().map { try parameterValue($0.element, at: path.index($0.offset), allowed: allowed) })
        case .null, .object:
            throw fail(path, "expected \(allowed), got \(value.typeName)", allowed: allowed)
        }
    }

    /// Converts a core parameter error into a spec error at `path`, splitting the core's
    /// "…; allowed: …" reason when present.
    func parameterError(_ error: Error, at path: JSONPath, fallbackAllowed: String) -> SweepError {
        var message = "\(error)"
        if let e = error as? AlignmentCoreError, case let .invalidParameter(_, reason) = e { message = reason }
        if let r = message.range(of: "; allowed: ") {
            return fail(path, String(message[..<r.lowerBound]), allowed: String(message[r.upperBound...]))
        }
        return fail(path, message, allowed: fallbackAllowed)
    }
}
