import Foundation
import Testing

/// `bench validate --plan`, the examples in every command's help, and shell completion, through
/// the built binary.
@Suite(.serialized)
struct HelpAndCompletionTests {
    @Test func validatePlanListsTheRunsOfRunsCSVInPlanOrder() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeSpec(CompareCommandTests.spec, name: "cmp", in: dir)
        let csv = try BenchProcess.run(["validate", "cmp", "--plan", "--format", "csv"], in: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = try BenchProcess.run(["validate", "Experiments/cmp.json", "--plan"], in: dir)
        #expect(table.status == 0, "\(table.stderr)")
        let sweep = try BenchProcess.run(["sweep", "cmp", "--bootstrap", "0"], in: dir, path: "/nonexistent")
        #expect(sweep.status == 0, "\(sweep.stderr)")
        // The plan is the first six columns of the runs.csv the sweep writes, row for row.
        let runs = try parseCSV(try String(contentsOf: dir.appendingPathComponent("Results/cmp/runs.csv"), encoding: .utf8))
        let plan = try parseCSV(csv.stdout)
        #expect(plan == runs.map { Array($0.prefix(6)) })
        #expect(plan.count == 31)
        #expect(plan[0] == ["run_id", "environment", "algorithm", "config", "seed", "rng_seed"])
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Experiments/cmp.json: ok — 1 environment, 2 algorithm entries, 30 runs, 0 figures")
        #expect(lines.count == 1 + 31 + 1 && lines.last == "")
        // Table rows hold the CSV's cells, space-separated.
        for (line, record) in zip(lines.dropFirst(), plan) {
            #expect(line.split(separator: " ").map(String.init) == record)
        }
        let misplaced = try BenchProcess.run(["validate", "cmp", "--format", "csv"], in: dir)
        #expect(misplaced.status == 2)
        #expect(misplaced.stderr == "error: --format is allowed only with --plan (see `bench validate --help`)\n")
        let bad = try BenchProcess.run(["validate", "cmp", "--plan", "--format", "tsv"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown format \"tsv\" (did you mean \"csv\"?); allowed: table, csv (see `bench validate --help`)"))
    }

    /// The subcommands `bench --help` lists, and env's own.
    static func commands(in dir: URL) throws -> [[String]] {
        let help = try BenchProcess.run(["--help"], in: dir)
        let lines = help.stdout.components(separatedBy: "\n")
        let start = lines.firstIndex(of: "SUBCOMMANDS:")! + 1
        let names = lines[start...].prefix { !$0.isEmpty }.compactMap { line -> String? in
            let word = line.split(separator: " ").first.map(String.init)
            return line.hasPrefix("  ") && !line.hasPrefix("   ") && word != "See" ? word : nil
        }
        return [[]] + names.filter { $0 != "help" }.map { [$0] } + [["env", "solve"], ["env", "export"]]
    }

    @Test func everyCommandsHelpHasExamplesOfItself() throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let commands = try Self.commands(in: dir)
        #expect(commands.count == 17, "\(commands)")  // bench, its 14 subcommands (compare, slurm and report included), env solve, env export
        #expect(commands.contains(["compare"]) && commands.contains(["validate"]) && commands.contains(["slurm"]) && commands.contains(["report"]))
        for command in commands {
            let help = try BenchProcess.run(command + ["--help"], in: dir)
            #expect(help.status == 0)
            let lines = help.stdout.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "Examples:" }) else {
                Issue.record("bench \(command.joined(separator: " ")) --help has no Examples:")
                continue
            }
            let examples = lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let prefix = (["bench"] + command).joined(separator: " ")
            #expect(examples.count >= 1, "\(prefix)")
            #expect(examples.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }, "\(prefix): \(examples)")
        }
    }

    /// What each shell's script must offer: spec files (`.file(extensions: ["json"])`), the
    /// catalogue's ids for `describe`, the list sections and the formats.
    static let expected: [String: [String]] = [
        "bash": [#"-fX '!*.@(json)'"#, "'nash-md'", "'cyclic'", "'exploitability'", "'curves'", "'algorithms'$'\\n''environments'",
                 "'png'$'\\n''svg'$'\\n''pdf'", "'table'$'\\n''csv'$'\\n''json'", "compare", "report"],
        "zsh": [#"_files -g '\''*.json'\''"#, "'nash-md'", "'cyclic'", "'exploitability'", "'curves'", "'algorithms' 'environments'",
                "'png' 'svg' 'pdf'", "'table' 'csv' 'json'", "compare", "report"],
        "fish": [#"*.\'json\'"#, "nash-md", "cyclic", "exploitability", "curves", "'algorithms environments metrics diagnostics figures'",
                 "'png svg pdf'", "'table csv json'", "compare", "report"],
    ]

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsOfferSpecsIdsSectionsAndFormats(_ shell: String) throws {
        let dir = try workingDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = try BenchProcess.run(["--generate-completion-script", shell], in: dir)
        #expect(script.status == 0)
        for text in Self.expected[shell]! {
            #expect(script.stdout.contains(text), "\(shell) script lacks \(text)")
        }
    }

    /// Runs the bash script's completion function on a command line, as bash's `complete -F`
    /// would (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT; arguments command, current, previous).
    static func bashCompletions(_ line: String, script: URL, in dir: URL) throws -> [String] {
        let driver = """
        source "$1"
        COMP_LINE="$2"
        read -ra COMP_WORDS <<< "$COMP_LINE"
        [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_POINT=${#COMP_LINE}
        _bench bench "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", driver, "complete", script.path, line]
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    /// Command lines and the completions both shells must offer for them, in a directory with
    /// Experiments/cmp.json, cmp2.json and notes.txt (`completionDirectory`).
    static let completionCases: [(String, [String])] = [
        ("bench sweep Experiments/c", ["Experiments/cmp.json", "Experiments/cmp2.json"]),  // not notes.txt
        ("bench describe nash", ["nash-md", "nash-md-pg", "nash-ema", "nash_distance"].sorted()),
        ("bench list e", ["environments"]),
        ("bench figures cmp --format s", ["svg"]),
        ("bench compare a b --format ", ["csv", "json", "table"]),
        ("bench validate cmp --plan --format ", ["csv", "table"]),
        ("bench summarize cmp --select-by win", ["win_rate_vs_reference", "win_rate_vs_reference:max", "win_rate_vs_reference:min"]),
        ("bench env solve cmp --format ", ["json", "text"]),
        ("bench sweep cmp --only ", ["algorithm=", "environment="]),
        ("bench comp", ["compare"]),
    ]

    /// A working directory with two specs and a non-spec file, and `shell`'s completion script
    /// written into it (returned).
    static func completionDirectory(_ shell: String, tag: String = #function) throws -> (URL, URL) {
        let dir = try workingDirectory(tag)
        try writeSpec(CompareCommandTests.spec, name: "cmp", in: dir)
        try writeSpec(CompareCommandTests.spec, name: "cmp2", in: dir)
        try "x".write(to: dir.appendingPathComponent("Experiments/notes.txt"), atomically: true, encoding: .utf8)
        let script = try BenchProcess.run(["--generate-completion-script", shell], in: dir)
        let url = dir.appendingPathComponent("bench.\(shell)")
        try script.stdout.write(to: url, atomically: true, encoding: .utf8)
        return (dir, url)
    }

    @Test func bashCompletesSpecFilesIdsSectionsFormatsAndMetrics() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let (dir, url) = try Self.completionDirectory("bash")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (line, expected) in Self.completionCases {
            #expect(try Self.bashCompletions(line, script: url, in: dir) == expected, "\(line)")
        }
    }

    /// The fish script's completions of a command line: `complete -C` (fish's own non-interactive
    /// completion query) after sourcing the script; the candidates without their descriptions.
    static func fishCompletions(_ line: String, script: URL, in dir: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["fish", "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script.path, line]
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "fish -c … complete -C '\(line)'")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }.sorted()
    }

    /// fish (Debian's fish, installed by scripts/setup.sh): the same completions as bash. Without
    /// fish the test is skipped with a message, except under CI, where it fails.
    @Test func fishCompletesSpecFilesIdsSectionsFormatsAndMetrics() throws {
        let fish = ["/usr/bin/fish", "/usr/local/bin/fish", "/opt/homebrew/bin/fish"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        guard fish else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("fish is not installed; scripts/setup.sh installs it") }
            print("FISH IS NOT INSTALLED: the fish completion test is skipped (scripts/setup.sh installs it)")
            return
        }
        let (dir, url) = try Self.completionDirectory("fish")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (line, expected) in Self.completionCases {
            #expect(try Self.fishCompletions(line, script: url, in: dir) == expected, "\(line)")
        }
    }
}
