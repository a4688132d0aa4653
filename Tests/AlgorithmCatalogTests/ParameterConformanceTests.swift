import AlgorithmCatalog
import AlignmentCore
import Foundation
import Testing

/// Every registered plugin declares itself consistently and rejects bad hyperparameters with a
/// clear error naming the parameter.
struct ParameterConformanceTests {
    @Test func idsAreUniqueAndNonEmpty() {
        let ids = AlgorithmCatalog.ids
        #expect(!ids.isEmpty)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(AlgorithmCatalog.algorithm(id: id)?.descriptor.id == id) }
    }

    /// Descriptor sanity: documented parameters with unique names whose defaults satisfy their own
    /// declaration; at least one feedback mode; stochastic modes among the supported ones; a
    /// summary and a paper; unique diagnostics that do not shadow harness metrics.
    @Test(arguments: AlgorithmCatalog.ids)
    func descriptorIsConsistent(id: String) throws {
        let d = try ConformanceDriver.plugin(id).descriptor
        #expect(!d.summary.isEmpty && !d.paper.isEmpty)
        #expect(!d.feedbackModes.isEmpty)
        #expect(d.stochasticModes.isSubset(of: d.feedbackModes))
        let names = d.parameters.map(\.name)
        #expect(Set(names).count == names.count)
        for spec in d.parameters {
            #expect(!spec.doc.isEmpty, "parameter \(spec.name) of \(id) has no doc")
            if let v = spec.defaultValue {
                #expect(throws: Never.self, "default of \(id).\(spec.name)") { try spec.validate(v) }
            }
        }
        #expect(Set(d.diagnostics).count == d.diagnostics.count)
        #expect(Set(d.diagnostics).isDisjoint(with: Metric.ids))
    }

    /// Default (and minimal required) parameters are accepted.
    @Test(arguments: AlgorithmCatalog.ids)
    func defaultsAreAccepted(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        #expect(throws: Never.self) { _ = try type.make(ConformanceDriver.requiredValues(type)) }
    }

    /// An unknown parameter is rejected with an error that names it; a near-miss of a real name
    /// gets a "did you mean" hint.
    @Test(arguments: AlgorithmCatalog.ids)
    func rejectsUnknownParameters(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        var raw = ConformanceDriver.requiredValues(type)
        raw["no_such_parameter_q"] = .number(1)
        try expectInvalid(type, raw, name: "no_such_parameter_q")
        if let real = type.descriptor.parameters.first(where: { $0.name.count >= 4 }) {
            var typo = ConformanceDriver.requiredValues(type)
            let misspelt = real.name + "x"
            typo[misspelt] = real.defaultValue ?? .number(1)
            let error = try expectInvalid(type, typo, name: misspelt)
            #expect(error.description.contains("did you mean '\(real.name)'"), "\(error)")
        }
    }

    /// Every parameter rejects values derived from its kind: just outside its interval or range
    /// (the open bound itself, or the next double beyond a closed one), NaN and ±∞, non-integers,
    /// unknown choices, and values of the wrong JSON type — each with an error naming the parameter
    /// and saying what is allowed.
    @Test(arguments: AlgorithmCatalog.ids)
    func rejectsOutOfRangeValues(id: String) throws {
        let type = try ConformanceDriver.plugin(id)
        for spec in type.descriptor.parameters {
            for (bad, why) in ParameterProbe.invalidValues(for: spec.kind) {
                var raw = ConformanceDriver.requiredValues(type)
                raw[spec.name] = bad
                let error = try expectInvalid(type, raw, name: spec.name, comment: "\(id).\(spec.name) = \(bad) (\(why))")
                #expect(error.description.contains("allowed"), "\(error)")
            }
        }
    }

    /// Expects `make(raw)` to throw `invalidParameter` naming `name`; returns the error.
    @discardableResult
    func expectInvalid(_ type: any Algorithm.Type, _ raw: [String: ParameterValue], name: String,
                       comment: String = "") throws -> AlignmentCoreError {
        do {
            _ = try type.make(raw)
        } catch let error as AlignmentCoreError {
            guard case let .invalidParameter(reported, _) = error else {
                Issue.record("expected invalidParameter for \(name), got \(error) \(comment)")
                return error
            }
            #expect(reported == name, "\(comment)")
            #expect(error.description.contains(name), "\(comment)")
            return error
        }
        Issue.record("\(type.descriptor.id) accepted \(raw) \(comment)")
        return .invalidParameter(name: name, reason: "accepted")
    }
}
