// swift-tools-version: 6.1
import PackageDescription

/// Algorithm plugins: each is a target at Sources/Algorithms/<Name> with tests at
/// Tests/Algorithms/<Name>Tests. Adding an algorithm = one line here plus one line in
/// Sources/AlgorithmCatalog/AlgorithmCatalog.swift (see docs/PLUGINS.md).
let algorithmPlugins: [String] = [
    "NashMD",
    "OnlineMirrorDescent",
    "Extragradient",
    "MMD",
    "NashEMA",
    "SPPO",
    "RLHFPPO",
    "DPO",
    "ReST",
    "BestOfN",
    "OMWU",
    "MPO",
    "COMAL",
    "SelfPlayPG",
    "DNO",
    "INPO",
]

let package = Package(
    name: "AlignmentBench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bench", targets: ["bench"]),
        .library(name: "AlignmentCore", targets: ["AlignmentCore"]),
        .library(name: "Sweep", targets: ["Sweep"]),
        .library(name: "ResultFiles", targets: ["ResultFiles"]),
        // The performance benchmarks of issue 11 (scripts/bench-peers.sh; README "Performance").
        .executable(name: "bench-perf", targets: ["BenchPerf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // DocC for the plugin API (scripts/docs.sh); only `swift package generate-documentation` uses it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]),
        .systemLibrary(
            name: "CGLPK",
            providers: [.apt(["libglpk-dev"]), .brew(["glpk"])]),
        // BLAS and LAPACK: P·π by dgemv on the algorithms' hot path, the dense LU of the π*_τ
        // Newton solver by dgesv (used single-threaded: the sweep parallelises runs).
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        // The shared floor: stable hashing (FNV-1a, SplitMix64), every seed derivation, GSL set-up
        // and MT19937 seeding — used by AlignmentCore, BenchStatistics and Figures alike.
        .target(name: "StableFloor", dependencies: ["CGSL"]),
        .target(name: "AlignmentCore", dependencies: ["CGSL", "CGLPK", "COpenBLAS", "StableFloor"]),

        // Code fingerprints (issue 9): the plugin hashes every source file at build time into
        // BuildProvenance, which the sweep reads to tell when a journaled run is stale.
        .executableTarget(name: "SourceFingerprintTool", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .plugin(name: "SourceFingerprintPlugin", capability: .buildTool(), dependencies: ["SourceFingerprintTool"]),
        .target(
            name: "BuildProvenance",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            plugins: ["SourceFingerprintPlugin"]),
        .target(name: "Environments", dependencies: ["AlignmentCore", "CGSL", "PreferenceLearning", "ResultFiles"]),  // battles: the Bradley–Terry fitter and the CSV reader
        .target(name: "PreferenceLearning", dependencies: ["AlignmentCore"]),
        .target(name: "AlgorithmTestSupport", dependencies: ["AlignmentCore", "Environments"]),  // shared plugin-test harness
        .target(
            name: "AlgorithmCatalog",
            dependencies: ["AlignmentCore"] + algorithmPlugins.map { .target(name: $0) }),
        .target(name: "BenchStatistics", dependencies: ["CGSL", "StableFloor"]),
        // The result files: schemas, one streaming RFC 4180 reader and writer, atomic writes.
        .target(name: "ResultFiles"),
        .target(name: "Figures", dependencies: ["AlignmentCore", "BenchStatistics", "StableFloor", "ResultFiles"]),  // metric labels from the registry
        .target(
            name: "Sweep",
            dependencies: ["StableFloor", "AlignmentCore", "Environments", "AlgorithmCatalog", "BenchStatistics", "Figures", "BuildProvenance", "ResultFiles"]),
        .executableTarget(
            name: "bench",
            dependencies: ["Sweep", "StableFloor", "AlignmentCore", "Environments", "AlgorithmCatalog", "Figures", "ResultFiles", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .executableTarget(name: "SpecFuzz", dependencies: ["Sweep"]),  // libFuzzer target: scripts/fuzz.sh

        // Benchmarks (issue 11): a plain release executable that prints a table, with the
        // library it compares GLPK against (COIN-OR CLP; no harness target depends on it, so it
        // is in no run fingerprint) and OpenBLAS's dgemv, the reference for the Nash-MD step.
        .systemLibrary(
            name: "CClp", path: "Benchmarks/CClp", pkgConfig: "clp",
            providers: [.apt(["coinor-libclp-dev"]), .brew(["clp"])]),
        .executableTarget(
            name: "BenchPerf",
            dependencies: ["Sweep", "StableFloor", "AlignmentCore", "Environments", "AlgorithmCatalog", "COpenBLAS", "CClp"],
            path: "Benchmarks/BenchPerf"),

        .testTarget(name: "StableFloorTests", dependencies: ["StableFloor"]),
        .testTarget(name: "AlignmentCoreTests", dependencies: ["AlignmentCore", "StableFloor"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments"]),
        .testTarget(name: "PreferenceLearningTests", dependencies: ["PreferenceLearning", "Environments"]),
        .testTarget(name: "AlgorithmCatalogTests", dependencies: ["AlgorithmCatalog", "Environments", "AlgorithmTestSupport"]),
        .testTarget(name: "BenchStatisticsTests", dependencies: ["BenchStatistics"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "AlignmentCore", "StableFloor", "ResultFiles"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "BuildProvenance", "AlgorithmCatalog", "StableFloor", "ResultFiles"]),
        .testTarget(name: "ResultFilesTests", dependencies: ["ResultFiles"]),
        .testTarget(name: "BenchCLITests", dependencies: ["bench", "ResultFiles"]),
        // Copies the package, rebuilds `bench` after editing sources, checks stale-run detection.
        .testTarget(name: "CodeChangeTests"),
    ] + algorithmPlugins.flatMap { name -> [Target] in
        [
            .target(
                name: name,
                dependencies: ["AlignmentCore", "PreferenceLearning"],
                path: "Sources/Algorithms/\(name)"),
            .testTarget(
                name: "\(name)Tests",
                dependencies: [.target(name: name), "Environments", "AlgorithmTestSupport"],
                path: "Tests/Algorithms/\(name)Tests"),
        ]
    },
    swiftLanguageModes: [.v6]
)
