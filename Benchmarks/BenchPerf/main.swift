import AlgorithmCatalog
import AlignmentCore
import Foundation
import StableFloor

// bench-perf: the performance benchmarks of issue 11 (README, "Performance").
//
//   swift run -c release bench-perf [--sections a,b,c,d,e,f,lp] [--quick] [--json FILE]
//        [--experiments DIR] [--repeats N] [--flagship-seeds N] [--bootstrap B]
//        [--large-sizes 256,1024,4096] [--solve-sizes 50,100,200,400] [--regularized-sizes 1600,…,4096]
//        [--lp-sizes 100,…,1000]
//   swift run -c release bench-perf --nashmd-run N K   (one Nash-MD run of K iterations at n = N,
//        for `valgrind --tool=callgrind`: instructions and malloc calls per step, load-independent)
//   swift run -c release bench-perf --plugin-run ID N K   (the same for any plugin, defaults;
//        scripts/allocations-per-iteration.sh counts its heap allocations per iteration)
//   swift run -c release bench-perf --list-plugins   (the catalogue's algorithm ids, one per line)
//
// Every figure is measured within this one run, so ratios compare like with like on the same
// machine state. scripts/bench-peers.sh runs it with a NumPy peer and prints the targets.

/// The command-line options.
struct Options {
    var sections: Set<String> = ["a", "b", "c", "d", "e", "f", "lp"]
    var json: String?
    var experiments = "Experiments"
    var repeats = 3
    var flagshipSeeds = 10
    var bootstrap = 10_000
    var checkpointSeeds = 10
    var checkpointIterations = 1000
    var memoryIterations = 100_000
    var memoryRuns = 64
    var pluginMinimum = 0.2
    var largeSizes = [256, 1024, 4096]
    var solveSizes = [50, 100, 200, 400, 800]
    var regularizedSizes = [1600, 2400, 3200, 4096]
    var lpSizes = [100, 200, 400, 700, 1000]

    static let allSections: Set<String> = ["a", "b", "c", "d", "e", "f", "lp"]

    /// Parses the arguments (after the program name).
    /// - Throws: `BenchPerfError.usage` naming the option, what is wrong and what is allowed.
    init(_ args: [String]) throws {
        var i = 0
        func value(_ name: String) throws -> String {
            guard i + 1 < args.count else { throw BenchPerfError.usage("\(name) needs a value") }
            i += 1
            return args[i]
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws -> Int {
            let s = try value(name)
            guard let v = Int(s), range.contains(v) else {
                throw BenchPerfError.usage("\(name) \(s): not an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        func sizes(_ name: String) throws -> [Int] {
            let s = try value(name)
            let v = s.split(separator: ",").compactMap { Int($0) }
            guard !v.isEmpty, v.count == s.split(separator: ",").count, v.allSatisfy({ (2...8192).contains($0) }) else {
                throw BenchPerfError.usage("\(name) \(s): allowed: comma-separated integers in 2…8192")
            }
            return v
        }
        while i < args.count {
            switch args[i] {
            case "--sections":
                let s = try value("--sections")
                let parts = Set(s.split(separator: ",").map(String.init))
                guard !parts.isEmpty, parts.isSubset(of: Self.allSections) else {
                    throw BenchPerfError.usage("--sections \(s): allowed: a comma-separated subset of a,b,c,d,e,f,lp")
                }
                sections = parts
            case "--json": json = try value("--json")
            case "--experiments": experiments = try value("--experiments")
            case "--repeats": repeats = try integer("--repeats", 1...99)
            case "--flagship-seeds": flagshipSeeds = try integer("--flagship-seeds", 1...10)
            case "--bootstrap": bootstrap = try integer("--bootstrap", 0...100_000)
            case "--large-sizes": largeSizes = try sizes("--large-sizes")
            case "--solve-sizes": solveSizes = try sizes("--solve-sizes")
            case "--regularized-sizes": regularizedSizes = try sizes("--regularized-sizes")
            case "--lp-sizes": lpSizes = try sizes("--lp-sizes")
            case "--quick":
                repeats = 1; flagshipSeeds = 2; bootstrap = 1000; checkpointIterations = 200; memoryIterations = 10_000
                memoryRuns = 8; pluginMinimum = 0.02; largeSizes = [256, 1024]; solveSizes = [25, 50, 100]; regularizedSizes = [400]; lpSizes = [50, 100]
            default:
                throw BenchPerfError.usage("unknown option \(args[i]); allowed: --sections, --quick, --json, --experiments, --repeats, --flagship-seeds, --bootstrap, --large-sizes, --solve-sizes, --regularized-sizes, --lp-sizes; or, alone and first: --plugin-run ID N K, --nashmd-run N K, --list-plugins")
            }
            i += 1
        }
    }
}

/// Runs the selected sections and prints their tables.
func runBenchmarks(_ o: Options) throws {
    let report = Report()
    let formatter = ISO8601DateFormatter()
    report.fact("date", formatter.string(from: Date()))
    report.fact("cpu", Measurement.cpuModel())
    report.fact("cores", "\(ProcessInfo.processInfo.activeProcessorCount)")
    report.fact("load_average_start", Measurement.loadAverage())
    report.fact("libraries", "GSL \(NumericLibraries.gsl), GLPK \(NumericLibraries.glpk), \(NumericLibraries.openblas), \(NumericLibraries.platform)")
    #if DEBUG
    report.fact("build", "debug (figures are not representative: use swift run -c release bench-perf)")
    #else
    report.fact("build", "release")
    #endif
    let s = o.sections
    if s.contains("a") {
        try SweepBenchmarks.checkpointCost(report, seeds: o.checkpointSeeds, iterations: o.checkpointIterations,
                                           repeats: o.repeats, bootstrap: o.bootstrap)
    }
    if s.contains("b") { try AlgorithmBenchmarks.pluginThroughput(report, minimum: o.pluginMinimum) }
    if s.contains("c") {
        try SweepBenchmarks.jobsScaling(report, experiments: URL(fileURLWithPath: o.experiments), seeds: o.flagshipSeeds,
                                        bootstrap: o.bootstrap)
    }
    if s.contains("d") { try AlgorithmBenchmarks.largeGames(report, sizes: o.largeSizes) }
    if s.contains("e") { try GroundTruthBenchmarks.solveTimes(report, sizes: o.solveSizes, regularizedSizes: o.regularizedSizes) }
    if s.contains("lp") { try GroundTruthBenchmarks.lpComparison(report, sizes: o.lpSizes) }
    if s.contains("f") { try MemoryBenchmark.run(report, iterations: o.memoryIterations, manyRuns: o.memoryRuns, bootstrap: o.bootstrap) }
    report.flush()
    report.fact("load_average_end", Measurement.loadAverage())
    if let path = o.json {
        try report.json().write(toFile: path, atomically: true, encoding: .utf8)
    }
}

GSLSetup.configure()
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--memory-child" {
        try MemoryBenchmark.child(Array(arguments.dropFirst()))
    } else if arguments.first == "--nashmd-run" {
        try AlgorithmBenchmarks.nashMDRun(Array(arguments.dropFirst()))
    } else if arguments == ["--list-plugins"] {
        for type in AlgorithmCatalog.all { print(type.descriptor.id) }
    } else if arguments.first == "--plugin-run" {
        try AlgorithmBenchmarks.pluginRun(Array(arguments.dropFirst()))
    } else {
        try runBenchmarks(try Options(arguments))
    }
} catch {
    FileHandle.standardError.write(Data("bench-perf: error: \(error)\n".utf8))
    exit(2)
}
