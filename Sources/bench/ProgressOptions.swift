import ArgumentParser
import Foundation
import Sweep

/// `--progress` of the commands that run or merge a sweep.
enum ProgressMode: String, ChoiceArgument {
    /// A bar on a terminal, lines otherwise.
    case auto
    /// One line redrawn in place.
    case bar
    /// Plain lines for a log file.
    case lines
    /// Nothing.
    case off
    static let noun = "progress mode"
}

/// `--progress-every`: "30" or "30s" (seconds), "2m" (minutes), "100runs" (finished runs), or both
/// joined by a comma ("5m,100runs"). The timed interval defaults to 30 s when only runs are given.
struct ProgressEvery: TypedArgument, Equatable {
    /// The interval.
    var interval: ProgressInterval

    static let allowed = "seconds (30, 30s), minutes (2m), finished runs (100runs), or a time and a count joined by a comma (5m,100runs)"

    static func parse(_ text: String) throws -> ProgressEvery {
        var seconds: Double?
        var runs: Int?
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if part.hasSuffix("runs"), let n = Int(part.dropLast(4)), runs == nil {
                guard n >= 1 else { throw ValidationError("\(SpecText.quoted(part)) is out of range; allowed: \(allowed), between 1 run and 24 hours") }
                runs = n
            } else if seconds == nil, let value = Self.seconds(part) {
                guard value > 0, value <= 86_400 else {
                    throw ValidationError("\(SpecText.quoted(part)) is out of range; allowed: \(allowed), between 1 run and 24 hours")
                }
                seconds = value
            } else {
                throw ValidationError("\(SpecText.quoted(part)) is not an interval; allowed: \(allowed), between 1 run and 24 hours")
            }
        }
        return ProgressEvery(interval: ProgressInterval(seconds: seconds ?? ProgressInterval.standard.seconds, runs: runs))
    }

    /// "30" / "30s" / "2m" in seconds.
    private static func seconds(_ text: String) -> Double? {
        if text.hasSuffix("m"), let m = Double(text.dropLast()), m.isFinite { return m * 60 }
        if text.hasSuffix("s"), let s = Double(text.dropLast()), s.isFinite { return s }
        if let s = Double(text), s.isFinite { return s }
        return nil
    }

    var defaultValueDescription: String { "30s" }
}

/// The progress options shared by `bench sweep`, `bench merge` and `bench paper`.
struct ProgressOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How to show progress on stderr: auto (a bar on a terminal, plain lines otherwise), bar, lines or off.",
                               valueName: "mode"),
            transform: ProgressMode.parse)
    var progress: ProgressMode = .auto

    @Option(help: ArgumentHelp("With plain lines: print one every this long (30s, 2m) and/or after this many finished runs (100runs); "
                               + "phases after the runs (result files, statistics, figures) get a line once the log has one.",
                               valueName: "interval"),
            transform: ProgressEvery.parse)
    var progressEvery: ProgressEvery = ProgressEvery(interval: .standard)

    /// The style for this process: `auto` looks at whether standard error is a terminal.
    var style: ProgressStyle {
        switch progress {
        case .off: return .off
        case .bar: return .bar
        case .lines: return .lines(progressEvery.interval)
        case .auto: return SweepOptions.standardErrorIsTerminal ? .bar : .lines(progressEvery.interval)
        }
    }

    /// A progress reporter for the experiment `name`.
    func reporter(name: String) -> SweepProgress { SweepProgress(style: style, name: name) }
}
