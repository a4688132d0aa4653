import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One scratch directory per test process for the files the environment tests write
/// (`<tmp>/environments-tests-<pid>/`), removed when the process exits; one left by a killed
/// process is removed by the next process that creates its own.
enum TestScratch {
    /// The name prefix.
    private static let prefix = "environments-tests-"

    /// This process's directory, created (and the dead processes' removed) on first use.
    static let directory: URL = {
        let tmp = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
        }
        let url = tmp.appendingPathComponent(prefix + String(getpid()), isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.directory) }
        return url
    }()
}
