import AlignmentCore
import BuildProvenance

/// The code parts of run fingerprints, computed from the source hashes generated at build time
/// (`CompiledSources`, SourceFingerprintPlugin): nothing to bump by hand.
///
/// - The **harness** is the code that builds environments, computes the metrics and reference
///   solutions and records a run: the targets `harnessTargets` without the sweep's `Store/`
///   (journal, lock, result files, manifest, scheduling) and `Analysis/` (statistics) folders,
///   which are recomputed or rewritten from the records at every invocation and cannot change a
///   journaled run; plus the list of metric ids.
/// - An **algorithm** is its plugin target and every package target it depends on that the harness
///   does not cover.
/// - The **libraries** are the versions of GSL, GLPK and the C library with the processor.
///
/// `Package.swift` itself is not part of any fingerprint: it sets no flag that changes arithmetic.
public enum CodeFingerprints {
    /// The package targets whose sources make up the harness: every target AlignmentCore and
    /// Environments depend on, transitively (`CompiledSources.closure`, read from the package
    /// graph, so a new dependency — the OpenBLAS shim, the Bradley–Terry fitter and CSV reader the
    /// `battles` environment uses — is covered without editing a list), plus BuildProvenance and
    /// Sweep itself (not Sweep's own dependencies: the plugins are fingerprinted per algorithm,
    /// and statistics and figures cannot change a journaled run). Sorted.
    public static let harnessTargets: [String] = Array(Set(CompiledSources.closure(of: "AlignmentCore")
        + CompiledSources.closure(of: "Environments") + ["BuildProvenance", "Sweep"])).sorted()
    /// Paths inside the harness targets that cannot change a journaled run.
    public static let harnessExcludedPaths = ["Sources/Sweep/Store/", "Sources/Sweep/Analysis/"]

    /// SHA-256 (64 hex digits) of the harness sources and the metric ids.
    public static let harnessFull: String = CompiledSources.sha256Hex(
        CompiledSources.fingerprint(ofTargets: harnessTargets, excludingPaths: harnessExcludedPaths)
            + " metrics " + Metric.ids.joined(separator: ","))

    /// The harness part of run fingerprints (16 hex digits of `harnessFull`).
    public static var harness: String { String(harnessFull.prefix(16)) }

    /// "GSL <v>, GLPK <v>, <OpenBLAS configuration>, <libc> <arch>".
    public static let librariesDescription = "GSL \(NumericLibraries.gsl), GLPK \(NumericLibraries.glpk), \(NumericLibraries.openblas), \(NumericLibraries.platform)"

    /// The libraries part of run fingerprints (16 hex digits of SHA-256 of `librariesDescription`).
    public static let libraries: String = String(CompiledSources.sha256Hex(librariesDescription).prefix(16))

    /// The package targets whose sources make up `type`'s algorithm fingerprint.
    public static func algorithmTargets(_ type: any Algorithm.Type) -> [String] {
        CompiledSources.closure(of: CompiledSources.module(of: type), excluding: Set(harnessTargets))
    }

    /// SHA-256 (64 hex digits) of the sources of `algorithmTargets(type)`.
    public static func algorithmFull(_ type: any Algorithm.Type) -> String {
        CompiledSources.fingerprint(ofTargets: algorithmTargets(type))
    }

    /// The algorithm part of run fingerprints (16 hex digits of `algorithmFull`).
    public static func algorithm(_ type: any Algorithm.Type) -> String {
        String(algorithmFull(type).prefix(16))
    }
}
