import Foundation

/// The type and allowed values of a parameter.
public enum ParameterKind: Sendable, Hashable, CustomStringConvertible {
    /// A finite real number in an interval.
    case real(Interval)
    /// An integer in a closed range.
    case integer(ClosedRange<Int>)
    /// One of a fixed set of strings.
    case choice([String])
    /// A boolean.
    case flag
    /// A list of finite reals, each in `element`, with a length in `count`.
    case reals(count: ClosedRange<Int>, element: Interval)
    /// A string validated by the owner.
    case text
    /// A path to an input file whose bytes determine results (e.g. a preference matrix). The harness
    /// reads it once, fingerprints its contents (a run is re-run when they change), keeps a copy in
    /// the results directory and hands the bytes to the owner through `ParameterValues.inputFile(_:)`.
    case inputFile
    /// A free-form JSON value validated by the owner; the string describes what is allowed.
    case structured(String)

    public var description: String {
        switch self {
        case let .real(i): return "a number in \(i)"
        case let .integer(r):
            return r.upperBound == Int.max ? "an integer ≥ \(r.lowerBound)" : "an integer in [\(r.lowerBound), \(r.upperBound)]"
        case let .choice(c): return "one of " + c.map { "\"\($0)\"" }.joined(separator: ", ")
        case .flag: return "true or false"
        case let .reals(count, element):
            let len = count.upperBound == Int.max ? "at least \(count.lowerBound)" : count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)"
            return "an array of \(len) numbers in \(element)"
        case .text: return "a string"
        case .inputFile: return "a path to a file (relative to the current directory)"
        case let .structured(what): return what
        }
    }
}

/// What a parameter means to the harness, declared by the plugin so that nothing outside the
/// plugin reads a parameter by a guessed name.
public enum ParameterRole: String, Sendable, Hashable, CaseIterable {
    /// The strength τ ≥ 0 of the KL regularization toward μ, i.e. the plugin targets the
    /// τ-regularized Nash equilibrium π*_τ (Munos et al., "Nash Learning from Human Feedback", 2023,
    /// §3). When a spec gives no top-level `tau`, a run's `regularized_gap` and
    /// `kl_from_regularized_equilibrium` are measured at this parameter's value. Declare it on at
    /// most one parameter, of kind `.real` with a non-negative lower bound.
    case regularization

    /// One line for `bench describe` and the schema.
    public var summary: String {
        switch self {
        case .regularization:
            return "the regularization τ: runs are evaluated at it when the spec gives no top-level tau"
        }
    }
}

/// Declaration of one parameter of an algorithm or environment: name, kind, default and doc.
public struct ParameterSpec: Sendable, Hashable {
    /// The parameter's name as written in specs (snake_case).
    public var name: String
    /// Type and allowed values.
    public var kind: ParameterKind
    /// Default value; nil means the parameter is optional without a default (or required when
    /// `isRequired`).
    public var defaultValue: ParameterValue?
    /// Whether a spec must give the parameter.
    public var isRequired: Bool
    /// One-line meaning.
    public var doc: String
    /// What the parameter means to the harness (nil: only the plugin interprets it).
    public var role: ParameterRole?

    /// Creates a parameter declaration.
    /// - Parameters:
    ///   - name: the name as written in specs.
    ///   - kind: type and allowed values.
    ///   - defaultValue: the default, or nil.
    ///   - isRequired: whether a spec must give the parameter.
    ///   - role: what the parameter means to the harness, e.g. `.regularization` for τ.
    ///   - doc: one-line meaning.
    public init(_ name: String, _ kind: ParameterKind, default defaultValue: ParameterValue?,
                required isRequired: Bool = false, role: ParameterRole? = nil, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isRequired = isRequired
        self.role = role
        self.doc = doc
    }

    /// Checks one value against the declaration.
    /// - Throws: `AlignmentCoreError.invalidParameter` saying what is allowed.
    public func validate(_ value: ParameterValue) throws {
        func fail(_ why: String) -> AlignmentCoreError {
            .invalidParameter(name: name, reason: "\(why); allowed: \(kind)")
        }
        switch kind {
        case let .real(interval):
            guard let x = value.number else { throw fail("expected a number, got \(value.typeName)") }
            guard interval.contains(x) else { throw fail("value \(value) is out of range") }
        case let .integer(range):
            guard let x = value.number else { throw fail("expected an integer, got \(value.typeName)") }
            guard x.isFinite, x == x.rounded() else { throw fail("value \(value) is not an integer") }
            guard x >= Double(range.lowerBound), x <= Double(range.upperBound) else { throw fail("value \(value) is out of range") }
        case let .choice(options):
            guard let s = value.string else { throw fail("expected a string, got \(value.typeName)") }
            guard options.contains(s) else {
                let hint = Suggestion.closest(to: s, among: options).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw fail("unknown value \"\(s)\"\(hint)")
            }
        case .flag:
            guard value.bool != nil else { throw fail("expected a boolean, got \(value.typeName)") }
        case let .reals(count, element):
            guard let a = value.array else { throw fail("expected an array, got \(value.typeName)") }
            guard count.contains(a.count) else { throw fail("array has \(a.count) elements") }
            for (i, e) in a.enumerated() {
                guard let x = e.number else { throw fail("element \(i) is a \(e.typeName)") }
                guard element.contains(x) else { throw fail("element \(i) = \(e) is out of range") }
            }
        case .text, .inputFile:
            guard value.string != nil else { throw fail("expected a string, got \(value.typeName)") }
        case .structured:
            break
        }
    }
}

/// Validated parameter values with typed accessors; defaults are filled in.
public struct ParameterValues: Sendable, Hashable {
    /// The values by name.
    public let values: [String: ParameterValue]
    /// The contents of `.inputFile` parameters as the harness read them, by parameter name (empty
    /// when the owner is created outside a sweep; `inputFile(_:)` then reads the file itself).
    public var inputFiles: [String: InputFile] = [:]

    /// Wraps already-validated values.
    public init(_ values: [String: ParameterValue]) { self.values = values }

    /// Validates `given` against `specs` and fills in defaults.
    /// - Throws: `AlignmentCoreError.invalidParameter` for an unknown name (with a "did you mean"
    ///   hint), a missing required parameter, or a value of the wrong type or out of range.
    public init(_ given: [String: ParameterValue], specs: [ParameterSpec], owner: String) throws {
        let names = specs.map(\.name)
        for key in given.keys.sorted() where !names.contains(key) {
            let hint = Suggestion.closest(to: key, among: names).map { "did you mean '\($0)'? " } ?? ""
            throw AlignmentCoreError.invalidParameter(
                name: key, reason: "unknown parameter of \(owner); \(hint)known: \(names.joined(separator: ", "))")
        }
        var out: [String: ParameterValue] = [:]
        for spec in specs {
            if let v = given[spec.name] {
                try spec.validate(v)
                out[spec.name] = v
            } else if let d = spec.defaultValue {
                out[spec.name] = d
            } else if spec.isRequired {
                throw AlignmentCoreError.invalidParameter(name: spec.name, reason: "required by \(owner) (\(spec.kind))")
            }
        }
        self.values = out
    }

    /// The raw value.
    public subscript(name: String) -> ParameterValue? { values[name] }

    /// A number parameter (precondition: declared as a number with a default, or present).
    public func double(_ name: String) -> Double {
        guard let x = values[name]?.number else { preconditionFailure("parameter '\(name)' is not a number") }
        return x
    }
    /// An optional number parameter.
    public func optionalDouble(_ name: String) -> Double? { values[name]?.number }
    /// An integer parameter.
    public func int(_ name: String) -> Int {
        guard let x = values[name]?.number else { preconditionFailure("parameter '\(name)' is not a number") }
        return Int(x)
    }
    /// A string parameter.
    public func string(_ name: String) -> String {
        guard let s = values[name]?.string else { preconditionFailure("parameter '\(name)' is not a string") }
        return s
    }
    /// The contents of an `.inputFile` parameter: the bytes the harness read and fingerprinted, or,
    /// outside a sweep, the file at the given path read now (at most `InputFile.maximumBytes`).
    /// - Throws: `AlignmentCoreError.invalidParameter(name:…)` when the file cannot be read.
    public func inputFile(_ name: String) throws -> InputFile {
        if let f = inputFiles[name] { return f }
        return try InputFile.read(path: string(name), parameter: name)
    }
    /// An optional string parameter.
    public func optionalString(_ name: String) -> String? { values[name]?.string }
    /// A boolean parameter.
    public func bool(_ name: String) -> Bool {
        guard let b = values[name]?.bool else { preconditionFailure("parameter '\(name)' is not a boolean") }
        return b
    }
    /// A list-of-numbers parameter, or nil when absent.
    public func doubles(_ name: String) -> [Double]? {
        values[name]?.array?.compactMap(\.number)
    }
}
