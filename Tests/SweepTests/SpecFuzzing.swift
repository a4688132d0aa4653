import AlignmentCore
import StableFloor
import Foundation
@testable import Sweep

/// A seeded generator of hostile specs: byte-level mutations (bit flips, interesting bytes, token
/// insertions, deletions, duplications, truncations) and structure-aware mutations of the parsed
/// tree (values of the wrong type, extreme and non-finite-looking numbers, deleted, duplicated and
/// misspelled keys, swapped subtrees, deep nesting, huge strings and arrays).
struct SpecMutator {
    /// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fully deterministic generator.
    struct Generator {
        var state: UInt64
        /// The next output: `StableHash.splitMix64` of the state, which then advances by the golden gamma.
        mutating func next() -> UInt64 {
            defer { state &+= 0x9E37_79B9_7F4A_7C15 }
            return StableHash.splitMix64(state)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    }

    var rng: Generator

    init(seed: UInt64) { rng = Generator(state: seed) }

    /// Bytes that matter to a JSON parser.
    static let interestingBytes: [UInt8] = Array("{}[]\",:\\-+.eE0123456789 \n\t/'tfn".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xEF, 0xF0, 0xFF]

    /// Fragments inserted at random places.
    static let tokens: [String] = [
        "1e999", "-1e999", "1e-400", "NaN", "Infinity", "-0", "0.0", "18446744073709551616", "-9223372036854775809",
        "9007199254740993", "1e308", "4.9e-324", "\"\\ud800\"", "\"\\u0000\"", "null", "true", "[]", "{}", "[[[[[[[[",
        "]]]]]]]]", "\"per-run\"", ",", ":", "\"\"", "\u{FEFF}", "//", "/*", "\\", "\"é\"", "\"\\\"", "0x10", "1.", ".5", "01",
    ]

    /// Numbers given to structured mutations (literal text as a user would write it).
    static let numbers: [String] = [
        "0", "-0", "1", "-1", "2", "0.5", "1.5", "1e308", "-1e308", "4.9e-324", "1e-320", "2.5e-8", "9007199254740993",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "100000", "100001",
        "1000000000", "1000000001", "1e9", "1e5", "3", "1000", "1001",
    ]

    /// Applies 1–4 random mutations to `text`.
    mutating func mutate(_ text: String) -> String {
        var current = text
        for _ in 0..<(1 + rng.below(4)) {
            if rng.chance(0.5), let tree = try? JSONParser.parse(current, file: "seed") {
                current = mutateTree(tree).compactText
            } else {
                current = mutateBytes(current)
            }
        }
        return current
    }

    // MARK: Bytes

    mutating func mutateBytes(_ text: String) -> String {
        var b = Array(text.utf8)
        guard !b.isEmpty else { return rng.pick(Self.tokens) }
        switch rng.below(7) {
        case 0: let i = rng.below(b.count); b[i] ^= UInt8(1 << rng.below(8))
        case 1: b[rng.below(b.count)] = rng.pick(Self.interestingBytes)
        case 2: b.insert(contentsOf: Array(rng.pick(Self.tokens).utf8), at: rng.below(b.count + 1))
        case 3:
            let i = rng.below(b.count)
            b.removeSubrange(i..<min(b.count, i + 1 + rng.below(16)))
        case 4:
            let i = rng.below(b.count), n = 1 + rng.below(min(64, b.count - i))
            b.insert(contentsOf: b[i..<(i + n)], at: rng.below(b.count + 1))
        case 5: b.removeSubrange(rng.below(b.count)...)      // truncation
        default:
            let depth = 1 + rng.below(400)
            b.insert(contentsOf: Array(String(repeating: "[", count: depth).utf8), at: rng.below(b.count + 1))
        }
        return String(decoding: b, as: UTF8.self)
    }

    // MARK: Tree

    /// Every path (as a list of steps) to a node of `v`.
    static func paths(_ v: JSONValue, prefix: [JSONPath.Component] = []) -> [[JSONPath.Component]] {
        var out = [prefix]
        switch v {
        case let .array(a): for (i, e) in a.enumerated() { out += paths(e, prefix: prefix + [.index(i)]) }
        case let .object(m): for x in m { out += paths(x.value, prefix: prefix + [.key(x.key)]) }
        default: break
        }
        return out
    }

    static func get(_ v: JSONValue, _ path: ArraySlice<JSONPath.Component>) -> JSONValue? {
        guard let first = path.first else { return v }
        switch (first, v) {
        case let (.index(i), .array(a)) where i < a.count: return get(a[i], path.dropFirst())
        case let (.key(k), .object(m)): return m.first { $0.key == k }.flatMap { get($0.value, path.dropFirst()) }
        default: return nil
        }
    }

    static func set(_ v: JSONValue, _ path: ArraySlice<JSONPath.Component>, _ f: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard let first = path.first else { return f(v) }
        switch (first, v) {
        case let (.index(i), .array(a)) where i < a.count:
            var a = a
            if path.count == 1, let r = f(a[i]) { a[i] = r } else if path.count == 1 { a.remove(at: i) }
            else if let r = set(a[i], path.dropFirst(), f) { a[i] = r }
            return .array(a)
        case let (.key(k), .object(m)):
            var m = m
            guard let j = m.firstIndex(where: { $0.key == k }) else { return v }
            if path.count == 1, let r = f(m[j].value) { m[j].value = r } else if path.count == 1 { m.remove(at: j) }
            else if let r = set(m[j].value, path.dropFirst(), f) { m[j].value = r }
            return .object(m)
        default: return v
        }
    }

    mutating func randomValue(depth: Int = 0) -> JSONValue {
        switch rng.below(depth > 2 ? 5 : 8) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2, 3:
            let literal = rng.pick(Self.numbers)
            return .number(Double(literal) ?? 0, literal: literal)
        case 4:
            switch rng.below(6) {
            case 0: return .string(String(repeating: "x", count: 10_000))
            case 1: return .string("per-run")
            case 2: return .string(rng.pick(["cyclic", "random", "bradley-terry", "matrix", "nash-md", "dpo", "exact-only", "bars", "curves", "exploitability", "sampled", "exact", "uniform", "given", "softmax-normal"]))
            case 3: return .string("\u{0}\u{1F}\"\\é😀")
            case 4: return .string("")
            default: return .string("../../etc/passwd")
            }
        case 5: return .array((0..<rng.below(4)).map { _ in randomValue(depth: depth + 1) })
        case 6: return .array((0..<(1 + rng.below(1500))).map { .integer($0) })
        default: return .object((0..<rng.below(3)).map { JSONMember("k\($0)", randomValue(depth: depth + 1)) })
        }
    }

    static func typo(_ s: String, _ rng: inout Generator) -> String {
        var c = Array(s)
        guard c.count > 1 else { return s + "x" }
        switch rng.below(3) {
        case 0: c.remove(at: rng.below(c.count))
        case 1: let i = rng.below(c.count - 1); c.swapAt(i, i + 1)
        default: c.insert("z", at: rng.below(c.count + 1))
        }
        return String(c)
    }

    mutating func mutateTree(_ tree: JSONValue) -> JSONValue {
        let all = Self.paths(tree)
        let target = rng.pick(all)[...]
        switch rng.below(7) {
        case 0:  // replace by a random value
            let r = randomValue()
            return Self.set(tree, target) { _ in r } ?? tree
        case 1:  // delete
            guard !target.isEmpty else { return tree }
            return Self.set(tree, target) { _ in nil } ?? tree
        case 2:  // misspell or duplicate a key
            guard case let .key(k)? = target.last else { return tree }
            let parent = target.dropLast()
            let newKey = Self.typo(k, &rng)
            let duplicate = rng.chance(0.3)
            return Self.set(tree, parent) { v in
                guard case var .object(m) = v, let j = m.firstIndex(where: { $0.key == k }) else { return v }
                if duplicate { m.append(JSONMember(newKey, m[j].value)) } else { m[j].key = newKey }
                // Keep keys unique (the parser rejects duplicates; that path is covered by byte mutations).
                var seen = Set<String>()
                return .object(m.filter { seen.insert($0.key).inserted })
            } ?? tree
        case 3:  // swap two subtrees
            let other = rng.pick(all)[...]
            guard let a = Self.get(tree, target), let b = Self.get(tree, other), !target.isEmpty, !other.isEmpty else { return tree }
            let once = Self.set(tree, target) { _ in b } ?? tree
            return Self.set(once, other) { _ in a } ?? once
        case 4:  // nest deeply
            var v = Self.get(tree, target) ?? .null
            for _ in 0..<(1 + rng.below(80)) { v = rng.chance(0.5) ? .array([v]) : .object([JSONMember("a", v)]) }
            let nested = v
            return Self.set(tree, target) { _ in nested } ?? tree
        case 5:  // an extreme number where a number is
            let literal = rng.pick(Self.numbers)
            return Self.set(tree, target) { v in
                if case .number = v { return .number(Double(literal) ?? 0, literal: literal) }
                return v
            } ?? tree
        default: // grow an array
            return Self.set(tree, target) { v in
                guard case let .array(a) = v, let first = a.first else { return v }
                return .array(a + Array(repeating: first, count: 1 + rng.below(50)))
            } ?? tree
        }
    }
}
