import ArgumentParser
import Foundation
import Sweep

/// `bench schema [--output FILE]`: the JSON Schema of experiment specs, generated from the
/// catalogues (`SpecSchema`).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of experiment specs (Experiments/schema.json), generated from the catalogues.",
        discussion: """
        Every algorithm's and environment kind's parameters are listed with their ranges, defaults and \
        docs, so an editor that reads the "$schema" of a spec flags unknown or out-of-range values as \
        they are typed. Rules JSON Schema cannot express (unique ids, cross-references, sizes, file \
        contents, …) are listed in the schema's description; `bench validate` checks them. After \
        adding an algorithm or environment kind: bench schema --output Experiments/schema.json

        Examples:
          bench schema --output Experiments/schema.json
          bench schema | python3 -m json.tool | less
        """)

    @Option(help: "Write the schema to this file (atomically) instead of standard output.", completion: .file(extensions: ["json"]))
    var output: String?

    func run() throws {
        try reportingErrors {
            if let output {
                let url = URL(fileURLWithPath: output, relativeTo: currentDirectory).standardizedFileURL
                try SpecSchema.write(to: url)
                print("schema → \(displayPath(url))")
            } else {
                print(SpecSchema.text(), terminator: "")
            }
        }
    }
}
