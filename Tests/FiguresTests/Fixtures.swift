import Foundation
import ResultFiles
@testable import Figures

/// Small synthetic results directories written into a fresh temporary directory.
///
/// The numbers are made up but shaped like real sweeps (gaps decaying over decades, one
/// configuration with an exact zero, CIs that cross zero) so that both the script logic and the
/// rendered figures can be checked.
struct Fixture {
    let root: URL
    var results: URL { root.appendingPathComponent("Results/demo") }
    var plots: URL { root.appendingPathComponent("Plots/demo") }

    /// Creates a fresh root in the system's temporary directory — never in the package or the
    /// working directory (a root taken from the environment once left `figures-render-…/` in the
    /// repository).
    init(_ name: String) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("figures-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Results/demo"), withIntermediateDirectories: true)
    }

    /// True when `FIGURES_TEST_KEEP` is set: the rendering tests then keep their temporary
    /// directories (and print their paths) so the figures can be inspected.
    static var keep: Bool { ProcessInfo.processInfo.environment["FIGURES_TEST_KEEP"] != nil }

    /// Removes the root, or prints where it is when `FIGURES_TEST_KEEP` is set.
    func removeUnlessKept() {
        if Self.keep { print("figures kept in \(root.path)") } else { remove() }
    }

    func write(_ file: String, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: results.appendingPathComponent(file))
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(at: root) }

    static let environments = ["rps", "dice", "random10"]
    static let series: [(String, String)] = [
        ("nash-md", "eta=0.1 tau=0.1"), ("nash-md", "eta=0.5 tau=0.1"),
        ("extragradient", "eta=0.1"), ("online-mirror-descent", "eta=0.1 tau=0"), ("rlhf-ppo", "beta=0.1"),
    ]

    /// curve_summary.csv: regularized_gap (decays over decades; online-mirror-descent at τ = 0
    /// hits exactly 0 at iteration 0 on rps and cycles) and exploitability.
    func writeCurves() throws {
        var lines = ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries"]
        for (e, env) in Self.environments.enumerated() {
            for (s, (alg, config)) in Self.series.enumerated() {
                for it in stride(from: 0, through: 1000, by: 20) {
                    let t = Double(it)
                    let gap: Double
                    switch alg {
                    case "extragradient": gap = 0.4 * exp(-t / 60) + 1e-13
                    case "online-mirror-descent": gap = it == 0 && env == "rps" ? 0 : 0.05 * (1.2 + sin(t / 40))
                    case "rlhf-ppo": gap = 0.08 + 0.3 * exp(-t / 100)
                    default: gap = 8 / (Double(s + 1) * (t + 1)) * (1 + 0.2 * Double(e))
                    }
                    let half = gap * 0.25
                    let expl = 0.5 * exp(-t / Double(150 * (s + 1))) + 0.02 * Double(s)
                    let q = t * 100
                    // The τ = 0 run's CI crosses zero (its lower end must be clipped on a log axis).
                    let low = alg == "online-mirror-descent" ? -0.01 : gap - half * 1.6
                    lines.append("\(env),\(alg),\(config),regularized_gap,\(it),10,\(gap),\(low),\(gap + half),\(q)")
                    lines.append("\(env),\(alg),\(config),exploitability,\(it),10,\(expl),\(expl - 0.03),\(expl + 0.03),\(q)")
                }
            }
        }
        try write("curve_summary.csv", lines)
    }

    static let summaryHeader = "environment,algorithm,config,metric,n,failed,mean,sd,sem,ci_low,ci_high,median,iqm,boot_low,boot_high,min,max"

    static func summaryLine(_ env: String, _ alg: String, _ config: String, _ metric: String, mean: Double, half: Double, n: Int = 20) -> String {
        let q = config.contains(" ") ? "\"\(config)\"" : config
        return "\(env),\(alg),\(q),\(metric),\(n),0,\(mean),\(half),\(half / 4),\(mean - half),\(mean + half),\(mean),\(mean),\(mean - half),\(mean + half),\(mean - 2 * half),\(mean + 2 * half)"
    }

    /// summary.csv: exploitability and win rate for every series; dpo and rlhf-ppo sweeps over β
    /// (with kl_to_reference and true_reward on a bradley-terry environment); one failed group.
    func writeSummary() throws {
        var lines = [Self.summaryHeader]
        for (e, env) in Self.environments.enumerated() {
            for (s, (alg, config)) in Self.series.enumerated() {
                let ex = alg == "rlhf-ppo" ? 0.31 + 0.03 * Double(e) : 0.02 + 0.05 * Double(s) + 0.01 * Double(e)
                lines.append(Self.summaryLine(env, alg, config, "exploitability", mean: ex, half: 0.01 + 0.005 * Double(s)))
                lines.append(Self.summaryLine(env, alg, config, "win_rate_vs_reference", mean: 0.5 + 0.04 * Double(s), half: 0.02))
            }
        }
        let betas = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
        for (k, beta) in betas.enumerated() {
            let kl = 2.2 / (1 + 3 * beta), reward = 1.0 - 0.9 * exp(-kl)
            for loss in ["sigmoid", "ipo"] {
                let shrink = loss == "ipo" ? 0.7 : 0.95
                lines.append(Self.summaryLine("bt", "dpo", "beta=\(beta) loss=\(loss)", "kl_to_reference", mean: kl * shrink, half: 0.05))
                lines.append(Self.summaryLine("bt", "dpo", "beta=\(beta) loss=\(loss)", "true_reward", mean: reward * shrink - 0.02, half: 0.02))
                lines.append(Self.summaryLine("bt", "dpo", "beta=\(beta) loss=\(loss)", "exploitability", mean: 0.05 * Double(k + 1) * shrink, half: 0.01))
            }
            lines.append(Self.summaryLine("bt", "rlhf-ppo", "beta=\(beta)", "kl_to_reference", mean: kl * 0.9, half: 0.08))
            lines.append(Self.summaryLine("bt", "rlhf-ppo", "beta=\(beta)", "true_reward", mean: reward * 0.9 - 0.04, half: 0.03))
            lines.append(Self.summaryLine("bt", "rlhf-ppo", "beta=\(beta)", "exploitability", mean: 0.04 * Double(k + 1), half: 0.012))
        }
        lines.append(Self.summaryLine("bt", "nash-md", "", "exploitability", mean: 0.12, half: 0.01))
        lines.append(Self.summaryLine("bt", "nash-md", "", "kl_to_reference", mean: 0.7, half: 0.05))
        lines.append(Self.summaryLine("bt", "nash-md", "", "true_reward", mean: 0.45, half: 0.03))
        // A group whose runs all failed: n = 0 and empty statistics.
        lines.append("bt,rest,,exploitability,0,20,,,,,,,,,,,")
        try write("summary.csv", lines)
    }

    /// pairwise.csv (one direction per pair, as a sweep writes it) for two environments.
    func writePairwise() throws {
        let keys = [("reference", ""), ("rlhf-ppo", "beta=0.1"), ("nash-md-pg", "beta=0"), ("nash-md-pg", "beta=0.5"), ("nash-md", "eta=0.1 tau=0.1")]
        var lines = ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high"]
        for env in ["rps", "three-raters"] {
            for i in keys.indices { for j in keys.indices where i < j {
                let p = 0.5 + 0.08 * Double(j - i) * (env == "rps" ? 1 : -0.5)
                lines.append("\(env),\(keys[i].0),\(keys[i].1),\(keys[j].0),\"\(keys[j].1)\",10,\(p),\(p - 0.03),\(p + 0.03)")
            } }
        }
        try write("pairwise.csv", lines)
    }

    /// frontier.csv: the exact curve for the bt environment (kl decreasing in β).
    func writeFrontier() throws {
        var lines = ["environment,beta,kl,reward"]
        for k in 0...40 {
            let beta = pow(10, -2.2 + Double(k) * 0.07)
            let kl = 2.4 / (1 + 2.5 * beta)
            lines.append("bt,\(beta),\(kl),\(1.0 - 0.85 * exp(-1.1 * kl))")
        }
        try write("frontier.csv", lines)
    }

    /// A larger sweep: a 10 × 10 pairwise table (Munos et al. Table 1 shape) and curves on five
    /// environments with seven algorithms.
    func writeLarge() throws {
        var keys = [("reference", ""), ("rlhf-ppo", "beta=0.1"), ("nash-md-pg", "beta=0")]
        keys += (1...6).map { ("nash-md-pg", "beta=\(Double($0) * 0.125)") }
        keys.append(("best-response", "beta=1"))
        var pairs = ["environment,algorithm_a,config_a,algorithm_b,config_b,n,mean,ci_low,ci_high"]
        for i in keys.indices { for j in keys.indices where i < j {
            let p = 0.5 + 0.3 * sin(Double(i * 7 + j * 3))
            pairs.append("learned-pm,\(keys[i].0),\(keys[i].1),\(keys[j].0),\(keys[j].1),10,\(p),\(p - 0.02),\(p + 0.02)")
        } }
        try write("pairwise.csv", pairs)
        let algorithms = ["nash-md", "online-mirror-descent", "extragradient", "mmd", "nash-md-pg", "rlhf-ppo", "dpo"]
        var curves = ["environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries"]
        for (e, env) in ["random-1", "random-2", "random-3", "random-4", "random-5"].enumerated() {
            for (a, alg) in algorithms.enumerated() {
                for it in stride(from: 0, through: 1000, by: 10) {
                    let rate = 0.002 * Double(a + 1) + 0.001 * Double(e)
                    let kl = 2.0 * exp(-rate * Double(it)) + (alg == "dpo" ? 0.05 : 0)
                    curves.append("\(env),\(alg),tau=0.1,kl_from_regularized_equilibrium,\(it),10,\(kl),\(kl * 0.7),\(kl * 1.3),\(it * 20)")
                }
            }
        }
        try write("curve_summary.csv", curves)
    }

    func writeAll() throws {
        try writeCurves()
        try writeSummary()
        try writePairwise()
        try writeFrontier()
        try writeRunsOfSummary()
    }

    /// runs.csv and parameters.csv with one ok run per (environment, algorithm, config) of the
    /// written summary.csv, each run's parameters being the "k=v" pairs of its configuration key
    /// (true of these fixtures, whose keys list every parameter).
    func writeRunsOfSummary() throws {
        let reader = try CSVReader(url: results.appendingPathComponent("summary.csv"))
        let (e, a, c) = (reader.header.firstIndex(of: "environment")!, reader.header.firstIndex(of: "algorithm")!, reader.header.firstIndex(of: "config")!)
        let runs = CSVWriter(header: RunsFile.header()), parameters = CSVWriter(header: ParametersFile.header())
        var seen: Set<[String]> = []
        while let r = try reader.next() {
            let key = [r.fields[e], r.fields[a], r.fields[c]]
            guard seen.insert(key).inserted else { continue }
            let id = "r\(seen.count)"
            runs.append([id, key[0], key[1], key[2], "0", "00", "ok", "", "10", "0", ""])
            for pair in key[2].split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                parameters.append([id, kv[0], kv[1]])
            }
        }
        try Data(runs.bytes).write(to: results.appendingPathComponent("runs.csv"))
        try Data(parameters.bytes).write(to: results.appendingPathComponent("parameters.csv"))
    }

    /// Writes runs.csv and parameters.csv from a runs table in the wide layout (hyperparameter
    /// columns between "algorithm" and "seed", empty where an algorithm has no such parameter):
    /// each run's config is "k=v" (column order) of the hyperparameters that vary between the
    /// runs of its algorithm ("" when none, as these fixtures' summary.csv rows have it), and its
    /// non-empty hyperparameter cells become parameters.csv rows.
    func writeWideRuns(_ lines: [String]) throws {
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0], algorithm = header.firstIndex(of: "algorithm")!, seed = header.firstIndex(of: "seed")!
        let hyper = Array((algorithm + 1)..<seed)
        var varying: [String: [Int]] = [:]
        for (label, group) in Dictionary(grouping: rows.dropFirst(), by: { $0[algorithm] }) {
            varying[label] = hyper.filter { k in Set(group.map { $0[k] }).count > 1 }
        }
        let rest = Array(header[seed...])
        let out = [Array(header[...algorithm]) + ["config"] + rest] + rows.dropFirst().map { r in
            let config = varying[r[algorithm]]!.map { "\(header[$0])=\(r[$0])" }.joined(separator: " ")
            return Array(r[...algorithm]) + [config] + Array(r[seed...])
        }
        try write("runs.csv", out.map { $0.map(CSVWriter.escape).joined(separator: ",") })
        var parameters = ["run_id,parameter,value"]
        for r in rows.dropFirst() { for k in hyper where !r[k].isEmpty { parameters.append("\(r[0]),\(header[k]),\(r[k])") } }
        try write("parameters.csv", parameters)
    }
}
