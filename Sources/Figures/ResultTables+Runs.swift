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
    /// The run's parameters in parameters.csv order (the plugin's declared order), typed; empty
    /// when the file is absent (results written before it existed).
    var parameterList: [(name: String, value: ParameterCell)]

    /// The run's value of the parameter `name` (nil when parameters.csv has no such row).
    func parameter(_ name: String) -> ParameterCell? {
        parameterList.first { $0.name == name }?.value
    }
}

extension ResultTables {
    /// runs.csv rows inside the figure's filters, joined with parameters.csv on run_id.
    func runs() throws -> [RunRow] {
        var parameters: [String: [(name: String, value: ParameterCell)]] = [:]
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(ParametersFile.fileName).path) {
            let reader = try open(ParametersFile.self, reading: ParametersFile.Column.allCases)
            parameters = try FiguresError.mapping(figure: spec.id) { try ParametersFile.values(reader) }
        }
        return try FiguresError.mapping(figure: spec.id) {
            try open(RunsFile.self, reading: [.runID, .environment, .algorithm, .config, .status]).compactMap { r in
                guard keep(environment: r[.environment], algorithms: [r[.algorithm]]) else { return nil }
                return RunRow(runID: r[.runID], environment: r[.environment], algorithm: r[.algorithm], config: r[.config],
                              status: r[.status], parameterList: parameters[r[.runID]] ?? [])
            }
        }
    }

    /// policies.csv: run id → probabilities[context][action] (contexts and actions as numbered in
    /// the file, missing cells NaN).
    func policies() throws -> [String: [[Double]]] {
        let reader = try open(PoliciesFile.self, reading: PoliciesFile.Column.allCases)
        return try FiguresError.mapping(figure: spec.id) {
            var out: [String: [[Double]]] = [:]
            while let r = try reader.next() {
                func index(_ column: PoliciesFile.Column) throws -> Int {
                    let i = try r.integer(column)
                    guard (0..<100_000).contains(i) else {
                        throw ResultFilesError.badCell(path: r.path, line: r.record.line, column: column.rawValue,
                                                       cell: String(i), expected: "an index in [0, 99999]")
                    }
                    return i
                }
                let (x, y) = (try index(.context), try index(.action))
                guard let p = try r.finite(.probability) else { continue }
                var table = out[r[.runID], default: []]
                while table.count <= x { table.append([]) }
                while table[x].count <= y { table[x].append(.nan) }
                table[x][y] = p
                out[r[.runID]] = table
            }
            return out
        }
    }

    /// The configuration key of every run, as runs.csv records it (never rebuilt from parameters).
    static func configs(_ runs: [RunRow]) -> [String: String] {
        Dictionary(runs.map { ($0.runID, $0.config) }, uniquingKeysWith: { a, _ in a })
    }

    /// The parameters of every configuration of the runs inside the figure's filters, joined from
    /// runs.csv and parameters.csv on run_id and keyed like summary.csv's rows (algorithm label,
    /// configuration key): the values of the parameters that vary between the configurations of
    /// the label (its grid axes), in parameters.csv order. Runs of one configuration share their
    /// parameters, so the first run of each stands for it.
    func sweptParameters() throws -> [SeriesKey: [(name: String, value: ParameterCell)]] {
        var byConfig: [SeriesKey: [(name: String, value: ParameterCell)]] = [:]
        for r in try runs() {
            let key = SeriesKey(algorithm: r.algorithm, config: r.config)
            if byConfig[key] == nil { byConfig[key] = r.parameterList }
        }
        var out: [SeriesKey: [(name: String, value: ParameterCell)]] = [:]
        for (_, group) in Dictionary(grouping: byConfig, by: { $0.key.algorithm }) {
            let names = group.flatMap { $0.value.map { $0.name } }
            let varying = Set(names.filter { name in Set(group.map { g in g.value.first { $0.name == name }?.value }).count > 1 })
            for (key, list) in group { out[key] = list.filter { varying.contains($0.name) } }
        }
        return out
    }
}
