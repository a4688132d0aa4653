import AlignmentCore
import Foundation
import PreferenceLearning
import Testing

/// The tie rule shared by selections on fitted rewards.
struct RewardTiesTests {
    @Test func tiesAreJudgedRelativeToMaxOfOneAndTheValues() {
        #expect(RewardTies.areTied(0.1, 0.1 + 2e-16))           // rounding of an O(1) fit
        #expect(RewardTies.areTied(1e6, 1e6 + 1e-7))            // 1e-13 relative
        #expect(!RewardTies.areTied(1e6, 1e6 + 1e-5))           // 1e-11 relative
        #expect(!RewardTies.areTied(0, 1e-9))
        #expect(RewardTies.areTied(0, 1e-12) && !RewardTies.areTied(0, 1.1e-12))
    }

    @Test func groupsAreSortedRunsOfTiedValues() {
        // 0.5 and 0.5 + 1e-16 tie; −1 and 2 stand alone; groups in increasing value, members by index.
        #expect(RewardTies.tiedGroups([0.5, -1, 2, 0.5 + 1e-16]) == [[1], [0, 3], [2]])
        #expect(RewardTies.tiedGroups([3, 3, 3]) == [[0, 1, 2]])
        #expect(RewardTies.tiedGroups([]) == [])
    }

    @Test func minMaxGivesTiedRewardsOneValue() {
        // Rewards equal up to rounding: before the rule, [0.1, 0.1 + 1.4e-17, 0.1 − 1.4e-17] was stretched
        // to [0.5, 1, 0]; now no response is distinguished: all 0. A partial tie keeps its members
        // together at the group's top value: [2, 2 − 4e-16, −1] → [1, 1, 0] (exactly).
        let m = BradleyTerryRewardModel(rewards: [[0.1, 0.1 + 1.4e-17, 0.1 - 1.4e-17], [2, 2 - 4e-16, -1], [2, -1, 0.5]]).minMaxNormalised()
        #expect(m.rewards[0] == [0, 0, 0])
        #expect(m.rewards[1] == [1, 1, 0])
        #expect(m.rewards[2] == [1, 0, 0.5])
    }

    @Test func accuracyCreditIsHalfForATiedPrediction() {
        // σ(r̂_a − r̂_b) of rewards tied up to rounding is ½ ± 1e-16: half credit, not 0 or 1.
        #expect(PairAccuracy.score(0.5 + 1.1e-16) == 0.5 && PairAccuracy.score(0.5 - 1.1e-16) == 0.5)
        #expect(PairAccuracy.score(0.5 + 1e-9) == 1 && PairAccuracy.score(0.5 - 1e-9) == 0)
    }
}
