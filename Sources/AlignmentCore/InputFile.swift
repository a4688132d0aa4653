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

    /// Reads the regular file at `path` (relative paths start at the current directory), never
    /// more than `maximumBytes` + 1 bytes: files whose size the system reports as 0 (`/proc`) are
    /// bounded too.
    /// - Parameters:
    ///   - path: the file (the path as given; `location`, when given, is read instead).
    ///   - location: the file to read in place of `path` (e.g. a results directory's copy).
    ///   - parameter: the parameter's name, for the error.
    /// - Throws: `AlignmentCoreError.invalidParameter(name: parameter, …)` when the file is missing,
    ///   not a regular file, longer than `maximumBytes` or unreadable.
    /// - Complexity: O(file size).
    public static func read(path: String, location: String? = nil, parameter: String) throws -> InputFile {
        let actual = location ?? path
        func fail(_ why: String) -> AlignmentCoreError { .invalidParameter(name: parameter, reason: why) }
        let url = URL(fileURLWithPath: actual)
        guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]) else {
            throw fail("no such file \(path) (relative paths start at the current directory \(FileManager.default.currentDirectoryPath))")
        }
        guard values.isRegularFile == true else { throw fail("\(path) is not a regular file") }
        guard (values.fileSize ?? 0) <= maximumBytes else {
            throw fail("\(path) has \(values.fileSize ?? 0) bytes, more than \(maximumBytes)")
        }
        guard let handle = FileHandle(forReadingAtPath: actual) else { throw fail("\(path) cannot be read") }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch { throw fail("\(path) cannot be read") }
            guard let chunk, !chunk.isEmpty else { break }
            bytes.append(contentsOf: chunk)
            guard bytes.count <= maximumBytes else { throw fail("\(path) has more than \(maximumBytes) bytes") }
        }
        return InputFile(path: path, contents: bytes)
    }
}
