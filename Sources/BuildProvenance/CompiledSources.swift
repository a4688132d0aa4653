import Crypto
import Foundation

/// The package's source code as it was compiled into this binary: the SHA-256 of every file of
/// every target, the target graph and the git commit, generated at build time by
/// `SourceFingerprintPlugin` (issue 9 §1). Fingerprints derived from it change exactly when a source
/// file that went into the build changes — no version number to bump by hand.
public enum CompiledSources {
    /// Every target of the package by name (system libraries, libraries, executables, plugins and
    /// tests; "Package.swift" stands for the manifest).
    public static let targets: [String: TargetSources] = Dictionary(
        uniqueKeysWithValues: generatedTargets.map { ($0.name, $0) })

    /// The git commit the binary was built from, when it was built inside a git checkout.
    public static var gitCommit: String? { generatedGitCommit }

    /// Whether `Package.swift`, `Sources/` or `Plugins/` differed from `gitCommit` at build time
    /// (nil outside a checkout).
    public static var gitDirty: Bool? { generatedGitDirty }

    /// "debug" or "release" (whether the binary was compiled with `DEBUG` defined).
    public static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// The Swift compiler's major.minor version, from compile-time conditions.
    public static var compilerVersion: String {
        #if compiler(>=7.0)
        return "≥ 7.0"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// The targets `name` depends on inside the package, itself included, in sorted order, leaving
    /// out `excluded` targets (whose files another fingerprint covers) and everything reached only
    /// through them.
    /// - Complexity: O(targets + dependency edges).
    public static func closure(of name: String, excluding excluded: Set<String> = []) -> [String] {
        var seen: Set<String> = []
        var stack = [name]
        while let t = stack.popLast() {
            guard !excluded.contains(t), !seen.contains(t), let target = targets[t] else { continue }
            seen.insert(t)
            stack += target.dependencies
        }
        return seen.sorted()
    }

    /// SHA-256 (64 hex digits) of the files of `targetNames`, minus the files whose path starts
    /// with one of `excludingPaths`: the digest of the lines "<path> <file sha256>\n" in path order.
    /// Unknown target names contribute their name only, so they still change the digest.
    /// - Complexity: O(files of the targets · log).
    public static func fingerprint(ofTargets targetNames: [String], excludingPaths: [String] = []) -> String {
        var lines: [String] = []
        for name in Set(targetNames).sorted() {
            guard let t = targets[name] else {
                lines.append("unknown-target \(name)")
                continue
            }
            for (path, digest) in t.files where !excludingPaths.contains(where: { path.hasPrefix($0) }) {
                lines.append("\(path) \(digest)")
            }
        }
        return sha256Hex(lines.sorted().map { $0 + "\n" }.joined())
    }

    /// SHA-256 of `text`'s UTF-8 bytes as 64 lowercase hex digits (swift-crypto).
    public static func sha256Hex(_ text: String) -> String {
        sha256Hex(Data(text.utf8))
    }

    /// SHA-256 of `data` as 64 lowercase hex digits (swift-crypto).
    /// - Complexity: O(bytes).
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The module (target) that defines `type`, from its fully qualified name
    /// ("MMD.MMDAlgorithm" → "MMD").
    public static func module(of type: Any.Type) -> String {
        let qualified = String(reflecting: type)
        return qualified.split(separator: ".", maxSplits: 1).first.map(String.init) ?? qualified
    }
}

/// One target's sources: where it lives, what it depends on inside the package and every file's
/// SHA-256.
public struct TargetSources: Sendable {
    /// The target's name.
    public var name: String
    /// Its directory relative to the package root.
    public var directory: String
    /// Its direct dependencies inside the package.
    public var dependencies: [String]
    /// (path relative to the package root, SHA-256 hex) of every regular file under `directory`.
    public var files: [(String, String)]

    /// Creates an entry (used by the generated file).
    public init(name: String, directory: String, dependencies: [String], files: [(String, String)]) {
        self.name = name
        self.directory = directory
        self.dependencies = dependencies
        self.files = files
    }
}
