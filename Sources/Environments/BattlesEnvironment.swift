import AlignmentCore
import Foundation
import PreferenceLearning

/// Real battle data: pairwise votes in the Chatbot-Arena layout (`BattleFile`), aggregated with
/// ties as half wins. The responses are the file's model names sorted by their UTF-8 bytes.
///
/// `model` chooses which of two environments the votes define:
/// - `empirical`: P̂(i ≻ j) = (w_ij + α)/(n_ij + 2α), w_ij = wins + ties/2, n_ij = votes of the pair,
///   α = `smoothing`; a pair never compared gets ½. With `judges: "mixture"` every judge is an
///   annotator type with its own empirical preference (½ on the pairs it never judged) and weight
///   its share of the votes, P = Σ_k (N_k/N) P̂_k (as `AnnotatorMixtureEnvironment`).
/// - `bradley-terry`: the Bradley–Terry projection P_BT(i ≻ j) = σ(r_i − r_j), r the maximum-
///   likelihood fit (Bradley & Terry 1952) to the pooled counts w_ij + α (`BradleyTerryRewardModel.fit`).
///   With α = 0 the fit exists only when the win graph is strongly connected (Zermelo 1929); a file
///   where it is not is refused with the set of models that never lose to the others.
/// Every context has the same matrix. The file is read and validated when the environment is
/// created, so a bad file is reported when the spec is validated.
public struct BattlesEnvironment: Environment {
    public static let descriptor = EnvironmentDescriptor(
        kind: "battles",
        summary: "pairwise votes in the Chatbot-Arena layout (CSV or JSON Lines): the empirical preference (smoothed, per judge) or its Bradley–Terry projection",
        parameters: [
            ParameterSpec("path", .inputFile, default: nil, required: true,
                          doc: "the votes (relative to the current directory): CSV with a header, or JSON Lines; model_a, model_b, winner ∈ {model_a, model_b, tie, tie (bothbad)}, optional judge and turn; other columns ignored; responses = model names sorted by UTF-8 bytes"),
            ParameterSpec("format", .choice(["auto", "csv", "jsonl"]), default: .string("auto"),
                          doc: "file format; auto: by extension (.csv; .jsonl/.ndjson), else JSON Lines when the file starts with '{'"),
            ParameterSpec("model", .choice(["empirical", "bradley-terry"]), default: .string("empirical"),
                          doc: "empirical: P̂(i ≻ j) = (wins + ties/2 + α)/(votes + 2α), ½ for pairs never compared; bradley-terry: σ(r_i − r_j) with r the maximum-likelihood fit to the same counts"),
            ParameterSpec("judges", .choice(["pooled", "mixture"]), default: .string("pooled"),
                          doc: "pooled: every vote counts alike; mixture (model empirical only): one annotator type per judge, weight = the judge's share of the votes"),
            ParameterSpec("smoothing", .real(.nonNegative), default: .number(0),
                          doc: "α ≥ 0: α pseudo-wins each way for every pair (also in the Bradley–Terry fit, whose estimate is then always finite)"),
        ],
        transitivity: "depends on the votes (checked); the bradley-terry model is transitive",
        hasTrueReward: false,
        isRandom: false,
        examples: [
            EnvironmentExample("a CSV file with a three-model cycle", parameters: ["path": .string("battles.csv")], files: [
                "path": "model_a,model_b,winner\nx,y,model_a\nx,y,model_a\ny,z,model_a\nz,x,model_a\nx,z,tie\ny,x,tie (bothbad)\n",
            ]),
            EnvironmentExample("JSON Lines, two judges as a mixture, smoothing 1", parameters: [
                "path": .string("battles.jsonl"), "judges": .string("mixture"), "smoothing": .number(1),
            ], files: [
                "path": #"{"model_a": "x", "model_b": "y", "winner": "model_a", "judge": "j1"}"# + "\n"
                    + #"{"model_a": "y", "model_b": "z", "winner": "tie", "judge": "j2", "turn": 2}"# + "\n"
                    + #"{"model_a": "z", "model_b": "x", "winner": "model_b", "judge": "j2"}"# + "\n",
            ]),
            EnvironmentExample("the Bradley–Terry projection of a cycle", parameters: ["path": .string("battles.csv"), "model": .string("bradley-terry")], files: [
                "path": "model_a,model_b,winner\nx,y,model_a\nx,y,model_a\ny,z,model_a\nz,x,model_a\ny,x,model_a\n",
            ]),
        ])

    /// The file as given.
    public let path: String
    /// The validated votes.
    public let file: BattleFile
    /// `empirical` or `bradley-terry`.
    public let model: String
    /// `pooled` or `mixture`.
    public let judges: String
    /// α.
    public let smoothing: Double
    /// P as rows (the same in every context).
    public let preference: [[Double]]
    /// The Bradley–Terry ratings r (mean 0) when `model` is `bradley-terry`.
    public let ratings: [Double]?

    /// Reads and validates the file and builds P.
    /// - Throws: `AlignmentCoreError.invalidParameter(name: "path", …)` naming the file, line and
    ///   column of a bad vote, or the unbeaten models when the Bradley–Terry fit does not exist;
    ///   `.invalidParameter(name: "judges", …)` for a mixture of the Bradley–Terry model;
    ///   `.numericalFailure` when the fit does not converge.
    public init(parameters: ParameterValues) throws {
        path = parameters.string("path")
        model = parameters.string("model")
        judges = parameters.string("judges")
        smoothing = parameters.double("smoothing")
        if model == "bradley-terry" && judges == "mixture" {
            throw AlignmentCoreError.invalidParameter(name: "judges", reason: "\"mixture\" applies to model \"empirical\"; the Bradley–Terry projection is fitted to the pooled votes (use judges \"pooled\")")
        }
        file = try BattleFile.load(parameters.inputFile("path"), format: parameters.string("format"))
        let n = file.models.count
        if model == "bradley-terry" {
            let r = try Self.fitRatings(BattleTally(file), smoothing: smoothing, file: file, path: path)
            ratings = r
            preference = (0..<n).map { i in (0..<n).map { j in i == j ? 0.5 : BradleyTerryRewardModel.sigmoid(r[i] - r[j]) } }
        } else {
            ratings = nil
            let t = BattleTally(file), alpha = smoothing
            preference = judges == "mixture" ? Self.mixture(file, smoothing: alpha)
                : (0..<n).map { i in (0..<n).map { j in t.empirical(i, j, smoothing: alpha) } }
        }
    }

    /// The Bradley–Terry maximum-likelihood ratings (mean 0) of a tally with α pseudo-wins.
    /// - Throws: `AlignmentCoreError.invalidParameter(name: "path", …)` when α = 0 and the win
    ///   graph is not strongly connected (no finite estimate); `.numericalFailure` when Newton's
    ///   method does not converge.
    static func fitRatings(_ tally: BattleTally, smoothing: Double, file: BattleFile, path: String) throws -> [Double] {
        if smoothing == 0, let set = tally.unbeatenSet() {
            let names = set.prefix(3).map { "\"\(file.models[$0])\"" }.joined(separator: ", ") + (set.count > 3 ? ", …" : "")
            throw AlignmentCoreError.invalidParameter(
                name: "path",
                reason: "battles file \(path): the Bradley–Terry fit has no finite maximum: \(set.count) model\(set.count == 1 ? "" : "s") (\(names)) never lose\(set.count == 1 ? "s" : "") to the other \(tally.models - set.count) (a tie counts both ways); allowed: votes whose win graph is strongly connected, or smoothing > 0")
        }
        guard let r = BattleRatings.maximumLikelihood(tally, smoothing: smoothing) else {
            throw AlignmentCoreError.numericalFailure(iteration: 0, reason: "the Bradley–Terry fit to \(path) did not converge")
        }
        return r
    }

    /// P = Σ_k (N_k/N) P̂_k with P̂_k judge k's smoothed empirical preference (½ on pairs it never
    /// judged), accumulated as ½ + Σ_k (N_k/N)(P̂_k − ½) over the pairs each judge compared.
    /// - Complexity: O(votes + n²).
    static func mixture(_ file: BattleFile, smoothing alpha: Double) -> [[Double]] {
        let n = file.models.count
        // Per (judge, i < j): i's score and the votes.
        var cells: [Int: (score: Double, votes: Double)] = [:]
        var perJudge = [Double](repeating: 0, count: file.judges.count)
        for v in file.votes {
            let (i, j, s) = v.a < v.b ? (v.a, v.b, v.outcome.scoreA) : (v.b, v.a, 1 - v.outcome.scoreA)
            let key = (v.judge * n + i) * n + j
            let c = cells[key] ?? (0, 0)
            cells[key] = (c.score + s, c.votes + 1)
            perJudge[v.judge] += 1
        }
        let total = Double(file.votes.count)
        var p = [[Double]](repeating: [Double](repeating: 0.5, count: n), count: n)
        // Summed in key order so the result does not depend on dictionary order.
        for key in cells.keys.sorted() {
            let c = cells[key]!
            let j = key % n, i = (key / n) % n, judge = key / (n * n)
            let d = perJudge[judge] / total * ((c.score + alpha) / (c.votes + 2 * alpha) - 0.5)
            p[i][j] += d
        }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { p[i][j] = min(1, max(0, p[i][j])); p[j][i] = 1 - p[i][j] } }
        return p
    }

    /// P in every context.
    /// - Throws: `AlignmentCoreError.invalidPreference` (cannot happen: P is built with P + Pᵀ = 1).
    public func groundTruth(contexts: Int, seed: UInt64) throws -> GroundTruth {
        let p = try PreferenceMatrix.fromUpperTriangle(size: preference.count) { i, j in preference[i][j] }
        return GroundTruth(preferences: Array(repeating: p, count: contexts),
                           isTransitive: PreferenceStructure.isWeaklyTransitive(p))
    }
}
