import AlignmentCore
import Foundation

/// Thread-safe, compute-once cache of the problems runs are measured against and of their
/// reference solutions, keyed by environment instance (and replicate for per-run environments) and τ.
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
    }

    private let spec: ExperimentSpec
    private let lock = NSLock()
    private var problems: [String: Once<Problem>] = [:]
    private var solutions: [String: Once<ReferenceSolutions>] = [:]

    /// Creates an empty cache for a spec.
    init(spec: ExperimentSpec) { self.spec = spec }

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

    /// The reference solutions for environment `e`, a replicate and τ (see `referenceSolutions`;
    /// solver failures are inside the result, not thrown).
    /// - Throws: environment or reference errors of the problem itself.
    func solutions(environment e: Int, replicate: Int, tau: Double?) throws -> ReferenceSolutions {
        let key = instanceKey(environment: e, replicate: replicate) + "|" + (tau.map { String($0.bitPattern, radix: 16) } ?? "none")
        let problem = try self.problem(environment: e, replicate: replicate)
        return try entry(\.solutions, key).get { referenceSolutions(problem: problem, tau: tau, requirements: spec.metricRequirements) }
    }
}
