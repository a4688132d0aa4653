/// A configuration of an environment kind that works as given: its parameters as a spec's
/// environment entry would give them, plus the contents of any file an `.inputFile` parameter
/// names, so the example needs no file on disk.
///
/// Every kind carries at least one (`EnvironmentDescriptor.examples`); the environment property
/// suite builds every example of every kind in `EnvironmentCatalog` and checks it (P + Pᵀ = 1,
/// contexts, determinism per seed, randomness as declared), so a new kind is tested as soon as it
/// is registered.
public struct EnvironmentExample: Sendable, Hashable {
    /// What the example shows (e.g. "the biased-rps preset").
    public var title: String
    /// Parameter values (besides the common keys id, kind, contexts, seed, label_noise, reference).
    public var parameters: [String: ParameterValue]
    /// The contents of the files named by `.inputFile` parameters, by parameter name; the
    /// parameter's value in `parameters` is the file name the contents are written under.
    public var files: [String: String]

    /// Creates an example.
    /// - Parameters:
    ///   - title: what the example shows.
    ///   - parameters: parameter values as a spec gives them.
    ///   - files: contents of `.inputFile` parameters, by parameter name.
    public init(_ title: String, parameters: [String: ParameterValue], files: [String: String] = [:]) {
        self.title = title
        self.parameters = parameters
        self.files = files
    }

    /// The validated parameter values, with `files` handed over as the `.inputFile` contents (as
    /// the harness does after reading a file), so no file is read.
    /// - Parameter descriptor: the kind's descriptor.
    /// - Throws: `AlignmentCoreError.invalidParameter` when the example does not fit the
    ///   descriptor's parameters.
    public func values(for descriptor: EnvironmentDescriptor) throws -> ParameterValues {
        var values = try ParameterValues(parameters, specs: descriptor.parameters,
                                         owner: "environment '\(descriptor.kind)'")
        for (name, text) in files {
            guard let path = parameters[name]?.string else {
                throw AlignmentCoreError.invalidParameter(name: name, reason: "example file given for a parameter without a path")
            }
            values.inputFiles[name] = InputFile(path: path, contents: Array(text.utf8))
        }
        return values
    }
}

extension Environment {
    /// Creates the environment of one of the kind's examples.
    /// - Throws: `AlignmentCoreError` when the example does not validate or the environment
    ///   rejects it.
    public static func make(example: EnvironmentExample) throws -> Self {
        try Self(parameters: example.values(for: descriptor))
    }
}

extension ParameterValue {
    /// An array of numbers, e.g. a reward vector.
    public static func numbers(_ xs: [Double]) -> ParameterValue { .array(xs.map { .number($0) }) }

    /// An array of arrays of numbers, e.g. a payoff matrix or a list of points.
    public static func rows(_ m: [[Double]]) -> ParameterValue { .array(m.map { numbers($0) }) }
}
