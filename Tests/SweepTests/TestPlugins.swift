import AlignmentCore
import Foundation
import ResultFiles
@testable import Sweep

/// Exact-only online mirror descent with KL toward μ: π_{t+1} ∝ π_t^{1−ητ} μ^{ητ} exp(η Pπ_t).
/// Its parameter list is fixed here, so run keys built from it are stable test literals.
struct ExactOnlyAlgorithm: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "exact-only", summary: "test plugin: exact mirror descent", paper: "test",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size"),
            ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "regularization"),
        ],
        feedbackModes: [.exact], stochasticModes: [])

    let eta: Double
    let tau: Double

    init(parameters: ParameterValues) throws {
        eta = parameters.double("eta")
        tau = parameters.double("tau")
        if eta * tau > 1 { throw AlignmentCoreError.invalidParameter(name: "eta", reason: "η·τ must be ≤ 1") }
    }

    func run(_ run: RunContext) throws {
        let logMu = run.reference.logProbabilities
        var logPi = logMu
        try run.report(iteration: 0, policy: run.reference)
        for t in 0..<run.iterations {
            for x in 0..<run.contexts {
                let v = try run.oracle.preferenceAgainst(context: x, logPi[x].map { exp($0) })
                logPi[x] = LogSpace.normalize((0..<v.count).map { (1 - eta * tau) * logPi[x][$0] + eta * tau * logMu[x][$0] + eta * v[$0] })
            }
            try run.report(iteration: t + 1, policy: Policy(logits: logPi))
        }
    }
}

/// `ExactOnlyAlgorithm` with its regularization strength named `lambda` (declared with the
/// regularization role): the harness must find its τ by the role, not the name.
struct LambdaRegularized: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "lambda-regularized", summary: "test plugin: exact mirror descent, τ named lambda", paper: "test",
        parameters: [
            ParameterSpec("eta", .real(.positive), default: .number(0.1), doc: "step size"),
            ParameterSpec("lambda", .real(.nonNegative), default: .number(0.1), role: .regularization, doc: "regularization"),
        ],
        feedbackModes: [.exact], stochasticModes: [])

    let inner: ExactOnlyAlgorithm

    init(parameters: ParameterValues) throws {
        inner = try ExactOnlyAlgorithm(parameters: ParameterValues(["eta": .number(parameters.double("eta")),
                                                                    "tau": .number(parameters.double("lambda"))]))
    }

    func run(_ run: RunContext) throws { try inner.run(run) }
}

/// `ExactOnlyAlgorithm` whose parameter is *named* `tau` but declares no role: it has no own τ, so
/// without a top-level `tau` its τ-metrics are blank (a name alone means nothing to the harness).
struct UndeclaredTau: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "undeclared-tau", summary: "test plugin: a parameter named tau without the role", paper: "test",
        parameters: [ParameterSpec("tau", .real(.nonNegative), default: .number(0.1), doc: "not the harness's τ")],
        feedbackModes: [.exact], stochasticModes: [])

    let inner: ExactOnlyAlgorithm

    init(parameters: ParameterValues) throws {
        inner = try ExactOnlyAlgorithm(parameters: ParameterValues(["eta": .number(0.1), "tau": .number(parameters.double("tau"))]))
    }

    func run(_ run: RunContext) throws { try inner.run(run) }
}

/// Reports μ until `fail_at`, then throws a numerical failure (tests failed-run handling).
struct FailingAlgorithm: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "failing", summary: "test plugin that diverges", paper: "test",
        parameters: [ParameterSpec("fail_at", .integer(1...1000), default: .number(3), doc: "iteration of the failure")],
        feedbackModes: [.exact, .sampled], stochasticModes: [])

    let failAt: Int

    init(parameters: ParameterValues) throws { failAt = parameters.int("fail_at") }

    func run(_ run: RunContext) throws {
        for t in 0..<min(failAt, run.iterations + 1) { try run.report(iteration: t, policy: run.reference) }
        throw AlignmentCoreError.numericalFailure(iteration: failAt, reason: "diverged on purpose")
    }
}

/// Draws `per_iteration` labels (pairs 0 vs 1) per iteration in any mode and reports μ with a
/// "wins" diagnostic (fraction of labels preferring 0): tests budget exhaustion and diagnostics.
struct LabelSpender: Algorithm {
    static let descriptor = AlgorithmDescriptor(
        id: "label-spender", summary: "test plugin that spends labels", paper: "test",
        parameters: [ParameterSpec("per_iteration", .integer(1...1000), default: .number(10), doc: "labels per iteration")],
        feedbackModes: [.exact, .sampled], stochasticModes: [.exact, .sampled], diagnostics: ["wins"])

    let perIteration: Int

    init(parameters: ParameterValues) throws { perIteration = parameters.int("per_iteration") }

    func run(_ run: RunContext) throws {
        var wins = 0, drawn = 0
        try run.report(iteration: 0, policy: run.reference, diagnostics: ["wins": 0])
        for t in 0..<run.iterations {
            for _ in 0..<perIteration {
                if try run.oracle.compare(context: 0, 0, 1) { wins += 1 }
                drawn += 1
            }
            try run.report(iteration: t + 1, policy: run.reference, diagnostics: ["wins": Double(wins) / Double(drawn)])
        }
    }
}

/// The standard catalogue plus the test plugins.
let testCatalog = PluginCatalog(
    algorithms: PluginCatalog.standard.algorithms + [ExactOnlyAlgorithm.self, FailingAlgorithm.self, LabelSpender.self,
                                                  LambdaRegularized.self, UndeclaredTau.self],
    environments: PluginCatalog.standard.environments)

/// Parses a spec with the test catalogue.
func testSpec(_ text: String, file: String = "spec.json") throws -> ExperimentSpec {
    try ExperimentSpec.parse(text, file: file, catalog: testCatalog)
}

/// A fresh empty temporary directory.
func temporaryDirectory(_ tag: String = #function) throws -> URL {
    let safe = tag.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sweep-tests-\(safe)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The bytes of a file.
func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

/// A minimal CSV reader for the files the sweep writes (handles quoted fields).
func readCSV(_ url: URL) throws -> [[String]] {
    let reader = try CSVReader(url: url)
    var rows = [reader.header]
    while let r = try reader.next() { rows.append(r.fields) }
    return rows
}

/// run_id → parameter → value of a results directory's parameters.csv (long format).
func parameterValues(_ dir: URL) throws -> [String: [String: String]] {
    var out: [String: [String: String]] = [:]
    for row in try readCSV(dir.appendingPathComponent("parameters.csv")).dropFirst() { out[row[0], default: [:]][row[1]] = row[2] }
    return out
}
