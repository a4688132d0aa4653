import ArgumentParser
import Foundation
import Sweep

/// `bench list [algorithms|environments|metrics]`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered algorithms, environment kinds and metrics.")

    @Argument(help: "What to list: algorithms, environments or metrics (default: all).", transform: ListSection.parse)
    var section: ListSection?

    func run() throws {
        try reportingErrors { print(try CatalogText.list(section?.name), terminator: "") }
    }
}

/// `bench describe <id>`.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe an algorithm or environment kind: summary, paper, parameters, feedback modes.")

    @Argument(help: "An algorithm id, environment kind or metric id.", transform: CatalogID.parse)
    var id: CatalogID

    func run() throws {
        try reportingErrors { print(try CatalogText.describe(id.id), terminator: "") }
    }
}
