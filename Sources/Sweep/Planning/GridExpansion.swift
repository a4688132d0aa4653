import AlignmentCore
import StableFloor

/// One planned run: which environment, algorithm configuration and replicate, with its stable id
/// and seed.
public struct RunPlan: Sendable, Hashable {
    /// Position in plan order.
    public var index: Int
    /// Canonical run key "env=<id>|alg=<label>|<k=v;… sorted>|seed=<i>".
    public var key: String
    /// First 12 hex digits of FNV-1a(key).
    public var runID: String
    /// SplitMix64(spec seed ⊕ FNV-1a(key)): the run's generator seed (`SeedDerivation.run`).
    public var rngSeed: UInt64
    /// Index into `ExperimentSpec.environments`.
    public var environment: Int
    /// Index into `ExperimentSpec.algorithms`.
    public var algorithm: Int
    /// Index into that algorithm's grid points.
    public var point: Int
    /// Replicate index 0..<seeds.
    public var replicate: Int
    /// Everything that determines the run's result (definition, input files, algorithm and harness
    /// source, libraries); a journal record is reused on resume only when every part matches.
    public var fingerprint: RunFingerprint
}

/// Expands a spec into its runs: per algorithm the Cartesian product of its grid × environments ×
/// seeds (docs/ARCHITECTURE.md, "Seeds").
public enum GridExpansion {
    /// The Cartesian product of grid axes in order (the first axis varies slowest); one empty
    /// assignment when there are no axes.
    /// - Complexity: O(product of the axis lengths × number of axes).
    public static func product(_ axes: [GridAxis]) -> [[(String, ParameterValue)]] {
        var out: [[(String, ParameterValue)]] = [[]]
        for axis in axes {
            out = out.flatMap { prefix in axis.values.map { prefix + [(axis.name, $0)] } }
        }
        return out
    }

    /// The canonical key of a run: "env=<id>|alg=<label>|k=v;k2=v2|seed=<i>" with every resolved
    /// hyperparameter sorted by name and printed with `ParameterValue.keyText`.
    /// A log-linear run's key has "|class=log-linear" after the label; a tabular run's key has no
    /// class segment (so every key from before policy classes is unchanged).
    public static func runKey(environment: String, label: String, parameters: ParameterValues, replicate: Int,
                              policyClass: PolicyClassKind = .tabular) -> String {
        let params = parameters.values.keys.sorted().map { "\($0)=\(parameters.values[$0]!.keyText)" }.joined(separator: ";")
        return "env=\(environment)|alg=\(label)\(classSegment(policyClass))|\(params)|seed=\(replicate)"
    }

    /// The run key's class segment: "" for tabular, "|class=<name>" otherwise.
    static func classSegment(_ c: PolicyClassKind) -> String {
        c == .tabular ? "" : "|class=" + c.rawValue
    }

    /// The run id of a key: the first 12 hex digits of FNV-1a 64.
    public static func runID(key: String) -> String {
        String(StableHash.hex(StableHash.fnv1a64(key)).prefix(12))
    }

    /// Every run of a spec in plan order: algorithms in spec order, then grid points, then
    /// environments, then seeds.
    /// - Throws: `SweepError.spec` in the (astronomically unlikely) case of a run-id collision.
    public static func plan(_ spec: ExperimentSpec) throws -> [RunPlan] {
        var plans: [RunPlan] = []
        plans.reserveCapacity(spec.algorithms.reduce(0) { $0 + $1.points.count } * spec.environments.count * spec.seeds)
        var seen: [UInt64: String] = [:]
        let harness = CodeFingerprints.harness
        let libraries = CodeFingerprints.libraries
        var algorithmCode: [String: String] = [:]
        let inputDigests = spec.environments.map(\.inputsDigest)
        for (a, alg) in spec.algorithms.enumerated() {
            for (g, point) in alg.points.enumerated() {
                let module = String(reflecting: type(of: point.algorithm))
                let code = algorithmCode[module] ?? CodeFingerprints.algorithm(type(of: point.algorithm))
                algorithmCode[module] = code
                let params = point.parameters.values.keys.sorted().map { "\($0)=\(point.parameters.values[$0]!.keyText)" }.joined(separator: ";")
                for (e, env) in spec.environments.enumerated() {
                    // The key and the fingerprint text share their prefix across seeds: hash it once.
                    let keyPrefix = "env=\(env.id)|alg=\(alg.label)\(classSegment(alg.policyClass))|\(params)|seed="
                    let keyState = StableHash.fnv1a64(continuing: StableHash.fnvOffsetBasis, keyPrefix)
                    let fingerprintState = StableHash.fnv1a64(continuing: StableHash.fnvOffsetBasis, [spec.sharedSettings, env.canonical, alg.id, alg.feedback.rawValue, ""].joined(separator: "\u{1F}") + keyPrefix)
                    let inputs = inputDigests[e]
                    for r in 0..<spec.seeds {
                        let suffix = String(r)
                        let hash = StableHash.fnv1a64(continuing: keyState, suffix)
                        let key = keyPrefix + suffix
                        let id = String(StableHash.hex(hash).prefix(12))
                        let short = hash >> 16
                        if let other = seen[short] {
                            throw SweepError.spec(file: spec.file, path: "$", message: "runs \"\(other)\" and \"\(key)\" have the same id \(id)",
                                                  allowed: "specs whose run keys have distinct 48-bit hashes (rename a label)")
                        }
                        seen[short] = key
                        plans.append(RunPlan(
                            index: plans.count, key: key, runID: id,
                            rngSeed: SeedDerivation.run(specSeed: spec.seed, runKeyHash: hash),
                            environment: e, algorithm: a, point: g, replicate: r,
                            fingerprint: RunFingerprint(definition: StableHash.hex(StableHash.fnv1a64(continuing: fingerprintState, suffix)), inputs: inputs,
                                                        algorithm: code, harness: harness, libraries: libraries)))
                    }
                }
            }
        }
        return plans
    }
}
