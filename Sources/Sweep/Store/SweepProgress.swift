import Foundation

/// How a long command reports progress on standard error.
public enum ProgressStyle: Sendable, Equatable {
    /// Nothing.
    case off
    /// One line redrawn in place (`\r`), cleared at the end: for a terminal.
    case bar
    /// Plain lines for a log file (a Slurm job's output, `nohup`): one every `interval`, and one
    /// per phase once the log is active, so the log is never silent for longer than the interval.
    case lines(ProgressInterval)
}

/// When `ProgressStyle.lines` prints a line: every `seconds` of wall clock, and after every
/// `runs` finished runs when set.
public struct ProgressInterval: Sendable, Equatable {
    /// Seconds between two timed lines (> 0).
    public var seconds: Double
    /// Finished runs between two count lines (≥ 1), or nil for timed lines only.
    public var runs: Int?

    /// The default: a line every 30 seconds.
    public static let standard = ProgressInterval(seconds: 30, runs: nil)

    /// Creates an interval.
    /// - Precondition: `seconds > 0` and `runs ?? 1 >= 1`.
    public init(seconds: Double, runs: Int?) {
        precondition(seconds > 0 && (runs ?? 1) >= 1, "invalid progress interval")
        self.seconds = seconds
        self.runs = runs
    }
}

/// The progress of one command — runs done/total, failures, ETA, then the phases after the runs
/// (result files, statistics, figures) — drawn on standard error in the chosen `ProgressStyle`.
///
/// Thread-safe: workers report finished runs from the sweep's serial writer queue, a timer prints
/// the timed lines of `.lines`. Lines look like
/// `intransitive: 120/720 runs, 2 failed, 1m30s elapsed, ETA 7m30s` and
/// `intransitive: statistics (summary.csv, curve_summary.csv, pairwise.csv, tests.csv, frontier.csv, aggregates.csv), 9m02s elapsed`.
public final class SweepProgress: @unchecked Sendable {
    private let style: ProgressStyle
    private let name: String
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private let start: ContinuousClock.Instant
    private var total = 0
    private var done = 0
    private var failed = 0
    private var runsActive = false
    private var phaseText: String?
    private var lastDraw: ContinuousClock.Instant?
    private var printedLine = false
    private var runsAtLastLine = 0
    private var timer: DispatchSourceTimer?

    /// Creates the progress of the command named `name` (the experiment's name).
    /// - Parameters:
    ///   - write: receives each piece of output (default: standard error).
    public init(style: ProgressStyle, name: String,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.style = style
        self.name = name
        self.write = write
        self.start = ContinuousClock.now
        if case .lines(let interval) = style {
            let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "bench.progress.timer"))
            let every = DispatchTimeInterval.milliseconds(Int((interval.seconds * 1000).rounded()))
            t.schedule(deadline: .now() + every, repeating: every)
            t.setEventHandler { [weak self] in self?.tick() }
            t.resume()
            timer = t
        }
    }

    deinit { timer?.cancel() }

    /// `runs` runs start (the pending runs of this invocation).
    public func beginRuns(total runs: Int) {
        lock.withLock {
            total = runs
            done = 0
            failed = 0
            runsActive = true
            phaseText = nil
            runsAtLastLine = 0
        }
    }

    /// One run finished.
    public func runFinished(failed didFail: Bool) {
        lock.withLock {
            done += 1
            if didFail { failed += 1 }
            switch style {
            case .off: break
            case .bar:
                let now = ContinuousClock.now
                if let last = lastDraw, now - last < .milliseconds(100), done < total { return }
                lastDraw = now
                write("\r\u{1B}[K" + runsText())
            case .lines(let interval):
                let countDue = interval.runs.map { done - runsAtLastLine >= $0 } ?? false
                let lastRun = done == total && printedLine && done > runsAtLastLine
                if countDue || lastRun { line(runsText()) }
            }
        }
    }

    /// The runs are over (their line is cleared on a terminal).
    public func endRuns() {
        lock.withLock {
            runsActive = false
            if case .bar = style, done > 0 { write("\r\u{1B}[K") }
        }
    }

    /// A phase after the runs starts, e.g. "statistics (summary.csv, …)". `.lines` prints it
    /// once the log is active (a line was printed already); the timer repeats it while it lasts.
    public func phase(_ text: String) {
        lock.withLock {
            phaseText = text
            switch style {
            case .off: break
            case .bar: write("\r\u{1B}[K\(name): \(text)…")
            case .lines: if printedLine { line(phaseLineText(text)) }
            }
        }
    }

    /// The command is done: the timer stops and a terminal line is cleared.
    public func finish() {
        timer?.cancel()
        lock.withLock {
            if case .bar = style, phaseText != nil { write("\r\u{1B}[K") }
            phaseText = nil
        }
    }

    private func tick() {
        lock.withLock {
            if runsActive { line(runsText()) } else if let p = phaseText { line(phaseLineText(p)) }
        }
    }

    private func line(_ text: String) {
        printedLine = true
        runsAtLastLine = done
        write(text + "\n")
    }

    private func elapsed() -> Double { SweepRunner.seconds(since: start) }

    private func runsText() -> String {
        let secs = elapsed()
        let eta = done > 0 ? secs / Double(done) * Double(total - done) : 0
        var text = "\(name): \(done)/\(total) runs, \(failed) failed, \(Self.duration(secs)) elapsed"
        if done > 0, done < total { text += ", ETA \(Self.duration(eta))" }
        return text
    }

    private func phaseLineText(_ text: String) -> String {
        "\(name): \(text), \(Self.duration(elapsed())) elapsed"
    }

    /// "1m05s" / "12s" / "2h03m".
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h\(String(format: "%02d", t / 60 % 60))m" }
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
