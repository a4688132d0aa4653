import AlignmentCore
import ArgumentParser
import Foundation
import Sweep

/// The `bench` command-line tool: run experiment sweeps, render figures, inspect the catalogues.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark alignment algorithms on synthetic preference problems with exact metrics.",
        version: BenchVersion.current,
        subcommands: benchSubcommands)

    /// Switches GSL's aborting error handler off, then parses and runs the command.
    static func main() {
        GSLRuntime.configure()
        main(nil)
    }
}

/// Runs a command body; any error becomes one line on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// The current directory as a URL.
var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true) }
