import Foundation
import Sweep

/// Benchmarks that go end to end through the real sweep (`ExperimentSpec.parse` →
/// `SweepRunner.run`: metrics, journal, every CSV, curve summaries) into a temporary results
/// directory: the harness cost per recorded checkpoint (a) and the sweep's scaling with --jobs (c).
enum SweepBenchmarks {
    /// The spec of (a) and (f): Nash-MD (τ = 0.1, η = 0.1), exact feedback, random games of
    /// `actions` responses drawn per replicate, every metric (no `tau` key: each run is measured
    /// at its own τ, so all seven metrics are computed).
    static func nashMDSpec(name: String, actions: Int = 10, iterations: Int, seeds: Int, recordEvery: Int,
                           perRun: Bool = true) -> String {
        """
        {"name": "\(name)",
         "environments": [{"id": "random\(actions)", "kind": "random", "actions": \(actions)\(perRun ? ", \"seed\": \"per-run\"" : "")}],
         "feedback": "exact", "budget": {"iterations": \(iterations)}, "seeds": \(seeds), "seed": 0,
         "record_every": \(recordEvery),
         "algorithms": [{"id": "nash-md", "params": {"tau": 0.1, "eta": 0.1}}]}
        """
    }

    /// Runs `specText` through the sweep into a fresh temporary directory, returns the wall-clock
    /// seconds of `SweepRunner.run` and the directory (the caller removes it).
    /// - Throws: spec errors, sweep errors, or `measurement` when a run failed.
    static func sweep(_ specText: String, jobs: Int, bootstrap: Int) throws -> (seconds: Double, directory: URL, report: SweepReport) {
        let spec = try ExperimentSpec.parse(specText, file: "bench-perf spec")
        let dir = try Measurement.temporaryDirectory("bench-perf")
        let options = SweepOptions(jobs: jobs, resultsDirectory: dir, bootstrapSamples: bootstrap)  // progress nil: none
        var report: SweepReport?
        let t = try Measurement.seconds { report = try SweepRunner.run(spec, options: options) }
        guard let r = report, r.failed == 0, r.executed == r.planned else {
            throw BenchPerfError.measurement("the sweep of \(spec.name) had failed or unexecuted runs (\(String(describing: report)))")
        }
        return (t, dir, r)
    }

    /// The median over `repeats` sweeps of `specText`, each into a fresh directory.
    static func medianSweep(_ specText: String, jobs: Int, bootstrap: Int, repeats: Int) throws -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            let s = try sweep(specText, jobs: jobs, bootstrap: bootstrap)
            times.append(s.seconds)
            try? FileManager.default.removeItem(at: s.directory)
        }
        return Measurement.median(times)
    }

    /// (a) Harness cost per recorded checkpoint: `seeds` random 10-action games × `iterations`
    /// Nash-MD iterations, every metric recorded every iteration, against the same runs recorded
    /// once (checkpoints 0 and the last), end to end through the sweep with --jobs 1.
    static func checkpointCost(_ report: Report, seeds: Int, iterations: Int, repeats: Int, bootstrap: Int) throws {
        report.begin("(a) harness cost per recorded checkpoint — nash-md, exact, \(seeds) random 10-action games × \(iterations) iterations, sweep --jobs 1, B = \(bootstrap)")
        let every = nashMDSpec(name: "perf-every", iterations: iterations, seeds: seeds, recordEvery: 1)
        let once = nashMDSpec(name: "perf-once", iterations: iterations, seeds: seeds, recordEvery: iterations)
        let tEvery = try medianSweep(every, jobs: 1, bootstrap: bootstrap, repeats: repeats)
        let tOnce = try medianSweep(once, jobs: 1, bootstrap: bootstrap, repeats: repeats)
        let cpEvery = Double(seeds * (iterations + 1)), cpOnce = Double(seeds * 2)
        let totalIterations = Double(seeds * iterations)
        report.figure("a.every_seconds", "record_every 1: sweep wall clock", tEvery, unit: "s", note: "\(Int(cpEvery)) checkpoints, median of \(repeats)")
        report.figure("a.once_seconds", "recorded once: sweep wall clock", tOnce, unit: "s", note: "\(Int(cpOnce)) checkpoints")
        report.figure("a.amortised_us_per_checkpoint", "amortised per checkpoint (every / checkpoints)", tEvery / cpEvery * 1e6, unit: "µs",
                      note: "target 1: ≤ 3 µs")
        report.figure("a.marginal_us_per_checkpoint", "marginal per checkpoint ((every − once) / Δcheckpoints)",
                      (tEvery - tOnce) / (cpEvery - cpOnce) * 1e6, unit: "µs")
        report.figure("a.every_iterations_per_second", "iterations/s, every metric every iteration", totalIterations / tEvery, unit: "it/s",
                      note: "compared with the NumPy peer by scripts/bench-peers.sh")
        report.figure("a.once_iterations_per_second", "iterations/s, recorded once", totalIterations / tOnce, unit: "it/s")
        report.figure("a.ratio_every_over_once", "ratio every / once (wall clock)", tEvery / tOnce, unit: "×")
    }

    /// The flagship spec (`Experiments/intransitive.json`) with `seeds` seeds and its own name.
    static func flagshipSpec(experiments: URL, seeds: Int) throws -> String {
        let url = experiments.appendingPathComponent("intransitive.json")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw BenchPerfError.usage("--experiments: cannot read \(url.path); allowed: the Experiments folder of the package")
        }
        guard case let .object(members) = try JSONParser.parse(text, file: url.path) else {
            throw BenchPerfError.measurement("\(url.path) is not a JSON object")
        }
        let edited = members.map { m -> JSONMember in
            switch m.key {
            case "seeds": return JSONMember("seeds", .integer(seeds))
            case "name": return JSONMember("name", .string("perf-flagship"))
            case "figures": return JSONMember("figures", .array([]))
            default: return m
            }
        }
        return JSONValue.object(edited).compactText
    }

    /// (c) Sweep scaling: the flagship experiment with `seeds` seeds (10, its own, by default), --jobs 1 and --jobs 2, one
    /// sweep each into a fresh directory; the ratio of their throughputs.
    static func jobsScaling(_ report: Report, experiments: URL, seeds: Int, bootstrap: Int) throws {
        report.begin("(c) sweep scaling — the flagship experiment (Experiments/intransitive.json) with \(seeds) seeds, B = \(bootstrap)")
        let text = try flagshipSpec(experiments: experiments, seeds: seeds)
        report.note("load average before: \(Measurement.loadAverage())")
        let one = try sweep(text, jobs: 1, bootstrap: bootstrap)
        try? FileManager.default.removeItem(at: one.directory)
        let two = try sweep(text, jobs: 2, bootstrap: bootstrap)
        try? FileManager.default.removeItem(at: two.directory)
        report.note("load average after: \(Measurement.loadAverage())")
        let runs = Double(one.report.planned)
        report.figure("c.runs", "runs", runs, unit: "", digits: 4)
        report.figure("c.jobs1_seconds", "--jobs 1 wall clock", one.seconds, unit: "s")
        report.figure("c.jobs2_seconds", "--jobs 2 wall clock", two.seconds, unit: "s")
        report.figure("c.jobs1_runs_per_second", "--jobs 1 throughput", runs / one.seconds, unit: "runs/s")
        report.figure("c.jobs2_runs_per_second", "--jobs 2 throughput", runs / two.seconds, unit: "runs/s")
        report.figure("c.speedup", "throughput ratio --jobs 2 / --jobs 1", one.seconds / two.seconds, unit: "×", note: "target 4: ≥ 1.85×")
    }
}
