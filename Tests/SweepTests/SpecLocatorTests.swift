import Foundation
import Testing
@testable import Sweep

struct SpecLocatorTests {
    static func tree() throws -> URL {
        let root = try temporaryDirectory()
        let exp = root.appendingPathComponent("Experiments")
        try FileManager.default.createDirectory(at: exp.appendingPathComponent("Paper"), withIntermediateDirectories: true)
        try "{}".write(to: exp.appendingPathComponent("intransitive.json"), atomically: true, encoding: .utf8)
        try "{}".write(to: exp.appendingPathComponent("Paper/F1.json"), atomically: true, encoding: .utf8)
        return root
    }

    @Test(arguments: [
        ("Experiments/intransitive.json", "Experiments/intransitive.json"),
        ("experiments/intransitive.json", "Experiments/intransitive.json"),
        ("EXPERIMENTS/Intransitive.JSON", "Experiments/intransitive.json"),
        ("intransitive", "Experiments/intransitive.json"),
        ("experiments/paper/f1.json", "Experiments/Paper/F1.json"),
        ("./experiments/../Experiments/intransitive.json", "Experiments/intransitive.json"),
    ])
    func resolvesCaseInsensitivelyAndBareNames(argument: String, expected: String) throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = try SpecLocator.resolve(argument, relativeTo: root)
        #expect(url.standardizedFileURL.path == root.appendingPathComponent(expected).standardizedFileURL.path)
    }

    @Test func unknownSpecSuggestsAnExperiment() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: SweepError.specNotFound("intransitve: no such spec file (did you mean \"intransitive\"?); experiments: intransitive")) {
            try SpecLocator.resolve("intransitve", relativeTo: root)
        }
        #expect(throws: SweepError.self) { try SpecLocator.resolve("experiments", relativeTo: root) }
    }
}
