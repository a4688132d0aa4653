import AlignmentCore
import Foundation

/// Preferences loaded from a file: how users bring judgments of real responses, e.g. a
/// judge's verdicts over a fixed candidate set. The file gives P per context and optionally μ (which
/// becomes the environment's prescribed reference), a true reward and context weights; see
/// `MatrixFile` for the JSON and CSV forms. The file is read and validated when the environment is
/// created, so a bad file is reported when the spec is validated.
public struct MatrixEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "matrix",
        summary: "P (and optionally μ, a true reward, context weights) loaded from a JSON or CSV file",
        parameters: [
            ParameterSpec("path", .inputFile, default: nil, required: true,
                          doc: "the file (relative to the current directory); JSON {\"preference\": P or [P per context], \"reference\": μ, \"reward\": r, \"context_weights\": w} or CSV blocks of rows with optional reference,… / reward,… rows"),
            ParameterSpec("format", .choice(["auto", "json", "csv"]), default: .string("auto"),
                          doc: "file format; auto: by extension (.json/.csv), else JSON when the file starts with '{'"),
        ],
        transitivity: "depends on the file (checked)",
        hasTrueReward: false,
        isRandom: false,
        examples: [
            EnvironmentExample("a JSON file with P, μ and a reward", parameters: ["path": .string("example.json")], files: [
                "path": #"{"preference": [[0.5, 0.7, 0.2], [0.3, 0.5, 0.6], [0.8, 0.4, 0.5]], "reference": [0.5, 0.3, 0.2], "reward": [1, 0, 0.5]}"#,
            ]),
            EnvironmentExample("a CSV file: rock–paper–scissors with μ", parameters: ["path": .string("example.csv")], files: [
                "path": "0.5,1,0\n0,0.5,1\n1,0,0.5\nreference,0.2,0.3,0.5\n",
            ]),
        ])

    /// The file as given.
    public let path: String
    /// The validated contents.
    public let file: MatrixFile

    /// Reads and validates the file.
    /// - Throws: `AlignmentCoreError.invalidParameter(name: "path", …)` naming the file and the
    ///   offending entry (row, column, value).
    public init(parameters: ParameterValues) throws {
        path = parameters.string("path")
        file = try MatrixFile.load(parameters.inputFile("path"), format: parameters.string("format"))
    }

    /// The file's matrices. A file with one context is repeated for `contexts` contexts; a file with
    /// m > 1 contexts is used as is when `contexts` is 1 (the default) or m.
    /// - Throws: `AlignmentCoreError.invalidProblem` when `contexts` disagrees with the file;
    ///   `AlignmentCoreError.invalidPolicy` for an invalid μ.
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let m = file.preferences.count
        let count: Int
        if m == 1 { count = contexts } else if contexts == 1 || contexts == m { count = m } else {
            throw AlignmentCoreError.invalidProblem("matrix file \(path) has \(m) contexts but the spec asks for \(contexts)")
        }
        func expand<T>(_ rows: [T]) -> [T] { rows.count == 1 ? Array(repeating: rows[0], count: count) : rows }
        let prefs = try expand(file.preferences).map { try PreferenceMatrix(rows: $0) }
        // An exported μ (log_reference) is kept bit for bit; plain probabilities are normalised.
        let reference = try file.logReference.map { try Policy(normalizedLogProbabilities: expand($0)) }
            ?? file.reference.map { try Policy(probabilities: expand($0)) }
        let weights = file.contextWeights.map { m == 1 ? expand($0) : $0 }
        return GroundTruth(preferences: prefs, trueReward: file.reward.map { expand($0) },
                           isTransitive: PreferenceStructure.isWeaklyTransitive(prefs),
                           reference: reference, contextWeights: weights)
    }
}
