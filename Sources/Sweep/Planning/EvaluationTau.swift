import AlignmentCore

/// The evaluation τ of a run — the τ at which `regularized_gap` and
/// `kl_from_regularized_equilibrium` are measured — and the rules that keep values measured at
/// different τ apart (runs.csv/summary.csv/curve_summary.csv/tests.csv column `eval_tau`).
///
/// A run's own τ is the value of the hyperparameter its plugin declares with
/// `ParameterRole.regularization` (whatever its name); a plugin that declares none has no own τ.
public enum EvaluationTau {
    /// The positive τ a spec's top-level `tau` may take. Below 1e-12 the regularized equilibrium of
    /// games whose Nash equilibrium is not unique (e.g. the 4-action tournament) is determined by
    /// terms below double-precision resolution and the solver may fail; above 1e6 the regularized
    /// gap's own rounding error (≈ τ·2⁻⁵³·max|log μ|) exceeds 1e-10. The same range applies to a
    /// run's own τ (`isEvaluable`): outside it the τ-metrics are blank, with `note` saying why.
    public static let supported: ClosedRange<Double> = 1e-12...1e6

    /// Whether τ can be an evaluation τ: 0 (no regularization: the gap is 2·exploitability) or a
    /// number in `supported`.
    public static func isEvaluable(_ tau: Double) -> Bool {
        tau == 0 || supported.contains(tau)
    }

    /// The allowed evaluation τ, for messages: "0 or a number in [1e-12, 1e6]".
    public static var allowedDescription: String {
        "0 or a number in [\(CanonicalNumber.format(supported.lowerBound)), \(CanonicalNumber.format(supported.upperBound))]"
    }

    /// A run's own τ: the value of the parameter `descriptor` declares with
    /// `ParameterRole.regularization`, with that parameter's name; nil when the plugin declares no
    /// such parameter (or the value is absent).
    /// - Parameters:
    ///   - descriptor: the run's algorithm descriptor.
    ///   - parameters: the run's resolved hyperparameters.
    public static func own(descriptor: AlgorithmDescriptor, parameters: ParameterValues) -> (name: String, value: Double)? {
        guard let spec = descriptor.parameter(withRole: .regularization),
              let value = parameters.optionalDouble(spec.name) else { return nil }
        return (spec.name, value)
    }

    /// The evaluation τ of a run: the spec's top-level `tau`, else the run's own τ (`own`) when
    /// `isEvaluable`, else nil (the τ-metrics are blank; `note` says why when the run's own τ is
    /// out of range).
    /// - Parameters:
    ///   - spec: the validated spec.
    ///   - descriptor: the run's algorithm descriptor (declares which parameter is τ).
    ///   - parameters: the run's resolved hyperparameters.
    public static func of(spec: ExperimentSpec, descriptor: AlgorithmDescriptor, parameters: ParameterValues) -> Double? {
        if let tau = spec.tau { return tau }
        guard let own = own(descriptor: descriptor, parameters: parameters), isEvaluable(own.value) else { return nil }
        return own.value
    }

    /// Why a run's τ-metrics are blank although its algorithm declares a τ: the run's own τ is
    /// outside the evaluation range and the spec gives no top-level `tau` (recorded in the run's
    /// `error` cell; the run stays ok). Nil otherwise.
    /// - Parameters:
    ///   - spec: the validated spec.
    ///   - descriptor: the run's algorithm descriptor (declares which parameter is τ).
    ///   - parameters: the run's resolved hyperparameters.
    public static func note(spec: ExperimentSpec, descriptor: AlgorithmDescriptor, parameters: ParameterValues) -> String? {
        guard spec.tau == nil, let own = own(descriptor: descriptor, parameters: parameters), !isEvaluable(own.value),
              Metric.all.contains(where: { $0.needsTau && spec.metricIDs.contains($0.id) }) else { return nil }
        return Metric.prose(where: \.needsTau) + " are blank: the run's \(own.name) = \(CanonicalNumber.format(own.value)) "
            + "is outside the evaluation range (\(allowedDescription)); give the spec a top-level tau to measure them"
    }

    /// The evaluation τ of grid point `point` of algorithm entry `algorithm`.
    public static func of(spec: ExperimentSpec, algorithm: Int, point: Int) -> Double? {
        let setup = spec.algorithms[algorithm]
        return of(spec: spec, descriptor: setup.descriptor, parameters: setup.points[point].parameters)
    }

    /// Whether a metric's value depends on the evaluation τ (`Metric.needsTau`).
    public static func dependsOnTau(_ metric: String) -> Bool {
        Metric.all.first { $0.id == metric }?.needsTau ?? false
    }

    /// The `eval_tau` cell: the canonical number, or empty when there is no τ.
    public static func cell(_ tau: Double?) -> String {
        tau.map { CanonicalNumber.format($0) } ?? ""
    }

    /// Why choosing each label's best configuration by `selection` would compare values measured
    /// at different τ: the first algorithm label whose configurations have different evaluation τ
    /// when the selection metric depends on τ; nil when the selection is sound.
    public static func selectionConflict(spec: ExperimentSpec, selection: ConfigurationSelection) -> String? {
        guard dependsOnTau(selection.metric) else { return nil }
        for (a, alg) in spec.algorithms.enumerated() {
            var taus: [String] = []
            for g in alg.points.indices {
                let t = of(spec: spec, algorithm: a, point: g).map { CanonicalNumber.format($0) } ?? "none"
                if !taus.contains(t) { taus.append(t) }
            }
            if taus.count > 1 {
                return "\(selection.metric) depends on τ, and the configurations of \"\(alg.label)\" are measured at "
                    + "different τ (\(taus.joined(separator: ", ")))"
            }
        }
        return nil
    }

    /// Whether two values of `metric` measured at τ_a and τ_b may be compared: always for a
    /// τ-free metric, else only at the same τ (bit for bit).
    public static func comparable(_ metric: String, _ a: Double?, _ b: Double?) -> Bool {
        !dependsOnTau(metric) || a?.bitPattern == b?.bitPattern
    }
}
