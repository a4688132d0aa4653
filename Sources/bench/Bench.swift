import AlignmentCore
import ArgumentParser
import Foundation
import StableFloor
import Sweep
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `bench` command-line tool: run experiment sweeps, render figures, inspect the catalogues.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark alignment algorithms on synthetic preference problems with exact metrics.",
        discussion: """
        Every error is one line on stderr ("error: …") naming the file, the JSON path or the option, \
        what is wrong and what is allowed.

        Examples:
          bench list algorithms
          bench validate intransitive --plan
          bench sweep intransitive --jobs 4
          bench compare Results/before Results/after
          source <(bench --generate-completion-script bash)     (completion; also zsh, fish)

        Exit status:
        \(BenchExitCode.table)
        """,
        version: BenchVersion.current,
        subcommands: benchSubcommands)

    /// Switches GSL's aborting error handler off and OpenBLAS to one thread, then parses and runs
    /// the command; usage errors exit with status 2 (`BenchExitCode.usage`).
    static func main() {
        GSLSetup.configure()
        DenseLinearAlgebra.configure()  // OpenBLAS's idle workers stop now, not after ~0.1 s of spinning
        // A write beyond RLIMIT_FSIZE then fails with EFBIG, which is reported (exit 4) and leaves a
        // resumable journal, instead of killing the process with SIGXFSZ.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let text = message(for: error).split(whereSeparator: \.isNewline).joined(separator: "; ")
                let path = commandPath(CommandLine.arguments.dropFirst())
                FileHandle.standardError.write(Data("error: \(text) (see `\((["bench"] + path).joined(separator: " ")) --help`)\n".utf8))
                Foundation.exit(BenchExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// The subcommands the arguments name from the start ("env", "inspect"), for the help a usage
/// error points to: `bench env inspect --help`, not the parent's.
/// - Complexity: O(depth · subcommands).
func commandPath(_ arguments: ArraySlice<String>) -> [String] {
    var path: [String] = []
    var candidates = benchSubcommands
    var rest = arguments
    while let first = rest.first, let match = candidates.first(where: { $0._commandName == first }) {
        path.append(first)
        candidates = match.configuration.subcommands
        rest = rest.dropFirst()
    }
    return path
}

/// Runs a command body; any error becomes one line on stderr and the exit status of its class
/// (`SweepError.exitCode`; 1 for unexpected errors).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as SweepError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(error.exitCode.rawValue)
    } catch {
        FileHandle.standardError.write(Data("error: \(oneLine("\(error)"))\n".utf8))
        throw ExitCode(BenchExitCode.internalError.rawValue)
    }
}

/// Prints a one-line note on stderr.
func note(_ text: String) {
    FileHandle.standardError.write(Data("note: \(text)\n".utf8))
}

/// The current directory as a URL.
var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true) }
