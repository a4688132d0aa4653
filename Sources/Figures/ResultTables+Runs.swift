import Foundation

/// A row of runs.csv: one run's identity, configuration and status.
struct RunRow: Sendable {
    var runID: String
    var environment: String
    /// The algorithm label.
    var algorithm: String
    /// "ok" or "failed".
    var status: String
    /// Hyperparameter column → cell text (empty where the algorithm has no such parameter).
    var parameters: [String: String]
}

extension ResultTables {
    /// runs.csv rows inside the figure's filters. The hyperparameter columns are the ones between
    /// "algorithm" and "seed" (DESIGN §8).
    func runs() throws -> [RunRow] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("runs.csv"), figure: spec.id)
        let c = try t.columns(["run_id", "environment", "algorithm", "seed", "status"])
        let hyper = Array(t.header[(c["algorithm"]! + 1)..<c["seed"]!])
        let index = Dictionary(uniqueKeysWithValues: hyper.map { h in (h, t.header.firstIndex(of: h)!) })
        return t.rows.compactMap { r in
            guard keep(environment: r[c["environment"]!], algorithms: [r[c["algorithm"]!]]) else { return nil }
            return RunRow(runID: r[c["run_id"]!], environment: r[c["environment"]!], algorithm: r[c["algorithm"]!],
                          status: r[c["status"]!], parameters: index.mapValues { r[$0] })
        }
    }

    /// policies.csv: run id → probabilities[context][action] (contexts and actions as numbered in
    /// the file, missing cells NaN).
    func policies() throws -> [String: [[Double]]] {
        let t = try CSVTable(contentsOf: directory.appendingPathComponent("policies.csv"), figure: spec.id)
        let c = try t.columns(["run_id", "context", "action", "probability"])
        var out: [String: [[Double]]] = [:]
        for r in t.rows {
            guard let x = Int(r[c["context"]!]), let y = Int(r[c["action"]!]), x >= 0, y >= 0,
                  let p = CSVTable.number(r[c["probability"]!]) else { continue }
            var table = out[r[c["run_id"]!], default: []]
            while table.count <= x { table.append([]) }
            while table[x].count <= y { table[x].append(.nan) }
            table[x][y] = p
            out[r[c["run_id"]!]] = table
        }
        return out
    }

    /// The summary.csv `config` of every run: "k=v" (keys sorted) of the hyperparameters whose
    /// values differ between the runs of its algorithm label — the axes of that label's grid.
    static func configs(_ runs: [RunRow]) -> [String: String] {
        var out: [String: String] = [:]
        for (_, group) in Dictionary(grouping: runs, by: \.algorithm) {
            let varying = (group.first?.parameters.keys.sorted() ?? []).filter { key in
                Set(group.map { $0.parameters[key] ?? "" }).count > 1
            }
            for r in group {
                out[r.runID] = varying.map { "\($0)=\(r.parameters[$0] ?? "")" }.joined(separator: " ")
            }
        }
        return out
    }
}
