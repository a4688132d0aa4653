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
    ]

    /// The kind with the given name.
    public static func environment(kind: String) -> (any Environment.Type)? {
        all.first { $0.descriptor.kind == kind }
    }

    /// Every kind, in listing order.
    public static var kinds: [String] { all.map { $0.descriptor.kind } }
}
