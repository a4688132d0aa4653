import Foundation
import Testing

/// Test output goes to the system's temporary directory only, never into the package.
@Suite("Test fixtures stay in temporary directories")
struct FixtureLocationTests {
    /// The package root, found from this file's path.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL

    @Test("a fixture's root is a fresh directory inside the system temporary directory, outside the package")
    func fixtureRootIsTemporary() throws {
        let fixture = try Fixture("location")
        defer { fixture.remove() }
        let root = fixture.root.standardizedFileURL.path
        #expect(!root.hasPrefix(Self.package.path + "/"))
        #expect(fixture.root.deletingLastPathComponent().standardizedFileURL.path
                == FileManager.default.temporaryDirectory.standardizedFileURL.path)
    }

    @Test("the package holds no figures-* test output directory")
    func noTestOutputInPackage() throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: Self.package.path)
        #expect(entries.filter { $0.hasPrefix("figures-") }.isEmpty, "test output in the package: \(entries)")
    }
}
