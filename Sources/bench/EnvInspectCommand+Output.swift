import AlignmentCore
import Environments
import Foundation
import ResultFiles
import Sweep

extension BattleInspection {
    /// The percentage of the level, e.g. "95%".
    var level: String { CanonicalNumber.format(confidence * 100) + "%" }

    /// A number with 4 decimals.
    static func f4(_ x: Double) -> String { String(format: "%.4f", x) }

    /// Models in table order: by rating (highest first) when there is a fit, else by name.
    var order: [Int] {
        guard case let .success(r) = ratings else { return Array(0..<file.models.count) }
        return (0..<file.models.count).sorted { r.ratings[$0] != r.ratings[$1] ? r.ratings[$0] > r.ratings[$1] : $0 < $1 }
    }

    /// Human-readable report.
    func text() -> String {
        let n = file.models.count, votes = file.votes.count
        let pairs = tally.comparedPairs, (allTies, bothBad) = ties
        var out = "battles \(source)" + (environment.map { " (environment \($0))" } ?? "") + "\n"
        out += "  responses: \(n) models (sorted by name); votes: \(votes), ties: \(allTies) (\(bothBad) \"tie (bothbad)\"), each half a win to both sides\n"
        let judges = file.judges.enumerated().map { k, name in
            "\(name.isEmpty ? "(no judge)" : name) \(judgeVotes[k]) (\(String(format: "%.1f", 100 * Double(judgeVotes[k]) / Double(votes)))%)"
        }
        out += "  judges: \(file.judges.count): " + judges.joined(separator: ", ") + "\n"
        out += "  pairs: \(pairs.compared) of \(n * (n - 1) / 2) compared; \(pairs.never) never compared (P̂ = ½ there)\n"
        out += "  cyclic triads (majority relation): \(tally.cyclicTriads) of \(tally.decidedTriads) decided triples; at most \(BattleTally.maximumCyclicTriads(models: n)) for \(n) models (Kendall & Babington Smith 1940)\n"
        switch ratings {
        case let .failure(error):
            out += "  Bradley–Terry: \(error)\n"
        case let .success(r):
            let boot = bootstrap.map { "; bootstrap \($0.replicates) replicates over votes, seed \(seed), \($0.excluded) excluded (no finite fit)" } ?? "; no bootstrap"
            out += "  Bradley–Terry ratings (maximum likelihood, mean 0), \(level) intervals: sandwich (Huber–White) normal\(boot)\n"
            var rows = [["rank", "model", "votes", "win_rate", "rating", "se_sandwich", "sandwich_low", "sandwich_high", "bootstrap_low", "bootstrap_high"]]
            for (rank, i) in order.enumerated() {
                let rec = record(i), s = r.sandwichInterval(i, confidence: confidence)
                let b = bootstrap?.interval(i, confidence: confidence)
                rows.append([String(rank + 1), file.models[i], CanonicalNumber.format(rec.votes), Self.f4(rec.winRate),
                              Self.f4(r.ratings[i]), Self.f4(r.standardErrors[i]), Self.f4(s.lower), Self.f4(s.upper),
                              b.map { Self.f4($0.lower) } ?? "", b.map { Self.f4($0.upper) } ?? ""])
            }
            out += textTable(rows).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 + "\n" }.joined()
            if let l = loss {
                let (i, j) = l.maxPair
                out += "  accuracy on the votes: majority \(Self.f4(l.majorityAccuracy)), Bradley–Terry \(Self.f4(l.modelAccuracy)) (loses \(Self.f4(l.majorityAccuracy - l.modelAccuracy))); "
                    + "\(l.reversedPairs) pair\(l.reversedPairs == 1 ? "" : "s") reversed\n"
                out += "  |P̂ − P_BT|: max \(Self.f4(l.maxDifference)) (\(file.models[i]) vs \(file.models[j])), vote-weighted mean \(Self.f4(l.meanDifference))\n"
            }
        }
        return out
    }

    /// The JSON object (see `EnvInspectCommand`'s discussion).
    func json() -> JSONValue {
        let pairs = tally.comparedPairs, (allTies, bothBad) = ties
        let n = file.models.count
        var fit: JSONValue
        switch ratings {
        case let .failure(error):
            fit = .object([JSONMember("error", .string("\(error)"))])
        case let .success(r):
            func pair(_ p: (lower: Double, upper: Double)) -> JSONValue { .array([.number(p.lower), .number(p.upper)]) }
            fit = .object([
                JSONMember("ratings", .array(r.ratings.map { JSONValue.number($0) })),
                JSONMember("se_sandwich", .array(r.standardErrors.map { JSONValue.number($0) })),
                JSONMember("sandwich_intervals", .array((0..<n).map { pair(r.sandwichInterval($0, confidence: confidence)) })),
                JSONMember("bootstrap_intervals", bootstrap.map { b in .array((0..<n).map { b.interval($0, confidence: confidence).map(pair) ?? .null }) } ?? .null),
                JSONMember("bootstrap_replicates", .integer(bootstrap?.replicates ?? 0)),
                JSONMember("bootstrap_excluded", .integer(bootstrap?.excluded ?? 0)),
                JSONMember("seed", .string(String(seed))),
            ])
        }
        let lossValue: JSONValue = loss.map { l in
            .object([
                JSONMember("majority_accuracy", .number(l.majorityAccuracy)),
                JSONMember("bradley_terry_accuracy", .number(l.modelAccuracy)),
                JSONMember("reversed_pairs", .integer(l.reversedPairs)),
                JSONMember("max_difference", .number(l.maxDifference)),
                JSONMember("max_difference_pair", .array([.string(file.models[l.maxPair.0]), .string(file.models[l.maxPair.1])])),
                JSONMember("mean_difference", .number(l.meanDifference)),
            ])
        } ?? .null
        return .object([
            JSONMember("source", .string(source)),
            JSONMember("environment", environment.map { .string($0) } ?? .null),
            JSONMember("models", .array(file.models.map { .string($0) })),
            JSONMember("votes", .integer(file.votes.count)),
            JSONMember("ties", .integer(allTies)),
            JSONMember("ties_bothbad", .integer(bothBad)),
            JSONMember("judges", .array(file.judges.enumerated().map { k, name in
                .object([JSONMember("name", .string(name)), JSONMember("votes", .integer(judgeVotes[k]))])
            })),
            JSONMember("pairs_compared", .integer(pairs.compared)),
            JSONMember("pairs_never_compared", .integer(pairs.never)),
            JSONMember("cyclic_triads", .integer(tally.cyclicTriads)),
            JSONMember("decided_triads", .integer(tally.decidedTriads)),
            JSONMember("max_cyclic_triads", .integer(BattleTally.maximumCyclicTriads(models: n))),
            JSONMember("confidence", .number(confidence)),
            JSONMember("bradley_terry", fit),
            JSONMember("fit_loss", lossValue),
        ])
    }

    /// One row per model of every inspection, in model-name order (numbers in shortest round-trip form).
    static func csv(_ inspections: [BattleInspection]) -> String {
        let w = CSVWriter(header: ["source", "environment", "model", "votes", "win_rate", "rating", "se_sandwich",
                                   "sandwich_low", "sandwich_high", "bootstrap_low", "bootstrap_high"])
        for x in inspections {
            for i in 0..<x.file.models.count {
                let rec = x.record(i)
                var cells = [x.source, x.environment ?? "", x.file.models[i], CanonicalNumber.format(rec.votes), CanonicalNumber.format(rec.winRate)]
                if case let .success(r) = x.ratings {
                    let s = r.sandwichInterval(i, confidence: x.confidence)
                    let b = x.bootstrap?.interval(i, confidence: x.confidence)
                    cells += [r.ratings[i], r.standardErrors[i], s.lower, s.upper].map { CanonicalNumber.format($0) }
                    cells += [b.map { CanonicalNumber.format($0.lower) } ?? "", b.map { CanonicalNumber.format($0.upper) } ?? ""]
                } else {
                    cells += Array(repeating: "", count: 6)
                }
                w.append(cells)
            }
        }
        return w.text
    }
}
