import AlignmentCore
import ArgumentParser
import Foundation
import Sweep

/// `bench env …`: exact ground truth of a spec's environments.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Inspect a spec's environments: exact equilibria (solve), the ground truth (export), battle data (inspect).",
        discussion: """
        Examples:
          bench env solve intransitive
          bench env export intransitive --env rps --format csv > rps.csv
          bench env inspect Experiments/data/synthetic-battles.csv
        """,
        subcommands: [EnvSolveCommand.self, EnvExportCommand.self, EnvInspectCommand.self])
}

/// `bench env solve <spec> [--env ID] [--tau T] [--format text|json]`.
struct EnvSolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Print each environment's Nash equilibrium (LP), its exploitability, π*_τ and its regularized gap, per context.",
        discussion: """
        The Nash equilibrium solves the LP "π ≥ 0, Σπ = 1, (P − ½)π ≤ 0" (GLPK). When a context has \
        several equilibria, the one shown is the LP's vertex (one of them), marked "not unique", with the \
        range [min, max] of every coordinate over the set of equilibria (min/max LPs); nash_distance is \
        then blank in sweeps. π*_τ, the regularized equilibrium (always unique; Newton's method, GSL), is \
        computed when --tau or the spec's "tau" gives τ > 0. Environments drawn per run \
        ("seed": "per-run") are shown for replicate 0.
        JSON: {"environments":[{"id", "actions", "contexts", "transitive", "nash", "nash_unique" (per \
        context), "nash_ranges" ([[[min, max] per action] per context], null where unique), "exploitability", \
        "tau", "regularized", "regularized_gap"}]}.

        Examples:
          bench env solve intransitive
          bench env solve Experiments/paper/f1-last-iterate.json --tau 0.1 --format json
        """)

    @Argument(help: "The spec file, or an experiment name (Experiments/<name>.json).", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(name: .customLong("env"), help: "Only this environment id.")
    var environment: String?

    @Option(parsing: .unconditional, help: "The regularization τ in [1e-12, 1e6] (default: the spec's \"tau\", if any).", transform: NumberArgument.real("a number in [1e-12, 1e6]"))
    var tau: Double?

    @Option(help: "Output format: text or json.", completion: .list(SolveFormat.allValueStrings), transform: SolveFormat.parse)
    var format: SolveFormat = .text

    func validate() throws {
        if let t = tau, !EvaluationTau.supported.contains(t) {
            throw ValidationError("--tau must be a number in [\(CanonicalNumber.format(EvaluationTau.supported.lowerBound)), "
                + "\(CanonicalNumber.format(EvaluationTau.supported.upperBound))] (the range of a spec's \"tau\"), got \(CanonicalNumber.format(t))")
        }
    }

    func run() throws {
        try reportingErrors {
            let s = try loadSpec(spec)
            let setups = try EnvProblems.select(s, id: environment)
            let t = tau ?? s.tau.flatMap { $0 > 0 ? $0 : nil }
            var entries: [JSONValue] = []
            for setup in setups {
                let solution = try EnvSolution(problem: try EnvProblems.problem(s, setup), tau: t)
                switch format {
                case .json: entries.append(solution.json(id: setup.id))
                case .text: print(solution.text(id: setup.id, kind: setup.kind), terminator: "")
                }
            }
            if format == .json {
                print(JSONValue.object([JSONMember("environments", .array(entries))]).compactText)
            }
        }
    }
}

/// `bench env export <spec> --env ID [--format json|csv]`.
struct EnvExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an environment's P, μ and true reward (if any) to standard output.",
        discussion: """
        JSON: {"id", "actions", "contexts", "preference": [[[…]]], "reference": [[…]], "log_reference": [[…]] \
        (null = −∞), "reward": [[…]] or null, "context_weights": […]}. CSV: one block of n rows of P per \
        context, each followed by "reference,…", "log_reference,…" (-inf = −∞), "reward,…" (when the \
        environment has one) and "weight,w" rows. Both forms load back as a `matrix` environment with the \
        identical problem (μ from log_reference, bit for bit), and exporting that gives identical bytes.

        Examples:
          bench env export intransitive --env rps
          bench env export intransitive --env rps --format csv > rps.csv
        """)

    @Argument(help: "The spec file, or an experiment name (Experiments/<name>.json).", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(name: .customLong("env"), help: "The environment id.")
    var environment: String

    @Option(help: "Output format: json or csv.", completion: .list(ExportFormat.allValueStrings), transform: ExportFormat.parse)
    var format: ExportFormat = .json

    func run() throws {
        try reportingErrors {
            let s = try loadSpec(spec)
            let setup = try EnvProblems.select(s, id: environment)[0]
            let problem = try EnvProblems.problem(s, setup)
            print(format == .csv ? EnvExport.csv(problem) : EnvExport.json(problem, id: setup.id).compactText,
                  terminator: format == .csv ? "" : "\n")
        }
    }
}
