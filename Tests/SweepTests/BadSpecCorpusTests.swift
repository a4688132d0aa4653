import AlignmentCore
import Foundation
import Testing
@testable import Sweep

/// Every spec of the corpus is refused with its exact one-line message and exit class.
struct BadSpecCorpusTests {
    @Test(arguments: BadSpecCorpus.cases)
    func corpusSpecIsRefusedWithItsMessage(_ c: BadSpecCorpus.Case) {
        do {
            _ = try ExperimentSpec.parse(c.text, file: "spec.json", catalog: testCatalog, limits: c.limits)
            Issue.record("\(c.name): expected the spec to be rejected with: \(c.message)")
        } catch let error as SweepError {
            #expect("\(error)" == c.message)
            #expect(error.exitCode == c.code)
            #expect(!"\(error)".contains("\n"))
            #expect("\(error)".hasPrefix("spec.json"))
        } catch {
            Issue.record("\(c.name): not a SweepError: \(error)")
        }
    }

    /// The corpus (with SpecValidationTests' 30 cases) holds at least 40 specs, each distinct.
    @Test func corpusIsLargeAndDistinct() {
        let texts = BadSpecCorpus.cases.map(\.text) + SpecValidationTests.cases.map(\.0)
        #expect(texts.count >= 40)
        #expect(Set(texts).count == texts.count)
        #expect(Set(BadSpecCorpus.cases.map(\.name)).count == BadSpecCorpus.cases.count)
    }

    /// The run limit is inclusive: 2 environments × 50,000 seeds = 100,000 runs is accepted
    /// (validation builds no run), 2 × 50,001 = 100,002 is refused, and accepted with `--force`.
    @Test func runLimitIsInclusive() throws {
        let envs = #"[{"id": "a", "kind": "cyclic"}, {"id": "b", "kind": "cyclic"}]"#
        let at = SpecValidationTests.spec(top: #" "seeds": 50000,"#, environments: envs, algorithms: BadSpecCorpus.exactOnly)
        #expect(try testSpec(at).seeds == 50000)
        let above = SpecValidationTests.spec(top: #" "seeds": 50001,"#, environments: envs, algorithms: BadSpecCorpus.exactOnly)
        #expect(throws: SweepError.tooLarge(file: "spec.json", path: "$.algorithms",
                                            message: "the spec expands to 100002 runs (1 configuration × 2 environments × 50001 seeds), more than the limit of 100000",
                                            allowed: "at most 100000 runs (check the grid, or pass --force to allow up to 10000000)")) {
            try testSpec(above)
        }
        let forced = try ExperimentSpec.parse(above, file: "spec.json", catalog: testCatalog, limits: .forced)
        #expect(forced.seeds == 50001)
    }

    /// Checkpoints per run: iteration 0, every multiple of record_every, and the last iteration.
    @Test(arguments: [(10, 5, 3), (10, 3, 5), (10, 1, 11), (1, 1, 2), (7, 10, 2), (1_000_000, 11, 90_911)])
    func checkpointsPerRun(iterations: Int, recordEvery: Int, expected: Int) {
        #expect(SpecLimits.checkpointsPerRun(iterations: iterations, recordEvery: recordEvery) == expected)
    }

    /// Recording every iteration is allowed up to the per-run limit of 1,000,001 checkpoints (one
    /// million iterations); 1,000,001 iterations record one more and are refused in one line.
    @Test(arguments: [(100_000, true), (1_000_000, true), (1_000_001, false)])
    func recordingEveryIterationUpToThePerRunLimit(iterations: Int, allowed: Bool) throws {
        let text = """
        {"name": "long", "environments": [{"id": "g", "kind": "random", "actions": 3}],
         "budget": {"iterations": \(iterations)}, "record_every": 1, "seeds": 1, "algorithms": [{"id": "nash-md"}]}
        """
        if allowed {
            let spec = try testSpec(text)
            #expect(SpecLimits.checkpointsPerRun(iterations: spec.iterations, recordEvery: spec.recordEvery) == iterations + 1)
        } else {
            #expect(throws: SweepError.spec(file: "spec.json", path: "$.record_every",
                                            message: "each run would record 1000002 checkpoints (1000001 iterations, record_every 1)",
                                            allowed: "at most 1000001 checkpoints per run (record_every ≥ 2)")) {
                try testSpec(text)
            }
        }
    }

    /// A matrix file that is valid goes through (the corpus' bad files fail for their content only).
    @Test func validMatrixFileIsAccepted() throws {
        let text = SpecValidationTests.spec(environments: #"[{"id": "m", "kind": "matrix", "path": ""# + BadSpecCorpus.matrix("good.csv") + #""}]"#)
        let spec = try testSpec(text)
        let problem = try ProblemFactory.problem(spec.environments[0], spec: spec, replicate: 0)
        #expect(problem.preferences[0].size == 2)
    }
}
