import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The errors of the benchmark executable (one line each, non-zero exit).
enum BenchPerfError: Error, CustomStringConvertible {
    /// A command-line option is wrong: which, what is wrong, what is allowed.
    case usage(String)
    /// A measured run did not do what it was meant to (a failed run, a wrong solution, a child
    /// process that did not report).
    case measurement(String)

    var description: String {
        switch self {
        case let .usage(s): return "usage: \(s)"
        case let .measurement(s): return "measurement failed: \(s)"
        }
    }
}

/// Wall-clock timing, memory and machine facts.
enum Measurement {
    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU seconds of the calling thread (`CLOCK_THREAD_CPUTIME_ID`): time the thread ran, not
    /// time it waited for a core, so a ratio of two of them survives a loaded machine better than
    /// one of wall-clock times (caches shared with other processes still count).
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Seconds taken by `body` (once).
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = now()
        try body()
        return now() - t0
    }

    /// The median of `repeats` timings of `body`.
    static func median(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(1, repeats) { times.append(try seconds(body)) }
        return median(times)
    }

    /// The median of `xs` (mean of the two middle values for an even count).
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// Peak resident set size of this process so far, bytes (getrusage; Linux reports kB).
    static func peakRSS() -> Int {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Int(u.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &u)
        return Int(u.ru_maxrss)
        #endif
    }

    /// Peak resident set size of this process image, bytes: VmHWM of /proc/self/status where
    /// there is one (reset by execve), else `peakRSS()`. getrusage's ru_maxrss is not reset by
    /// execve on Linux, so a child started by a large parent would report the parent's peak.
    static func peakRSSOfImage() -> Int {
        if let handle = FileHandle(forReadingAtPath: "/proc/self/status") {
            let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let digits = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
                if let kb = digits.flatMap({ Int($0) }) { return kb * 1024 }
            }
        }
        return peakRSS()
    }

    /// Current resident set size, bytes (/proc/self/statm; nil where there is none).
    static func currentRSS() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The processor model ("model name" of /proc/cpuinfo), or "unknown".
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// The 1-, 5- and 15-minute load averages (/proc/loadavg), or "unknown".
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The shared library that the dynamic linker resolved `symbol` to (dlsym, then the mapping of
    /// /proc/self/maps that holds the address), or "not found".
    static func library(ofSymbol symbol: String) -> String {
        guard let address = dlsym(nil, symbol) else { return "not found" }
        let a = UInt(bitPattern: address)
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return "unknown (no /proc/self/maps)" }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let range = fields.first?.split(separator: "-") ?? []
            guard fields.count >= 6, range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) else { continue }
            if a >= lo && a < hi { return String(fields[5]) }
        }
        return "unknown (0x\(String(a, radix: 16)) is in no file mapping)"
    }

    /// The size of a file in bytes (0 when it does not exist).
    static func fileSize(_ url: URL) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// The least-squares slope of log y against log x: the growth exponent k of y ∝ x^k.
    static func growthExponent(_ points: [(x: Double, y: Double)]) -> Double? {
        let pts = points.filter { $0.x > 0 && $0.y > 0 }
        guard pts.count >= 2 else { return nil }
        let lx = pts.map { log($0.x) }, ly = pts.map { log($0.y) }
        let mx = lx.reduce(0, +) / Double(pts.count), my = ly.reduce(0, +) / Double(pts.count)
        var sxy = 0.0, sxx = 0.0
        for i in 0..<pts.count {
            sxy += (lx[i] - mx) * (ly[i] - my)
            sxx += (lx[i] - mx) * (lx[i] - mx)
        }
        return sxx > 0 ? sxy / sxx : nil
    }

    /// A fresh temporary directory (removed by the caller).
    static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UInt64(now() * 1e6))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
