import ArgumentParser
import Sweep

/// `--only <dimension>=<value>[,<value>…]` (repeatable) of the commands that plan a spec's runs:
/// a subset of the spec without editing it (`RunSubset`).
struct SubsetOptions: ParsableArguments {
    @Option(name: .customLong("only"),
            help: ArgumentHelp("Run only part of the spec: algorithm=<label or plugin id>[,…] or environment=<id>[,…] (repeatable; dimensions combine with and). Its runs keep their ids and seeds; results go to Results/<name>.only.<selection>/ by default.",
                               valueName: "dimension=values"),
            completion: .list(RunSubset.Dimension.allCases.map { "\($0.rawValue)=" }))
    var only: [String] = []

    /// The selection the options give (empty without `--only`).
    /// - Throws: `SweepError.usage` naming `--only` when an argument is malformed.
    func subset() throws -> RunSubset {
        var s = RunSubset()
        for a in only { try s.add(a) }
        return s
    }
}
