import Crypto
import Foundation

/// Writes `GeneratedSourceFingerprints.swift` for `BuildProvenance` (run by
/// `SourceFingerprintPlugin` at build time; not meant to be run by hand).
///
/// Arguments: `--output FILE --root DIR [--git GIT]`, then per target
/// `--target NAME --directory REL --deps A,B --files F…`. Each file is hashed with SHA-256
/// (swift-crypto) and listed by its path relative to the package root; the git commit and whether
/// `Package.swift`, `Sources/` or `Plugins/` differ from it come from `git rev-parse` and
/// `git status --porcelain`.
@main
enum SourceFingerprintTool {
    struct TargetEntry {
        var name: String
        var directory = ""
        var dependencies: [String] = []
        var files: [String] = []
    }

    static func main() throws {
        var output: String?
        var root = ""
        var git: String?
        var targets: [TargetEntry] = []
        var args = CommandLine.arguments.dropFirst().makeIterator()
        var inFiles = false
        /// A malformed command line is the plugin's bug: say so on stderr and exit 64 (EX_USAGE).
        func usage(_ message: String) -> Never {
            FileHandle.standardError.write(Data("SourceFingerprintTool: \(message)\n".utf8))
            exit(64)
        }
        func lastTarget(_ option: String) -> Int {
            guard !targets.isEmpty else { usage("\(option) before any --target") }
            return targets.count - 1
        }
        while let a = args.next() {
            switch a {
            case "--output": output = args.next(); inFiles = false
            case "--root": root = args.next() ?? ""; inFiles = false
            case "--git": git = args.next(); inFiles = false
            case "--target": targets.append(TargetEntry(name: args.next() ?? "")); inFiles = false
            case "--directory": targets[lastTarget(a)].directory = args.next() ?? ""; inFiles = false
            case "--deps":
                targets[lastTarget(a)].dependencies = (args.next() ?? "").split(separator: ",").map(String.init)
                inFiles = false
            case "--files": _ = lastTarget(a); inFiles = true
            default:
                guard inFiles else { usage("unexpected argument \(a)") }
                targets[targets.count - 1].files.append(a)
            }
        }
        guard let output else { usage("--output is required") }

        var text = """
        // Generated at build time by SourceFingerprintTool (SourceFingerprintPlugin). Do not edit.

        extension CompiledSources {
            static let generatedTargets: [TargetSources] = [

        """
        let base = root.hasSuffix("/") ? root : root + "/"
        for t in targets {
            var files: [(String, String)] = []
            for f in t.files {
                let data = try Data(contentsOf: URL(fileURLWithPath: f))
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                files.append((f.hasPrefix(base) ? String(f.dropFirst(base.count)) : f, digest))
            }
            files.sort { $0.0 < $1.0 }
            text += "        TargetSources(name: \(literal(t.name)), directory: \(literal(t.directory)), "
            text += "dependencies: [\(t.dependencies.map(literal).joined(separator: ", "))], files: [\n"
            for (path, digest) in files { text += "            (\(literal(path)), \"\(digest)\"),\n" }
            text += "        ]),\n"
        }
        text += "    ]\n"
        let (commit, dirty) = gitState(git: git, root: root)
        text += "    static let generatedGitCommit: String? = \(commit.map(literal) ?? "nil")\n"
        text += "    static let generatedGitDirty: Bool? = \(dirty.map { $0 ? "true" : "false" } ?? "nil")\n"
        text += "}\n"
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }

    /// A Swift string literal of `s` (only printable ASCII kept verbatim).
    static func literal(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            default: out += "\\u{\(String(u.value, radix: 16))}"
            }
        }
        return out + "\""
    }

    /// The commit checked out at `root` and whether the compiled paths differ from it; nil when
    /// `root` is not a git checkout or git is unavailable.
    static func gitState(git: String?, root: String) -> (String?, Bool?) {
        guard let git else { return (nil, nil) }
        guard let head = run(git, ["-C", root, "rev-parse", "--verify", "HEAD"]),
              head.count == 40 || head.count == 64 else { return (nil, nil) }
        let status = run(git, ["-C", root, "status", "--porcelain", "--untracked-files=normal", "--",
                               "Package.swift", "Sources", "Plugins"])
        return (head, status.map { !$0.isEmpty })
    }

    /// Standard output of a process, trimmed; nil when it cannot start or exits non-zero.
    static func run(_ executable: String, _ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        // Waited for through `terminationHandler`, not `waitUntilExit()`, which on Linux returns
        // up to 50 ms late (StableFloor's `ChildProcess`, which this build tool does not link).
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
