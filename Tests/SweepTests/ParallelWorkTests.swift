import Foundation
import Testing
@testable import Sweep

/// `ParallelWork`: results are consumed in index order, each item exactly once, whatever the
/// number of workers and the window; the first error in index order is the one thrown.
struct ParallelWorkTests {
    struct Stop: Error, Equatable { var index: Int }

    /// Consumes i·i + 1 for i in 0..<count: the expected sequence is written out independently.
    @Test(arguments: [0, 1, 5, 37], [1, 2, 3, 8])
    func orderedStreamConsumesEveryItemInOrder(count: Int, jobs: Int) throws {
        for window in [nil, 1, 3] as [Int?] {
            var seen: [Int] = []
            try ParallelWork.orderedStream(count: count, jobs: jobs, window: window, compute: { i in i * i + 1 },
                                           consume: { seen.append($0) })
            var expected: [Int] = []
            var i = 0
            while i < count { expected.append(i * i + 1); i += 1 }
            #expect(seen == expected, "count \(count), jobs \(jobs), window \(String(describing: window))")
        }
    }

    /// compute throws at items 7 and 12 of 20: the error of item 7 is thrown, and exactly items
    /// 0…6 were consumed (in order), for every number of workers.
    @Test(arguments: [1, 2, 4])
    func orderedStreamThrowsTheFirstErrorInIndexOrder(jobs: Int) {
        var seen: [Int] = []
        #expect(throws: Stop(index: 7)) {
            try ParallelWork.orderedStream(count: 20, jobs: jobs, window: 16, compute: { i in
                if i == 7 || i == 12 { throw Stop(index: i) }
                return i
            }, consume: { seen.append($0) })
        }
        #expect(seen == [0, 1, 2, 3, 4, 5, 6])
    }
}
