import Foundation
import ResultFiles

/// A row of runs.csv: one run's identity, configuration and status, with its parameters from
/// parameters.csv.
struct RunRow: Sendable {
    var runID: String
    var environment: String
    /// The algorithm label.
    var algorithm: String
    /// The configuration key (summary.csv's `config`).
    var config: String
    /// "ok" or "failed".
    var status: String
    /// Parameter name → value text of the run (parameters.csv; empty when the file is absent).
    var parameters: [String: String]
}

extension ResultTables {
    /// runs.csv rows inside the figure's filters, joined with parameters.csv on run_id.
    func runs() throws -> [RunRow] {
        var parameters: [String: [String: String]] = [:]
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(ParametersFile.fileName).path) {
            let reader = try open(ParametersFile.self)
            while let r = try FiguresError.mapping(figure: spec.id, { try reader.next() }) {
                parameters[r[.runID], default: [:]][r[.parameter]] = r[.value]
            }
        }
        return try FiguresError.mapping(figure: spec.id) {
            try open(RunsFile.self).compactMap { r in
                guard keep(environment: r[.environment], algorithms: [r[.algorithm]]) else { return nil }
                return RunRow(runID: r[.runID], environment: r[.environment], algorithm: r[.algorithm], config: r[.config],
                              status: r[.status], parameters: parameters[r[.runID]] ?? [:])
            }
        }
    }

    /// policies.csv: run id → probabilities[context][action] (contexts and actions as numbered in
    /// the file, missing cells NaN).
    func policies() throws -> [String: [[Double]]] {
        var out: [String: [[Double]]] = [:]
        let reader = try open(PoliciesFile.self)
        while let r = try FiguresError.mapping(figure: spec.id, { try reader.next() }) {
            guard let x = Int(r[.context]), let y = Int(r[.action]), x >= 0, y >= 0,
                  let p = r.finite(.probability) else { continue }
            var table = out[r[.runID], default: []]
            while table.count <= x { table.append([]) }
            while table[x].count <= y { table[x].append(.nan) }
            table[x][y] = p
            out[r[.runID]] = table
        }
        return out
    }

    /// The configuration key of every run, as runs.csv records it (never rebuilt from parameters).
    static func configs(_ runs: [RunRow]) -> [String: String] {
        Dictionary(runs.map { ($0.runID, $0.config) }, uniquingKeysWith: { a, _ in a })
    }
}
