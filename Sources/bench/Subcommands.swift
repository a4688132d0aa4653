import ArgumentParser

/// The subcommands of `bench`, in help order. To add one, add its type on its own line here.
///
/// `EnvCommand` (Sources/bench/EnvCommand.swift, `bench env …`) is enabled by uncommenting its line
/// once that file exists.
let benchSubcommands: [ParsableCommand.Type] = [
    SweepCommand.self,
    MergeCommand.self,
    StatusCommand.self,
    SlurmCommand.self,
    FiguresCommand.self,
    PaperCommand.self,
    SummarizeCommand.self,
    ReportCommand.self,
    CompareCommand.self,
    ListCommand.self,
    DescribeCommand.self,
    ValidateCommand.self,
    EnvCommand.self,
    SchemaCommand.self,
]
