import AlignmentCore
import BuildProvenance

/// Everything that determines a run's bytes, in parts, so that a stale run can be named with the
/// reason it is stale (issue 9 §1). A journal record is reused only when all five parts equal the
/// plan's.
public struct RunFingerprint: Sendable, Hashable {
    /// FNV-1a 64 (16 hex digits) of the shared settings, the environment entry, the algorithm id,
    /// the feedback mode and the run key: what the spec says about the run.
    public var definition: String
    /// The contents of the environment's input files (`EnvironmentSetup.inputsDigest`; "none").
    public var inputs: String
    /// The source of the algorithm's plugin target and of the package targets it depends on that
    /// the harness does not cover (`CodeFingerprints.algorithm`).
    public var algorithm: String
    /// The harness's source and the list of metrics (`CodeFingerprints.harness`).
    public var harness: String
    /// The numeric libraries' versions (`CodeFingerprints.libraries`).
    public var libraries: String

    /// Creates a fingerprint from its parts.
    public init(definition: String, inputs: String, algorithm: String, harness: String, libraries: String) {
        self.definition = definition
        self.inputs = inputs
        self.algorithm = algorithm
        self.harness = harness
        self.libraries = libraries
    }

    /// The fingerprint of a record written before code fingerprints existed (a bare string): its
    /// definition only; every other part is "unknown", so such a record is always stale.
    public static func legacy(_ definition: String) -> RunFingerprint {
        RunFingerprint(definition: definition, inputs: "unknown", algorithm: "unknown", harness: "unknown", libraries: "unknown")
    }

    /// Why a record with fingerprint `self` cannot stand for a plan with fingerprint `current`;
    /// nil when every part matches. A legacy record is stale as such; otherwise the definition is
    /// compared first (a changed spec entry), then the input files, the algorithm's source, the
    /// harness's source and the libraries.
    public func staleness(against current: RunFingerprint) -> Staleness? {
        // A record of the format before code fingerprints (whose definition hash also covered the
        // tool version) is stale as such, whatever its definition says.
        if algorithm == "unknown" { return .legacy }
        if definition != current.definition { return .definition }
        if inputs != current.inputs { return .inputs }
        if algorithm != current.algorithm { return .algorithm }
        if harness != current.harness { return .harness }
        if libraries != current.libraries { return .libraries }
        return nil
    }

    /// The reasons a journaled run is not reused, in the order they are checked.
    public enum Staleness: String, Sendable, CaseIterable {
        /// The spec's description of the run changed.
        case definition
        /// Written by a version of bench without code fingerprints.
        case legacy
        /// An input file's contents changed.
        case inputs
        /// The algorithm's plugin source (or a package target it uses) changed.
        case algorithm
        /// The harness's source (environments, metrics, solvers, recording) or its metric list changed.
        case harness
        /// GSL, GLPK or the C library changed.
        case libraries
    }
}
