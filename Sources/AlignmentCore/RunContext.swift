/// Everything one run of an algorithm may use: μ, the problem's shape, the feedback oracle, its own
/// random generator and the iteration budget; and the `report` channel to the harness.
///
/// Not `Sendable`: a run executes on one thread from start to end.
public final class RunContext {
    /// The reference policy μ.
    public let reference: Policy
    /// Context weights w_x (sum to 1).
    public let contextWeights: [Double]
    /// The feedback oracle (counts and limits queries).
    public let oracle: FeedbackOracle
    /// The run's random generator (the algorithm's own stream, separate from the oracle's).
    public let rng: RandomSource
    /// Maximum number of iterations.
    public let iterations: Int
    /// Checkpoints are recorded every `recordEvery` iterations (and at 0 and at the end).
    public let recordEvery: Int
    /// The policy class the plugin optimises over (`tabular` unless the run's spec entry says
    /// `"policy_class": "log-linear"`; a plugin only sees classes its descriptor declares).
    public let policyClass: PolicyClass

    /// Number of contexts.
    public var contexts: Int { reference.contexts }
    /// Number of responses per context.
    public var actions: Int { reference.actions }
    /// The feedback mode.
    public var mode: FeedbackMode { oracle.mode }

    /// The most recent reported checkpoint (the run's final policy when the run ends). After a
    /// `report(iteration:logits:diagnostics:)` at an unrecorded iteration its policy is built on
    /// first access, from the log-probabilities that report computed (rowₓ − logsumexp(rowₓ): the
    /// bits `Policy(logits:)` stores, for rows it accepts).
    public var last: Checkpoint? {
        if let pending = pendingLast {
            let rows = (0..<contexts).map { x in Array(pendingLogProbabilities[(x * actions)..<((x + 1) * actions)]) }
            materializedLast = Checkpoint(iteration: pending.iteration, queries: pending.queries,
                                          policy: Policy(normalized: rows), diagnostics: pendingDiagnostics)
            pendingLast = nil
        }
        return materializedLast
    }
    // @exclusivity(unchecked): a run's context is used by one thread, and no access to these
    // properties overlaps another (none is passed inout to code that reaches the context); the runtime's
    // exclusivity check on every access cost about 4% of a sweep recording every iteration (perf).
    /// Iterations of the checkpoints handed to the recorder.
    @exclusivity(unchecked) public internal(set) var recordedIterations: [Int] = []

    let recorder: (Checkpoint) throws -> Void
    @exclusivity(unchecked) var divergence = DivergenceMonitor()
    /// The last reported checkpoint once built.
    @exclusivity(unchecked) var materializedLast: Checkpoint?
    /// The last report when it came as logits and its policy is not built yet (`last` builds it).
    @exclusivity(unchecked) var pendingLast: (iteration: Int, queries: Int)?
    /// The diagnostics of `pendingLast`: a copy the context keeps, so that a plugin updating one
    /// dictionary in place every iteration keeps it uniquely referenced (no copy on write).
    @exclusivity(unchecked) var pendingDiagnostics: [String: Double] = [:]
    /// The log-probabilities of `pendingLast`, row-major contexts × actions (allocated on first use).
    @exclusivity(unchecked) var pendingLogProbabilities: [Double] = []
    /// The buffer the next logits report's log-probabilities are written into (swapped with
    /// `pendingLogProbabilities` once accepted).
    @exclusivity(unchecked) var spareLogProbabilities: [Double] = []
    /// Per-context log-normalisers of the logits report being checked.
    @exclusivity(unchecked) var normalizers: [Double] = []
    /// The iteration of the last report.
    var lastIteration: Int? { pendingLast?.iteration ?? materializedLast?.iteration }

    /// Creates a run context.
    /// - Parameters:
    ///   - policyClass: the run's policy class (default tabular).
    ///   - recorder: called by `report` for iterations that are recorded.
    public init(reference: Policy, contextWeights: [Double], oracle: FeedbackOracle, rng: RandomSource,
                iterations: Int, recordEvery: Int, policyClass: PolicyClass = .tabular,
                recorder: @escaping (Checkpoint) throws -> Void) {
        precondition(iterations >= 0 && recordEvery >= 1)
        self.policyClass = policyClass
        self.reference = reference
        self.contextWeights = contextWeights
        self.oracle = oracle
        self.rng = rng
        self.iterations = iterations
        self.recordEvery = recordEvery
        self.recorder = recorder
    }

    /// Whether iteration `t` is a recorded checkpoint (0, every `recordEvery`, and the last).
    public func isRecorded(_ t: Int) -> Bool {
        t == 0 || t % recordEvery == 0 || t == iterations
    }

    /// Reports the policy after `iteration` iterations.
    ///
    /// Recorded iterations are passed to the harness, which computes metrics.
    /// - Throws: `AlignmentCoreError.numericalFailure` when the policy has NaN/∞ or does not sum
    ///   to 1 within 1e-9, when a diagnostic is not finite, or when the run diverges (the log-ratio
    ///   spread of `DivergenceMonitor` grows geometrically past 10⁴ nats or exceeds 2⁵²);
    ///   `AlignmentCoreError.invalidPolicy` when the shape is wrong.
    /// - Precondition: iterations are non-decreasing and ≤ `iterations` (plugin bugs).
    public func report(iteration: Int, policy: Policy, diagnostics: [String: Double] = [:]) throws {
        precondition(iteration >= 0 && iteration <= iterations,
                     "reported iteration \(iteration) is outside the budget 0...\(iterations)")
        precondition(iteration >= (lastIteration ?? 0), "reported iterations must not decrease")
        guard policy.contexts == reference.contexts, policy.actions == reference.actions else {
            throw AlignmentCoreError.invalidPolicy("reported policy has shape \(policy.contexts)×\(policy.actions)")
        }
        guard policy.isDistribution(tolerance: 1e-9) else {
            throw AlignmentCoreError.numericalFailure(iteration: iteration, reason: "policy is not a distribution (NaN, ∞ or mass ≠ 1)")
        }
        if let bad = diagnostics.first(where: { !$0.value.isFinite }) {
            throw AlignmentCoreError.numericalFailure(iteration: iteration, reason: "diagnostic \(bad.key) is \(bad.value)")
        }
        try divergence.observe(iteration: iteration, policy: policy, reference: reference)
        let cp = Checkpoint(iteration: iteration, queries: oracle.queries, policy: policy, diagnostics: diagnostics)
        materializedLast = cp
        pendingLast = nil
        if isRecorded(iteration), recordedIterations.last != iteration {
            recordedIterations.append(iteration)
            try recorder(cp)
        }
    }

    /// Records the last reported checkpoint if it was not recorded (used by the harness when a run
    /// ends early, e.g. on an exhausted query budget).
    public func flushFinal() throws {
        guard let cp = last, recordedIterations.last != cp.iteration else { return }
        recordedIterations.append(cp.iteration)
        try recorder(cp)
    }
}
