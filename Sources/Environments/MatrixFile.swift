import AlignmentCore
import Foundation

/// The contents of a `matrix` environment file: P per context and optionally μ, a true reward and
/// context weights, validated with errors that name the file and the offending entry.
///
/// JSON: an object with `"preference"` (an n×n matrix, or an array of them, one per context) and
/// optionally `"reference"` (probabilities: one row for every context, or one row per context),
/// `"reward"` (likewise, or null), `"context_weights"` (one non-negative number per context) and
/// `"log_reference"` (log μ rows, null for −∞, normalised within 1e-12: used instead of
/// `"reference"` and kept bit for bit, so an export loads back exactly); `"id"`, `"actions"` and
/// `"contexts"` (as written by `bench env export`) are allowed too.
///
/// CSV: one block of n rows of n comma-separated numbers per context, blocks separated by blank
/// lines; a block may be followed by rows `reference,μ_1,…,μ_n`, `log_reference,…` (`-inf`
/// allowed), `reward,r_1,…,r_n` and `weight,w` for that context (each kind in all blocks or none).
/// Lines starting with `#` are comments.
///
/// Every P must be square with entries in [0, 1] and P + Pᵀ = 1 within 1e-9 (the lower triangle is
/// then set to exactly 1 − the upper triangle); indices in messages are 0-based.
public struct MatrixFile: Sendable, Equatable {
    /// P per context, as rows.
    public var preferences: [[[Double]]]
    /// μ rows (one, or one per context).
    public var reference: [[Double]]?
    /// Reward rows (one, or one per context).
    public var reward: [[Double]]?
    /// Context weights.
    public var contextWeights: [Double]?
    /// log μ rows (one, or one per context), normalised; preferred over `reference`.
    public var logReference: [[Double]]? = nil

    /// Tolerance of the check |P_ij + P_ji − 1| ≤ tolerance.
    public static let symmetryTolerance = 1e-9

    /// Reads and validates a file.
    /// - Parameters:
    ///   - path: the file path (relative paths are resolved against the current directory).
    ///   - format: "json", "csv", or "auto" (by extension, else by the first character).
    /// - Throws: `AlignmentCoreError.invalidParameter(name: "path", …)` whose reason names the file,
    ///   context, row, column and value of the first problem.
    public static func load(path: String, format: String = "auto") throws -> MatrixFile {
        try load(InputFile.read(path: path, parameter: "path"), format: format)
    }

    /// Validates a file's contents as read by the harness.
    /// - Parameters:
    ///   - input: the file's path (for messages and the extension) and bytes.
    ///   - format: "json", "csv", or "auto" (by extension, else by the first character).
    /// - Throws: `AlignmentCoreError.invalidParameter(name: "path", …)` whose reason names the file,
    ///   context, row, column and value of the first problem.
    /// - Complexity: O(file size + contexts × actions²).
    public static func load(_ input: InputFile, format: String = "auto") throws -> MatrixFile {
        let path = input.path
        func fail(_ why: String) -> AlignmentCoreError {
            .invalidParameter(name: "path", reason: "matrix file \(path): \(why)")
        }
        guard let text = input.text else { throw fail("cannot be read as UTF-8 text") }
        var kind = format
        if kind == "auto" {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            kind = ext == "json" ? "json" : ext == "csv" ? "csv" : (text.first { !$0.isWhitespace } == "{" ? "json" : "csv")
        }
        if let why = sizeProblem(text, json: kind == "json") { throw fail(why) }
        var file = try kind == "json" ? parseJSON(text, fail: fail) : parseCSV(text, fail: fail)
        try file.validate(fail: fail)
        return file
    }

    /// Most actions a matrix file may have (as every other environment kind).
    public static let maximumActions = EnvironmentCatalog.maximumActions
    /// Most numbers a matrix file may hold: 2²⁴ preference entries (one context of 4096 actions)
    /// plus room for μ, reward and weight rows. (A file is also at most `InputFile.maximumBytes`.)
    public static let maximumNumbers = 18_000_000

    /// The size of a file's content, bounded before it is parsed: one pass over the bytes counts
    /// the numbers (a digit after a separator, or after a sign or '.' that follows one, starts one) and the
    /// entries of the first matrix row (CSV: the first line that is not blank or a comment, less a
    /// `reference`/`reward` label; JSON: the first array of numbers after `"preference"`).
    /// - Returns: why the file is too large, or nil.
    /// - Complexity: O(bytes).
    static func sizeProblem(_ text: String, json: Bool, maximumActions: Int = maximumActions,
                            maximumNumbers: Int = maximumNumbers) -> String? {
        let bytes = Array(text.utf8)
        func isPart(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2E || b == 0x2B || b == 0x2D
        }
        var numbers = 0
        for (k, b) in bytes.enumerated() where b >= 0x30 && b <= 0x39 {
            // A number starts at a digit after a separator, or after a sign or '.' that follows one.
            let prev = k > 0 ? bytes[k - 1] : 0x20
            let lead = prev == 0x2B || prev == 0x2D || prev == 0x2E
            if !isPart(prev) || (lead && (k < 2 || !isPart(bytes[k - 2]))) { numbers += 1 }
        }
        if numbers > maximumNumbers {
            return "holds \(numbers) numbers; allowed: at most \(maximumNumbers) (at most 2²⁴ preference entries, contexts × actions², plus μ, reward and weight rows)"
        }
        var width = 0
        if json {
            guard let key = text.range(of: "\"preference\"") else { return nil }
            var k = text.utf8.distance(from: text.utf8.startIndex, to: key.upperBound.samePosition(in: text.utf8) ?? text.utf8.endIndex)
            // The first '[' whose next non-blank byte is not '[' opens the first row.
            while k < bytes.count {
                if bytes[k] == UInt8(ascii: "[") {
                    var n = k + 1
                    while n < bytes.count && (bytes[n] == 0x20 || bytes[n] == 0x0A || bytes[n] == 0x0D || bytes[n] == 0x09) { n += 1 }
                    if n < bytes.count && bytes[n] != UInt8(ascii: "[") { k = n; break }
                }
                k += 1
            }
            var entries = 1
            while k < bytes.count && bytes[k] != UInt8(ascii: "]") && bytes[k] != UInt8(ascii: "[") {
                if bytes[k] == UInt8(ascii: ",") { entries += 1 }
                k += 1
            }
            width = entries
        } else {
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
                let t = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                start = end + 1
                guard !t.isEmpty, !t.hasPrefix("#") else { continue }
                let lower = t.lowercased()
                width = t.utf8.filter { $0 == UInt8(ascii: ",") }.count + 1
                    - (lower.hasPrefix("reference") || lower.hasPrefix("reward") ? 1 : 0)
                break
            }
        }
        if width > maximumActions {
            return "row 0 has \(width) entries; allowed: at most \(maximumActions) actions"
        }
        return nil
    }

    /// Checks shapes, ranges and P + Pᵀ = 1, and makes the lower triangles exact complements.
    mutating func validate(fail: (String) -> AlignmentCoreError) throws {
        guard !preferences.isEmpty else { throw fail("has no preference matrix") }
        let n = preferences[0].count
        let m = preferences.count
        for (x, p) in preferences.enumerated() {
            let at = m > 1 ? "context \(x), " : ""
            guard p.count == n else {
                throw fail("context \(x) has \(p.count) rows but context 0 has \(n) (every context needs the same actions)")
            }
            guard n >= 1 else { throw fail("the preference matrix is empty") }
            for (i, row) in p.enumerated() {
                guard row.count == n else {
                    throw fail("\(at)row \(i) has \(row.count) entries but there are \(n) rows (P must be square)")
                }
                for (j, v) in row.enumerated() where !(v.isFinite && v >= 0 && v <= 1) {
                    throw fail("\(at)row \(i), column \(j): value \(v) is outside [0, 1]")
                }
            }
            for i in 0..<n {
                for j in i..<n {
                    let s = p[i][j] + p[j][i]
                    guard abs(s - 1) <= Self.symmetryTolerance else {
                        throw fail(i == j
                            ? "\(at)row \(i), column \(i): diagonal value \(p[i][i]) must be 0.5 (P + Pᵀ = 1)"
                            : "\(at)row \(i), column \(j): P[\(i)][\(j)] + P[\(j)][\(i)] = \(p[i][j]) + \(p[j][i]) = \(s), expected 1 (within \(Self.symmetryTolerance))")
                    }
                }
            }
            for i in 0..<n {
                preferences[x][i][i] = 0.5
                for j in (i + 1)..<max(i + 1, n) { preferences[x][j][i] = 1 - p[i][j] }
            }
        }
        func checkRows(_ rows: [[Double]]?, _ name: String, probabilities: Bool) throws {
            guard let rows else { return }
            guard rows.count == 1 || rows.count == m else {
                throw fail("\(name) has \(rows.count) rows; expected 1 or \(m) (one per context)")
            }
            for (x, r) in rows.enumerated() {
                guard r.count == n else { throw fail("\(name) row \(x) has \(r.count) entries, expected \(n)") }
                for (y, v) in r.enumerated() where !v.isFinite || (probabilities && v < 0) {
                    throw fail("\(name) row \(x), column \(y): value \(v) is not \(probabilities ? "a non-negative probability" : "finite")")
                }
                if probabilities, r.reduce(0, +) <= 0 { throw fail("\(name) row \(x) sums to 0") }
            }
        }
        try checkRows(reference, "reference", probabilities: true)
        if let rows = logReference {
            guard rows.count == 1 || rows.count == m else {
                throw fail("log_reference has \(rows.count) rows; expected 1 or \(m) (one per context)")
            }
            for (x, r) in rows.enumerated() {
                guard r.count == n else { throw fail("log_reference row \(x) has \(r.count) entries, expected \(n)") }
                if let y = r.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
                    throw fail("log_reference row \(x), column \(y): value \(r[y]) is not a finite number or -inf")
                }
                let z = LogSpace.logSumExp(r)
                guard abs(z) <= 1e-12 else {
                    throw fail("log_reference row \(x) is not normalised: log Σ exp = \(z), expected 0 within 1e-12")
                }
            }
        }
        try checkRows(reward, "reward", probabilities: false)
        if let w = contextWeights {
            guard w.count == m, w.allSatisfy({ $0 >= 0 && $0.isFinite }), w.reduce(0, +) > 0 else {
                throw fail("context_weights must be \(m) non-negative numbers with a positive sum")
            }
        }
    }
}
