import Foundation
import StableFloor

/// What the two directories' recorded specs say about each run, so that `bench compare` never
/// pairs runs of different problems. Run ids depend only on the run key (environment id,
/// algorithm label, hyperparameters, replicate); the environment's parameters, the feedback mode,
/// the budget, the reference and the input files' contents enter the run's definition fingerprint
/// (`RunFingerprint.definition`, `.inputs`) instead. Code and library fingerprints may differ —
/// that is what a comparison is for.
struct RecordedPlan {
    /// The recorded spec (the directory's spec.json, its input copies and its `--only` selection).
    let spec: ExperimentSpec
    /// Its plan by run id.
    let plans: [String: RunPlan]

    /// The plan recorded in `directory`, or nil when the directory has no spec.json (results of a
    /// version of bench before spec copies, or a directory of CSV files alone).
    /// - Throws: `SweepError` when the copy exists but does not load (e.g. a plugin it names is no
    ///   longer in the catalogue).
    static func read(_ directory: URL, display: String) throws -> RecordedPlan? {
        let copy = directory.appendingPathComponent(RecordedManifest.specCopyName)
        guard FileManager.default.fileExists(atPath: copy.path) else { return nil }
        let spec = try ExperimentSpec.load(contentsOf: copy, displayName: display + "/" + RecordedManifest.specCopyName,
                                           limits: .forced, inputs: ResultSummarizer.inputLocator(directory: directory),
                                           subset: try RunSubset.recorded(in: directory))
        let plans = try GridExpansion.plan(spec)
        return RecordedPlan(spec: spec, plans: Dictionary(plans.map { ($0.runID, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The run key of `runID` ("env=…|alg=…|<hyperparameters>|seed=…"), if planned.
    func key(_ runID: String) -> String? { plans[runID]?.key }

    /// Why run `runID` is not the same problem in `self` (A) and `other` (B), naming the first part
    /// of its definition that differs; nil when definition and inputs agree (or the run is not
    /// planned on both sides).
    func difference(_ runID: String, from other: RecordedPlan) -> String? {
        guard let a = plans[runID], let b = other.plans[runID] else { return nil }
        if a.fingerprint.definition == b.fingerprint.definition && a.fingerprint.inputs == b.fingerprint.inputs { return nil }
        let envA = spec.environments[a.environment], envB = other.spec.environments[b.environment]
        let algA = spec.algorithms[a.algorithm], algB = other.spec.algorithms[b.algorithm]
        if spec.sharedSettings != other.spec.sharedSettings {
            return "the shared settings differ: A \(spec.sharedSettings), B \(other.spec.sharedSettings)"
        }
        if envA.canonical != envB.canonical {
            return "environment \(SpecText.quoted(envA.id)) differs: A \(envA.canonical), B \(envB.canonical)"
        }
        if algA.id != algB.id || algA.feedback != algB.feedback {
            return "algorithm \(SpecText.quoted(algA.label)) differs: A \(algA.id) with \(algA.feedback.rawValue) feedback, "
                + "B \(algB.id) with \(algB.feedback.rawValue) feedback"
        }
        if a.fingerprint.inputs != b.fingerprint.inputs {
            return "the input files of environment \(SpecText.quoted(envA.id)) differ (contents digest A \(a.fingerprint.inputs), B \(b.fingerprint.inputs))"
        }
        return "the run's definition differs (fingerprint A \(a.fingerprint.definition), B \(b.fingerprint.definition))"
    }
}

extension ComparedRun {
    /// Checks that the runs A and B share are the same problems by their recorded specs: for every
    /// run id, equal definition and input fingerprints.
    /// - Throws: `SweepError.store` naming how many runs differ and, for the first, what differs.
    static func requireSameDefinitions(_ runs: [ComparedRun], planA: RecordedPlan, planB: RecordedPlan,
                                       displayA: String, displayB: String) throws {
        var first: (ComparedRun, String)?
        var count = 0
        for run in runs {
            guard let why = planA.difference(run.runID, from: planB) else { continue }
            count += 1
            if first == nil { first = (run, why) }
        }
        guard let (run, why) = first else { return }
        throw SweepError.store("\(displayA) (A) and \(displayB) (B) are not results of one plan: "
            + "\(count) run\(count == 1 ? "" : "s") with the same id\(count == 1 ? "" : "s") are different problems "
            + "(first: \(run.described): \(why)); allowed: two results directories of the same spec "
            + "(the environments, shared settings and input files may not change; code and libraries may)")
    }
}
