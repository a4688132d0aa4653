import AlignmentCore
import Foundation
import Sweep

/// The problems of a spec's environments, as the sweep measures runs against them.
///
/// A `.fixed` environment uses its ground truth built at validation; a `.perRun` one is shown for
/// replicate 0. μ follows the sweep's rules (ProblemFactory).
enum EnvProblems {
    /// The environment entries to show: all, or the one with `id`.
    /// - Throws: `SweepError.usage` (exit status 2), one line naming the option, the unknown id (with
    ///   a did-you-mean hint) and the allowed ids.
    static func select(_ spec: ExperimentSpec, id: String?) throws -> [EnvironmentSetup] {
        guard let id else { return spec.environments }
        if let e = spec.environments.first(where: { $0.id == id }) { return [e] }
        let ids = spec.environments.map(\.id)
        let hint = Suggestion.closest(to: id, among: ids).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw SweepError.usage("--env: \(spec.file) has no environment \"\(id)\"\(hint); allowed: \(ids.joined(separator: ", "))")
    }

    /// The problem of one environment entry (replicate 0 for per-run environments), built by the
    /// sweep's own `ProblemFactory` so `bench env` shows exactly what runs are measured against.
    /// - Throws: environment or reference errors.
    static func problem(_ spec: ExperimentSpec, _ env: EnvironmentSetup) throws -> Problem {
        try ProblemFactory.problem(env, spec: spec, replicate: 0)
    }
}
