import AlignmentCore
import Foundation

/// Thread-safe, compute-once cache of the problems runs are measured against and of their
/// reference solutions, keyed by environment instance (and replicate for per-run environments) and τ.
///
/// Only what runs share stays: the instance of a fixed environment is kept for the whole sweep,
/// while a per-run environment's instance (one per replicate) and its solutions are dropped once
/// the last planned run on it has called `finished(_:)`, so the cache does not grow with the
/// number of replicates.
final class EvaluationCache: @unchecked Sendable {
    /// A value computed at most once; concurrent callers wait for the first computation.
    private final class Once<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Value, Error>?

        func get(_ make: () throws -> Value) throws -> Value {
            lock.lock()
            defer { lock.unlock() }
            if let r = result { return try r.get() }
            let r = Result { try make() }
            result = r
            return try r.get()
        }

        /// The value if it has been computed successfully, without computing it.
        var computed: Value? {
            lock.lock()
            defer { lock.unlock() }
            return try? result?.get()
        }
    }

    private let spec: ExperimentSpec
    private let lock = NSLock()
    private var problems: [String: Once<Problem>] = [:]
    private var solutions: [String: Once<ReferenceSolutions>] = [:]
    /// Per-run instances: the planned runs not yet finished on each (absent: not counted, kept).
    private var remaining: [String: Int] = [:]
    /// The solution keys of each per-run instance (removed with it).
    private var solutionKeys: [String: [String]] = [:]

    /// Creates an empty cache for a spec; the per-run instances of `plans` are dropped once each
    /// of their runs has called `finished(_:)` (none is dropped when `plans` is empty).
    init(spec: ExperimentSpec, plans: [RunPlan] = []) {
        self.spec = spec
        for p in plans {
            if case .perRun = spec.environments[p.environment].seed {
                remaining[instanceKey(environment: p.environment, replicate: p.replicate), default: 0] += 1
            }
        }
    }

    /// The number of environment instances held (problems built and not dropped).
    var heldInstances: Int { lock.withLock { problems.count } }

    /// A run of `plans` is over: the last one on a per-run instance drops that instance and its
    /// solutions (a later request would compute them again).
    func finished(_ plan: RunPlan) {
        let key = instanceKey(environment: plan.environment, replicate: plan.replicate)
        lock.lock()
        defer { lock.unlock() }
        guard let n = remaining[key] else { return }
        if n > 1 {
            remaining[key] = n - 1
            return
        }
        remaining[key] = nil
        problems[key] = nil
        for k in solutionKeys.removeValue(forKey: key) ?? [] { solutions[k] = nil }
    }

    private func instanceKey(environment e: Int, replicate: Int) -> String {
        if case .perRun = spec.environments[e].seed { return "\(e)|\(replicate)" }
        return "\(e)|*"
    }

    private func entry<V>(_ table: ReferenceWritableKeyPath<EvaluationCache, [String: Once<V>]>, _ key: String) -> Once<V> {
        lock.lock()
        defer { lock.unlock() }
        if let o = self[keyPath: table][key] { return o }
        let o = Once<V>()
        self[keyPath: table][key] = o
        return o
    }

    /// The problem of environment `e` for a replicate.
    /// - Throws: environment or reference errors.
    func problem(environment e: Int, replicate: Int) throws -> Problem {
        try entry(\.problems, instanceKey(environment: e, replicate: replicate)).get {
            try ProblemFactory.problem(spec.environments[e], spec: spec, replicate: replicate)
        }
    }

    /// The reference solutions held for environment `e`, a replicate and τ, nil when none has been
    /// computed — never computing them (what the tests read to see which ground truth a sweep solved).
    func heldSolutions(environment e: Int, replicate: Int, tau: Double?) -> ReferenceSolutions? {
        let key = instanceKey(environment: e, replicate: replicate) + "|" + (tau.map { String($0.bitPattern, radix: 16) } ?? "none")
        return lock.withLock { solutions[key] }?.computed
    }

    /// The reference solutions for environment `e`, a replicate and τ (see `referenceSolutions`;
    /// π*_Φ on the environment's `features`; solver failures are inside the result, not thrown).
    /// - Throws: environment or reference errors of the problem itself, or features that do not
    ///   fit it.
    func solutions(environment e: Int, replicate: Int, tau: Double?) throws -> ReferenceSolutions {
        let instance = instanceKey(environment: e, replicate: replicate)
        let key = instance + "|" + (tau.map { String($0.bitPattern, radix: 16) } ?? "none")
        let problem = try self.problem(environment: e, replicate: replicate)
        lock.withLock {
            if remaining[instance] != nil, solutions[key] == nil { solutionKeys[instance, default: []].append(key) }
        }
        return try entry(\.solutions, key).get {
            let features = try spec.environments[e].features?.featureMap(contexts: problem.contexts, actions: problem.actions)
            return referenceSolutions(problem: problem, tau: tau, features: features, requirements: spec.metricRequirements)
        }
    }
}
