import AlignmentCore
import Foundation

/// The outcome of one run as stored in the journal: status, final metrics, the recorded curve,
/// the final policy and the wall-clock time.
public struct RunRecord: Sendable, Equatable {
    /// Whether the run completed.
    public enum Status: String, Sendable {
        /// Completed (including runs ended by an exhausted query budget).
        case ok
        /// Failed with `error` (NaN, divergence, plugin error); the sweep went on.
        case failed
    }

    /// The run id.
    public var runID: String
    /// The plan fingerprint the record was produced under.
    public var fingerprint: RunFingerprint
    /// ok or failed.
    public var status: Status
    /// The failure reason (nil when ok).
    public var error: String?
    /// Iteration of the last reported checkpoint.
    public var iterations: Int
    /// Labels drawn.
    public var queries: Int
    /// Final metric values by metric id (absent where not applicable or when the run failed).
    public var finalMetrics: [String: Double]
    /// The recorded checkpoints, when held in memory (records decoded from a journal or a results
    /// directory, runs executed without a scratch directory); empty when `spill` holds them.
    public var curve: [CurvePoint]
    /// The recorded checkpoints on disk, column by column (runs executed by a sweep): the sweep's
    /// memory does not grow with them. nil when `curve` holds them.
    public var spill: CurveSpill?
    /// The journal text of the checkpoints in `spill` (the `"curve"` value), written
    /// during the run; nil when `curve` holds them.
    var journalCurveText: URL?
    /// Final policy as probabilities `[context][action]` (empty when the run failed).
    public var policy: [[Double]]
    /// Wall-clock seconds spent on the run.
    public var seconds: Double

    /// Creates a record.
    public init(runID: String, fingerprint: RunFingerprint, status: Status, error: String?, iterations: Int, queries: Int,
                finalMetrics: [String: Double], curve: [CurvePoint], policy: [[Double]], seconds: Double) {
        self.runID = runID
        self.fingerprint = fingerprint
        self.status = status
        self.error = error
        self.iterations = iterations
        self.queries = queries
        self.finalMetrics = finalMetrics
        self.curve = curve
        self.policy = policy
        self.seconds = seconds
    }

    /// The last recorded checkpoint's diagnostics (summary.csv's value of a diagnostic).
    public var lastDiagnostics: [String: Double] {
        spill?.lastDiagnostics ?? curve.last?.diagnostics ?? [:]
    }

    /// The checkpoints column by column, wherever they are held (`spill`, or `curve` converted
    /// with `Metric.ids` as the metric columns).
    /// - Complexity: O(1) with a spill; O(checkpoints · columns) otherwise.
    func curveColumns(metricNames: [String]) -> CurveSpill {
        spill ?? CurveSpill(points: curve, metricNames: metricNames)
    }
}

/// One recorded checkpoint of a run with its harness metrics and plugin diagnostics.
public struct CurvePoint: Sendable, Equatable {
    /// Iterations completed.
    public var iteration: Int
    /// Labels drawn so far.
    public var queries: Int
    /// Metric values by id (absent where not applicable).
    public var metrics: [String: Double]
    /// Plugin diagnostics by name.
    public var diagnostics: [String: Double]

    /// Creates a checkpoint row.
    public init(iteration: Int, queries: Int, metrics: [String: Double], diagnostics: [String: Double]) {
        self.iteration = iteration
        self.queries = queries
        self.metrics = metrics
        self.diagnostics = diagnostics
    }
}

extension RunRecord {
    /// The record as one JSON object (keys in a fixed order, dictionaries sorted by key; numbers in
    /// shortest round-trip form, so decoding restores every bit).
    var json: JSONValue {
        func dict(_ d: [String: Double]) -> JSONValue {
            .object(d.keys.sorted().map { JSONMember($0, .number(d[$0]!)) })
        }
        return .object([
            JSONMember("run_id", .string(runID)),
            JSONMember("fingerprint", fingerprint.json),
            JSONMember("status", .string(status.rawValue)),
            JSONMember("error", error.map { .string($0) } ?? .null),
            JSONMember("iterations", .integer(iterations)),
            JSONMember("queries", .integer(queries)),
            JSONMember("final", dict(finalMetrics)),
            JSONMember("curve", curveJSON),
            JSONMember("policy", .array(policy.map { .array($0.map { .number($0) }) })),
            JSONMember("seconds", .number(seconds)),
        ])
    }

    /// Decodes a journal object; nil when any field is missing or malformed.
    init?(json v: JSONValue) {
        guard let runID = v["run_id"]?.stringValue, let fingerprint = v["fingerprint"].flatMap(RunFingerprint.init(json:)),
              let status = v["status"]?.stringValue.flatMap(Status.init(rawValue:)),
              let errorValue = v["error"], let iterations = v["iterations"]?.integerValue,
              let queries = v["queries"]?.integerValue, let final = Self.numbers(v["final"]),
              let curveValue = v["curve"], let policyRows = v["policy"]?.arrayElements,
              let seconds = v["seconds"]?.numberValue
        else { return nil }
        let error: String?
        switch errorValue {
        case .null: error = nil
        case let .string(s): error = s
        default: return nil
        }
        guard let curve = Self.curve(json: curveValue) else { return nil }
        var policy: [[Double]] = []
        for row in policyRows {
            guard let entries = row.arrayElements else { return nil }
            let values = entries.compactMap(\.numberValue)
            guard values.count == entries.count else { return nil }
            policy.append(values)
        }
        self.init(runID: runID, fingerprint: fingerprint, status: status, error: error, iterations: iterations,
                  queries: queries, finalMetrics: final, curve: curve, policy: policy, seconds: seconds)
    }

    /// The `"curve"` value (`journalCurveFormat`): the names present at any checkpoint, each list
    /// sorted, and one row per checkpoint.
    var curveJSON: JSONValue {
        let (metrics, diagnostics) = curveColumnNames
        let rows: [JSONValue] = curve.map { p in
            .array([.integer(p.iteration), .integer(p.queries)]
                   + metrics.map { p.metrics[$0].map { JSONValue.number($0) } ?? .null }
                   + diagnostics.map { p.diagnostics[$0].map { JSONValue.number($0) } ?? .null })
        }
        return .object([JSONMember("m", .array(metrics.map { JSONValue.string($0) })),
                        JSONMember("d", .array(diagnostics.map { JSONValue.string($0) })),
                        JSONMember("rows", .array(rows))])
    }

    /// Decodes a `"curve"` value of either format (`journalCurveFormat`); nil when malformed: a row
    /// of the wrong length, a non-integer iteration or query count, a value neither a number nor
    /// null, a repeated or non-string column name, or (format 1) a checkpoint without its members.
    static func curve(json v: JSONValue) -> [CurvePoint]? {
        if let elements = v.arrayElements {  // format 1: one object per checkpoint
            var curve: [CurvePoint] = []
            curve.reserveCapacity(elements.count)
            for c in elements {
                guard let i = c["i"]?.integerValue, let q = c["q"]?.integerValue, let m = numbers(c["m"]),
                      let d = numbers(c["d"]) else { return nil }
                curve.append(CurvePoint(iteration: i, queries: q, metrics: m, diagnostics: d))
            }
            return curve
        }
        guard let members = v.objectMembers, members.count == 3, let metrics = names(v["m"]), let diagnostics = names(v["d"]),
              let rows = v["rows"]?.arrayElements else { return nil }
        var curve: [CurvePoint] = []
        curve.reserveCapacity(rows.count)
        let width = 2 + metrics.count + diagnostics.count
        for row in rows {
            guard let cells = row.arrayElements, cells.count == width, let i = cells[0].integerValue,
                  let q = cells[1].integerValue else { return nil }
            var point = CurvePoint(iteration: i, queries: q, metrics: [:], diagnostics: [:])
            for (k, cell) in cells.dropFirst(2).enumerated() {
                let value: Double
                switch cell {
                case .null: continue
                default:
                    guard let x = cell.numberValue else { return nil }
                    value = x
                }
                if k < metrics.count { point.metrics[metrics[k]] = value } else { point.diagnostics[diagnostics[k - metrics.count]] = value }
            }
            curve.append(point)
        }
        return curve
    }

    /// A JSON object of numbers as a dictionary; nil when it is not one.
    private static func numbers(_ v: JSONValue?) -> [String: Double]? {
        guard let members = v?.objectMembers else { return nil }
        var out: [String: Double] = [:]
        for m in members {
            guard let x = m.value.numberValue else { return nil }
            out[m.key] = x
        }
        return out
    }

    /// A JSON array of distinct strings (a format-2 curve's column names); nil when it is not one.
    static func names(_ v: JSONValue?) -> [String]? {
        guard let elements = v?.arrayElements else { return nil }
        let list = elements.compactMap(\.stringValue)
        guard list.count == elements.count, Set(list).count == list.count else { return nil }
        return list
    }
}

extension RunFingerprint {
    /// The fingerprint as a journal object {"definition", "inputs", "algorithm", "harness", "libraries"}.
    var json: JSONValue {
        .object([JSONMember("definition", .string(definition)), JSONMember("inputs", .string(inputs)),
                 JSONMember("algorithm", .string(algorithm)), JSONMember("harness", .string(harness)),
                 JSONMember("libraries", .string(libraries))])
    }

    /// Decodes a journal fingerprint: the object form, or the bare string of journals written before
    /// code fingerprints existed (`legacy`).
    init?(json v: JSONValue) {
        if let s = v.stringValue {
            self = .legacy(s)
            return
        }
        guard let d = v["definition"]?.stringValue, let i = v["inputs"]?.stringValue, let a = v["algorithm"]?.stringValue,
              let h = v["harness"]?.stringValue, let l = v["libraries"]?.stringValue else { return nil }
        self.init(definition: d, inputs: i, algorithm: a, harness: h, libraries: l)
    }
}
