import Foundation

/// One input file a spec's environment was built from: which parameter named it, the path as
/// given, and the SHA-256 of the bytes that were read (swift-crypto).
public struct ResolvedInput: Sendable, Hashable {
    /// The environment's id.
    public var environment: String
    /// The `.inputFile` parameter that named the file.
    public var parameter: String
    /// The path as the spec gives it.
    public var path: String
    /// SHA-256 of the contents, 64 hex digits (compare with `sha256sum`).
    public var sha256: String
    /// Size in bytes.
    public var bytes: Int

    /// The name of its copy inside a results directory: `inputs/<sha256>` plus the original
    /// extension (so that a format chosen by extension is chosen again).
    public var copyName: String {
        let ext = URL(fileURLWithPath: path).pathExtension
        let safe = ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } && !ext.isEmpty && ext.count <= 8
        return "inputs/" + sha256 + (safe ? "." + ext : "")
    }
}

/// Where a spec's input files are read from: as given (relative to the current directory), or, for
/// a results directory that may have moved, from the copies the sweep kept inside it.
public struct InputLocator: Sendable {
    /// Paths as given → the file to read instead.
    public var copies: [String: String]

    /// Reads every path as given.
    public static let currentDirectory = InputLocator(copies: [:])

    /// Creates a locator that reads `copies[path]` in place of `path`.
    public init(copies: [String: String]) { self.copies = copies }

    /// The file to read for `path`.
    public func location(of path: String) -> String { copies[path] ?? path }
}
