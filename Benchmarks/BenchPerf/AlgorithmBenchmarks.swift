import AlgorithmCatalog
import AlignmentCore
import COpenBLAS
import Environments
import Foundation

/// Benchmarks of the algorithms on their own, driven through `RunDriver` with exact feedback and
/// nothing recorded but the checkpoints a run always has (0 and the last): iterations/s per plugin
/// (b) and one Nash-MD step against one BLAS dgemv at large n (d).
enum AlgorithmBenchmarks {
    /// A random game of n responses in one context (P_ij ~ U(0, 1) for i > j, P_ji = 1 − P_ij)
    /// with a softmax-normal μ (scale 1). Up to 1000 responses it is the `random` environment's
    /// game; above it the same law drawn from the same generator directly (the environment's cap
    /// was 1000 when these figures were first measured; keeping the rule keeps the games).
    static func randomGame(actions n: Int, seed: UInt64) throws -> Problem {
        let preference: PreferenceMatrix
        if n <= 1000 {
            let truth = try RandomEnvironment.make(["actions": .number(Double(n))]).groundTruth(contexts: 1, seed: seed)
            preference = truth.preferences[0]
        } else {
            let rng = RandomSource(seed: seed)
            preference = try PreferenceMatrix.fromUpperTriangle(size: n) { _, _ in rng.uniform() }
        }
        let mu = try ReferencePolicy.softmaxNormal(scale: 1, seed: seed &+ 1).make(contexts: 1, actions: n)
        return try Problem(preferences: [preference], reference: mu, isTransitive: false)
    }

    /// Seconds for one run of `plugin` on `problem` with `iterations` iterations, exact feedback,
    /// recording only iterations 0 and the last (the recorder does nothing).
    static func runSeconds(_ plugin: some Algorithm, problem: Problem, iterations: Int, seed: UInt64 = 1) throws -> Double {
        let context = RunDriver.context(problem: problem, mode: .exact, queryBudget: nil, labelNoise: 0, seed: seed,
                                        iterations: iterations, recordEvery: max(1, iterations), recorder: { _ in })
        return try Measurement.seconds { _ = try RunDriver.run(plugin, in: context) }
    }

    /// Seconds per iteration of `plugin`: k doubled from 4 until a run takes ≥ `minimum` seconds
    /// (at most 2²⁰ iterations), then (T(2k) − T(k)) / k, so the set-up of a run (oracle, fitted
    /// models) cancels out. nil when a run's time does not grow with its iterations (T(2k) − T(k)
    /// below 5 % of T(k): the plugin's work is not per iteration), with the time of one run.
    static func secondsPerIteration(_ plugin: some Algorithm, problem: Problem, minimum: Double)
        throws -> (perIteration: Double?, iterations: Int, runSeconds: Double) {
        var k = 4
        while try runSeconds(plugin, problem: problem, iterations: k) < minimum && k < 1 << 20 { k *= 2 }
        let a = try runSeconds(plugin, problem: problem, iterations: k)
        let b = try runSeconds(plugin, problem: problem, iterations: 2 * k)
        return (b - a > 0.05 * a ? (b - a) / Double(k) : nil, 2 * k, b)
    }

    /// (b) Iterations/s of every plugin in `AlgorithmCatalog` with its default hyperparameters on a
    /// random 10-action game, exact feedback, unrecorded.
    static func pluginThroughput(_ report: Report, minimum: Double) throws {
        report.begin("(b) algorithm iterations/s per plugin — defaults, exact feedback, random 10-action game, unrecorded (RunDriver)")
        let problem = try randomGame(actions: 10, seed: 7)
        for type in AlgorithmCatalog.all {
            let id = type.descriptor.id
            let plugin = try type.make([:])
            if let why = plugin.refusal(feedback: .exact) {
                report.note("\(id): not run in exact feedback (\(why))")
                continue
            }
            let m = try secondsPerIteration(plugin, problem: problem, minimum: minimum)
            if let per = m.perIteration {
                report.figure("b.\(id).iterations_per_second", id, 1 / per, unit: "it/s",
                              note: String(format: "%.3g µs/iteration (slope between %d and %d iterations)", per * 1e6, m.iterations / 2, m.iterations))
            } else {
                report.figure("b.\(id).run_ms", id + " (time per run)", m.runSeconds * 1e3, unit: "ms",
                              note: "a run's time does not grow with its iterations (\(m.iterations / 2) vs \(m.iterations))")
            }
        }
    }

    /// Median seconds of one BLAS dgemv y = P q with `threads` OpenBLAS threads. P is stored
    /// row-major, i.e. Pᵀ column-major, so the Fortran call multiplies by the transpose ("T").
    /// Restores the one thread the harness runs OpenBLAS with (`DenseLinearAlgebra`) afterwards.
    static func dgemvSeconds(_ p: PreferenceMatrix, threads: Int32, repeats: Int) -> Double {
        openblas_set_num_threads(threads)
        defer { openblas_set_num_threads(1) }
        var n = Int32(p.size), one: Int32 = 1, alpha = 1.0, beta = 0.0
        var trans = CChar(UInt8(ascii: "T"))
        let q = [Double](repeating: 1 / Double(p.size), count: p.size)
        var y = [Double](repeating: 0, count: p.size)
        var times: [Double] = []
        p.entries.withUnsafeBufferPointer { a in
            for _ in 0..<repeats {
                times.append(Measurement.seconds {
                    dgemv_(&trans, &n, &n, &alpha, a.baseAddress, &n, q, &one, &beta, &y, &one)
                })
            }
        }
        return Measurement.median(times)
    }

    /// `--nashmd-run N K`: one Nash-MD run (τ = η = 0.1, exact feedback, recorded at 0 and K
    /// only) of K iterations on the (d) game of N responses, for a profiler: the difference of two
    /// K's under `valgrind --tool=callgrind` is the instructions (and `malloc` calls) of K₂ − K₁
    /// steps, independent of the machine's load.
    static func nashMDRun(_ args: [String]) throws {
        guard args.count == 2 else {
            throw BenchPerfError.usage("--nashmd-run N K: expected 2 arguments, got \(args.count); N an integer in 2…8192, K a positive integer")
        }
        try pluginRun(["nash-md"] + args, parameters: ["tau": .number(0.1), "eta": .number(0.1)], option: "--nashmd-run N K")
    }

    /// `--plugin-run ID N K`: one run of the catalogue's plugin ID with its default
    /// hyperparameters (exact feedback, recorded at 0 and K only) of K iterations on the (d) game
    /// of N responses, for `valgrind`: under `--tool=memcheck` the difference of the heap
    /// allocations of two K's is the allocations of K₂ − K₁ iterations
    /// (`scripts/allocations-per-iteration.sh`).
    /// - Throws: `BenchPerfError.usage` for an unknown ID, N outside 2…8192 or K < 1.
    static func pluginRun(_ args: [String], parameters: [String: ParameterValue] = [:], option: String = "--plugin-run ID N K") throws {
        guard args.count == 3 else {
            throw BenchPerfError.usage("\(option): expected 3 arguments, got \(args.count); ID one of the catalogue's algorithms, N an integer in 2…8192, K a positive integer")
        }
        guard let n = Int(args[1]), (2...8192).contains(n) else {
            throw BenchPerfError.usage("\(option): N is \"\(args[1])\"; allowed: an integer in 2…8192")
        }
        guard let k = Int(args[2]), k >= 1 else {
            throw BenchPerfError.usage("\(option): K is \"\(args[2])\"; allowed: a positive integer")
        }
        guard let type = AlgorithmCatalog.algorithm(id: args[0]) else {
            throw BenchPerfError.usage("\(option): unknown algorithm \"\(args[0])\" (allowed: \(AlgorithmCatalog.all.map { $0.descriptor.id }.joined(separator: ", ")))")
        }
        let plugin = try type.make(parameters)
        if let why = plugin.refusal(feedback: .exact) {
            throw BenchPerfError.usage("\(option): \(args[0]) does not run in exact feedback (\(why))")
        }
        let problem = try randomGame(actions: n, seed: 11)
        let seconds = try runSeconds(plugin, problem: problem, iterations: k)
        print("\(args[0]), " + String(format: "n = %d, %d iterations: %.6f s", n, k, seconds))
    }

    /// (d) One Nash-MD step (exact feedback, through RunDriver: (T(K) − T(1)) / (K − 1), median of
    /// three) against one dgemv with the same n×n matrix, at each n of `sizes`.
    static func largeGames(_ report: Report, sizes: [Int]) throws {
        report.begin("(d) large n — one Nash-MD step (exact, τ = 0.1, η = 0.1) vs one OpenBLAS dgemv with the same matrix")
        report.fact("dgemv_library", Measurement.library(ofSymbol: "dgemv_"))
        if let config = openblas_get_config() { report.fact("openblas", String(cString: config)) }
        guard let type = AlgorithmCatalog.algorithm(id: "nash-md") else { throw BenchPerfError.measurement("nash-md is not in the catalogue") }
        let nashMD = try type.make(["tau": .number(0.1), "eta": .number(0.1)])
        for n in sizes {
            let problem = try randomGame(actions: n, seed: 11)
            let k = max(5, Int(2e8 / Double(n * n)))   // about 2·10⁸ multiply-adds per run
            var steps: [Double] = []
            for _ in 0..<3 {
                let tk = try runSeconds(nashMD, problem: problem, iterations: k)
                let t1 = try runSeconds(nashMD, problem: problem, iterations: 1)
                steps.append(max(tk - t1, 0) / Double(k - 1))
            }
            let step = Measurement.median(steps)
            // The same slope and dgemv in CPU time of this thread (OpenBLAS on 1 thread computes in
            // the caller), for a machine shared with other work.
            var cpuSteps: [Double] = []
            for _ in 0..<3 {
                let c0 = Measurement.threadCPU()
                _ = try runSeconds(nashMD, problem: problem, iterations: k)
                let c1 = Measurement.threadCPU()
                _ = try runSeconds(nashMD, problem: problem, iterations: 1)
                let c2 = Measurement.threadCPU()
                cpuSteps.append(max((c1 - c0) - (c2 - c1), 0) / Double(k - 1))
            }
            let cpuStep = Measurement.median(cpuSteps)
            let cpuRepeats = max(20, Int(4e8 / Double(n * n)))
            let c0 = Measurement.threadCPU()
            _ = dgemvSeconds(problem.preferences[0], threads: 1, repeats: cpuRepeats)
            let cpuGemv = (Measurement.threadCPU() - c0) / Double(cpuRepeats)
            // The same step with OpenBLAS on 2 threads (the harness pins it to 1: the sweep runs one
            // run per core), to document that choice.
            openblas_set_num_threads(2)
            var steps2: [Double] = []
            for _ in 0..<3 {
                let tk = try runSeconds(nashMD, problem: problem, iterations: k)
                let t1 = try runSeconds(nashMD, problem: problem, iterations: 1)
                steps2.append(max(tk - t1, 0) / Double(k - 1))
            }
            openblas_set_num_threads(1)
            let step2 = Measurement.median(steps2)
            let p = problem.preferences[0]
            let repeats = max(20, Int(4e8 / Double(n * n)))
            let gemv1 = dgemvSeconds(p, threads: 1, repeats: repeats)
            let gemv2 = dgemvSeconds(p, threads: 2, repeats: repeats)
            let q = [Double](repeating: 1 / Double(n), count: n)
            let times = Measurement.median((0..<max(3, repeats / 10)).map { _ in Measurement.seconds { _ = p.times(q) } })
            report.figure("d.n\(n).nashmd_step_ms", "n = \(n): Nash-MD step", step * 1e3, unit: "ms", note: "slope between 1 and \(k) iterations")
            report.figure("d.n\(n).nashmd_step_2threads_ms", "n = \(n): Nash-MD step, OpenBLAS on 2 threads", step2 * 1e3, unit: "ms")
            report.figure("d.n\(n).dgemv1_ms", "n = \(n): dgemv, 1 thread", gemv1 * 1e3, unit: "ms")
            report.figure("d.n\(n).dgemv2_ms", "n = \(n): dgemv, 2 threads", gemv2 * 1e3, unit: "ms")
            report.figure("d.n\(n).times_ms", "n = \(n): PreferenceMatrix.times (the harness's P·q, OpenBLAS dgemv, 1 thread)", times * 1e3, unit: "ms")
            report.figure("d.n\(n).step_over_dgemv1", "n = \(n): step / dgemv (1 thread)", step / gemv1, unit: "×", note: "target 3: ≤ 1.25×")
            report.figure("d.n\(n).cpu_step_over_dgemv1", "n = \(n): step / dgemv in thread CPU time (\(String(format: "%.3g", cpuStep * 1e3)) vs \(String(format: "%.3g", cpuGemv * 1e3)) ms)",
                          cpuStep / cpuGemv, unit: "×", note: "the same ratio, less sensitive to other processes")
        }
    }
}
