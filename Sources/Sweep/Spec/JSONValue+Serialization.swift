import StableFloor
import AlignmentCore

extension JSONValue {
    /// Compact text with object keys sorted (by Unicode scalars) and numbers in canonical form
    /// (`CanonicalNumber.format`), so that equivalent documents (1 vs 1.0, reordered keys, other
    /// whitespace) serialise identically. Used for spec hashes and run fingerprints.
    public var canonicalText: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(x, _): out += CanonicalNumber.format(x)
        case let .string(s): out += Self.quoted(s)
        case let .array(a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                e.writeCanonical(into: &out)
            }
            out += "]"
        case let .object(members):
            out += "{"
            let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            for (i, m) in sorted.enumerated() {
                if i > 0 { out += "," }
                out += Self.quoted(m.key) + ":"
                m.value.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// Compact text in member order with number literals as stored (one line; used by the journal).
    public var compactText: String {
        var out = ""
        writeCompact(into: &out)
        return out
    }

    private func writeCompact(into out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(_, literal): out += literal
        case let .string(s): out += Self.quoted(s)
        case let .array(a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                e.writeCompact(into: &out)
            }
            out += "]"
        case let .object(members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                out += Self.quoted(m.key) + ":"
                m.value.writeCompact(into: &out)
            }
            out += "}"
        }
    }

    /// Indented text (two spaces) in member order, ending with a newline (manifest.json).
    public var prettyText: String {
        var out = ""
        writePretty(into: &out, indent: "")
        return out + "\n"
    }

    private func writePretty(into out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case let .array(a) where !a.isEmpty:
            out += "[\n"
            for (i, e) in a.enumerated() {
                out += inner
                e.writePretty(into: &out, indent: inner)
                out += i + 1 < a.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case let .object(members) where !members.isEmpty:
            out += "{\n"
            for (i, m) in members.enumerated() {
                out += inner + Self.quoted(m.key) + ": "
                m.value.writePretty(into: &out, indent: inner)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            writeCompact(into: &out)
        }
    }

    /// A JSON string literal with the mandatory escapes (`JSONString.quoted`, the one escaper).
    static func quoted(_ s: String) -> String { JSONString.quoted(s) }
}
