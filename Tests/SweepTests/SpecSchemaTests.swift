import AlignmentCore
import Environments
import Foundation
import Testing
@testable import Sweep

/// A real JSON Schema validator: Python's `jsonschema` (Draft 2020-12), run once over many files.
enum SchemaValidator {
    /// Validates every file against the schema; prints a JSON object {file: [messages]}.
    static let script = """
    import json, sys
    from jsonschema import Draft202012Validator
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    out = {}
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        out[path] = [e.message[:200] for e in validator.iter_errors(document)]
    print(json.dumps(out))
    """

    /// Why the validator cannot run, or nil when python3 with jsonschema is installed.
    static let unavailable: String? = {
        guard let out = try? python(["-c", "import jsonschema"]) else { return "python3 is not installed" }
        return out.status == 0 ? nil : "the Python package jsonschema is not installed (pip install jsonschema; scripts/setup.sh does)"
    }()

    /// Runs `python3 arguments`, returning its status and standard output.
    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The validator's messages per document (empty = valid).
    static func validate(_ documents: [String], schema: String) throws -> [[String]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let schemaURL = dir.appendingPathComponent("schema.json")
        try schema.write(to: schemaURL, atomically: true, encoding: .utf8)
        var paths: [String] = []
        for (i, d) in documents.enumerated() {
            let url = dir.appendingPathComponent("\(i).json")
            try d.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let result = try python(["-c", script, schemaURL.path] + paths)
        try #require(result.status == 0, "the validator failed")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String]])
        return try paths.map { try #require(object[$0]) }
    }

    /// Records a skip loudly, or a failure when running in CI (where the validator must exist).
    static func requireAvailable() -> Bool {
        guard let reason = unavailable else { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("JSON Schema tests cannot run in CI: \(reason)")
        } else {
            print("warning: SKIPPED the JSON Schema validation tests: \(reason)")
        }
        return false
    }
}

/// `Experiments/schema.json` is generated from the catalogues (`bench schema`), flags what it can
/// of the specs bench refuses, and accepts every valid spec.
@Suite(.serialized)
struct SpecSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let committed = root.appendingPathComponent("Experiments/schema.json")

    @Test("the committed Experiments/schema.json is byte for byte the generated schema (run `bench schema --output Experiments/schema.json`)")
    func committedSchemaIsGenerated() throws {
        let text = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(text == SpecSchema.text())
    }

    @Test("every probe is refused by bench")
    func probesAreRefusedByBench() {
        for probe in SchemaProbes.probes {
            #expect(throws: SweepError.self, "\(probe.name)") { try ExperimentSpec.parse(probe.text, file: "probe.json") }
        }
    }

    /// 98 probes, of which the schema flags 81; the other 17 break bench-only rules. (The
    /// hand-written schema before `bench schema` flagged 41 of the same 92.)
    @Test("the schema flags exactly the probes marked schemaFlags")
    func schemaFlagsTheProbesItCan() throws {
        guard SchemaValidator.requireAvailable() else { return }
        let probes = SchemaProbes.probes
        let results = try SchemaValidator.validate(probes.map(\.text), schema: SpecSchema.text())
        for (probe, errors) in zip(probes, results) {
            #expect(!errors.isEmpty == probe.schemaFlags,
                    "\(probe.name): expected the schema to \(probe.schemaFlags ? "flag" : "accept") it; validator said \(errors)")
        }
        #expect(probes.count == 105)
        #expect(probes.filter(\.schemaFlags).count == 87)
    }

    /// Every committed spec (the flagship and the paper's) and a spec of every environment
    /// example of every kind pass both the schema and bench.
    @Test("every valid spec passes the schema")
    func validSpecsPass() throws {
        guard SchemaValidator.requireAvailable() else { return }
        let experiments = Self.root.appendingPathComponent("Experiments")
        var files = try FileManager.default.contentsOfDirectory(atPath: experiments.path)
            .filter { $0.hasSuffix(".json") && $0 != "schema.json" }.map { "Experiments/" + $0 }
        files += try FileManager.default.contentsOfDirectory(atPath: experiments.appendingPathComponent("paper").path)
            .filter { $0.hasSuffix(".json") }.map { "Experiments/paper/" + $0 }
        #expect(files.count == 13)  // the flagship, the battles example and the 11 paper specs
        var texts = try files.sorted().map { try String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8) }
        let examples = try Self.exampleSpec()
        defer { try? FileManager.default.removeItem(at: examples.directory) }
        texts.append(examples.text)
        _ = try ExperimentSpec.parse(examples.text, file: "examples.json")
        let results = try SchemaValidator.validate(texts, schema: SpecSchema.text())
        for (name, errors) in zip(files.sorted() + ["environment examples"], results) {
            #expect(errors.isEmpty, "\(name): \(errors)")
        }
    }

    /// A spec with one environment entry per example of every kind; example files are written
    /// to a temporary directory and named by absolute path.
    static func exampleSpec() throws -> (text: String, directory: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var entries: [JSONValue] = []
        for type in EnvironmentCatalog.all {
            for (i, e) in type.descriptor.examples.enumerated() {
                var members = [JSONMember("id", .string("\(type.descriptor.kind)-\(i)")), JSONMember("kind", .string(type.descriptor.kind))]
                for (name, value) in e.parameters.sorted(by: { $0.key < $1.key }) {
                    if let contents = e.files[name], let file = value.string {
                        let url = dir.appendingPathComponent(file)
                        try contents.write(to: url, atomically: true, encoding: .utf8)
                        members.append(JSONMember(name, .string(url.path)))
                    } else {
                        members.append(JSONMember(name, SpecSchema.json(value)))
                    }
                }
                entries.append(.object(members))
            }
        }
        let spec = JSONValue.object([
            JSONMember("$schema", .string("../schema.json")), JSONMember("name", .string("examples")),
            JSONMember("environments", .array(entries)), JSONMember("budget", .object([JSONMember("iterations", .integer(1))])),
            JSONMember("algorithms", .array([.object([JSONMember("id", .string("nash-md"))])])),
        ])
        return (spec.prettyText, dir)
    }
}
