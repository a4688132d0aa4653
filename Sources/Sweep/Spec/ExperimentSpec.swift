import AlignmentCore
import ResultFiles
import BuildProvenance
import Figures

/// A validated experiment spec (docs/ARCHITECTURE.md, "The spec schema"): environments built once, algorithm configurations
/// created through their plugins, figures checked. Produced by `ExperimentSpec.load`/`parse`.
public struct ExperimentSpec: Sendable {
    /// The experiment's name (the results folder `Results/<name>/`).
    public var name: String
    /// Free-text description.
    public var description: String?
    /// The spec file as given (used in messages and the manifest).
    public var file: String
    /// FNV-1a (16 hex digits) of the spec's canonical JSON text.
    public var specHash: String
    /// FNV-1a (16 hex digits) of the canonical JSON text without the keys that affect no result
    /// file (`description`, `$schema`, `figures`): a results directory written under another
    /// results hash belongs to a changed spec (see `ExistingResults`).
    public var resultsHash: String
    /// Environments in spec order.
    public var environments: [EnvironmentSetup]
    /// The default reference μ (environments may override it).
    public var reference: ReferenceSpec
    /// The default feedback mode (algorithms may override it).
    public var feedback: FeedbackMode
    /// Iterations per run.
    public var iterations: Int
    /// Query (label) budget per run, or nil for unlimited.
    public var queryBudget: Int?
    /// Replicates per configuration and environment.
    public var seeds: Int
    /// The base seed from which every run's seed is derived.
    public var seed: UInt64
    /// Checkpoint spacing.
    public var recordEvery: Int
    /// Evaluation τ for the regularized metrics; nil means each run's own "tau" hyperparameter.
    public var tau: Double?
    /// How pairwise.csv and tests.csv choose each algorithm's best configuration (spec key
    /// `select_by`; default: lowest mean final exploitability).
    public var selectBy: ConfigurationSelection
    /// Algorithm entries in spec order.
    public var algorithms: [AlgorithmSetup]
    /// Figures to generate.
    public var figures: [FigureSpec]
    /// The ids of the metrics the sweep computes (spec key `metrics`, default every metric), in
    /// `Metric.all` order; the others are blank in the result files, and ground truth only they
    /// need (π*_τ, the unique Nash equilibrium) is never computed.
    public var metricIDs: [String] = Metric.ids
    /// The ground truth the requested metrics need (the union of their `requirements`).
    public var metricRequirements: Set<MetricRequirement> {
        Metric.all.filter { metricIDs.contains($0.id) }.reduce(into: []) { $0.formUnion($1.requirements) }
    }
    /// Canonical text of the settings shared by every run (reference, feedback, budget, record_every,
    /// tau, seed), part of each run's fingerprint.
    var sharedSettings: String
    /// The spec's text exactly as read (copied into the results directory as `spec.json`).
    public var sourceText: String
    /// The subset of runs chosen with `--only` (empty: the whole spec; `restricted(to:)`).
    public internal(set) var subset = RunSubset()

    /// Every input file of the spec's environments, in spec order.
    public var inputFiles: [ResolvedInput] { environments.flatMap(\.inputs) }

    /// Hyperparameter names: the union over the spec's algorithms, in first-appearance order
    /// (each plugin's declared order).
    public var hyperparameterColumns: [String] {
        var out: [String] = []
        for a in algorithms {
            for p in a.descriptor.parameters where !out.contains(p.name) { out.append(p.name) }
        }
        return out
    }

    /// Diagnostic column names: the union of the spec's plugins' declared diagnostics.
    public var diagnosticColumns: [String] {
        var out: [String] = []
        for a in algorithms {
            for d in a.descriptor.diagnostics where !out.contains(d) { out.append(d) }
        }
        return out
    }
}

/// How an environment's random quantities are seeded.
public enum EnvironmentSeed: Sendable, Hashable {
    /// One instance for every run, drawn from this seed.
    case fixed(UInt64)
    /// Re-drawn for every replicate: the seed derives from the spec seed, the environment id and
    /// the replicate index, so every algorithm meets the same instance on replicate i (paired).
    case perRun
}

/// The spec's description of the reference policy μ.
public enum ReferenceSpec: Sendable, Hashable {
    /// μ uniform.
    case uniform
    /// μ = softmax(z), z ~ N(0, scale²); with no seed, the seed derives from the spec seed and the
    /// environment id.
    case softmaxNormal(scale: Double, seed: UInt64?)
    /// μ given (one row for every context, or one row per context).
    case given([[Double]])

    /// The core reference description with a concrete seed.
    /// - Parameter defaultSeed: the seed used when the spec gave none.
    public func policy(defaultSeed: UInt64) -> ReferencePolicy {
        switch self {
        case .uniform: return .uniform
        case let .softmaxNormal(scale, seed): return .softmaxNormal(scale: scale, seed: seed ?? defaultSeed)
        case let .given(rows): return .given(rows)
        }
    }
}

/// One validated environment entry.
public struct EnvironmentSetup: Sendable {
    /// The id used in results.
    public var id: String
    /// The environment kind (catalogue name).
    public var kind: String
    /// Number of contexts.
    public var contexts: Int
    /// Seeding.
    public var seed: EnvironmentSeed
    /// Label-flip probability ε ∈ [0, ½].
    public var labelNoise: Double
    /// A reference override for this environment.
    public var reference: ReferenceSpec?
    /// The configured environment.
    public var environment: any Environment
    /// The ground truth of a `.fixed` environment (built at validation).
    public var fixedGroundTruth: GroundTruth?
    /// Canonical JSON text of the entry (part of run fingerprints).
    var canonical: String
    /// The input files the environment was built from (its `.inputFile` parameters).
    public var inputs: [ResolvedInput] = []
    /// Their bytes by parameter name (copied into the results directory).
    var inputBytes: [String: [UInt8]] = [:]
    /// Fingerprint of the inputs' contents: the first 16 hex digits of SHA-256 over
    /// "<parameter> <sha256>\n" per input, or "none".
    public var inputsDigest: String {
        inputs.isEmpty ? "none" : String(CompiledSources.sha256Hex(inputs.map { "\($0.parameter) \($0.sha256)\n" }.joined()).prefix(16))
    }
    /// Preference entries (contexts × actions²) of one instance, for the spec's size limit.
    var preferenceEntries = 0
    /// The `features` block (for log-linear runs), nil when the entry has none.
    public var features: FeatureSpec? = nil
}

/// One validated algorithm entry and its grid.
public struct AlgorithmSetup: Sendable {
    /// The plugin id.
    public var id: String
    /// The label used in results (unique within the spec).
    public var label: String
    /// The feedback mode of its runs.
    public var feedback: FeedbackMode
    /// The plugin's descriptor.
    public var descriptor: AlgorithmDescriptor
    /// Fixed hyperparameters as given.
    public var fixed: [String: ParameterValue]
    /// Grid axes, keys sorted, values in the given order.
    public var grid: [GridAxis]
    /// The Cartesian product of the grid (first axis slowest), each configured.
    public var points: [GridPoint]
    /// The policy class of its runs (`policy_class`, default tabular).
    public var policyClass: PolicyClassKind = .tabular
}

/// One swept hyperparameter and its values.
public struct GridAxis: Sendable, Hashable {
    /// The hyperparameter.
    public var name: String
    /// Its values, in spec order.
    public var values: [ParameterValue]
}

/// One configuration of an algorithm: resolved hyperparameters and the plugin instance.
public struct GridPoint: Sendable {
    /// Every hyperparameter after defaults were filled in.
    public var parameters: ParameterValues
    /// The configured plugin.
    public var algorithm: any Algorithm
    /// The configuration: the grid axes with more than one value, in grid order, with this
    /// point's values (empty for an algorithm without a grid) — typed, never parsed back from text.
    public var configuration: [(name: String, value: ParameterValue)]

    /// The configuration key of the result files: "k=v k2=v2" (values as JSON) or "default".
    public var config: String { ConfigurationKey.key(configuration.map { ($0.name, $0.value.description) }) }

    /// The text the bootstrap seeds of this configuration derive from: "k=v k2=v2" with arrays as
    /// `ParameterValue.keyText`, empty without a grid — fixed, so a format change of `config`
    /// never changes a bootstrap interval.
    var seedLabel: String { configuration.map { "\($0.name)=\($0.value.keyText)" }.joined(separator: " ") }
}
