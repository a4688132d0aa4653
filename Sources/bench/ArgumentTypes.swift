import AlgorithmCatalog
import AlignmentCore
import ArgumentParser
import Environments
import Sweep

/// A command-line value parsed into a type while the arguments are parsed, so that a bad value is
/// a usage error (status 2, one line naming the option, what is wrong and what is allowed) in
/// every command, before any file is read.
///
/// Options declare `transform: T.parse`: the thrown `ValidationError` becomes ArgumentParser's
/// "The value 'x' is invalid for '--opt <v>': <reason>", which `Bench.main` prints as one
/// `error:` line with status 2. `init?(argument:)` (the `ExpressibleByArgument` entry point, used
/// for defaults and completion) calls the same `parse`.
protocol TypedArgument: ExpressibleByArgument {
    /// Parses the text of the option.
    /// - Throws: `ValidationError` with "<what is wrong>; allowed: <what is allowed>".
    static func parse(_ text: String) throws -> Self
}

extension TypedArgument {
    init?(argument: String) {
        guard let value = try? Self.parse(argument) else { return nil }
        self = value
    }
}

/// The "unknown <what> \"x\" (did you mean …); allowed: a, b, c" error for a value outside `allowed`.
/// - Throws: `ValidationError` when `text` is not in `allowed`.
func requireChoice(_ text: String, among allowed: [String], what: String) throws {
    guard !allowed.contains(text) else { return }
    let hint = Suggestion.closest(to: text, among: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
    throw ValidationError("unknown \(what) \(SpecText.quoted(text))\(hint); allowed: " + allowed.joined(separator: ", "))
}

/// A closed set of words (an enum with `String` raw values) given as one option value.
protocol ChoiceArgument: TypedArgument, CaseIterable, RawRepresentable<String> {
    /// What a value names, for messages ("format", "section").
    static var noun: String { get }
}

extension ChoiceArgument {
    init?(argument: String) {
        guard let value = try? Self.parse(argument) else { return nil }
        self = value
    }

    static func parse(_ text: String) throws -> Self {
        try requireChoice(text, among: allCases.map(\.rawValue), what: noun)
        return Self(rawValue: text)!
    }

    static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// One image format gnuplot renders a figure to.
enum FigureFormat: String, CaseIterable, Sendable {
    case png, svg, pdf
}

/// `--format` of `bench figures` and `bench paper`: a non-empty comma-separated list of
/// `FigureFormat`s ("png", "png,svg"); case and spaces around the commas are ignored, repeats are
/// kept once.
struct FigureFormats: TypedArgument, Equatable {
    /// The formats in the order given.
    var formats: [FigureFormat]

    /// PNG only (the default).
    static let png = FigureFormats(formats: [.png])

    /// The file extensions passed to `Gnuplot.render`.
    var extensions: [String] { formats.map(\.rawValue) }

    static func parse(_ text: String) throws -> FigureFormats {
        let words = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let allowed = FigureFormat.allCases.map(\.rawValue)
        guard words.contains(where: { !$0.isEmpty }) else {
            throw ValidationError("no format given; allowed: a comma-separated list of " + allowed.joined(separator: ", "))
        }
        var formats: [FigureFormat] = []
        for word in words {
            guard !word.isEmpty else { throw ValidationError("empty format in the list; allowed: a comma-separated list of " + allowed.joined(separator: ", ")) }
            try requireChoice(word, among: allowed, what: "format")
            let format = FigureFormat(rawValue: word)!
            if !formats.contains(format) { formats.append(format) }
        }
        return FigureFormats(formats: formats)
    }

    var defaultValueDescription: String { extensions.joined(separator: ",") }
    static var allValueStrings: [String] { FigureFormat.allCases.map(\.rawValue) }
}

/// `--format` of `bench env solve`.
enum SolveFormat: String, ChoiceArgument {
    case text, json
    static let noun = "format"
}

/// `--format` of `bench env export`.
enum ExportFormat: String, ChoiceArgument {
    case json, csv
    static let noun = "format"
}

/// The section argument of `bench list` (`CatalogText.sections`).
struct ListSection: TypedArgument, Equatable {
    /// One of `CatalogText.sections`.
    var name: String

    static func parse(_ text: String) throws -> ListSection {
        try requireChoice(text, among: CatalogText.sections, what: "list")
        return ListSection(name: text)
    }

    static var allValueStrings: [String] { CatalogText.sections }
}

/// The argument of `bench describe`: an algorithm id, environment kind, metric id, figure kind or diagnostic.
struct CatalogID: TypedArgument, Equatable {
    /// The id.
    var id: String

    /// Every id `bench describe` knows, in catalogue order.
    static var known: [String] { CatalogText.describable }

    static func parse(_ text: String) throws -> CatalogID {
        try requireChoice(text, among: known, what: "algorithm, environment, metric, figure kind or diagnostic")
        return CatalogID(id: text)
    }
}

/// `--select-by` of `bench summarize`: "metric" or "metric:min|max" (`ConfigurationSelection`).
struct SelectionRule: TypedArgument, Equatable {
    /// The rule.
    var selection: ConfigurationSelection

    static func parse(_ text: String) throws -> SelectionRule {
        do {
            return SelectionRule(selection: try ConfigurationSelection.parse(text))
        } catch let SweepError.usage(message) {
            throw ValidationError(message)
        }
    }

    /// Every metric id with and without a goal ("exploitability", "exploitability:min", …), for completion.
    static var allValueStrings: [String] { Metric.ids.flatMap { [$0, "\($0):min", "\($0):max"] } }
}

/// `--shard K/N` of `bench sweep` (`Shard.parse`: whole numbers 1 ≤ K ≤ N).
struct ShardArgument: TypedArgument, Equatable {
    /// The shard.
    var shard: Shard

    static func parse(_ text: String) throws -> ShardArgument {
        do {
            return ShardArgument(shard: try Shard.parse(text))
        } catch let SweepError.usage(message) {
            throw ValidationError(message)
        }
    }
}

/// Numeric options read with `transform:`, so that a value that is not a number of the option's
/// kind is a usage error saying what is allowed, in the form of the other typed options
/// ("\"abc\" is not a whole number; allowed: …"): ArgumentParser's own message for an `Int` or
/// `Double` it cannot read names the option but not what it accepts. The range itself is checked
/// with the command's other options (`validate()` or `run()`), whose messages name the value given.
enum NumberArgument {
    /// `transform:` of a whole-number option; `allowed` says what the option accepts ("a whole
    /// number ≥ 1").
    static func whole(_ allowed: String) -> @Sendable (String) throws -> Int {
        { text in
            guard let value = Int(text) else {
                // Digits beyond Int's range are a whole number, just too large (or too small).
                let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
                let huge = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
                throw ValidationError("\(SpecText.quoted(text)) is \(huge ? "out of range" : "not a whole number"); allowed: \(allowed)")
            }
            return value
        }
    }

    /// `transform:` of a seed: a whole number in [0, 2⁶⁴ − 1].
    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            throw ValidationError("\(SpecText.quoted(text)) is not a seed; allowed: a whole number in [0, 18446744073709551615]")
        }
        return value
    }

    /// `transform:` of a real-valued option; `allowed` says what the option accepts ("a number in (0, 1)").
    static func real(_ allowed: String) -> @Sendable (String) throws -> Double {
        { text in
            guard let value = Double(text), value.isFinite else { throw ValidationError("\(SpecText.quoted(text)) is not a finite number; allowed: \(allowed)") }
            return value
        }
    }
}

/// The `--bootstrap` option's range, declared once (`SweepOptions.bootstrapSampleRange`) and
/// checked the same way by every command that takes it.
enum BootstrapOption {
    /// What the option accepts, for `NumberArgument.whole` and the range error.
    static let allowed = "a whole number in [\(SweepOptions.bootstrapSampleRange.lowerBound), \(SweepOptions.bootstrapSampleRange.upperBound)]"

    /// Checks a given B.
    /// - Throws: `ValidationError` naming the option, the value and the range.
    static func validate(_ b: Int?) throws {
        guard let b, !SweepOptions.bootstrapSampleRange.contains(b) else { return }
        throw ValidationError("--bootstrap must be \(allowed), got \(b)")
    }
}
