import Foundation
import Testing

/// Bad user input never ends in status 1 (the internal-error class): every subcommand answers with
/// one `error:` line and the status of its class (2 usage, 4 I/O, 9 results). `bench env … --env
/// <unknown>` and `bench paper --format gif` used to exit 1 and 9. Every enumerated or structured
/// option value is typed (Sources/bench/ArgumentTypes.swift): a bad one is a usage error (status 2)
/// in every command, one line naming the option, the value and what is allowed. One case per
/// command at least: sweep, validate, figures, paper, summarize, list, describe, env solve, env
/// export, schema.
@Suite(.serialized)
struct BadInputStatusTests {
    static let spec = """
    {"name": "s", "environments": [{"id": "c4", "kind": "cyclic", "actions": 4}, {"id": "rps", "kind": "cyclic"}],
     "budget": {"iterations": 2}, "algorithms": [{"id": "nash-md"}]}
    """

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var status: Int32
        /// The exact stderr, or a prefix when it ends with "…".
        var stderr: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["env", "solve", "s", "--env", "rp"], status: 2,
             stderr: "error: --env: Experiments/s.json has no environment \"rp\" (did you mean \"rps\"?); allowed: c4, rps\n"),
        Case(arguments: ["env", "export", "s", "--env", "nope"], status: 2,
             stderr: "error: --env: Experiments/s.json has no environment \"nope\"; allowed: c4, rps\n"),
        Case(arguments: ["env", "solve", "s", "--tau", "1e-13"], status: 2,
             stderr: "error: --tau must be a number in [1e-12, 1000000] (the range of a spec's \"tau\"), got 1e-13 (see `bench env solve --help`)\n"),
        Case(arguments: ["env", "solve", "s", "--format", "csv"], status: 2,
             stderr: "error: The value 'csv' is invalid for '--format <format>': unknown format \"csv\"; allowed: text, json (see `bench env solve --help`)\n"),
        Case(arguments: ["env", "export", "s", "--env", "rps", "--format", "text"], status: 2,
             stderr: "error: The value 'text' is invalid for '--format <format>': unknown format \"text\"; allowed: json, csv (see `bench env export --help`)\n"),
        Case(arguments: ["env", "solve", "missing"], status: 4, stderr: "error: missing: no such spec file…"),
        Case(arguments: ["paper", "--format", "gif"], status: 2,
             stderr: "error: The value 'gif' is invalid for '--format <format>': unknown format \"gif\" (did you mean \"pdf\"?); allowed: png, svg, pdf (see `bench paper --help`)\n"),
        Case(arguments: ["paper", "--format", "png,,svg"], status: 2,
             stderr: "error: The value 'png,,svg' is invalid for '--format <format>': empty format in the list; allowed: a comma-separated list of png, svg, pdf (see `bench paper --help`)\n"),
        Case(arguments: ["describe", "nope"], status: 2, stderr: "error: The value 'nope' is invalid for '<id>': unknown algorithm, environment, metric, figure kind or diagnostic \"nope\"…"),
        Case(arguments: ["list", "nope"], status: 2,
             stderr: "error: The value 'nope' is invalid for '<section>': unknown list \"nope\"; allowed: algorithms, environments, metrics, diagnostics, figures (see `bench list --help`)\n"),
        Case(arguments: ["list", "metric"], status: 2,
             stderr: "error: The value 'metric' is invalid for '<section>': unknown list \"metric\" (did you mean \"metrics\"?); allowed: algorithms, environments, metrics, diagnostics, figures (see `bench list --help`)\n"),
        Case(arguments: ["validate", "missing.json"], status: 4, stderr: "error: missing.json: no such spec file…"),
        Case(arguments: ["validate", "s", "--force=yes"], status: 2, stderr: "error: …"),
        Case(arguments: ["sweep", "s", "--jobs", "0"], status: 2, stderr: "error: --jobs must be at least 1 (see `bench sweep --help`)\n"),
        Case(arguments: ["sweep", "s", "--jobs", "two"], status: 2, stderr: "error: The value 'two' is invalid for '--jobs <jobs>'…"),
        Case(arguments: ["figures", "s", "--format", "gif"], status: 2,
             stderr: "error: The value 'gif' is invalid for '--format <format>': unknown format \"gif\" (did you mean \"pdf\"?); allowed: png, svg, pdf (see `bench figures --help`)\n"),
        Case(arguments: ["figures", "s", "--format", "PNG, svg"], status: 9, stderr: "error: Results/s/: no results; run `bench sweep s` first\n"),
        Case(arguments: ["figures", "s"], status: 9, stderr: "error: Results/s/: no results; run `bench sweep s` first\n"),
        Case(arguments: ["summarize", "s"], status: 9, stderr: "error: Results/s/manifest.json: cannot read the manifest…"),
        Case(arguments: ["summarize", "s", "--select-by", "nope"], status: 2,
             stderr: "error: The value 'nope' is invalid for '--select-by <select-by>': unknown metric \"nope\"…"),
        Case(arguments: ["summarize", "s", "--select-by", "exploitability:up"], status: 2,
             stderr: "error: The value 'exploitability:up' is invalid for '--select-by <select-by>': unknown goal \"up\"; allowed: min, max (see `bench summarize --help`)\n"),
        Case(arguments: ["schema", "--output"], status: 2, stderr: "error: Missing value for '--output <output>'…"),
    ]

    @Test(arguments: cases)
    func badInputHasItsClassStatus(_ c: Case) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "s", in: dir)
        let out = try BenchProcess.run(c.arguments, in: dir)
        #expect(out.status == c.status, "\(out.stderr)")
        #expect(out.stderr.filter { $0 == "\n" }.count == 1, "\(out.stderr)")
        if c.stderr.hasSuffix("…") {
            #expect(out.stderr.hasPrefix(String(c.stderr.dropLast())), "\(out.stderr)")
        } else {
            #expect(out.stderr == c.stderr)
        }
    }

    /// `bench env solve` says when a context's equilibrium is not unique and what it reports: the
    /// 4-action tournament (0≻1≻2≻3≻0, 0~2, 1~3) has the equilibria (a, b, a, b) with a + b = ½,
    /// so every coordinate ranges over [0, ½] (by hand); rock–paper–scissors' (⅓, ⅓, ⅓) is unique.
    @Test func solveSaysWhenTheEquilibriumIsNotUnique() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(Self.spec, name: "s", in: dir)
        let out = try BenchProcess.run(["env", "solve", "s", "--format", "json"], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let envs = try #require(object["environments"] as? [[String: Any]])
        #expect(envs[0]["nash_unique"] as? [Bool] == [false])
        let ranges = try #require(envs[0]["nash_ranges"] as? [[[Double]]])
        #expect(ranges == [[[0, 0.5], [0, 0.5], [0, 0.5], [0, 0.5]]])
        #expect(envs[1]["nash_unique"] as? [Bool] == [true])
        #expect(envs[1]["nash_ranges"] is NSNull)
        let text = try BenchProcess.run(["env", "solve", "s", "--env", "c4"], in: dir)
        #expect(text.stdout.contains("not unique: the LP's vertex is one of many equilibria (nash_distance is blank); coordinate ranges over them: [0.000000, 0.500000]"))
    }
}
