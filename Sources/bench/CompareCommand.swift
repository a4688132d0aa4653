import AlignmentCore
import ArgumentParser
import Foundation
import Sweep

/// `bench compare <results-A> <results-B>`: the same spec run twice, compared run by run
/// (`ResultComparison`).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two results directories of one spec run by run: paired differences, tests and a verdict per algorithm.",
        discussion: """
        For the same spec run twice — before and after a plugin change, with two library versions, on \
        two machines. Runs are matched by run id; the plans must be equal (same run ids, environments, \
        algorithms, configurations, seeds, rng seeds and evaluation τ), else one error line names what \
        differs (status \(BenchExitCode.results.rawValue)).

        Per group (environment, algorithm, config) and metric: the runs whose cells are byte-identical, \
        and over the runs with a value on both sides the paired difference B − A with its 95% Student t \
        interval and paired t-test (values equal up to 1e-12 relative count as equal). p is adjusted by \
        Holm's method over each algorithm's differing rows; a row is better or worse when the adjusted \
        p < \(CanonicalNumber.format(ResultComparison.alpha)), the side given by the metric's direction (`bench list metrics`). \
        Then one verdict per algorithm: identical, same within noise, better on …, worse on …, or \
        undecided (cells differ where fewer than 2 seeds pair up, or runs changed status).

        The exit status is 0 whenever the two directories are comparable, whatever the verdicts.

        Examples:
          bench sweep intransitive --out Results/before
          # … change a plugin, rebuild …
          bench sweep intransitive --out Results/after
          bench compare Results/before Results/after
          bench compare Results/before Results/after --format csv > compare.csv
          bench compare before after --format json     (bare names mean Results/<name>)
        """)

    @Argument(help: "Results directory A (before), or an experiment name (Results/<name>).",
              completion: .directory)
    var a: String

    @Argument(help: "Results directory B (after), or an experiment name (Results/<name>).",
              completion: .directory)
    var b: String

    @Option(help: "Output: table (readable, with the verdicts), csv (one row per group and metric) or json (rows and verdicts).",
            completion: .list(CompareFormat.allValueStrings), transform: CompareFormat.parse)
    var format: CompareFormat = .table

    func run() throws {
        try reportingErrors {
            let dirA = resultsDirectoryArgument(a), dirB = resultsDirectoryArgument(b)
            let comparison = try ResultComparison.compare(dirA, dirB, displayA: displayPath(dirA), displayB: displayPath(dirB))
            for n in comparison.notes { note(n) }
            switch format {
            case .table: print(ComparisonOutput.table(comparison), terminator: "")
            case .csv: print(ComparisonOutput.csv(comparison), terminator: "")
            case .json: print(ComparisonOutput.json(comparison))
            }
        }
    }
}

/// `--format` of `bench compare`.
enum CompareFormat: String, ChoiceArgument {
    case table, csv, json
    static let noun = "format"
}
