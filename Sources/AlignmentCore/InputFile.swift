import Foundation

/// The bytes of an input file named by an `.inputFile` parameter, with the path as the spec gave it.
///
/// The harness reads each input file once, so the bytes an environment is built from are exactly
/// the bytes that were fingerprinted and copied into the results directory.
public struct InputFile: Sendable, Hashable {
    /// The path as given in the spec (used in messages and to choose a format by extension).
    public var path: String
    /// The file's contents.
    public var contents: [UInt8]

    /// Largest input file the harness reads (64 MiB).
    public static let maximumBytes = 64 << 20

    /// Wraps bytes already read.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    /// The contents as UTF-8 text, or nil when they are not valid UTF-8.
    public var text: String? {
        String(validating: contents, as: UTF8.self)
    }

    /// Reads the regular file at `path` (relative paths start at the current directory).
    /// - Parameters:
    ///   - path: the file.
    ///   - parameter: the parameter's name, for the error.
    /// - Throws: `AlignmentCoreError.invalidParameter(name: parameter, …)` when the file is missing,
    ///   not a regular file, longer than `maximumBytes` or unreadable.
    /// - Complexity: O(file size).
    public static func read(path: String, parameter: String) throws -> InputFile {
        let url = URL(fileURLWithPath: path)
        let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
        guard let values else {
            throw AlignmentCoreError.invalidParameter(
                name: parameter, reason: "\(path): no such file (relative paths start at the current directory \(FileManager.default.currentDirectoryPath))")
        }
        guard values.isRegularFile == true else {
            throw AlignmentCoreError.invalidParameter(name: parameter, reason: "\(path) is not a regular file")
        }
        guard (values.fileSize ?? 0) <= maximumBytes else {
            throw AlignmentCoreError.invalidParameter(name: parameter, reason: "\(path) has \(values.fileSize ?? 0) bytes, more than \(maximumBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AlignmentCoreError.invalidParameter(name: parameter, reason: "\(path) cannot be read")
        }
        return InputFile(path: path, contents: [UInt8](data))
    }
}
