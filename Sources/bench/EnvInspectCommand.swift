import AlignmentCore
import ArgumentParser
import Environments
import Foundation
import Sweep

/// `--format` of `bench env inspect`.
enum InspectFormat: String, ChoiceArgument {
    case text, json, csv
    static let noun = "format"
}

/// `bench env inspect <spec-or-file …>`: what a researcher asks of pairwise battle data.
struct EnvInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Report on battle data: responses, votes per judge, cyclic triads, the Bradley–Terry fit with sandwich and bootstrap intervals, and the accuracy the fit loses.",
        discussion: """
        Each argument is a battles file (.csv, .jsonl or .ndjson: model_a, model_b, winner, optional \
        judge and turn) or a spec (a .json file or an experiment name), whose "battles" environments are \
        inspected (--env picks one). Ties count as half a win to each side. Reported: the models (the \
        responses, sorted by UTF-8 bytes), votes, ties, votes per judge; pairs compared and never \
        compared (P̂ = ½ there); cyclic triads of the strict majority relation (Kendall & Babington \
        Smith 1940) among the triples whose three pairs are decided, and the maximum for n models; the \
        Bradley–Terry maximum-likelihood ratings (mean 0) with sandwich (Huber–White) standard errors \
        and normal intervals, and percentile intervals from a multinomial bootstrap over votes (seeded, \
        deterministic; replicates without a finite fit are excluded and counted); the accuracy of the \
        empirical majority and of the fit on the votes, the pairs the fit reverses, and max and \
        vote-weighted mean |P̂ − P_BT|. The environment's smoothing does not enter (raw votes).
        JSON: {"inspections": [{"source", "environment", "models", "votes", "ties", "ties_bothbad", \
        "judges": [{"name", "votes"}], "pairs_compared", "pairs_never_compared", "cyclic_triads", \
        "decided_triads", "max_cyclic_triads", "confidence", "bradley_terry": {"ratings", \
        "se_sandwich", "sandwich_intervals", "bootstrap_intervals", "bootstrap_replicates", \
        "bootstrap_excluded", "seed"} or {"error"}, "fit_loss": {…} or null}]}.
        CSV: one row per model: source, environment, model, votes, win_rate, rating, se_sandwich, \
        sandwich_low, sandwich_high, bootstrap_low, bootstrap_high (blank without a fit).

        Examples:
          bench env inspect Experiments/data/synthetic-battles.csv
          bench env inspect Experiments/battles.json --env empirical --format json
          bench env inspect votes.jsonl --bootstrap 200 --seed 7 --format csv
        """)

    @Argument(help: "Battles files (.csv, .jsonl, .ndjson) and/or specs (.json or an experiment name).",
              completion: .file(extensions: ["csv", "jsonl", "ndjson", "json"]))
    var sources: [String]

    @Option(name: .customLong("env"), help: "Only this environment id of the spec(s).")
    var environment: String?

    @Option(parsing: .unconditional, help: "Bootstrap replicates B (0 turns the bootstrap off; at most \(SweepOptions.bootstrapSampleRange.upperBound)).", transform: NumberArgument.whole(BootstrapOption.allowed))
    var bootstrap: Int = 1000

    @Option(parsing: .unconditional, help: "Seed of the bootstrap (a non-negative integer).", transform: NumberArgument.seed)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, in (0, 1).", transform: NumberArgument.real("a number in (0, 1)"))
    var confidence: Double = 0.95

    @Option(help: "Output format: text, json or csv.", completion: .list(InspectFormat.allValueStrings), transform: InspectFormat.parse)
    var format: InspectFormat = .text

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("give at least one battles file or spec") }
        try BootstrapOption.validate(bootstrap)
        guard confidence > 0, confidence < 1 else {
            throw ValidationError("--confidence must be a number in (0, 1), got \(CanonicalNumber.format(confidence))")
        }
    }

    /// Whether an argument names a battles file (by extension) rather than a spec.
    static func isBattlesFile(_ s: String) -> Bool {
        ["csv", "jsonl", "ndjson"].contains(URL(fileURLWithPath: s).pathExtension.lowercased())
    }

    func run() throws {
        try reportingErrors {
            var inspections: [BattleInspection] = []
            for source in sources {
                if Self.isBattlesFile(source) {
                    guard environment == nil else {
                        throw SweepError.usage("--env: \(source) is a battles file, not a spec; allowed: --env only with specs")
                    }
                    let file: BattleFile
                    do {
                        file = try BattleFile.load(InputFile.read(path: source, parameter: "path"))
                    } catch let AlignmentCoreError.invalidParameter(_, reason) {
                        FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
                        throw ExitCode(BenchExitCode.invalidSpec.rawValue)
                    }
                    inspections.append(BattleInspection(source: source, environment: nil, file: file,
                                                        replicates: bootstrap, seed: seed, confidence: confidence))
                } else {
                    let spec = try loadSpec(source)
                    let battles = try EnvProblems.select(spec, id: environment).filter { $0.environment is BattlesEnvironment }
                    guard !battles.isEmpty else {
                        let what = environment.map { "environment \"\($0)\" of \(spec.file) is not of kind \"battles\"" } ?? "\(spec.file) has no environment of kind \"battles\""
                        throw SweepError.usage("\(what); allowed: battles files and specs with battles environments")
                    }
                    for setup in battles {
                        let env = setup.environment as! BattlesEnvironment
                        inspections.append(BattleInspection(source: env.path, environment: setup.id, file: env.file,
                                                            replicates: bootstrap, seed: seed, confidence: confidence))
                    }
                }
            }
            switch format {
            case .text: print(inspections.map { $0.text() }.joined(separator: "\n"), terminator: "")
            case .json: print(JSONValue.object([JSONMember("inspections", .array(inspections.map { $0.json() }))]).compactText)
            case .csv: print(BattleInspection.csv(inspections), terminator: "")
            }
        }
    }
}

/// Everything `bench env inspect` reports on one battles file.
struct BattleInspection {
    /// The file as given.
    let source: String
    /// The spec's environment id, or nil for a file given directly.
    let environment: String?
    /// The votes.
    let file: BattleFile
    /// Pooled counts.
    let tally: BattleTally
    /// Votes per judge, in `file.judges` order.
    let judgeVotes: [Int]
    /// Interval level.
    let confidence: Double
    /// Bootstrap seed.
    let seed: UInt64
    /// The fit, or why there is none.
    let ratings: Result<BattleRatings, any Error>
    /// The bootstrap (nil without a fit or with 0 replicates).
    let bootstrap: BattleBootstrap?
    /// The accuracy comparison (nil without a fit).
    let loss: BattleFitLoss?

    /// Computes everything.
    init(source: String, environment: String?, file: BattleFile, replicates: Int, seed: UInt64, confidence: Double) {
        self.source = source
        self.environment = environment
        self.file = file
        self.confidence = confidence
        self.seed = seed
        let t = BattleTally(file)
        tally = t
        var perJudge = [Int](repeating: 0, count: file.judges.count)
        for v in file.votes { perJudge[v.judge] += 1 }
        judgeVotes = perJudge
        ratings = Result(catching: { try BattleRatings(t, models: file.models) })
        if case let .success(r) = ratings {
            bootstrap = replicates > 0 ? BattleBootstrap(t, replicates: replicates, seed: seed) : nil
            loss = BattleFitLoss(t, ratings: r.ratings)
        } else {
            bootstrap = nil
            loss = nil
        }
    }

    /// Ties (both kinds) and `tie (bothbad)` votes.
    var ties: (all: Int, bothBad: Int) {
        (file.votes.filter { $0.outcome == .tie || $0.outcome == .tieBothBad }.count, file.votes.filter { $0.outcome == .tieBothBad }.count)
    }

    /// Model i's votes and score share (wins + ties/2 over its votes).
    func record(_ i: Int) -> (votes: Double, winRate: Double) {
        var v = 0.0, s = 0.0
        for j in 0..<tally.models where j != i {
            v += tally.votes(i, j)
            s += tally.score(i, j)
        }
        return (v, v > 0 ? s / v : 0)
    }
}
