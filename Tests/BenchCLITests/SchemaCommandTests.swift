import Foundation
import Testing

/// `bench schema` prints the committed Experiments/schema.json and writes it with --output.
struct SchemaCommandTests {
    static let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Experiments/schema.json")

    @Test func printsTheCommittedSchema() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["schema"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == (try String(contentsOf: Self.committed, encoding: .utf8)))
    }

    @Test func outputWritesTheSameBytesAndNeverThroughALink() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try BenchProcess.run(["schema", "--output", "Experiments/schema.json"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "schema → Experiments/schema.json\n")
        #expect(try Data(contentsOf: dir.appendingPathComponent("Experiments/schema.json")) == Data(contentsOf: Self.committed))
        // A link in place of the output is refused (status 4) and its target keeps its bytes.
        let target = dir.appendingPathComponent("target.txt")
        try "keep".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: target.path)
        let refused = try BenchProcess.run(["schema", "--output", "link.json"], in: dir)
        #expect(refused.status == 4)
        #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.filter { $0 == "\n" }.count == 1, "\(refused.stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
    }
}
