/// runs.csv: one row per run — identity, configuration key, status, final metrics (one column per
/// metric id after the fixed columns). The run's parameters are in parameters.csv.
public enum RunsFile: ResultFileSchema {
    public static let fileName = "runs.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case runID = "run_id", environment, algorithm, config, seed, rngSeed = "rng_seed", status, error
        case iterations, queries, evalTau = "eval_tau"
    }
}

/// parameters.csv: the long (tidy) table of every resolved hyperparameter of every run — defaults
/// included — one row per (run, parameter); values as JSON (numbers, strings, booleans, lists).
public enum ParametersFile: ResultFileSchema {
    public static let fileName = "parameters.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable { case runID = "run_id", parameter, value }
}

/// curves.csv: one row per recorded checkpoint of a run; metric columns, then diagnostic columns.
public enum CurvesFile: ResultFileSchema {
    public static let fileName = "curves.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable { case runID = "run_id", iteration, queries }
}

/// policies.csv: the final policy of each ok run, one row per (context, action).
public enum PoliciesFile: ResultFileSchema {
    public static let fileName = "policies.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable { case runID = "run_id", context, action, probability }
}

/// timings.csv: wall-clock seconds of each run (the only file that differs between identical sweeps).
public enum TimingsFile: ResultFileSchema {
    public static let fileName = "timings.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable { case runID = "run_id", seconds }
}

/// summary.csv: statistics of each metric's final values per (environment, algorithm, config).
public enum SummaryFile: ResultFileSchema {
    public static let fileName = "summary.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case environment, algorithm, config, metric, n, failed, mean, sd, sem, ciLow = "ci_low", ciHigh = "ci_high"
        case median, iqm, bootLow = "boot_low", bootHigh = "boot_high", min, max, evalTau = "eval_tau"
    }
    public static var optionalColumns: Set<Column> { [.evalTau] }
}

/// curve_summary.csv: statistics of each metric per (environment, algorithm, config, checkpoint).
public enum CurveSummaryFile: ResultFileSchema {
    public static let fileName = "curve_summary.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case environment, algorithm, config, metric, iteration, n, mean, ciLow = "ci_low", ciHigh = "ci_high", queries
        case evalTau = "eval_tau"
    }
    public static var optionalColumns: Set<Column> { [.evalTau] }
}

/// pairwise.csv: P(π_a ≻ π_b) over seeds for every ordered pair of participants.
public enum PairwiseFile: ResultFileSchema {
    public static let fileName = "pairwise.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case environment, algorithmA = "algorithm_a", configA = "config_a", algorithmB = "algorithm_b", configB = "config_b"
        case n, mean, ciLow = "ci_low", ciHigh = "ci_high", sd, bootLow = "boot_low", bootHigh = "boot_high"
    }
}

/// tests.csv: Welch t-tests with Holm adjustment and P(improvement) between best configurations.
public enum TestsFile: ResultFileSchema {
    public static let fileName = "tests.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case environment, metric, algorithmA = "algorithm_a", configA = "config_a", algorithmB = "algorithm_b"
        case configB = "config_b", nA = "n_a", nB = "n_b", meanA = "mean_a", meanB = "mean_b", t, df
        case pValue = "p_value", pHolm = "p_holm", probImprovement = "prob_improvement"
        case evalTauA = "eval_tau_a", evalTauB = "eval_tau_b"
    }
}

/// frontier.csv: the exact reward–KL frontier (β, KL(π_β‖μ), E r) of environments with a true reward.
public enum FrontierFile: ResultFileSchema {
    public static let fileName = "frontier.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable { case environment, beta, kl, reward }
}

/// aggregates.csv: performance across environments after Agarwal et al. 2021 (rliable) — per
/// metric, of every algorithm label's selected configuration (the one pairwise.csv and tests.csv
/// use on each environment): IQM and mean with stratified-bootstrap percentile intervals,
/// probability of improvement between labels, and performance profiles with pointwise bands.
///
/// `statistic` is `iqm`, `mean`, `probability_of_improvement` (algorithm better than opponent in
/// the metric's declared `direction`) or `profile` (fraction of runs better than `threshold`);
/// `normalization` is `none` or `min-max` (per environment over the labels' runs); `opponent` and
/// `threshold` are empty where they do not apply; `environments` and `runs` count what the row
/// aggregates (for an improvement row, the algorithm's runs).
public enum AggregatesFile: ResultFileSchema {
    public static let fileName = "aggregates.csv"
    /// Fixed columns, in file order.
    public enum Column: String, CaseIterable, Sendable {
        case metric, evalTau = "eval_tau", direction, normalization, statistic, algorithm, opponent, threshold
        case environments, runs, estimate, bootLow = "boot_low", bootHigh = "boot_high"
    }
}

/// The configuration key of a grid point: "k=v k2=v2" over the parameters its algorithm's grid
/// varies (values as JSON), or `ConfigurationKey.default` for an algorithm without a grid, so no
/// key cell is ever empty (pandas would read an empty cell as NaN and drop it from a groupby).
public enum ConfigurationKey {
    /// The key of a configuration whose algorithm has no grid (and of the reference μ).
    public static let `default` = "default"

    /// The key of an ordered assignment of grid parameters (name, JSON value text).
    public static func key(_ assignment: [(name: String, value: String)]) -> String {
        assignment.isEmpty ? Self.default : assignment.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
}
