import AlgorithmCatalog
import AlignmentCore
import Environments

/// The algorithm plugins and environment kinds a spec may name. `standard` is the project's
/// catalogues; tests pass their own to exercise validation and failure handling.
public struct PluginCatalog: Sendable {
    /// Algorithm plugins by id.
    public var algorithms: [any Algorithm.Type]
    /// Environment kinds.
    public var environments: [any Environment.Type]

    /// Creates a catalogue.
    public init(algorithms: [any Algorithm.Type], environments: [any Environment.Type]) {
        self.algorithms = algorithms
        self.environments = environments
    }

    /// `AlgorithmCatalog.all` and `EnvironmentCatalog.all`.
    public static var standard: PluginCatalog {
        PluginCatalog(algorithms: AlgorithmCatalog.all, environments: EnvironmentCatalog.all)
    }

    /// Algorithm ids in listing order.
    var algorithmIDs: [String] { algorithms.map { $0.descriptor.id } }
    /// Environment kinds in listing order.
    var environmentKinds: [String] { environments.map { $0.descriptor.kind } }

    /// The plugin with `id`.
    func algorithm(id: String) -> (any Algorithm.Type)? { algorithms.first { $0.descriptor.id == id } }
    /// The environment kind `kind`.
    func environment(kind: String) -> (any Environment.Type)? { environments.first { $0.descriptor.kind == kind } }
}
