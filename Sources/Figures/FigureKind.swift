import Foundation

/// A kind of figure, declared as data next to its drawing code: its id, a one-line summary, the
/// options it takes (`FigureOption`), the result tables it reads and the function that writes its
/// gnuplot script and data.
///
/// Every kind is listed once in `FigureKind.catalogue`; the spec validator, `bench schema`,
/// `bench list figures`/`describe` and `FigureWriter` read the kinds from there. Adding a kind:
/// one file `FigureWriter+<Kind>.swift` with `extension FigureKind { public static let <kind> = … }`
/// and its drawing function, one line in `catalogue`, and its test (docs/PLUGINS.md).
///
/// Two kinds are equal when their ids are; a kind is encoded as its id.
public struct FigureKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The `kind` value in a spec (e.g. "curves").
    public let id: String
    /// One line: what the figure shows.
    public let summary: String
    /// The result files it reads (e.g. ["summary.csv", "curve_summary.csv"]).
    public let reads: [String]
    /// The keys it takes beyond `commonKeys`, in the order they are validated.
    public let options: [FigureOption]
    /// Whether the kind pools every environment of the sweep (the aggregates of aggregates.csv),
    /// so a figure of it takes no `environments` filter.
    public let poolsEnvironments: Bool
    /// Writes the script and data of one figure of this kind.
    let draw: @Sendable (FigureContext) throws -> (GnuplotScript, GnuplotData)

    /// Declares a kind.
    /// - Parameters:
    ///   - id: the `kind` value (a plain lowercase word, unique in the catalogue).
    ///   - summary: one line on what it shows.
    ///   - reads: the result files it reads.
    ///   - options: the keys it takes beyond `commonKeys`.
    ///   - poolsEnvironments: whether it draws statistics pooled over every environment (then it
    ///     refuses an `environments` filter).
    ///   - draw: the drawing function (`FigureWriter.<kind>`).
    init(id: String, summary: String, reads: [String], options: [FigureOption], poolsEnvironments: Bool = false,
         draw: @escaping @Sendable (FigureContext) throws -> (GnuplotScript, GnuplotData)) {
        precondition(Set(options.map(\.name)).count == options.count, "figure kind \(id): duplicate option")
        precondition(options.allSatisfy { !FigureKind.commonKeys.contains($0.name) }, "figure kind \(id): option shadows a common key")
        self.id = id
        self.summary = summary
        self.reads = reads
        self.options = options
        self.poolsEnvironments = poolsEnvironments
        self.draw = draw
    }

    /// Every figure kind, in the order `bench list figures` and the schema show them.
    public static let catalogue: [FigureKind] = [
        .curves,
        .bars,
        .heatmap,
        .frontier,
        .lines,
        .policy,
        .versus,
        .aggregate,
        .improvement,
        .profile,
    ]

    /// The ids of `catalogue`.
    public static var ids: [String] { catalogue.map(\.id) }

    /// The kind with `id`, if any.
    public static func kind(id: String) -> FigureKind? { catalogue.first { $0.id == id } }

    /// The keys every figure entry takes, whatever its kind: `id`, `kind`, `metric`,
    /// `environments`, `algorithms`, `title`.
    public static let commonKeys = ["id", "kind", "metric", "environments", "algorithms", "title"]

    /// The keys of a figure entry: `commonKeys` around every option name of the catalogue (first
    /// declaration order), e.g. the `allowed:` list of an unknown-key error.
    public static var allKeys: [String] {
        var names: [String] = []
        for kind in catalogue { for o in kind.options where !names.contains(o.name) { names.append(o.name) } }
        return Array(commonKeys.prefix(3)) + names + Array(commonKeys.dropFirst(3))
    }

    /// The option named `name`, if the kind takes it.
    public func option(_ name: String) -> FigureOption? { options.first { $0.name == name } }

    /// The ids of the kinds that take option `name`, in catalogue order.
    public static func kinds(taking name: String) -> [String] {
        catalogue.filter { $0.option(name) != nil }.map(\.id)
    }

    public var description: String { id }

    public static func == (a: FigureKind, b: FigureKind) -> Bool { a.id == b.id }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(id)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let id = try c.decode(String.self)
        guard let kind = FigureKind.kind(id: id) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown figure kind \"\(id)\"; allowed: " + FigureKind.ids.joined(separator: ", "))
        }
        self = kind
    }
}
