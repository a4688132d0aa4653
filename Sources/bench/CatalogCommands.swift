import ArgumentParser
import Foundation
import Sweep

/// `bench list [algorithms|environments|metrics]`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered algorithms, environment kinds and metrics.")

    @Argument(help: "What to list: algorithms, environments or metrics (default: all).")
    var section: String?

    func run() throws {
        try reportingErrors { print(try CatalogText.list(section), terminator: "") }
    }
}

/// `bench describe <id>`.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe an algorithm or environment kind: summary, paper, parameters, feedback modes.")

    @Argument(help: "An algorithm id, environment kind or metric id.")
    var id: String

    func run() throws {
        try reportingErrors { print(try CatalogText.describe(id), terminator: "") }
    }
}
