import AlgorithmCatalog
import AlignmentCore
import BuildProvenance
import Foundation
import Testing
@testable import Sweep

/// Code- and data-aware fingerprints (issue 9 §1): the build-time source table is current, every
/// plugin maps to its own target, and a journaled run whose input file, algorithm source, harness
/// source or libraries changed is named as stale (exit class 6) and re-run exactly by `--extend`.
struct FingerprintTests {
    /// The package root (this file is Tests/SweepTests/FingerprintTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every file the build-time table lists for the harness and plugin targets has the SHA-256 that
    /// coreutils' `sha256sum` (an independent implementation) computes from the file on disk now, and
    /// every file on disk under those targets is listed — except documentation catalogs (`*.docc`),
    /// which are never compiled: the generated table is never stale.
    @Test(arguments: CodeFingerprints.harnessTargets + ["PreferenceLearning", "AlgorithmCatalog"] + AlgorithmCatalog.all.map { CompiledSources.module(of: $0) })
    func generatedTableMatchesTheFilesOnDisk(target: String) throws {
        let entry = try #require(CompiledSources.targets[target], "no build-time entry for target \(target)")
        let dir = Self.root.appendingPathComponent(entry.directory)
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && !$0.split(separator: "/").contains { $0.hasSuffix(".docc") }
        }.map { entry.directory + "/" + $0 }.sorted()
        #expect(entry.files.map(\.0) == onDisk)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum"] + entry.files.map(\.0)
        p.currentDirectoryURL = Self.root
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let expected = text.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[1].drop { $0 == " " || $0 == "*" }), String(parts[0]))
        }
        #expect(entry.files.map { "\($0.0) \($0.1)" } == expected.map { "\($0.0) \($0.1)" })
    }

    /// Documentation catalogs are never compiled, so they are not fingerprinted: editing a DocC
    /// article never makes a result stale. (AlignmentCore and Figures carry one each.)
    @Test(arguments: ["AlignmentCore", "Figures"])
    func documentationCatalogsAreNotFingerprinted(target: String) throws {
        let entry = try #require(CompiledSources.targets[target])
        let catalog = Self.root.appendingPathComponent(entry.directory).appendingPathComponent("\(target).docc")
        let articles = try FileManager.default.contentsOfDirectory(atPath: catalog.path).filter { $0.hasSuffix(".md") }
        #expect(articles.count >= 2, "\(catalog.path) should hold the landing page and at least one article")
        #expect(!entry.files.contains { $0.0.contains(".docc/") })
        #expect(entry.files.contains { $0.0.hasSuffix(".swift") })
    }

    /// Each catalogue plugin is its own target under Sources/Algorithms, and its code fingerprint
    /// covers that target plus the package targets it uses outside the harness — nothing else.
    @Test(arguments: AlgorithmCatalog.all.map { $0.descriptor.id })
    func everyPluginHasItsOwnCodeFingerprint(id: String) throws {
        let type = try #require(AlgorithmCatalog.algorithm(id: id))
        let module = CompiledSources.module(of: type)
        #expect(CompiledSources.targets[module]?.directory == "Sources/Algorithms/\(module)")
        let targets = CodeFingerprints.algorithmTargets(type)
        #expect(targets.contains(module))
        #expect(Set(targets).isDisjoint(with: CodeFingerprints.harnessTargets))
        #expect(targets == [module], "\(targets)")
        #expect(CodeFingerprints.algorithm(type).count == 16)
        // Two different plugins never share a fingerprint (their own files differ).
        for other in AlgorithmCatalog.all where CompiledSources.module(of: other) != module {
            #expect(CodeFingerprints.algorithmFull(other) != CodeFingerprints.algorithmFull(type))
        }
    }

    /// The harness is every target a problem, a solver or a metric can run — the package graph's
    /// closure of AlignmentCore and Environments — with BuildProvenance and Sweep: the C shims
    /// (GSL, GLPK, OpenBLAS), StableFloor, and the Bradley–Terry fitter and CSV reader the `battles`
    /// environment reads votes with. Plugins, statistics and figures are not in it.
    @Test func harnessIsTheClosureOfWhatARunExecutes() {
        #expect(CodeFingerprints.harnessTargets == ["AlignmentCore", "BuildProvenance", "CGLPK", "CGSL", "COpenBLAS", "Environments",
                                                    "PreferenceLearning", "ResultFiles", "StableFloor", "Sweep"])
        #expect(Set(CodeFingerprints.harnessTargets).isDisjoint(with: ["AlgorithmCatalog", "BenchStatistics", "Figures", "bench"]))
    }

    /// The harness fingerprint leaves out exactly the store and analysis folders.
    @Test func harnessLeavesOutStoreAndAnalysis() throws {
        let sweep = try #require(CompiledSources.targets["Sweep"])
        let covered = sweep.files.map(\.0).filter { p in !CodeFingerprints.harnessExcludedPaths.contains { p.hasPrefix($0) } }
        #expect(covered.contains("Sources/Sweep/Execution/RunExecutor.swift"))
        #expect(covered.contains("Sources/Sweep/Planning/GridExpansion.swift"))
        #expect(!covered.contains { $0.hasPrefix("Sources/Sweep/Store/") || $0.hasPrefix("Sources/Sweep/Analysis/") })
        // Leaving out a covered file changes the fingerprint; leaving out an excluded one does not.
        let all = CompiledSources.fingerprint(ofTargets: CodeFingerprints.harnessTargets, excludingPaths: CodeFingerprints.harnessExcludedPaths)
        #expect(CompiledSources.fingerprint(ofTargets: CodeFingerprints.harnessTargets,
                                            excludingPaths: CodeFingerprints.harnessExcludedPaths + ["Sources/Sweep/Execution/RunExecutor.swift"]) != all)
        #expect(CompiledSources.fingerprint(ofTargets: CodeFingerprints.harnessTargets,
                                            excludingPaths: CodeFingerprints.harnessExcludedPaths + ["Sources/Sweep/Store/Journal.swift"]) == all)
    }

    /// SHA-256 through swift-crypto agrees with coreutils' `sha256sum` (values below printed by
    /// `printf 'a 1\nb 2\n' | sha256sum` etc.) and FIPS 180-2's "abc" vector.
    @Test func combinedDigestIsSHA256OfTheSortedLines() {
        // printf 'a 1\nb 2\n' | sha256sum
        #expect(CompiledSources.sha256Hex("a 1\nb 2\n") == "2951835de33689a441bfa61bc7af99b1f0305ca8ec0ab4dd508f14f57b27ca23")
        #expect(CompiledSources.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(CompiledSources.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
