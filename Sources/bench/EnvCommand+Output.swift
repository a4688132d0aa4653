import AlignmentCore
import Foundation
import Sweep

/// The exact solutions of one environment's problem, per context.
struct EnvSolution {
    /// The problem.
    let problem: Problem
    /// A Nash equilibrium per context (LP).
    let nash: [[Double]]
    /// Per context: nil when the equilibrium is unique, else the range [min, max] of every
    /// coordinate over the set of equilibria (`NashEquilibriumLP.equilibriumRanges`).
    let nashRanges: [[ClosedRange<Double>]?]
    /// max_y (P_x π_x)(y) − ½ of each context's Nash equilibrium.
    let exploitability: [Double]
    /// τ, when given.
    let tau: Double?
    /// π*_τ per context, when τ is given.
    let regularized: [[Double]]?
    /// The regularized gap of π*_τ per context.
    let regularizedGap: [Double]?

    /// Solves every context.
    /// - Throws: solver errors.
    init(problem: Problem, tau: Double?) throws {
        self.problem = problem
        self.tau = tau
        nash = try problem.preferences.map { try NashEquilibriumLP.solve($0) }
        nashRanges = try problem.preferences.map { p in
            let r = try NashEquilibriumLP.equilibriumRanges(p)
            return r.allSatisfy({ $0.upperBound - $0.lowerBound < NashEquilibriumLP.uniquenessTolerance }) ? nil : r
        }
        exploitability = zip(problem.preferences, nash).map { p, pi in (p.times(pi).max() ?? 0.5) - 0.5 }
        if let tau {
            let star = try RegularizedEquilibriumSolver.solve(problem: problem, tau: tau)
            regularized = star.probabilities
            regularizedGap = try (0..<problem.contexts).map { x in
                let single = try Problem(preferences: [problem.preferences[x]],
                                         reference: Policy(logits: [problem.reference.logProbabilities[x]]),
                                         isTransitive: problem.isTransitive)
                return GameMetrics.regularizedGap(single, try Policy(logits: [star.logProbabilities[x]]), tau: tau)
            }
        } else {
            regularized = nil
            regularizedGap = nil
        }
    }

    /// The JSON object: id, actions, contexts, transitive, nash, exploitability,
    /// tau, regularized, regularized_gap (null when no τ).
    func json(id: String) -> JSONValue {
        func rows(_ m: [[Double]]) -> JSONValue { .array(m.map { .array($0.map { JSONValue.number($0) }) }) }
        func list(_ v: [Double]) -> JSONValue { .array(v.map { JSONValue.number($0) }) }
        return .object([
            JSONMember("id", .string(id)),
            JSONMember("actions", .integer(problem.actions)),
            JSONMember("contexts", .integer(problem.contexts)),
            JSONMember("transitive", .bool(problem.isTransitive)),
            JSONMember("nash", rows(nash)),
            JSONMember("nash_unique", .array(nashRanges.map { .bool($0 == nil) })),
            JSONMember("nash_ranges", nashRanges.allSatisfy({ $0 == nil }) ? .null : .array(nashRanges.map { ranges in
                ranges.map { r in JSONValue.array(r.map { .array([.number($0.lowerBound), .number($0.upperBound)]) }) } ?? .null
            })),
            JSONMember("exploitability", list(exploitability)),
            JSONMember("tau", tau.map { JSONValue.number($0) } ?? .null),
            JSONMember("regularized", regularized.map(rows) ?? .null),
            JSONMember("regularized_gap", regularizedGap.map(list) ?? .null),
        ])
    }

    /// Human-readable lines.
    func text(id: String, kind: String) -> String {
        func fmt(_ v: [Double]) -> String { v.map { String(format: "%.6f", $0) }.joined(separator: " ") }
        let m = problem.contexts
        var out = "\(id) (\(kind)): \(problem.actions) actions, \(m) context\(m == 1 ? "" : "s"), "
            + (problem.isTransitive ? "transitive" : "not transitive") + "\n"
        for x in 0..<m {
            if m > 1 { out += "  context \(x)\n" }
            let pad = m > 1 ? "    " : "  "
            out += pad + "Nash equilibrium:  \(fmt(nash[x]))  (exploitability \(String(format: "%.3g", exploitability[x])))\n"
            if let ranges = nashRanges[x] {
                let shown = ranges.map { String(format: "[%.6f, %.6f]", $0.lowerBound, $0.upperBound) }.joined(separator: " ")
                out += pad + "  not unique: the LP's vertex is one of many equilibria (nash_distance is blank); coordinate ranges over them: \(shown)\n"
            }
            if let tau, let r = regularized, let g = regularizedGap {
                out += pad + "π*_τ (τ = \(CanonicalNumber.format(tau))):  \(fmt(r[x]))  (regularized gap \(String(format: "%.3g", g[x])))\n"
            }
        }
        if tau == nil { out += "  (no τ: pass --tau T for the regularized equilibrium)\n" }
        return out
    }
}

/// `bench env export` writers. Every field of the problem is written (P, μ — as probabilities for
/// reading and as exact log-probabilities for loading —, the true reward, the context weights), in
/// the shortest round-trip form, so a `matrix` environment loading the export has the identical
/// problem and exporting it again gives identical bytes. (Actions and contexts are numbered; the
/// model has no names for them. The environment id is written and ignored on load.)
enum EnvExport {
    /// {"id", "actions", "contexts", "preference", "reference", "log_reference" (null = −∞),
    /// "reward" or null, "context_weights"}.
    static func json(_ problem: Problem, id: String) -> JSONValue {
        func rows(_ m: [[Double]]) -> JSONValue { .array(m.map { .array($0.map { JSONValue.number($0) }) }) }
        func logRows(_ m: [[Double]]) -> JSONValue {
            .array(m.map { .array($0.map { $0 == -.infinity ? JSONValue.null : JSONValue.number($0) }) })
        }
        return .object([
            JSONMember("id", .string(id)),
            JSONMember("actions", .integer(problem.actions)),
            JSONMember("contexts", .integer(problem.contexts)),
            JSONMember("preference", .array(problem.preferences.map { rows($0.rows) })),
            JSONMember("reference", rows(problem.reference.probabilities)),
            JSONMember("log_reference", logRows(problem.reference.logProbabilities)),
            JSONMember("reward", problem.trueReward.map(rows) ?? .null),
            JSONMember("context_weights", .array(problem.contextWeights.map { JSONValue.number($0) })),
        ])
    }

    /// Blocks of P rows per context, each followed by `reference,…`, `log_reference,…` (`-inf` for
    /// −∞), `reward,…` (if any) and `weight,w`.
    static func csv(_ problem: Problem) -> String {
        func line(_ v: [Double]) -> String {
            v.map { $0 == -.infinity ? "-inf" : CanonicalNumber.format($0) }.joined(separator: ",")
        }
        var out = ""
        for x in 0..<problem.contexts {
            if x > 0 { out += "\n" }
            for row in problem.preferences[x].rows { out += line(row) + "\n" }
            out += "reference," + line(problem.reference.probabilities(context: x)) + "\n"
            out += "log_reference," + line(problem.reference.logProbabilities[x]) + "\n"
            if let r = problem.trueReward { out += "reward," + line(r[x]) + "\n" }
            out += "weight," + line([problem.contextWeights[x]]) + "\n"
        }
        return out
    }
}
