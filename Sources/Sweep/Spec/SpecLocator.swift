import AlignmentCore
import Foundation

/// Finds a spec file from what a user typed: an existing path; else the same path
/// resolved case-insensitively component by component (so `experiments/intransitive.json` finds
/// `Experiments/intransitive.json` on a case-sensitive file system); a bare name `intransitive`
/// means `Experiments/intransitive.json`, else the paper's `Experiments/paper/intransitive.json`.
public enum SpecLocator {
    /// Resolves a spec argument.
    /// - Parameters:
    ///   - argument: the path or bare name.
    ///   - directory: the directory relative paths start from (the current directory).
    /// - Returns: the file's URL.
    /// - Throws: `SweepError.specNotFound` naming what was tried, with a "did you mean" among
    ///   the experiments when one is close; `SweepError.io` when a path names a directory (a bare
    ///   name only when no experiment of that name exists; the message lists the experiments).
    public static func resolve(_ argument: String, relativeTo directory: URL) throws -> URL {
        let given = argument.hasPrefix("/") ? URL(fileURLWithPath: argument) : directory.appendingPathComponent(argument)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory), isDirectory.boolValue,
           argument.contains("/") || argument.lowercased().hasSuffix(".json") {
            throw SweepError.io(path: argument, message: "is a directory; allowed: a JSON spec file or an experiment name")
        }
        var candidates = [argument]
        if !argument.contains("/") && !argument.lowercased().hasSuffix(".json") {
            candidates = ["Experiments/\(argument).json", "Experiments/paper/\(argument).json", argument]
        }
        for c in candidates {
            if let url = resolveCaseInsensitively(c, relativeTo: directory) { return url }
        }
        let experiments = (try? FileManager.default.contentsOfDirectory(
            atPath: directory.appendingPathComponent("Experiments").path)) ?? []
        let names = experiments.filter { name in
            let path = directory.appendingPathComponent("Experiments").appendingPathComponent(name).path
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            return name.hasSuffix(".json") && name != "schema.json" && type == .typeRegular
        }.map { String($0.dropLast(5)) }.sorted()
        let known = names.isEmpty ? "" : "; experiments: " + names.joined(separator: ", ")
        // A bare name that is a directory (`bench sweep Experiments`) and no experiment.
        if FileManager.default.fileExists(atPath: given.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SweepError.io(path: argument, message: "is a directory; allowed: a JSON spec file or an experiment name\(known)")
        }
        let stem = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
        let hint = Suggestion.closest(to: stem, among: names).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw SweepError.specNotFound("\(argument): no such spec file\(hint)\(known)")
    }

    /// The file at `path` when it exists as written or when each component matches an existing
    /// entry case-insensitively (an exact match wins; among several case-insensitive matches the
    /// lexicographically first is taken). Returns nil when it does not resolve to a regular file.
    public static func resolveCaseInsensitively(_ path: String, relativeTo directory: URL) -> URL? {
        let fm = FileManager.default
        let absolute = path.hasPrefix("/")
        var current = absolute ? URL(fileURLWithPath: "/") : directory
        let exact = absolute ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: exact.path, isDirectory: &isDir), !isDir.boolValue { return exact }
        for component in path.split(separator: "/").map(String.init) where !component.isEmpty && component != "." {
            if component == ".." {
                current = current.appendingPathComponent("..")
                continue
            }
            let direct = current.appendingPathComponent(component)
            if fm.fileExists(atPath: direct.path) {
                current = direct
                continue
            }
            guard let entries = try? fm.contentsOfDirectory(atPath: current.path),
                  let match = entries.filter({ $0.lowercased() == component.lowercased() }).sorted().first
            else { return nil }
            current = current.appendingPathComponent(match)
        }
        guard fm.fileExists(atPath: current.path, isDirectory: &isDir), !isDir.boolValue else { return nil }
        return current
    }
}
