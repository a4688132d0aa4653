import Foundation
import Testing

/// `bench env export` → `matrix` environment → `bench env export` is exact in both formats (every
/// field: P, μ, log μ with −∞, reward, context weights; bit-exact numbers), and a sweep on the
/// loaded environment gives the same metrics as on the original. The original weighted matrix
/// environment lost its weights on export before (every metric changed).
@Suite(.serialized)
struct EnvExportRoundTripTests {
    /// Three contexts with weights (0.1, 0.2, 0.7), a reward, and a softmax-normal μ from the spec.
    static let matrix = """
    {"preference": [[[0.5, 0.7, 0.2], [0.3, 0.5, 0.9], [0.8, 0.1, 0.5]],
                    [[0.5, 0.65, 0.3], [0.35, 0.5, 0.6], [0.7, 0.4, 0.5]],
                    [[0.5, 0.6, 0.55], [0.4, 0.5, 0.45], [0.45, 0.55, 0.5]]],
     "context_weights": [0.1, 0.2, 0.7], "reward": [[0.1, 0.2, 0.3], [1, 2, 3], [0.3, 0.2, 0.1]]}
    """

    static func spec(name: String, path: String, reference: String) -> String {
        """
        {"name": "\(name)", "environments": [{"id": "m", "kind": "matrix", "path": "\(path)"\(reference)}],
         "reference": {"kind": "softmax-normal", "scale": 1.3}, "budget": {"iterations": 20}, "seeds": 2, "tau": 0.1,
         "algorithms": [{"id": "mmd", "params": {"tau": 0.1, "eta": 0.5}}]}
        """
    }

    /// (label, the original environment's own `reference` entry): the spec's softmax-normal μ, and
    /// a given μ with a zero (log μ = −∞, written as null / -inf).
    static let cases: [(String, String)] = [
        ("softmax-normal", ""),
        ("given-with-zero", ", \"reference\": {\"kind\": \"given\", \"probabilities\": [0.6, 0.4, 0]}"),
    ]

    @Test(arguments: 0..<cases.count)
    func exportLoadExportIsExactAndMetricsAreEqual(_ index: Int) throws {
        let (_, reference) = Self.cases[index]
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.matrix.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try writeSpec(Self.spec(name: "orig", path: "m.json", reference: reference), name: "orig", in: dir)
        var exported: [String: String] = [:]
        for format in ["json", "csv"] {
            let out = try BenchProcess.run(["env", "export", "orig", "--env", "m", "--format", format], in: dir)
            #expect(out.status == 0, "\(out.stderr)")
            exported[format] = out.stdout
            try out.stdout.write(to: dir.appendingPathComponent("back.\(format)"), atomically: true, encoding: .utf8)
            try writeSpec(Self.spec(name: "back-\(format)", path: "back.\(format)", reference: ""), name: "back-\(format)", in: dir)
        }
        let json = try #require(exported["json"])
        #expect(json.contains("\"context_weights\":[0.1,0.2,0.7]"))
        if index == 1 { #expect(json.contains("null]") && exported["csv"]!.contains(",-inf")) }
        for format in ["json", "csv"] {
            for again in ["json", "csv"] {
                let out = try BenchProcess.run(["env", "export", "back-\(format)", "--env", "m", "--format", again], in: dir)
                #expect(out.status == 0, "\(out.stderr)")
                #expect(out.stdout == exported[again], "loaded from \(format), exported as \(again)")
            }
        }
        // Same problem ⇒ same runs: every metric of runs.csv identical, bit for bit.
        var metrics: [String: [[String]]] = [:]
        for name in ["orig", "back-json", "back-csv"] {
            let sweep = try BenchProcess.run(["sweep", name, "--bootstrap", "0", "--jobs", "1"], in: dir)
            #expect(sweep.status == 0, "\(sweep.stderr)")
            let text = try String(contentsOf: dir.appendingPathComponent("Results/\(name)/runs.csv"), encoding: .utf8)
            let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let first = try #require(rows[0].firstIndex(of: "exploitability"))
            metrics[name] = rows.dropFirst().map { Array($0[first...]) }
        }
        #expect(metrics["orig"]!.count == 2)
        #expect(metrics["back-json"] == metrics["orig"])
        #expect(metrics["back-csv"] == metrics["orig"])
    }
}
