import Foundation

/// A one-line progress display on stderr (runs done/total, failures, ETA), drawn only when
/// enabled; updated from the serial writer queue.
final class ProgressLine: @unchecked Sendable {
    private let total: Int
    private let name: String
    private let enabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var done = 0
    private var failed = 0
    private var lastDraw: ContinuousClock.Instant?

    init(total: Int, name: String, enabled: Bool) {
        self.total = total
        self.name = name
        self.enabled = enabled
        self.start = clock.now
    }

    func update(failed didFail: Bool) {
        done += 1
        if didFail { failed += 1 }
        guard enabled else { return }
        let now = clock.now
        if let last = lastDraw, now - last < .milliseconds(100), done < total { return }
        lastDraw = now
        let elapsed = now - start
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let eta = done > 0 ? secs / Double(done) * Double(total - done) : 0
        let line = "\r\u{1B}[K\(name): \(done)/\(total) runs, \(failed) failed, ETA \(Self.duration(eta))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// "1m05s" / "12s".
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
