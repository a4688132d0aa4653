import Foundation
import Testing
@testable import Figures

/// `curves` against queries: checkpoints at one query count are one point (the last), so a method
/// that spends its labels before training is one marker at its budget, not a vertical spike.
struct QueriesAxisTests {
    /// nash-md queries as it goes (0, 100, 200); rlhf-ppo spends 400 labels up front and then
    /// trains (means 0.4 → 0.25 at 400 queries); dpo reaches its budget of 300 at iteration 20
    /// and trains on (0.3 → 0.2 at 300); exact feedback (mmd) uses no labels.
    static let rows = [
        "environment,algorithm,config,metric,iteration,n,mean,ci_low,ci_high,queries",
        "e,nash-md,eta=0.1,exploitability,0,5,0.3,0.25,0.35,0",
        "e,nash-md,eta=0.1,exploitability,10,5,0.2,0.15,0.25,100",
        "e,nash-md,eta=0.1,exploitability,20,5,0.1,0.05,0.15,200",
        "e,rlhf-ppo,beta=0.1,exploitability,0,5,0.4,0.3,0.5,400",
        "e,rlhf-ppo,beta=0.1,exploitability,10,5,0.3,0.2,0.4,400",
        "e,rlhf-ppo,beta=0.1,exploitability,20,5,0.25,0.2,0.3,400",
        "e,dpo,beta=0.1,exploitability,0,5,0.5,0.4,0.6,0",
        "e,dpo,beta=0.1,exploitability,10,5,0.4,0.3,0.5,150",
        "e,dpo,beta=0.1,exploitability,20,5,0.3,0.2,0.4,300",
        "e,dpo,beta=0.1,exploitability,30,5,0.2,0.1,0.3,300",
        "e,mmd,eta=0.1,exploitability,0,5,0.45,0.4,0.5,0",
        "e,mmd,eta=0.1,exploitability,10,5,0.15,0.1,0.2,0",
    ]

    @Test func plateausBecomeTheirLastPoint() throws {
        let f = try Fixture("queries")
        defer { f.remove() }
        try f.write("curve_summary.csv", Self.rows)
        let (script, blocks) = try generate(FigureSpec(id: "q", kind: .curves, metric: "exploitability", x: "queries"), in: f)
        func rows(_ algorithm: String) throws -> [[Double]] {
            try #require(blocks.first { $0.comment.contains("algorithm=\(algorithm) ") }, "\(algorithm)").rows
        }
        #expect(try rows("nash-md") == [[0, 0.3, 0.25, 0.35], [100, 0.2, 0.15, 0.25], [200, 0.1, 0.05, 0.15]])
        #expect(try rows("rlhf-ppo") == [[400, 0.25, 0.2, 0.3]])
        #expect(try rows("dpo") == [[0, 0.5, 0.4, 0.6], [150, 0.4, 0.3, 0.5], [300, 0.2, 0.1, 0.3]])
        #expect(try rows("mmd") == [[0, 0.15, 0.1, 0.2]])
        #expect(script.contains("rlhf-ppo (beta=0.1) (labels up front: final value)"), "\(script)")
        #expect(script.contains("mmd (eta=0.1) (no labels: final value)"), "\(script)")
        #expect(!script.contains("nash-md (eta=0.1) (") && !script.contains("dpo (beta=0.1) ("))
        // On the iteration axis nothing is collapsed.
        let (_, byIteration) = try generate(FigureSpec(id: "i", kind: .curves, metric: "exploitability"), in: f)
        #expect(byIteration.first { $0.comment.contains("algorithm=rlhf-ppo ") }?.rows.count == 3)
    }

    /// Equal query counts keep the latest iteration whatever the input order.
    @Test func collapsingKeepsTheLatestIteration() {
        typealias P = FigureWriter.CurvePoint
        let points = [P(x: 5, iteration: 20, mean: 3, low: nil, high: nil), P(x: 5, iteration: 10, mean: 2, low: nil, high: nil),
                      P(x: 0, iteration: 0, mean: 1, low: nil, high: nil)]
        #expect(FigureWriter.collapsingQueryPlateaus(points).map(\.mean) == [1, 3])
    }
}
