import Foundation
import StableFloor
import Sweep

/// (f) Memory: peak RSS of a sweep, measured in a fresh child process of this executable so the
/// other benchmarks' allocations do not count. The peak is the child's VmHWM (/proc/self/status):
/// getrusage's ru_maxrss survives execve on Linux and would report the parent's peak when the
/// parent is larger (measured: 312 MB for every child after section (d)).
enum MemoryBenchmark {
    /// What a child sweep reports on its one line of output.
    struct ChildResult {
        var baselineRSS: Double
        var peakRSS: Double
        var seconds: Double
        var checkpoints: Double
        var runs: Double
        var files: [String: Double]
    }

    /// The files whose sizes are reported.
    static let files = ["curves.csv", "curve_summary.csv", "journal.jsonl", "runs.csv", "summary.csv"]

    /// The child's side (`bench-perf --memory-child ITERATIONS RECORD_EVERY SEEDS BOOTSTRAP`): runs
    /// the Nash-MD spec through the sweep and prints "key=value" pairs on one line.
    static func child(_ args: [String]) throws {
        guard args.count == 4, let iterations = Int(args[0]), let every = Int(args[1]), let seeds = Int(args[2]),
              let bootstrap = Int(args[3]) else {
            throw BenchPerfError.usage("--memory-child ITERATIONS RECORD_EVERY SEEDS BOOTSTRAP (four integers)")
        }
        let text = SweepBenchmarks.nashMDSpec(name: "perf-memory", iterations: iterations, seeds: seeds, recordEvery: every)
        _ = try ExperimentSpec.parse(text, file: "warm-up")   // catalogues and GSL loaded before the baseline
        let baseline = Measurement.currentRSS() ?? Measurement.peakRSS()
        let s = try SweepBenchmarks.sweep(text, jobs: 1, bootstrap: bootstrap)
        defer { try? FileManager.default.removeItem(at: s.directory) }
        let perRun = iterations / every + 1 + (iterations % every == 0 ? 0 : 1)   // 0, every k·every, the last
        var line = "baseline=\(baseline) peak=\(Measurement.peakRSSOfImage()) rusage_peak=\(Measurement.peakRSS()) seconds=\(s.seconds) runs=\(s.report.planned) checkpoints=\(perRun * seeds)"
        for f in files { line += " \(f)=\(Measurement.fileSize(s.directory.appendingPathComponent(f)))" }
        print(line)
    }

    /// Runs a child and parses its line.
    static func runChild(iterations: Int, recordEvery: Int, seeds: Int, bootstrap: Int) throws -> ChildResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = ["--memory-child", "\(iterations)", "\(recordEvery)", "\(seeds)", "\(bootstrap)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        let data = try ChildProcess.run(p) { pipe.fileHandleForReading.readDataToEndOfFile() }
        let text = String(decoding: data, as: UTF8.self)
        var values: [String: Double] = [:]
        for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let v = Double(kv[1]) { values[String(kv[0])] = v }
        }
        guard p.terminationStatus == 0, let base = values["baseline"], let peak = values["peak"], let secs = values["seconds"],
              let cps = values["checkpoints"], let runs = values["runs"] else {
            throw BenchPerfError.measurement("the memory child exited with \(p.terminationStatus) and printed \(text.debugDescription)")
        }
        return ChildResult(baselineRSS: base, peakRSS: peak, seconds: secs, checkpoints: cps, runs: runs,
                           files: Dictionary(uniqueKeysWithValues: files.map { ($0, values[$0] ?? 0) }))
    }

    /// (f) One run of `iterations` iterations recorded every 2 (peak RSS, per checkpoint, result
    /// file sizes) and the growth of peak RSS per checkpoint against a run of half as many; the
    /// growth of peak RSS per run over 1, `manyRuns` and 4·`manyRuns` short runs on per-run
    /// environments (the slope between the last two is the growth; 1 → `manyRuns` also holds what
    /// a sweep of several runs sets up once).
    static func run(_ report: Report, iterations: Int, manyRuns: Int, bootstrap: Int) throws {
        report.begin("(f) memory — peak RSS (VmHWM) of a fresh child process running one sweep, --jobs 1")
        do {
            _ = try ExperimentSpec.parse(SweepBenchmarks.nashMDSpec(name: "perf-limit", iterations: 100_000, seeds: 1, recordEvery: 1),
                                         file: "record_every 1 at 100,000 iterations")
            report.figure("f.record_every_1_accepted", "100,000 iterations with record_every 1 accepted (1 = yes)", 1, unit: "")
        } catch {
            report.figure("f.record_every_1_accepted", "100,000 iterations with record_every 1 accepted (1 = yes)", 0, unit: "",
                          note: "refused: \(error)")
        }
        let big = try runChild(iterations: iterations, recordEvery: 2, seeds: 1, bootstrap: bootstrap)
        let mb = 1e6
        report.figure("f.long_peak_rss_mb", "\(iterations) iterations recorded every 2: peak RSS", big.peakRSS / mb, unit: "MB",
                      note: "\(Int(big.checkpoints)) checkpoints")
        report.figure("f.long_baseline_rss_mb", "RSS before the sweep (spec parsed)", big.baselineRSS / mb, unit: "MB")
        report.figure("f.long_bytes_per_checkpoint", "(peak − before) per checkpoint", (big.peakRSS - big.baselineRSS) / big.checkpoints,
                      unit: "B", note: "an average, not a growth: the sweep's own working set over the checkpoints")
        // Growth: the slope of peak RSS between half the run and the whole run.
        let half = try runChild(iterations: iterations / 2, recordEvery: 2, seeds: 1, bootstrap: bootstrap)
        report.figure("f.half_peak_rss_mb", "\(iterations / 2) iterations recorded every 2: peak RSS", half.peakRSS / mb, unit: "MB",
                      note: "\(Int(half.checkpoints)) checkpoints")
        report.figure("f.growth_bytes_per_checkpoint", "growth of peak RSS per checkpoint (half run → whole run)",
                      (big.peakRSS - half.peakRSS) / (big.checkpoints - half.checkpoints),
                      unit: "B", note: "target 2: does not grow with checkpoints")
        report.figure("f.long_seconds", "sweep wall clock", big.seconds, unit: "s")
        for f in files {
            report.figure("f.long_\(f)_mb", "  \(f)", (big.files[f] ?? 0) / mb, unit: "MB")
        }
        let one = try runChild(iterations: 1000, recordEvery: 1000, seeds: 1, bootstrap: bootstrap)
        let many = try runChild(iterations: 1000, recordEvery: 1000, seeds: manyRuns, bootstrap: bootstrap)
        report.figure("f.runs1_peak_rss_mb", "1 run (1000 iterations, recorded once): peak RSS", one.peakRSS / mb, unit: "MB")
        report.figure("f.runsN_peak_rss_mb", "\(manyRuns) runs on per-run environments: peak RSS", many.peakRSS / mb, unit: "MB")
        report.figure("f.bytes_per_run", "growth of peak RSS per run (1 run → \(manyRuns))", (many.peakRSS - one.peakRSS) / Double(manyRuns - 1),
                      unit: "B", note: "includes what a sweep of more than one run sets up once (the statistics' tables)")
        let more = try runChild(iterations: 1000, recordEvery: 1000, seeds: 4 * manyRuns, bootstrap: bootstrap)
        report.figure("f.runs4N_peak_rss_mb", "\(4 * manyRuns) runs on per-run environments: peak RSS", more.peakRSS / mb, unit: "MB")
        report.figure("f.growth_bytes_per_run", "growth of peak RSS per run (\(manyRuns) → \(4 * manyRuns) runs)",
                      (more.peakRSS - many.peakRSS) / Double(3 * manyRuns), unit: "B", note: "target 2: does not grow with runs")
    }
}
