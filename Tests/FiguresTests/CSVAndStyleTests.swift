import Foundation
import Testing
@testable import Figures
import StableFloor

@Suite("config strings")
struct ConfigStringTests {
    @Test("config strings: natural order and legend labels")
    func configStrings() {
        #expect(ConfigString.naturalLess("beta=0.03", "beta=0.1"))
        #expect(ConfigString.naturalLess("beta=2", "beta=10"))
        #expect(!ConfigString.naturalLess("beta=10", "beta=2"))
        #expect(ConfigString.naturalLess("loss=ipo", "loss=sigmoid"))
        #expect(SeriesKey(algorithm: "nash-md", config: "eta=0.1 tau=0.01").label == "nash-md (eta=0.1, tau=0.01)")
        #expect(SeriesKey(algorithm: "dpo", config: "").label == "dpo")
        #expect(SeriesKey(algorithm: "dpo", config: "default").label == "dpo")
    }
}

@Suite("Figure style")
struct FigureStyleTests {
    /// Published FNV-1a 64-bit test vectors (Fowler–Noll–Vo reference code).
    @Test("FNV-1a 64 matches the reference vectors")
    func fnvVectors() {
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }

    /// Indices computed independently in Python from SplitMix64(FNV-1a(id) ⊕ 78492) mod 20.
    @Test("colours are stable, and the catalogue's seventeen algorithms get distinct colours")
    func colours() {
        let expected: [String: Int] = [
            "rlhf-ppo": 3, "dpo": 16, "rest": 9, "nash-md": 5, "nash-md-pg": 18, "online-mirror-descent": 17,
            "extragradient": 8, "mmd": 13, "nash-ema": 6, "sppo": 15, "best-of-n": 0, "omwu": 7, "mpo": 14,
            "comal": 1, "self-play-pg": 12, "dno": 19, "inpo": 10,
        ]
        for (id, index) in expected { #expect(FigureStyle.colourIndex(of: id) == index, "\(id)") }
        #expect(Set(expected.keys.map(FigureStyle.colour(of:))).count == expected.count)
        #expect(FigureStyle.colour(of: "nash-md") == "#1F77B4")
    }

    /// The label "hedge" and self-play-pg share palette index 12 (#117733, Python as above): in one
    /// figure the later series gets the next unused colour (index 13, #882255) and the earlier keeps
    /// its own. 21 algorithms (more than the 20 colours): the first 20 get 20 colours, the 21st
    /// reuses one, and its series are drawn with the next dash pattern (2, dashed) instead of solid.
    @Test("algorithms of one figure never share a colour while the palette lasts, then differ in dash")
    func collidingColoursAreSeparated() {
        #expect(FigureStyle.colourIndex(of: "hedge") == FigureStyle.colourIndex(of: "self-play-pg"))
        let styles = SeriesStyles([SeriesKey(algorithm: "self-play-pg", config: "default"), SeriesKey(algorithm: "hedge", config: "default")])
        #expect(styles.colour(SeriesKey(algorithm: "self-play-pg", config: "default")) == "#117733")
        #expect(styles.colour(SeriesKey(algorithm: "hedge", config: "default")) == "#882255")
        let many = (0..<21).map { SeriesKey(algorithm: "algorithm-\($0)", config: "default") }
        let wide = SeriesStyles(many)
        #expect(Set(many.prefix(20).map(wide.colour)).count == 20)
        #expect(Set(many.map(wide.colour)).count == 20)
        #expect(many.prefix(20).allSatisfy { wide.dash($0) == 1 })
        #expect(wide.dash(many[20]) == 2)
        let reused = many.prefix(20).first { wide.colour($0) == wide.colour(many[20]) }
        #expect(reused.map(wide.dash) == 1)
    }

    @Test("configuration shades run from 35% darker to 45% lighter")
    func shades() {
        // #FF7F0E: 0.65·(255, 127, 14) = (165.75, 82.55, 9.1) → #A65309;
        // c + 0.45·(255 − c) = (255, 184.6, 122.45) → #FFB97A.
        #expect(FigureStyle.shade("#FF7F0E", rank: 0, of: 2) == "#A65309")
        #expect(FigureStyle.shade("#FF7F0E", rank: 1, of: 2) == "#FFB97A")
        #expect(FigureStyle.shade("#FF7F0E", rank: 0, of: 1) == "#FF7F0E")
        // The middle of three is the base colour.
        #expect(FigureStyle.shade("#1F77B4", rank: 1, of: 3) == "#1F77B4")
    }

    @Test("relative paths between the plots and results directories")
    func relativePaths() {
        let root = URL(fileURLWithPath: "/repo")
        #expect(FigureWriter.relativePath(from: root.appendingPathComponent("Plots/x"), to: root.appendingPathComponent("Results/x")) == "../../Results/x")
        #expect(FigureWriter.relativePath(from: root, to: root) == ".")
    }
}
