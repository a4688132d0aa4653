import Foundation

/// One key a figure kind takes beyond the keys every figure has (`FigureKind.commonKeys`):
/// its name, the values it allows, whether it is required, its default and its doc.
///
/// A kind declares its options next to its drawing code (`FigureKind.options`); the spec
/// validator reads a figure entry's keys through them (a key no declared option names is refused
/// with "<kind> figures have no <key>"), `bench schema` turns them into the kind's JSON Schema
/// definition and `bench describe <kind>` lists them.
public struct FigureOption: Sendable, Equatable {
    /// The values an option allows. Values that depend on the spec (its metrics, labels,
    /// hyperparameters, environment entries) are resolved by the validator against the spec.
    public enum Value: Sendable, Equatable {
        /// `true` or `false`.
        case boolean
        /// One of the listed strings.
        case choice([String])
        /// A metric id (`bench list metrics`) or a diagnostic declared by one of the spec's algorithms.
        case metric
        /// A hyperparameter of the spec's algorithms (a `params` or `grid` key).
        case hyperparameter
        /// The name of a numeric parameter given in every environment entry the figure draws; the
        /// validator records each environment's value in `FigureSpec.parameterValues`.
        case environmentParameter
        /// A non-empty array of distinct algorithm labels of the spec or "reference" (μ).
        case participants
        /// An array of distinct strings among the listed ones (order matters).
        case groupings([String])
        /// An array of `{"label", "scale", "shift", "power"}` objects (`FigureSpec.Guide`).
        case guides
    }

    /// The JSON key.
    public var name: String
    /// The values allowed.
    public var value: Value
    /// Whether a figure of the kind must give the key.
    public var isRequired: Bool
    /// The value used when the key is absent, as JSON text (nil: none, or "required").
    public var defaultValue: String?
    /// A short noun phrase said after "missing required key" (e.g. "the x-axis metric"); nil to say nothing.
    public var role: String?
    /// What the option does (one sentence; `bench describe`, the schema's description).
    public var doc: String

    /// Declares an option.
    /// - Parameters:
    ///   - name: the JSON key.
    ///   - value: the values allowed.
    ///   - required: whether the key must be given (then `defaultValue` must be nil).
    ///   - defaultValue: the value used when absent, as JSON text.
    ///   - role: the phrase after "missing required key" in the error for an absent required key.
    ///   - doc: one sentence on what the option does.
    public init(_ name: String, _ value: Value, required: Bool = false, defaultValue: String? = nil,
                role: String? = nil, doc: String) {
        precondition(!(required && defaultValue != nil), "a required option has no default")
        self.name = name
        self.value = value
        self.isRequired = required
        self.defaultValue = defaultValue
        self.role = role
        self.doc = doc
    }

    /// `log_x`: a logarithmic x axis (`FigureSpec.logX`), default false.
    public static let logX = FigureOption("log_x", .boolean, defaultValue: "false",
                                          doc: "Logarithmic x axis (non-positive values are not drawn).")
    /// `log_y`: a logarithmic y axis (`FigureSpec.logY`), default false.
    public static let logY = FigureOption("log_y", .boolean, defaultValue: "false",
                                          doc: "Logarithmic y axis (non-positive means are not drawn, interval ends below the axis are clipped).")
}

/// A validated option value, as the spec validator hands it to `FigureSpec.set`.
public enum FigureOptionValue: Sendable, Equatable {
    /// A `.boolean` option.
    case boolean(Bool)
    /// A `.choice`, `.metric` or `.hyperparameter` option.
    case string(String)
    /// A `.groupings` or `.participants` option.
    case strings([String])
    /// A `.guides` option.
    case guides([FigureSpec.Guide])
    /// An `.environmentParameter` option: the parameter's name and its value in each environment drawn.
    case parameter(name: String, values: [String: Double])
}

extension FigureSpec {
    /// Stores a validated option value in the field the option names: `x` (with
    /// `parameterValues` for an environment parameter), `by`, `log_x`, `log_y`, `guides`,
    /// `opponents`. A kind whose option needs a new field adds it here.
    /// - Parameters:
    ///   - name: the option's name (`FigureOption.name`).
    ///   - value: its validated value.
    /// - Precondition: `name` and the case of `value` are one of the pairs above (a programmer error otherwise).
    public mutating func set(_ name: String, _ value: FigureOptionValue) {
        switch (name, value) {
        case let ("x", .string(s)): x = s
        case let ("x", .parameter(parameter, values)): x = parameter; parameterValues = values
        case let ("by", .strings(list)): by = list
        case let ("opponents", .strings(list)): opponents = list
        case let ("guides", .guides(list)): guides = list
        case let ("log_x", .boolean(b)): logX = b
        case let ("log_y", .boolean(b)): logY = b
        case let ("normalize", .string(s)): normalize = s
        default: preconditionFailure("figure option \"\(name)\" has no field for \(value)")
        }
    }
}
