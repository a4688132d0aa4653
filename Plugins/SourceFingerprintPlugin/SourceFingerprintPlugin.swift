import Foundation
import PackagePlugin

/// Build-tool plugin that fingerprints the package's own source code at build time.
///
/// For every target of the package (system libraries, libraries, executables, plugins, tests) it
/// hands `SourceFingerprintTool` the target's name, its directory, its direct dependencies inside the
/// package and every regular file under its directory. The tool writes one Swift file with the
/// SHA-256 of each file, the target graph and the git commit the package was built from; the
/// `BuildProvenance` target compiles it. Because every source file is an input of the command,
/// SwiftPM re-runs it whenever any file changes, so the fingerprints can never be stale and nobody
/// has to bump a version by hand (issue 9 §1).
@main
struct SourceFingerprintPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSourceFingerprints.swift")
        var arguments = ["--output", output.path, "--root", root.path]
        var inputs: [URL] = [root.appending(path: "Package.swift")]
        arguments += ["--target", "Package.swift", "--directory", ".", "--deps", "", "--files", root.appending(path: "Package.swift").path]
        for t in context.package.targets.sorted(by: { $0.name < $1.name }) {
            let files = Self.regularFiles(under: t.directoryURL)
            let deps = t.dependencies.compactMap { dependency -> String? in
                if case let .target(d) = dependency { return d.name }
                return nil
            }.sorted()
            let relative = Self.relativePath(t.directoryURL, to: root)
            arguments += ["--target", t.name, "--directory", relative, "--deps", deps.joined(separator: ","), "--files"]
            arguments += files.map(\.path)
            inputs += files
        }
        // The plugin's own sources and the git state decide the generated file too.
        inputs += Self.regularFiles(under: root.appending(path: "Plugins"))
        inputs += Self.gitStateFiles(root: root)
        if let git = try? context.tool(named: "git") {
            arguments += ["--git", git.url.path]
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/git") {
            arguments += ["--git", "/usr/bin/git"]
        }
        return [.buildCommand(displayName: "Fingerprinting the package's sources",
                              executable: try context.tool(named: "SourceFingerprintTool").url,
                              arguments: arguments, inputFiles: inputs, outputFiles: [output])]
    }

    /// Every regular file below `directory`, sorted by path (hidden files included, symbolic links
    /// not followed), except documentation catalogs (`*.docc` folders): DocC articles are never
    /// compiled, so editing the docs never makes a result stale.
    static func regularFiles(under directory: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                                                     options: []) else { return [] }
        var out: [URL] = []
        for case let url as URL in e {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values?.isDirectory == true && url.pathExtension == "docc" {
                e.skipDescendants()
            } else if values?.isRegularFile == true {
                out.append(url)
            }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// `url`'s path relative to `root` ("." for the root itself).
    static func relativePath(_ url: URL, to root: URL) -> String {
        let base = root.standardizedFileURL.path
        let p = url.standardizedFileURL.path
        guard p.hasPrefix(base) else { return p }
        let rest = p.dropFirst(base.count).drop { $0 == "/" }
        return rest.isEmpty ? "." : String(rest)
    }

    /// The files whose change means another commit or another index: HEAD, the branch it names,
    /// packed refs and the index (a worktree's `.git` file is followed to its git directory).
    static func gitStateFiles(root: URL) -> [URL] {
        var gitDir = root.appending(path: ".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: gitDir.path, isDirectory: &isDirectory) else { return [] }
        var commonDir: URL?
        if !isDirectory.boolValue {
            guard let text = try? String(contentsOf: gitDir, encoding: .utf8), text.hasPrefix("gitdir: ") else { return [] }
            let path = text.dropFirst("gitdir: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDir = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appending(path: path)
            if let common = try? String(contentsOf: gitDir.appending(path: "commondir"), encoding: .utf8) {
                let c = common.trimmingCharacters(in: .whitespacesAndNewlines)
                commonDir = c.hasPrefix("/") ? URL(fileURLWithPath: c) : gitDir.appending(path: c)
            }
        }
        let refsDir = commonDir ?? gitDir
        var files = [gitDir.appending(path: "HEAD"), gitDir.appending(path: "index"), refsDir.appending(path: "packed-refs")]
        if let head = try? String(contentsOf: gitDir.appending(path: "HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
            files.append(refsDir.appending(path: head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return files.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
