import AlignmentCore
import Foundation
import Sweep

/// The problems of a spec's environments, as the sweep measures runs against them.
///
/// A `.fixed` environment uses its ground truth built at validation; a `.perRun` one is shown for
/// replicate 0. μ follows the sweep's rules (ProblemFactory).
enum EnvProblems {
    /// The environment entries to show: all, or the one with `id`.
    /// - Throws: `ValidationError`-style message naming the known ids (with a did-you-mean hint).
    static func select(_ spec: ExperimentSpec, id: String?) throws -> [EnvironmentSetup] {
        guard let id else { return spec.environments }
        if let e = spec.environments.first(where: { $0.id == id }) { return [e] }
        let ids = spec.environments.map(\.id)
        let hint = Suggestion.closest(to: id, among: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw EnvCommandError("--env: \(spec.file) has no environment \"\(id)\"\(hint); its environments: \(ids.joined(separator: ", "))")
    }

    /// The problem of one environment entry (replicate 0 for per-run environments), built by the
    /// sweep's own `ProblemFactory` so `bench env` shows exactly what runs are measured against.
    /// - Throws: environment or reference errors.
    static func problem(_ spec: ExperimentSpec, _ env: EnvironmentSetup) throws -> Problem {
        try ProblemFactory.problem(env, spec: spec, replicate: 0)
    }
}

/// A one-line user error of `bench env`.
struct EnvCommandError: Error, CustomStringConvertible {
    /// The message.
    let description: String
    init(_ message: String) { description = message }
}
