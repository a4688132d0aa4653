import AlignmentCore

/// The list of environment kinds available to specs.
public enum EnvironmentCatalog {
    /// Every environment kind, in listing order.
    public static let all: [any Environment.Type] = [
        BradleyTerryEnvironment.self,
        ThurstoneEnvironment.self,
        CyclicEnvironment.self,
        IntransitiveDiceEnvironment.self,
        AnnotatorMixtureEnvironment.self,
        RandomEnvironment.self,
        DiscGameEnvironment.self,
        MatrixEnvironment.self,
        BattlesEnvironment.self,
    ]

    /// The kind with the given name.
    public static func environment(kind: String) -> (any Environment.Type)? {
        all.first { $0.descriptor.kind == kind }
    }

    /// Every kind, in listing order.
    public static var kinds: [String] { all.map { $0.descriptor.kind } }

    /// Most actions (responses) of any environment kind: 4096, the largest game the harness solves
    /// exactly (π*_τ by dense Newton in well under a minute, Nash-MD steps at the cost of one
    /// `dgemv`). One context of 4096 actions holds 2²⁴ preference entries (128 MiB); the sweep's
    /// `SpecLimits.maximumPreferenceEntries` bounds contexts × actions² per environment.
    public static let maximumActions = 4096
}
