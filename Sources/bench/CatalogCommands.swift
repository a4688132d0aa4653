import ArgumentParser
import Foundation
import Sweep

/// `bench list [algorithms|environments|metrics|figures]`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered algorithms, environment kinds, metrics and figure kinds.",
        discussion: """
        Examples:
          bench list
          bench list algorithms
          bench list metrics
        """)

    @Argument(help: "What to list: algorithms, environments, metrics or figures (default: all).", completion: .list(ListSection.allValueStrings), transform: ListSection.parse)
    var section: ListSection?

    func run() throws {
        try reportingErrors { print(try CatalogText.list(section?.name), terminator: "") }
    }
}

/// `bench describe <id>`.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe an algorithm, environment kind, metric or figure kind: summary, parameters or options.",
        discussion: """
        Examples:
          bench describe nash-md
          bench describe cyclic
          bench describe exploitability
          bench describe curves
        """)

    @Argument(help: "An algorithm id, environment kind, metric id or figure kind.", completion: .list(CatalogID.known), transform: CatalogID.parse)
    var id: CatalogID

    func run() throws {
        try reportingErrors { print(try CatalogText.describe(id.id), terminator: "") }
    }
}
