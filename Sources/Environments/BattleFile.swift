import AlignmentCore
import Foundation

/// The verdict of one battle, as Chatbot Arena writes it in its `winner` column.
public enum BattleOutcome: UInt8, Sendable, Hashable, CaseIterable {
    /// `model_a`: the first model won.
    case modelA
    /// `model_b`: the second model won.
    case modelB
    /// `tie`: both were judged equally good.
    case tie
    /// `tie (bothbad)`: both were judged equally bad (counted as a tie).
    case tieBothBad

    /// The spelling in a battles file, in `allCases` order.
    public static let names = ["model_a", "model_b", "tie", "tie (bothbad)"]

    /// The spelling in a battles file.
    public var name: String { Self.names[Int(rawValue)] }

    /// The outcome with the given spelling, or nil.
    public init?(name: String) {
        guard let k = Self.names.firstIndex(of: name) else { return nil }
        self = Self.allCases[k]
    }

    /// The first model's score: 1 (won), 0 (lost), ½ (either kind of tie).
    public var scoreA: Double {
        switch self {
        case .modelA: return 1
        case .modelB: return 0
        case .tie, .tieBothBad: return 0.5
        }
    }
}

/// One pairwise vote: models `a` and `b` (indices into `BattleFile.models`, a ≠ b), the outcome,
/// the judge (an index into `BattleFile.judges`) and the optional turn count.
public struct BattleVote: Sendable, Hashable {
    /// Index of `model_a`.
    public var a: Int
    /// Index of `model_b`.
    public var b: Int
    /// The verdict.
    public var outcome: BattleOutcome
    /// Index of the judge (the unnamed judge "" when the file gives none).
    public var judge: Int
    /// The `turn` value (a positive integer) when given; checked, otherwise unused.
    public var turn: Int?

    /// Creates a vote.
    public init(a: Int, b: Int, outcome: BattleOutcome, judge: Int = 0, turn: Int? = nil) {
        self.a = a
        self.b = b
        self.outcome = outcome
        self.judge = judge
        self.turn = turn
    }
}

/// Pairwise votes in the Chatbot-Arena layout (Chiang et al. 2024, "Chatbot Arena: An Open
/// Platform for Evaluating LLMs by Human Preference"), validated with errors that name the file,
/// line and column.
///
/// CSV (RFC 4180, a header row) or JSON Lines (one object per line): `model_a`, `model_b` (model
/// names, non-empty, different, no control characters), `winner` ∈ {`model_a`, `model_b`, `tie`,
/// `tie (bothbad)`}, optional `judge` (a name; votes without one belong to the unnamed judge "")
/// and optional `turn` (a positive integer; checked, not used). Other columns/keys are ignored
/// (Arena exports carry many). Blank lines are skipped. Leading and trailing spaces of a field are
/// dropped.
///
/// The responses of the environments built from a file are its model names sorted by their UTF-8
/// bytes; judges are sorted the same way.
public struct BattleFile: Sendable, Equatable {
    /// The model names, sorted by UTF-8 bytes: response i is `models[i]`.
    public var models: [String]
    /// The judge names, sorted by UTF-8 bytes ("" = votes without a judge).
    public var judges: [String]
    /// The votes in file order.
    public var votes: [BattleVote]

    /// Creates a file's contents from parts (tests); `votes` index into `models` and `judges`.
    public init(models: [String], judges: [String], votes: [BattleVote]) {
        self.models = models
        self.judges = judges
        self.votes = votes
    }

    /// Most models (responses) a battles file may name: `EnvironmentCatalog.maximumActions`.
    public static let maximumModels = EnvironmentCatalog.maximumActions
    /// Longest model or judge name, in UTF-8 bytes.
    public static let maximumNameBytes = 256
    /// The columns every vote needs.
    public static let requiredColumns = ["model_a", "model_b", "winner"]
    /// The optional columns that are read.
    public static let optionalColumns = ["judge", "turn"]

    /// Reads and validates a battles file.
    /// - Parameters:
    ///   - input: the file's path (for messages and the extension) and bytes.
    ///   - format: "csv", "jsonl", or "auto": by extension (`.csv`; `.jsonl`/`.ndjson`), else JSON
    ///     Lines when the first non-blank character is `{`.
    ///   - parameter: the parameter named in errors (default "path").
    /// - Throws: `AlignmentCoreError.invalidParameter(name: parameter, …)` whose one-line reason
    ///   names the file, the line and column of the first problem, what is wrong and what is allowed.
    /// - Complexity: O(file size).
    public static func load(_ input: InputFile, format: String = "auto", parameter: String = "path") throws -> BattleFile {
        let path = input.path
        func fail(_ why: String) -> AlignmentCoreError {
            .invalidParameter(name: parameter, reason: "battles file \(path): \(why)")
        }
        guard let text = input.text else { throw fail("cannot be read as UTF-8 text") }
        var kind = format
        if kind == "auto" {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            kind = ext == "csv" ? "csv" : (ext == "jsonl" || ext == "ndjson") ? "jsonl"
                : (text.first { !$0.isWhitespace } == "{" ? "jsonl" : "csv")
        }
        var builder = Builder(fail: fail)
        if kind == "jsonl" { try parseJSONLines(text, into: &builder) } else { try parseCSV(text, path: path, into: &builder) }
        return try builder.finish()
    }

    /// Collects raw votes (names as strings) and turns them into indices into sorted name lists.
    struct Builder {
        let fail: (String) -> AlignmentCoreError
        var modelIndex: [String: Int] = [:]
        var judgeIndex: [String: Int] = [:]
        var raw: [BattleVote] = []

        init(fail: @escaping (String) -> AlignmentCoreError) { self.fail = fail }

        /// Adds one vote; `at` is "line N" for messages, `column` names a field ("column X" / "key X").
        mutating func add(a: String, b: String, winner: String, judge: String?, turn: String?,
                          line: Int, column: (String) -> String) throws {
            let at = "line \(line), \(column("model_a"))"
            try Self.checkName(a, at: at, what: "model_a", fail: fail)
            try Self.checkName(b, at: "line \(line), \(column("model_b"))", what: "model_b", fail: fail)
            guard a != b else {
                throw fail("line \(line): model_a and model_b are the same model; allowed: two different models")
            }
            guard let outcome = BattleOutcome(name: winner) else {
                throw fail("line \(line), \(column("winner")): \(Self.describeWinner(winner)) is not a verdict; allowed: "
                    + BattleOutcome.names.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            var turnValue: Int?
            if let t = turn, !t.isEmpty {
                guard let v = Int(t), v >= 1 else {
                    throw fail("line \(line), \(column("turn")): \(MatrixFile.describeField(t)) is not a turn count; allowed: a positive integer or empty")
                }
                turnValue = v
            }
            let j = judge ?? ""
            if !j.isEmpty { try Self.checkName(j, at: "line \(line), \(column("judge"))", what: "judge", fail: fail) }
            func index(_ name: String, _ table: inout [String: Int]) -> Int {
                if let k = table[name] { return k }
                table[name] = table.count
                return table.count - 1
            }
            let ia = index(a, &modelIndex), ib = index(b, &modelIndex)
            guard modelIndex.count <= BattleFile.maximumModels else {
                throw fail("line \(line): more than \(BattleFile.maximumModels) models; allowed: at most \(BattleFile.maximumModels) (the largest game the harness solves)")
            }
            raw.append(BattleVote(a: ia, b: ib, outcome: outcome, judge: index(j, &judgeIndex), turn: turnValue))
        }

        /// A model or judge name: non-empty, at most `maximumNameBytes`, no control characters.
        static func checkName(_ s: String, at: String, what: String, fail: (String) -> AlignmentCoreError) throws {
            guard !s.isEmpty else { throw fail("\(at): the \(what) name is empty; allowed: a non-empty name") }
            guard s.utf8.count <= BattleFile.maximumNameBytes else {
                throw fail("\(at): a name of \(s.utf8.count) bytes; allowed: at most \(BattleFile.maximumNameBytes) bytes")
            }
            if s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                throw fail("\(at): the \(what) name contains a control character; allowed: printable text")
            }
        }

        /// A `winner` value for a message: shown when it is a near miss of a verdict (a typo) and
        /// short; otherwise only its length (the file may be any file, so content is not echoed).
        static func describeWinner(_ s: String) -> String {
            if s.isEmpty { return "an empty field" }
            if s.count <= 40, Suggestion.closest(to: s, among: BattleOutcome.names) != nil { return MatrixFile.shown(s) }
            return "a value of \(s.utf8.count) byte\(s.utf8.count == 1 ? "" : "s")"
        }

        /// Sorts names by UTF-8 bytes and re-indexes the votes.
        func finish() throws -> BattleFile {
            guard !raw.isEmpty else { throw fail("has no votes; allowed: at least one vote (a row with model_a, model_b, winner)") }
            func sorted(_ table: [String: Int]) -> (names: [String], map: [Int]) {
                let names = table.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                var map = [Int](repeating: 0, count: names.count)
                for (k, name) in names.enumerated() { map[table[name]!] = k }
                return (names, map)
            }
            let m = sorted(modelIndex), j = sorted(judgeIndex)
            let votes = raw.map { BattleVote(a: m.map[$0.a], b: m.map[$0.b], outcome: $0.outcome, judge: j.map[$0.judge], turn: $0.turn) }
            return BattleFile(models: m.names, judges: j.names, votes: votes)
        }
    }
}
