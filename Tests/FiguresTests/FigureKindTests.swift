import Foundation
import Testing
@testable import Figures

/// The figure kinds catalogue (`FigureKind.catalogue`), the order of series and what titles say
/// the bars, bands and cells are.
struct FigureKindTests {
    /// A figure of `kind` drawable on `DegenerateRangeTests.writeEquilibriumResults` (algorithms
    /// mmd and omd, environment cyc). A new kind adds its case here.
    static func sample(_ kind: FigureKind, title: String? = nil) -> FigureSpec? {
        switch kind.id {
        case "curves": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", title: title)
        case "bars": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", title: title)
        case "heatmap": return FigureSpec(id: kind.id, kind: kind, metric: "preference", title: title)
        case "frontier": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", x: "kl_to_reference", title: title)
        case "lines": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", x: "eta", title: title)
        case "policy":
            return FigureSpec(id: kind.id, kind: kind, metric: "win_rate_vs_reference", x: "size", title: title, parameterValues: ["cyc": 1e9])
        case "versus": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", x: "eta", title: title, opponents: ["reference"])
        case "aggregate", "improvement", "profile": return FigureSpec(id: kind.id, kind: kind, metric: "exploitability", title: title)
        default: return nil
        }
    }

    /// What each kind's title says it draws: the intervals of summary.csv, curve_summary.csv
    /// and pairwise.csv are Student t intervals (`Descriptive.summarize`, x̄ ± t·s/√n); the
    /// heatmap draws means only.
    /// The aggregates.csv kinds say their stratified bootstrap interval (and, for profiles, the
    /// direction of "better": exploitability is lower-is-better, so score ≤ τ).
    static func statistic(_ kind: FigureKind) -> String {
        let bootstrap = "95% stratified bootstrap interval"
        switch kind.id {
        case "heatmap": return "P(row ≻ column), mean over seeds"
        case "aggregate": return "IQM and mean with " + bootstrap
        case "improvement": return "P(X better than Y) with " + bootstrap
        case "profile": return "fraction of runs with score ≤ τ, pointwise " + bootstrap
        default: return "mean with 95% t interval over seeds"
        }
    }

    @Test("catalogue: unique ids, one-line summaries, tables read, defaults only on optional options")
    func catalogue() {
        #expect(FigureKind.ids == ["curves", "bars", "heatmap", "frontier", "lines", "policy", "versus", "aggregate",
                                   "improvement", "profile"])
        #expect(Set(FigureKind.ids).count == FigureKind.catalogue.count)
        for kind in FigureKind.catalogue {
            #expect(!kind.summary.isEmpty && !kind.summary.contains("\n"), "\(kind.id)")
            #expect(!kind.reads.isEmpty, "\(kind.id)")
            #expect(FigureKind.kind(id: kind.id) == kind)
            for o in kind.options {
                #expect(!(o.isRequired && o.defaultValue != nil), "\(kind.id).\(o.name)")
                #expect(!o.doc.isEmpty, "\(kind.id).\(o.name)")
            }
        }
        #expect(FigureKind.kind(id: "pie") == nil)
        #expect(FigureKind.kinds(taking: "x") == ["curves", "frontier", "lines", "policy", "versus"])
        #expect(FigureKind.kinds(taking: "opponents") == ["versus"])
        #expect(FigureKind.kinds(taking: "normalize") == ["aggregate", "profile"])
        #expect(FigureKind.catalogue.filter(\.poolsEnvironments).map(\.id) == ["aggregate", "improvement", "profile"])
        #expect(FigureKind.allKeys == ["id", "kind", "metric", "x", "log_x", "log_y", "guides", "by", "opponents",
                                       "normalize", "environments", "algorithms", "title"])
    }

    @Test("a kind is encoded as its id and decoded from the catalogue")
    func codable() throws {
        let spec = FigureSpec(id: "v", kind: .versus, metric: "exploitability", x: "eta", opponents: ["reference"])
        let data = try JSONEncoder().encode(spec)
        #expect(String(decoding: data, as: UTF8.self).contains(#""kind":"versus""#))
        #expect(try JSONDecoder().decode(FigureSpec.self, from: data) == spec)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FigureKind.self, from: Data(#""pie""#.utf8)) }
    }

    @Test("titles say what the bars, bands and cells are (generated and given titles)", arguments: FigureKind.catalogue)
    func titles(_ kind: FigureKind) throws {
        let f = try Fixture("title-\(kind.id)")
        defer { f.remove() }
        try DegenerateRangeTests.writeEquilibriumResults(f)
        let generated = try #require(Self.sample(kind), "no sample figure for kind \(kind.id)")
        let (script, _) = try generate(generated, in: f)
        let said = kind.id == "heatmap" ? "mean over seeds" : Self.statistic(kind)
        #expect(script.contains(said + " (demo)' noenhanced"), "\(kind.id): \(script.prefix(400))")
        let given = try #require(Self.sample(kind, title: "My title"))
        let (titled, _) = try generate(given, in: f)
        #expect(titled.contains("set multiplot title 'My title — \(Self.statistic(kind))' noenhanced"), "\(kind.id)")
    }

    @Test("series follow the order the figure lists its algorithms")
    func listedOrder() throws {
        let f = try Fixture("order")
        defer { f.remove() }
        try f.writeAll()
        let listed = ["rlhf-ppo", "online-mirror-descent", "nash-md", "extragradient"]
        // Expected: the listed algorithms in that order, nash-md's two configurations in natural order.
        let expected = ["rlhf-ppo config=beta=0.1", "online-mirror-descent config=eta=0.1 tau=0",
                        "nash-md config=eta=0.1 tau=0.1", "nash-md config=eta=0.5 tau=0.1", "extragradient config=eta=0.1"]
        let legend = ["'rlhf-ppo (beta=0.1)'", "'online-mirror-descent (eta=0.1, tau=0)'", "'nash-md (eta=0.1, tau=0.1)'",
                      "'nash-md (eta=0.5, tau=0.1)'", "'extragradient (eta=0.1)'"]
        for spec in [FigureSpec(id: "b", kind: .bars, metric: "exploitability", environments: ["rps"], algorithms: listed),
                     FigureSpec(id: "c", kind: .curves, metric: "exploitability", environments: ["rps"], algorithms: listed)] {
            let (script, blocks) = try generate(spec, in: f)
            let order = blocks.map { b in expected.firstIndex { b.comment.hasSuffix("algorithm=" + $0) } }
            #expect(order == Array(0..<5).map(Optional.some), "\(spec.id): \(blocks.map(\.comment))")
            let positions = legend.map { script.range(of: "title " + $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil } && positions == positions.sorted { $0! < $1! }, "\(spec.id) legend order")
        }
        // Without a list: by algorithm id (unchanged).
        let (_, blocks) = try generate(FigureSpec(id: "b", kind: .bars, metric: "exploitability", environments: ["rps"]), in: f)
        #expect(blocks.map { $0.comment.components(separatedBy: "algorithm=").last! } ==
                ["extragradient config=eta=0.1", "nash-md config=eta=0.1 tau=0.1", "nash-md config=eta=0.5 tau=0.1",
                 "online-mirror-descent config=eta=0.1 tau=0", "rlhf-ppo config=beta=0.1"])
    }

    @Test("heatmap rows and columns follow the listed algorithms")
    func heatmapOrder() throws {
        let f = try Fixture("heatmap-order")
        defer { f.remove() }
        try f.writeAll()
        // pairwise.csv's first-appearance order is reference, rlhf-ppo, nash-md-pg ×2, nash-md;
        // the reference μ (kept by every filter) comes first, then the listed algorithms.
        let spec = FigureSpec(id: "h", kind: .heatmap, metric: "preference", environments: ["rps"],
                              algorithms: ["nash-md", "nash-md-pg", "rlhf-ppo"])
        let (_, blocks) = try generate(spec, in: f)
        #expect(blocks[0].comment.contains("(rows/columns: reference; nash-md (eta=0.1, tau=0.1); nash-md-pg (beta=0); nash-md-pg (beta=0.5); rlhf-ppo (beta=0.1))"),
                "\(blocks[0].comment)")
    }
}
