import Foundation
import ResultFiles

/// One configuration of one algorithm: the unit a figure draws as a line, bar or point.
struct SeriesKey: Hashable, Sendable, Comparable {
    /// Algorithm id.
    var algorithm: String
    /// The configuration key of the result files: "k=v k2=v2" of the hyperparameters varying in
    /// the algorithm's grid, or `ConfigurationKey.default` (empty in files written before it).
    var config: String

    /// Legend text: "algorithm" (no grid) or "algorithm (k=v, k2=v2)".
    var label: String {
        guard config != ConfigurationKey.default else { return algorithm }
        let parts = ConfigString.pairs(config)
        guard !parts.isEmpty else { return algorithm }
        return "\(algorithm) (" + parts.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
    }

    /// Algorithm id, then the configuration in natural (numeric-aware) order.
    static func < (a: SeriesKey, b: SeriesKey) -> Bool {
        if a.algorithm != b.algorithm { return a.algorithm < b.algorithm }
        return ConfigString.naturalLess(a.config, b.config)
    }
}

/// The "k=v k2=v2" configuration keys of the result files, split only for legend text and
/// ordering — parameter values are read typed from parameters.csv (`ResultTables.sweptParameters`).
enum ConfigString {
    /// The (key, value) pairs in order; tokens without "=" are kept as keys with empty values.
    static func pairs(_ config: String) -> [(key: String, value: String)] {
        config.split(separator: " ", omittingEmptySubsequences: true).map { token in
            if let eq = token.firstIndex(of: "=") {
                return (String(token[..<eq]), String(token[token.index(after: eq)...]))
            }
            return (String(token), "")
        }
    }

    /// Natural order: token by token, numeric values compared as numbers, others as strings.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        let pa = pairs(a), pb = pairs(b)
        for (x, y) in zip(pa, pb) {
            if x.key != y.key { return x.key < y.key }
            if x.value == y.value { continue }
            if let u = Double(x.value), let v = Double(y.value), u != v { return u < v }
            return x.value < y.value
        }
        return pa.count < pb.count
    }
}
