import AlignmentCore
import Figures
import StableFloor

/// A subset of a spec's runs chosen on the command line (`--only algorithm=nash-md,dpo`,
/// `--only environment=rps`): the spec restricted to some algorithm entries and environments,
/// without editing the file.
///
/// A run of the subset has exactly the run key, run id and seed it has in the whole spec
/// (`GridExpansion.runKey`, `SeedDerivation.run` depend on the run's own key, never on the plan's
/// size or order), so its numbers are the whole spec's numbers for those runs. The subset is a
/// different experiment for the store: its results hash includes the selection, and its default
/// directories are `Results/<name>.only.<selection>/` and `Plots/<name>.only.<selection>/`
/// (`ExperimentSpec.folderName`), so a subset never mixes with or replaces the whole spec's
/// results. The manifest records the selection (member "only").
public struct RunSubset: Sendable, Hashable {
    /// The dimensions a subset selects on, with the spec values each matches.
    public enum Dimension: String, CaseIterable, Sendable {
        /// Algorithm entries, by label or by plugin id (every entry of that plugin).
        case algorithm
        /// Environments, by id.
        case environment
    }

    /// The chosen values per dimension, in the order given (each value once); a dimension that is
    /// absent is not restricted.
    public private(set) var values: [Dimension: [String]] = [:]

    /// An empty subset (the whole spec).
    public init() {}

    /// True when nothing is restricted.
    public var isEmpty: Bool { values.isEmpty }

    /// Adds one `--only` argument, `<dimension>=<value>[,<value>…]`.
    /// - Throws: `SweepError.usage`, one line naming `--only`, what is wrong and what is allowed.
    /// - Complexity: O(length of the argument).
    public mutating func add(_ argument: String) throws {
        let allowed = "allowed: " + Dimension.allCases.map { "\($0.rawValue)=<value>[,<value>…]" }.joined(separator: " or ")
        guard let eq = argument.firstIndex(of: "=") else {
            throw SweepError.usage("--only \(SpecText.quoted(argument)): expected <dimension>=<values>; \(allowed)")
        }
        let key = String(argument[..<eq])
        guard let dimension = Dimension(rawValue: key) else {
            let hint = Suggestion.closest(to: key, among: Dimension.allCases.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw SweepError.usage("--only \(SpecText.quoted(argument)): unknown dimension \(SpecText.quoted(key))\(hint); \(allowed)")
        }
        let items = argument[argument.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !items.contains(where: \.isEmpty) else {
            throw SweepError.usage("--only \(SpecText.quoted(argument)): an empty value; \(allowed)")
        }
        var list = values[dimension] ?? []
        for item in items where !list.contains(item) { list.append(item) }
        values[dimension] = list
    }

    /// The selection as text, dimensions in declaration order: "algorithm=nash-md,dpo;environment=rps".
    public var text: String {
        Dimension.allCases.compactMap { d in values[d].map { "\(d.rawValue)=" + $0.joined(separator: ",") } }.joined(separator: ";")
    }

    /// The command-line words that give this selection again (`--only … --only …`).
    public var arguments: [String] {
        Dimension.allCases.flatMap { d in values[d].map { ["--only", "\(d.rawValue)=" + $0.joined(separator: ",")] } ?? [] }
    }

    /// The manifest member "only": null for the whole spec, else an object of arrays.
    var json: JSONValue {
        guard !isEmpty else { return .null }
        return .object(Dimension.allCases.compactMap { d in
            values[d].map { JSONMember(d.rawValue, .array($0.map { .string($0) })) }
        })
    }

    /// The folder-name suffix: ".only." and the selection with every character outside
    /// [A-Za-z0-9._=,-] replaced by "_" and ";" by ".".
    var folderSuffix: String {
        let safe = text.unicodeScalars.map { u -> String in
            if u == ";" { return "." }
            let ok = (u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u))) || "._=,-".unicodeScalars.contains(u)
            return ok ? String(u) : "_"
        }.joined()
        return ".only." + safe
    }
}

extension ExperimentSpec {
    /// The folder of this experiment's default results and figures directories: the name, with
    /// the subset's suffix when the spec was restricted (`RunSubset.folderSuffix`).
    public var folderName: String { name + (subset.isEmpty ? "" : subset.folderSuffix) }

    /// This spec restricted to a subset of its algorithm entries and environments.
    ///
    /// Algorithm entries are kept when their label or plugin id is selected, environments when
    /// their id is. Figures keep their filters narrowed to what remains; a figure whose explicit
    /// `environments`, `algorithms` or `opponents` filter selects nothing of the subset is left
    /// out. The results and spec hashes include the selection.
    /// - Parameter subset: the selection (empty: the spec unchanged).
    /// - Throws: `SweepError.usage` naming `--only` when a value matches nothing in the spec (with
    ///   the allowed values), or when the spec was already restricted.
    /// - Complexity: O(algorithms + environments + figures).
    public func restricted(to subset: RunSubset) throws -> ExperimentSpec {
        guard !subset.isEmpty else { return self }
        precondition(self.subset.isEmpty, "a spec is restricted once")
        var out = self
        if let wanted = subset.values[.algorithm] {
            var seen = Set<String>()
            let known = (algorithms.map(\.label) + algorithms.map(\.id)).filter { seen.insert($0).inserted }
            for w in wanted where !algorithms.contains(where: { $0.label == w || $0.id == w }) {
                throw Self.unmatched(.algorithm, w, known: known, spec: file)
            }
            out.algorithms = algorithms.filter { a in wanted.contains(a.label) || wanted.contains(a.id) }
        }
        if let wanted = subset.values[.environment] {
            for w in wanted where !environments.contains(where: { $0.id == w }) {
                throw Self.unmatched(.environment, w, known: environments.map(\.id), spec: file)
            }
            out.environments = environments.filter { wanted.contains($0.id) }
        }
        let labels = Set(out.algorithms.map(\.label)), envs = Set(out.environments.map(\.id))
        out.figures = figures.compactMap { f in
            var g = f
            if let e = f.environments {
                g.environments = e.filter(envs.contains)
                if g.environments!.isEmpty { return nil }
            }
            if let a = f.algorithms {
                g.algorithms = a.filter(labels.contains)
                if g.algorithms!.isEmpty { return nil }
            }
            if !f.opponents.isEmpty {
                g.opponents = f.opponents.filter { $0 == "reference" || labels.contains($0) }
                if g.opponents.isEmpty { return nil }
            }
            return g
        }
        out.subset = subset
        out.resultsHash = StableHash.hex(StableHash.fnv1a64(resultsHash + "|only=" + subset.text))
        out.specHash = StableHash.hex(StableHash.fnv1a64(specHash + "|only=" + subset.text))
        return out
    }

    private static func unmatched(_ d: RunSubset.Dimension, _ value: String, known: [String], spec: String) -> SweepError {
        let hint = Suggestion.closest(to: value, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
        let what = d == .algorithm ? "algorithm label or plugin id" : "environment id"
        return .usage("--only \(d.rawValue)=\(SpecText.quoted(value)): no \(what) \(SpecText.quoted(value)) in \(spec)\(hint); allowed: "
                      + known.joined(separator: ", "))
    }
}
